"""Every connector through the CLI as a person runs it: `huddle import SOURCE FILE`.

One SQLite file for the whole run keeps this to a few seconds per source; the same imports
run against both databases in-process in each connector's own tests.
"""

import json
import subprocess
import sys
from pathlib import Path

from tests.connectors import (
    test_email,
    test_hubspot,
    test_intercom,
    test_reviews,
    test_salesforce,
    test_slack,
    test_survey,
    test_tickets,
    test_zendesk,
)
from tests.connectors.helpers import SAMPLES

HUDDLE = [sys.executable, "-m", "huddle.cli.main"]


def huddle(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*HUDDLE, "--db", db, *args], capture_output=True, text=True, timeout=120, check=False
    )


def files(tmp_path: Path) -> list[tuple[str, Path, list[str]]]:
    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text)
        return path

    accounts = write("Account.csv", test_salesforce.ACCOUNTS.replace("rep@example.com", ""))
    return [
        ("salesforce", accounts, []),
        ("salesforce", write("Note.csv", test_salesforce.NOTES), []),
        ("hubspot", write("companies.csv", test_hubspot.COMPANIES), []),
        ("transcript", SAMPLES / "call_utterances.json", ["--internal-domain", "huddle-vendor.io"]),
        ("transcript", SAMPLES / "support_call.srt", []),
        (
            "zendesk",
            write(
                "tickets.json",
                json.dumps({"tickets": test_zendesk.TICKETS, "users": test_zendesk.USERS}),
            ),
            [],
        ),
        (
            "intercom",
            write("conversations.json", json.dumps([test_intercom.conversation("7")])),
            [],
        ),
        ("tickets", write("tickets.csv", test_tickets.TICKETS.replace("Acme,", "Acme Corp,")), []),
        ("slack", test_slack.export_folder(tmp_path / "slack"), []),
        ("email", write("one.eml", test_email.CUSTOMER), []),
        ("survey", write("nps.csv", test_survey.NPS), []),
        ("reviews", write("reviews.csv", test_reviews.APP_STORE), []),
    ]


def test_every_source_imports_through_the_cli(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'huddle.db'}"
    init = huddle(
        db, "init", "--admin-email", "boss@example.com", "--admin-password", "s3cret-pass"
    )
    assert init.returncode == 0, init.stderr
    # Umbrella must exist before its call's evidence can name it.
    umbrella = tmp_path / "umbrella.csv"
    umbrella.write_text("name,domain\nUmbrella,umbrella.example\n")
    assert huddle(db, "import", "accounts", str(umbrella)).returncode == 0
    seen = set()
    for source, path, extra in files(tmp_path):
        result = huddle(db, "import", source, str(path), "--json", *extra)
        assert result.returncode == 0, f"{source}: {result.stderr}{result.stdout}"
        report = json.loads(result.stdout)
        assert report["created"] > 0 and report["errors"] == [], (source, report)
        seen.add(source)
    assert seen == {
        "transcript",
        "zendesk",
        "intercom",
        "tickets",
        "salesforce",
        "hubspot",
        "slack",
        "email",
        "survey",
        "reviews",
    }
    listed = json.loads(huddle(db, "feedback", "list", "--json", "--limit", "200").stdout)
    assert listed["total"] >= 15


def test_a_bad_file_fails_clearly_through_the_cli(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'huddle.db'}"
    assert (
        huddle(
            db, "init", "--admin-email", "boss@example.com", "--admin-password", "x" * 12
        ).returncode
        == 0
    )
    cut = tmp_path / "cut.json"
    cut.write_text(json.dumps({"tickets": test_zendesk.TICKETS}, indent=2)[:-60])
    result = huddle(db, "import", "zendesk", str(cut))
    assert result.returncode == 1
    assert "truncated" in result.stderr and "nothing was imported" in result.stderr
    assert "Traceback" not in result.stderr
    unknown = huddle(db, "import", "tickets", str(tmp_path / "missing.csv"))
    assert unknown.returncode != 0 and "Traceback" not in unknown.stderr


