#!/usr/bin/env bash
# A long schemathesis session against `huddle serve` on a PostgreSQL demo workspace, as an
# admin; prints the statuses it got back (bench/README.md, "API fuzzing").
#   bench/api_fuzz.sh [POSTGRES_ADMIN_URL] [PORT]
# Needs a PostgreSQL the URL's user may create databases on; takes 5 to 15 minutes.
set -euo pipefail
admin=${1:-postgresql://postgres@127.0.0.1:5432/postgres}
port=${2:-8799}
name=huddle_api_fuzz
out=$(mktemp -d)
psql -q "$admin" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" -c "CREATE DATABASE $name"
url="postgresql+psycopg://${admin#postgresql://}"
url="${url%/*}/$name"
huddle --db "$url" demo --no-serve >/dev/null
# The run's own token gets a high id, so a generated DELETE /tokens/{id} does not revoke it.
psql -q "${admin%/*}/$name" -c "SELECT setval('api_tokens_id_seq', 987654)" >/dev/null
token=$(huddle --db "$url" token create --email admin@ledgerline.io --name fuzz)
HUDDLE_DATABASE_URL=$url huddle serve --port "$port" >"$out/serve.log" 2>&1 &
server=$!
trap 'kill $server' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 1; done
# From the scratch folder: schemathesis keeps a cache of past failures where it runs.
(cd "$out" && schemathesis run "http://127.0.0.1:$port/openapi.json" --checks all \
  -H "Authorization: Bearer $token" --max-examples 100 --seed 42 -w 2 --continue-on-failure \
  --report ndjson --report-dir "$out" --no-color | sed -n '/SUMMARY/,$p') || true
python3 - "$out" <<'EOF'
import collections, glob, json, sys

statuses = collections.Counter()
for line in open(glob.glob(f"{sys.argv[1]}/ndjson-*.ndjson")[0]):
    event = json.loads(line).get("ScenarioFinished")
    for interaction in (event or {}).get("recorder", {}).get("interactions", {}).values():
        if interaction.get("response"):
            statuses[interaction["response"]["status_code"]] += 1
print("responses:", sum(statuses.values()), dict(sorted(statuses.items())))
print("server errors:", sum(n for status, n in statuses.items() if status >= 500))
EOF
echo "server log: $out/serve.log"
