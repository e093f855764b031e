"""The held-back half of the labelled exports, through the import users run, against the
targets of issue 13 — computed here on both databases, as bench/exports.py prints them."""

import pytest
from sqlalchemy.orm import Session

from tests.connectors.exports.scoring import TARGETS, Tally, build_workspace, evaluate

# Both halves by database kind, measured once a process: each file is imported inside a
# savepoint rolled back, so one measurement serves every test of a kind (a SQLite database
# is a new file each test, but the same kind).
_MEASURED: dict[str, dict[str, Tally]] = {}


def measured(session: Session) -> dict[str, Tally]:
    kind = session.get_bind().dialect.name
    if kind not in _MEASURED:
        admin = build_workspace(session)
        _MEASURED[kind] = evaluate(session, admin)
    return _MEASURED[kind]


def held_back(session: Session) -> Tally:
    return measured(session)["held"]


def test_held_back_items_and_noise(session: Session) -> None:
    tally = held_back(session)
    figures = tally.figures()
    assert tally.files >= 20
    for key in ("items_precision", "items_recall", "noise_precision", "noise_recall"):
        assert figures[key] >= 0.95, (key, figures[key], tally.failures)
    # Every held-back file but the transcripts (whose statements are below) as labelled.
    assert [f for f in tally.failures if not f.startswith("transcript/")] == []


# Tuning files that are not read as labelled yet, each with why (none today: the seven t14
# files once listed here are all mended). Mend one, and take it off this list: the test
# fails while it is listed and passes.
NOT_YET: dict[str, str] = {}


def test_every_tuning_file_but_the_calls_is_as_labelled(session: Session) -> None:
    """What was mended once stays mended: every tuning file that is not a call (its
    statements are the classifier's, measured below) is read as labelled, the shapes of
    every earlier round's exports and the tools' own (the t12 files: Help Scout, Jira Service
    Management, SurveyMonkey, Google Forms, Trustpilot, Capterra, a grouped Salesforce
    report, Thunderbird and Apple Mail in Japanese and Chinese…) among them."""
    tally = measured(session)["tune"]
    assert tally.files >= 200
    failing = {f.split(": ")[0] for f in tally.failures if not f.startswith("transcript/")}
    assert failing == set(NOT_YET), sorted(failing ^ set(NOT_YET))


def test_held_back_statements_meet_the_targets(session: Session) -> None:
    """Round 11 (ten calls written and labelled by someone who saw neither the rules, the
    classifier, its data nor any other export), measured once on 2026-12-06 with the
    classifier trained on rounds up to 9 and round 10: precision 0.96, recall 0.895 (179 of
    200); with round 10 and twenty more tuning calls trained on (round 11 never), 0.97 / 0.92
    (183; 184 with the lexicon's rival comparisons). A second annotator given the same rule and the same calls agreed with the labels
    at 0.97 / 0.97 (round 10's calls: 0.87 / 0.99; docs/connectors.md). The targets hold as
    floors: a change that loses held-back statements fails here. (Round 10 measured 0.86 /
    0.80 once; round 9 0.85 / 0.78; round 8 0.92 / 0.92: labellers differ in how many
    borderline sentences they keep, so a new round may land under them.)"""
    figures = held_back(session).figures()
    assert figures["statements_precision"] >= TARGETS["statements_precision"], figures
    assert figures["statements_recall"] >= TARGETS["statements_recall"], figures


def test_transcripts_are_scored_as_users_import_them_with_the_classifier(
    session: Session,
) -> None:
    """The figures of transcripts are measured with the statement classifier the import uses,
    never with the lexicon alone (an encoder that failed to load gives a warning)."""
    tallies = measured(session)
    warned = [f for t in tallies.values() for f in t.failures if ": warning: " in f]
    assert warned == []
    # The tuning calls are what the classifier was trained on: with round 10 and the twenty
    # t11 calls among them, 0.90 and 0.93 (cross-validated when it was trained 0.87 / 0.90),
    # where the lexicon alone keeps 793 of their 1,815 statements (0.44).
    tune = tallies["tune"].figures()
    assert tallies["tune"].statements > 0
    assert tune["statements_precision"] >= 0.89, (tune, tallies["tune"].failures)
    assert tune["statements_recall"] >= TARGETS["statements_recall"], tune


@pytest.mark.xfail(
    strict=True,
    reason="round 11's held-back files: files as labelled 0.79 (33/42; 0.64 when measured "
    "once): every held-back file but nine calls; a call is as labelled only when every one "
    "of its ~20 statements is kept, and nine of ten lose one or more (statements 0.97 / 0.92 "
    "overall). When this passes, update docs/connectors.md",
)
def test_held_back_targets(session: Session) -> None:
    tally = held_back(session)
    if tally.statements == 0:
        # Round 2's transcripts moved to the tuning half; without held-back calls the statement
        # figures are 1.0 by definition and would pass this for nothing.
        pytest.skip("no held-back transcripts until the next round's are added")
    figures = tally.figures()
    for key, target in TARGETS.items():
        assert figures[key] >= target, (key, figures[key])
