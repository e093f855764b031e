#!/usr/bin/env bash
# Refreshes the front-end files vendored into the package from the npm registry.
# Pages never load anything from a CDN; bump a version here and re-run to upgrade.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out="$here/src/huddle/web/static/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
packages=(htmx.org@2.0.11 vega@6.4.0 vega-lite@6.4.3 vega-embed@7.3.0 swagger-ui-dist@5.35.0 swagger-ui-dist@5.35.0)
files=(package/dist/htmx.min.js package/build/vega.min.js package/build/vega-lite.min.js package/build/vega-embed.min.js package/swagger-ui-bundle.js package/swagger-ui.css)
: > "$out/VERSIONS.txt"
for i in "${!packages[@]}"; do
  (cd "$work" && npm pack --silent "${packages[$i]}" >/dev/null)
  tarball=$(ls "$work"/*.tgz)
  tar -xzf "$tarball" -C "$work" "${files[$i]}"
  cp "$work/${files[$i]}" "$out/"
  echo "${packages[$i]} $(basename "${files[$i]}") $(sha256sum "$out/$(basename "${files[$i]}")" | cut -c1-16)" >> "$out/VERSIONS.txt"
  rm -rf "$work"/*
done
cat "$out/VERSIONS.txt"
