"""Connector import rates, and a 200 MB export streamed with its peak memory.

    python bench/connectors.py [--items 5000] [--repeat 3] [--big-mb 200] [--skip-big]

For each connector: a generated file of `--items` records, imported end to end into a fresh
migrated SQLite database (`import_with_connector`: read, check, write), median of
`--repeat` runs, as items/s and MB/s. Then the streaming case: a Zendesk export of
`--big-mb` MB whose tickets carry their audits (data the connector reads past), read by the
connector in a child process, against `json.load` of the same file in another child process
as the baseline: peak RSS of each, and the ratio. Also prints the transcript lexicon's
precision and recall on the hand-labelled sample of the tests.
"""

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from huddle.connectors.base import ConnectorOptions
from huddle.db import dispose_engine, session_scope
from huddle.imports.service import import_with_connector
from huddle.migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent
PHRASES = [
    "the export to Excel drops the cost centre column",
    "we need SSO with Okta before renewal",
    "the dashboard takes forever to load when filtering by region",
    "approvals keep failing for contractors",
    "we would love a Jira integration that syncs both ways",
    "the mobile app logs us out every day",
    "bulk edit saves us hours every week",
    "is there a way to schedule the weekly report as PDF?",
]
START = datetime(2026, 1, 1, tzinfo=UTC)


def sentence(rng: random.Random) -> str:
    return f"{rng.choice(PHRASES).capitalize()}, {rng.choice(PHRASES)}."


def when(rng: random.Random) -> datetime:
    return START + timedelta(minutes=rng.randrange(400_000))


def gen_zendesk(path: Path, n: int, rng: random.Random) -> Path:
    tickets = [
        {
            "id": i,
            "url": f"https://acme.zendesk.com/api/v2/tickets/{i}.json",
            "subject": rng.choice(PHRASES)[:40],
            "description": sentence(rng),
            "created_at": when(rng).isoformat(),
            "requester": {"email": f"user{i % 50}@company{i % 200}.com", "name": f"User {i}"},
            "tags": ["export"],
            "priority": "normal",
        }
        for i in range(n)
    ]
    path.write_text(json.dumps({"tickets": tickets}))
    return path


def gen_intercom(path: Path, n: int, rng: random.Random) -> Path:
    user = {"type": "user", "email": "a@company1.com", "name": "A"}
    items = [
        {
            "id": str(i),
            "created_at": int(when(rng).timestamp()),
            "source": {
                "body": f"<p>{sentence(rng)}</p>",
                "author": dict(user, email=f"u{i}@company{i % 200}.com"),
            },
            "conversation_parts": {
                "conversation_parts": [{"body": f"<p>{sentence(rng)}</p>", "author": user}]
            },
        }
        for i in range(n)
    ]
    path.write_text(json.dumps({"type": "conversation.list", "conversations": items}))
    return path


def gen_csv(
    header: list[str], row: Callable[[int, random.Random], list[object]]
) -> Callable[[Path, int, random.Random], Path]:
    import csv

    def make(path: Path, n: int, rng: random.Random) -> Path:
        with path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for i in range(n):
                writer.writerow(row(i, rng))
        return path

    return make