def test_connector_flags_and_the_summary(tmp_path: Path) -> None:
    """--create-accounts, --keep-noise and --workspace are flags; --map still names columns;
    the summary says what was left out, skipped and left unattached."""
    from tests.connectors.exports.scoring import CORPUS

    db = f"sqlite:///{tmp_path / 'huddle.db'}"
    init = huddle(db, "init", "--admin-email", "dana@ourco.com", "--admin-password", "x" * 12)
    assert init.returncode == 0, init.stderr
    report_rows = str(CORPUS / "tickets" / "tk_report_rows.csv")
    dry = huddle(db, "import", "tickets", report_rows, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.splitlines()[1:] == [
        "  left out: 1 auto-reply, 1 spam (--keep-noise brings them in)",
        "  skipped 2 rows that are not records (titles, totals, footers, blank rows)",
        "  2 items left unattached, naming accounts Huddle does not know: "
        "Hooli Cloud (1), Initech Health (1)",
    ]
    created = huddle(db, "import", "tickets", report_rows, "--create-accounts", "--json")
    assert json.loads(created.stdout)["created_accounts"] == ["Hooli Cloud", "Initech Health"]
    kept = huddle(
        db, "import", "tickets", str(CORPUS / "tickets" / "tk_staff_and_test.csv"), "--keep-noise"
    )
    assert kept.returncode == 0 and "left out" not in kept.stdout and "5 new" in kept.stdout
    slack = huddle(
        db,
        "import",
        "slack",
        str(CORPUS / "slack" / "sl_day_partners.json"),
        "--workspace",
        "ourco",
        "--json",
    )
    assert json.loads(slack.stdout)["left_out"] == {"bot": 1}  # staff unknown by name here
    listed = json.loads(huddle(db, "feedback", "list", "--json", "--source", "chat").stdout)
    assert all(i["link_url"].startswith("https://ourco.slack.com/") for i in listed["items"])


def test_a_file_without_dates_is_dated_by_the_import_or_by_occurred_at(tmp_path: Path) -> None:
    """A survey, reviews or CRM notes export without a date column comes in (it was refused,
    "occurred_at is required" on every row), dated by the import or by `--occurred-at`, and
    the summary says so; a date that cannot be read is still named by its line."""
    db = f"sqlite:///{tmp_path / 'huddle.db'}"
    init = huddle(db, "init", "--admin-email", "dana@ourco.com", "--admin-password", "x" * 12)
    assert init.returncode == 0, init.stderr
    survey = tmp_path / "nps.csv"
    survey.write_text(
        "Score,Comment\n3,The route map takes thirty seconds to load\n9,Love the board\n"
    )
    dated = huddle(db, "import", "survey", str(survey), "--occurred-at", "2026-10-01")
    assert dated.returncode == 0, dated.stderr
    assert "2 items had no date: dated 2026-10-01 (--occurred-at sets another)" in dated.stdout
    listed = json.loads(huddle(db, "feedback", "list", "--json", "--source", "survey").stdout)
    assert sorted(i["occurred_at"][:10] for i in listed["items"]) == ["2026-10-01"] * 2
    again = huddle(db, "import", "survey", str(survey), "--json")
    assert json.loads(again.stdout)["unchanged"] == 2  # the same items, not new ones
    reviews = tmp_path / "reviews.csv"
    reviews.write_text("Rating,Review\n2,Crashes when I attach a photo\n")
    today = huddle(db, "import", "reviews", str(reviews), "--json")
    assert json.loads(today.stdout)["undated"] == 1, today.stdout
    notes = tmp_path / "Note.csv"
    notes.write_text("Title,Body,CreatedDate\nAcme call,Needs SSO with Okta,\n")
    assert (
        json.loads(huddle(db, "import", "salesforce", str(notes), "--json").stdout)["undated"] == 1
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("Score,Comment,Date\n3,Slow map,the 31st of Nevember\n")
    refused = huddle(db, "import", "survey", str(bad))
    assert refused.returncode == 1 and "line 2" in refused.stderr and "Date" in refused.stderr
    wrong = huddle(db, "import", "survey", str(survey), "--occurred-at", "soon")
    assert wrong.returncode == 1 and "--occurred-at" in wrong.stderr
