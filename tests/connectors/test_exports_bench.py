"""The held-back half of the labelled exports, through the import users run, against the
targets of issue 13 — computed here on both databases, as bench/exports.py prints them."""

import fcntl
import os
import pickle

import pytest
from sqlalchemy.orm import Session

from tests.connectors.exports.scoring import TARGETS, Tally, build_workspace, evaluate

# Measured once a run by database kind: each file is imported inside a savepoint rolled back,
# so one measurement serves every test of a kind (a SQLite database is a new file each test,
# but the same kind). The suite's workers share it through a file in the run's temporary
# folder, under a lock per kind: the first worker to need a kind measures it while the other
# waits (the corpus took minutes, once per worker and kind, measured by each). SQLite measures
# both halves; PostgreSQL the held-back half only (the same import on the other database: the
# tuning half's 800 files there cost a worker minutes and told nothing SQLite's did not).
_MEASURED: dict[str, dict[str, Tally]] = {}
_HALVES = {"sqlite": None, "postgresql": "held"}


@pytest.fixture
def measured(
    session: Session, tmp_path_factory: pytest.TempPathFactory, worker_id: str
) -> dict[str, Tally]:
    kind = session.get_bind().dialect.name
    if kind not in _MEASURED:
        # The run's own folder: a worker's is inside it; without workers it is the base itself
        # (whose parent outlives the run).
        run = tmp_path_factory.getbasetemp()
        shared = (run if worker_id == "master" else run.parent) / f"exports-measured-{kind}.pickle"
        with open(shared.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if shared.exists():
                _MEASURED[kind] = pickle.loads(shared.read_bytes())
            else:
                admin = build_workspace(session)
                _MEASURED[kind] = evaluate(session, admin, half=_HALVES[kind])
                # Whole or not at all: a worker stopped mid-write leaves no half a file.
                partial = shared.with_suffix(".partial")
                partial.write_bytes(pickle.dumps(_MEASURED[kind]))
                os.replace(partial, shared)
    return _MEASURED[kind]


# Held-back files that are not calls and not read as labelled yet, each with why. A file
# listed here must fail, and one failing must be listed: mend one, and take it off.
HELD_NOT_YET: dict[str, str] = {}


def test_held_back_items_and_noise(measured: dict[str, Tally]) -> None:
    """Every held-back file but the transcripts (whose statements are below) is as labelled,
    but those listed in HELD_NOT_YET, which are not yet."""
    tally = measured["held"]
    assert tally.files >= 20
    failing = {f.split(": ")[0] for f in tally.failures if not f.startswith("transcript/")}
    assert failing == set(HELD_NOT_YET), sorted(failing ^ set(HELD_NOT_YET))


# Tuning files that are not read as labelled, each with why (the seven t14 files and t18's
# Jira search page once listed here are mended). Mend one, and take it off this list: the test
# fails while it is listed and passes.
NOT_YET: dict[str, str] = {
    # Round 28's, held back until round 29 was measured: its blind label and the reader
    # disagree on purpose.
    "survey/r28_surveygizmo_nps_export.xls": "an Excel 2003 XML spreadsheet named .xls, labelled "
    "to be refused; it is read as the workbook it is (Excel opens it: not a broken file), so "
    "it is not refused",
}


def test_every_tuning_file_but_the_calls_is_as_labelled(measured: dict[str, Tally]) -> None:
    """What was mended once stays mended: every tuning file that is not a call (its
    statements are the classifier's, measured below) is read as labelled, the shapes of
    every earlier round's exports and the tools' own (the t12 files: Help Scout, Jira Service
    Management, SurveyMonkey, Google Forms, Trustpilot, Capterra, a grouped Salesforce
    report, Thunderbird and Apple Mail in Japanese and Chinese…) among them."""
    if "tune" not in measured:
        pytest.skip("the tuning half is measured on SQLite (the held-back half on both)")
    tally = measured["tune"]
    assert tally.files >= 200
    failing = {f.split(": ")[0] for f in tally.failures if not f.startswith("transcript/")}
    assert failing == set(NOT_YET), sorted(failing ^ set(NOT_YET))


def test_held_back_statements_hold_what_was_measured(measured: dict[str, Tally]) -> None:
    """Round 30 (ten calls from tools no round had used: Modjo, Retell, NVIDIA NeMo,
    CallRail, YouTube's SBV captions, an Aegisub .ass file, a Podcasting 2.0 transcript, Telnyx
    transcription webhooks, NICE WFO, an ELAN .eaf), written and labelled by someone who saw
    neither the rules, the classifier, its data nor any other export, measured once on
    2026-12-08 on the commit that added it (38974b2, the classifier trained on rounds to 28):
    precision 0.803, recall 0.405 (64 of 158 found, 61 of 76 kept right; CallRail, NICE,
    Telnyx, the SBV, the .ass and the .eaf refused whole). After its lessons, with the
    classifier retrained on round 29: 0.893 / 0.968 (153 of 158 found, 142 of 159 kept right;
    the five lost are the classifier's; about half of the 17 kept that are no labelled
    statement say a problem or a preference the labels leave out: "The revision approval is
    slow.", "Honestly the role editor is the other pain point."). Earlier rounds once: 29 0.932 /
    0.575, 28 0.913 / 0.477, 27 0.938 / 0.771, 26 0.974 / 0.633, 25 0.826 / 0.595, 24 0.84 /
    0.58, 23 0.98 / 0.535, 22 0.82 / 0.09, 21 0.85 / 0.58, 20 0.94 / 0.855, 19 0.94 / 0.895.
    What was measured holds as a floor: a change that loses held-back statements, or keeps
    more that are not, fails here; the targets are in `test_held_back_targets`."""
    figures = measured["held"].figures()
    assert figures["statements_precision"] >= 0.89, figures
    assert figures["statements_recall"] >= 0.96, figures


def test_transcripts_are_scored_as_users_import_them_with_the_classifier(
    measured: dict[str, Tally],
) -> None:
    """The figures of transcripts are measured with the statement classifier the import uses,
    never with the lexicon alone (an encoder that failed to load gives a warning)."""
    tallies = measured
    warned = [f for t in tallies.values() for f in t.failures if ": warning: " in f]
    assert warned == []
    if "tune" not in tallies:
        # PostgreSQL measures the held-back half only: its calls were read with the classifier.
        assert tallies["held"].statements > 0
        return
    # The tuning calls are what the classifier was trained on: with rounds up to 29 among them,
    # about 0.98 and 0.98 (its character n-grams fit what they were trained on closely; cross-
    # validated when it was trained 0.94 / 0.93), where the lexicon alone keeps 2,477 of their
    # 5,631 statements (0.44).
    tune = tallies["tune"].figures()
    assert tallies["tune"].statements > 0
    assert tune["statements_precision"] >= 0.89, (tune, tallies["tune"].failures)
    assert tune["statements_recall"] >= TARGETS["statements_recall"], tune


@pytest.mark.xfail(
    strict=True,
    reason="round 30 held back, after its lessons: files as labelled 0.90 (38/42): every file "
    "that is not a call is as labelled, and a call is only when every one of its ~16 statements "
    "is kept and none of its vendor's lines (4 of 10 calls each lose one or two to the "
    "classifier); statements 0.893 / 0.968 (0.803 / 0.405 once): recall met, precision and the "
    "files target missed. When this passes, update docs/connectors.md",
)
def test_held_back_targets(measured: dict[str, Tally]) -> None:
    tally = measured["held"]
    if tally.statements == 0:
        # Round 2's transcripts moved to the tuning half; without held-back calls the statement
        # figures are 1.0 by definition and would pass this for nothing.
        pytest.skip("no held-back transcripts until the next round's are added")
    figures = tally.figures()
    for key, target in TARGETS.items():
        assert figures[key] >= target, (key, figures[key])