gen_tickets = gen_csv(
    ["Ticket ID", "Subject", "Description", "Requester email", "Created at", "Priority"],
    lambda i, rng: [
        f"T{i}",
        "Export",
        sentence(rng),
        f"u{i}@company{i % 200}.com",
        when(rng).isoformat(),
        "low",
    ],
)
gen_salesforce = gen_csv(
    ["Account ID", "Account Name", "Website", "Type", "ARR__c", "Renewal_Date__c", "Notes__c"],
    lambda i, rng: [
        f"001{i:012d}",
        f"Company {i}",
        f"company{i}.com",
        "Customer - Direct",
        rng.randint(5, 900) * 1000,
        "2027-01-31",
        sentence(rng) if i % 3 == 0 else "",
    ],
)
gen_hubspot = gen_csv(
    [
        "Record ID",
        "Company name",
        "Company Domain Name",
        "Lifecycle Stage",
        "Annual recurring revenue",
    ],
    lambda i, rng: [i, f"Company {i}", f"company{i}.com", "Customer", rng.randint(5, 900) * 1000],
)
gen_survey = gen_csv(
    ["Response ID", "Date", "Email", "NPS", "Comment"],
    lambda i, rng: [
        f"R{i}",
        when(rng).date().isoformat(),
        f"u{i}@company{i % 200}.com",
        rng.randint(0, 10),
        sentence(rng),
    ],
)
gen_reviews = gen_csv(
    ["Review ID", "Date", "Rating", "Title", "Review", "Author"],
    lambda i, rng: [
        f"rv{i}",
        when(rng).date().isoformat(),
        rng.randint(1, 5),
        "Review",
        sentence(rng),
        f"author{i}",
    ],
)


def gen_slack(path: Path, n: int, rng: random.Random) -> Path:
    users = [
        {"id": f"U{i}", "profile": {"real_name": f"User {i}", "email": f"u{i}@company{i}.com"}}
        for i in range(200)
    ]
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("users.json", json.dumps(users))
        archive.writestr("channels.json", json.dumps([{"id": "C1", "name": "feedback"}]))
        per_day = 500
        for day in range(0, n, per_day):
            messages = [
                {
                    "type": "message",
                    "user": f"U{i % 200}",
                    "text": sentence(rng),
                    "ts": f"{int(when(rng).timestamp())}.{i:06d}",
                }
                for i in range(day, min(n, day + per_day))
            ]
            date = (START + timedelta(days=day // per_day)).date().isoformat()
            archive.writestr(f"feedback/{date}.json", json.dumps(messages))
    return path


def gen_email(path: Path, n: int, rng: random.Random) -> Path:
    with path.open("w") as handle:
        for i in range(n):
            stamp = when(rng).strftime("%a, %d %b %Y %H:%M:%S +0000")
            handle.write(
                f"From u{i}@company{i % 200}.com Mon Jan  1 00:00:00 2026\nFrom: User {i} <u{i}@company{i % 200}.com>\n"
                f"Subject: Feedback {i}\nDate: {stamp}\nMessage-ID: <m{i}@company.com>\n\n{sentence(rng)}\n\n"
            )
    return path


def gen_transcript(path: Path, n: int, rng: random.Random) -> Path:
    # One call per 40 utterances: a realistic call length, many calls in one export.
    calls = []
    for c in range(max(1, n // 40)):
        utterances = []
        for u in range(40):
            vendor = u % 2 == 0
            text = (
                "How do you handle approvals today? Walk me through it."
                if vendor
                else sentence(rng)
            )
            utterances.append(
                {"speaker": "Rep" if vendor else "Customer", "start": u * 20, "text": text}
            )
        calls.append(
            {
                "call_id": f"call-{c}",
                "started_at": when(rng).isoformat(),
                "recording_url": f"https://rec.example/{c}",
                "participants": [
                    {"name": "Rep", "role": "host"},
                    {"name": "Customer", "email": f"c@company{c % 200}.com"},
                ],
                "utterances": utterances,
            }
        )
    path.write_text(json.dumps({"calls": calls}))
    return path


GENERATORS: dict[str, tuple[str, Callable[[Path, int, random.Random], Path]]] = {
    "transcript": ("calls.json", gen_transcript),
    "zendesk": ("tickets.json", gen_zendesk),
    "intercom": ("conversations.json", gen_intercom),
    "tickets": ("tickets.csv", gen_tickets),
    "salesforce": ("Account.csv", gen_salesforce),
    "hubspot": ("companies.csv", gen_hubspot),
    "slack": ("export.zip", gen_slack),
    "email": ("inbox.mbox", gen_email),
    "survey": ("nps.csv", gen_survey),
    "reviews": ("reviews.csv", gen_reviews),
}


def bench_rates(items: int, repeat: int, folder: Path) -> None:
    template = folder / "template.db"
    upgrade(f"sqlite:///{template}")
    dispose_engine(f"sqlite:///{template}")
    print("| connector | items in file | file MB | created | median s | items/s | MB/s |")
    print("|---|---|---|---|---|---|---|")
    for source, (name, generate) in GENERATORS.items():
        path = generate(folder / name, items, random.Random(7))
        times, created = [], 0
        for run in range(repeat):
            db = folder / f"{source}-{run}.db"
            shutil.copy(template, db)
            url = f"sqlite:///{db}"
            started = time.perf_counter()
            with session_scope(url) as session:
                report = import_with_connector(
                    session, source=source, path=path, actor=None, options=ConnectorOptions()
                )
            times.append(time.perf_counter() - started)
            created = report.created
            dispose_engine(url)
        median = statistics.median(times)
        size = path.stat().st_size / 1e6
        print(
            f"| {source} | {report.rows_read:,} | {size:.1f} | {created:,} | {median:.2f} | {report.rows_read / median:,.0f} | {size / median:.1f} |"
        )


CHILD = """
import json, resource, sys, time
from pathlib import Path
path = Path(sys.argv[2])
started = time.perf_counter()
if sys.argv[1] == "connector":
    from huddle.connectors.base import ConnectorOptions
    from huddle.connectors.zendesk import connector
    out = connector.read(path, ConnectorOptions())
    count = len(out.feedback)
else:
    count = len(json.load(path.open())["tickets"])
print(json.dumps({"s": time.perf_counter() - started, "count": count, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def bench_big(megabytes: int, folder: Path) -> None:
    path = folder / "big-tickets.json"
    rng = random.Random(3)
    audit = [
        {
            "id": n,
            "type": "Change",
            "field_name": "status",
            "value": "pending",
            "previous_value": "open",
        }
        for n in range(40)
    ]
    with path.open("w") as handle:
        handle.write('{"tickets": [\n')
        n = 0
        while handle.tell() < megabytes * 1_000_000:
            ticket = {
                "id": n,
                "subject": "Sync",
                "description": sentence(rng),
                "created_at": when(rng).isoformat(),
                "requester": {"email": f"u{n % 99}@company{n % 200}.com"},
                "audits": audit,
            }
            handle.write(("," if n else "") + json.dumps(ticket) + "\n")
            n += 1
        handle.write("]}\n")
    size = path.stat().st_size / 1e6
    print(f"\nStreaming {size:.0f} MB Zendesk export ({n:,} tickets with their audits):\n")
    print("| reader | seconds | tickets | peak RSS MB |")
    print("|---|---|---|---|")
    results = {}
    for mode in ("connector", "json.load"):
        out = subprocess.run(
            [sys.executable, "-c", CHILD, mode, str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        results[mode] = json.loads(out.stdout)
        r = results[mode]
        print(f"| {mode} | {r['s']:.1f} | {r['count']:,} | {r['peak_mb']:.0f} |")
    ratio = results["connector"]["peak_mb"] / results["json.load"]["peak_mb"]
    print(f"\npeak memory ratio connector / json.load: {ratio:.2f}; file {size:.0f} MB")


def classifier_quality() -> None:
    from huddle.connectors.transcript_lexicon import classify

    sample = ROOT / "tests" / "connectors" / "samples" / "feedback_statements.tsv"
    rows = [
        line.split("\t")
        for line in sample.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    found = [(label == "1", classify(text) is not None) for label, text in rows]
    tp = sum(1 for want, got in found if want and got)
    print(
        f"\nTranscript lexicon (without the statement classifier) on {len(rows)} hand-labelled sentences: precision {tp / sum(g for _, g in found):.2f}, recall {tp / sum(w for w, _ in found):.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--big-mb", type=int, default=200)
    parser.add_argument("--skip-big", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bench_rates(args.items, args.repeat, folder)
        classifier_quality()
        if not args.skip_big:
            bench_big(args.big_mb, folder)


if __name__ == "__main__":
    main()
