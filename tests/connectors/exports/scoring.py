"""Runs the labelled exports through the import users run, and scores them against labels.

Each export `X` has its labels in `X.labels.json` (see README.md beside this file). A file
is imported into the workspace of `workspace.json` by `import_with_connector` (the code path
of `huddle import SOURCE FILE` and the imports page), inside a savepoint that is rolled back
afterwards, so every file meets the same workspace. What came in is read back from the
database: the items the run created, their accounts, the accounts it created, what it left
out and why.

Measures, per half (`tune` or `held`), summed over files:

- **files as labelled**: a refused file is refused with the labelled words in its message
  and writes nothing; any other file brings in every labelled item (all its `keep` phrases
  in one item's text) on the labelled account, brings in nothing else (transcripts: every
  labelled statement kept), leaves out every labelled noise item for its reason, shows no
  `cut` phrase in any item, and lists the labelled unknown and created accounts.
- **items kept**: precision = items that match a labelled item / items that came in;
  recall = labelled items that came in / labelled items (transcripts are scored by
  statements instead).
- **noise left out**: precision = left-out items that match labelled noise (same reason) /
  items left out; recall = labelled noise left out for its reason / labelled noise.
- **customer statements** (transcripts): precision = sentences of the items that came in
  which are (part of) a labelled statement / those sentences; recall = labelled statements
  found in an item / labelled statements.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.connectors.base import ConnectorOptions
from huddle.errors import Invalid
from huddle.imports.report import ImportFailed
from huddle.imports.service import import_with_connector
from huddle.insights.pii import mask_pii
from huddle.models import Account, Feedback, ImportRun, User

CORPUS = Path(__file__).parent
LABEL_SUFFIX = ".labels.json"
# What the held-back half must reach (issue 13); the other figures are reported only.
TARGETS = {
    "files_as_labelled": 0.95,
    "statements_precision": 0.95,
    "statements_recall": 0.9,
}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(]?[A-Z0-9])")


# A tag of the markup rich-text exports hold (HubSpot's note bodies): a phrase quoted from the
# file with its markup is found in the text the import made of it.
_MARKUP = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*\b[^<>@]*>")


def norm(text: str) -> str:
    return " ".join(_MARKUP.sub(" ", text).split()).casefold()


@dataclass
class Labelled:
    path: Path
    labels: dict[str, Any]

    @property
    def half(self) -> str:
        return str(self.labels["half"])

    @property
    def connector(self) -> str:
        return str(self.labels["connector"])


def corpus() -> list[Labelled]:
    found = []
    for label in sorted(CORPUS.rglob(f"*{LABEL_SUFFIX}")):
        path = label.with_name(label.name.removesuffix(LABEL_SUFFIX))
        found.append(Labelled(path, json.loads(label.read_text())))
    return found


def build_workspace(session: Session) -> Actor:
    """The users and accounts every export is imported into; returns the admin."""
    spec = json.loads((CORPUS / "workspace.json").read_text())
    admin: User | None = None
    for person in spec["users"]:
        user = User(
            email=person["email"],
            name=person["name"],
            role=person["role"],
            team="product",
            password_hash="!",
            is_active=True,
        )
        session.add(user)
        admin = admin or (user if person["role"] == "admin" else None)
    for account in spec["accounts"]:
        session.add(Account(**account, status="customer"))
    session.flush()
    assert admin is not None
    return Actor(user=admin)


@dataclass
class Outcome:
    """What one file did: refused (with its message), or what came in and was left out."""

    refused: str | None = None
    items: list[tuple[str, str | None]] = field(default_factory=list)  # (text, account name)
    left_out: list[tuple[str, str]] = field(default_factory=list)  # (text, reason)
    unmatched: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    wrote_on_refusal: bool = False
    warnings: list[str] = field(default_factory=list)


def run_file(session: Session, admin: Actor, item: Labelled) -> Outcome:
    options = item.labels.get("options", {})
    before = _count(session)
    savepoint = session.begin_nested()
    try:
        report = import_with_connector(
            session,
            source=item.connector,
            path=item.path,
            actor=admin,
            options=ConnectorOptions(
                create_accounts=bool(options.get("create_accounts")),
                keep_noise=bool(options.get("keep_noise")),
            ),
        )
    except (ImportFailed, Invalid) as failure:
        savepoint.rollback()
        errors = getattr(failure, "report", None)
        message = failure.message + "".join(
            f"\n{error}" for error in (errors.errors if errors else [])
        )
        return Outcome(refused=message, wrote_on_refusal=_count(session) != before)
    run = session.get(ImportRun, report.import_id)
    assert run is not None
    rows = session.execute(
        select(Feedback.text, Feedback.title, Account.name)
        .outerjoin(Account, Account.id == Feedback.account_id)
        .where(Feedback.import_id == run.id)
        .order_by(Feedback.id)
    ).all()
    outcome = Outcome(
        items=[(text, account) for text, _title, account in rows],
        left_out=[
            (f"{e['record'].get('title') or ''}\n{e['record']['text']}", e["reason"])
            for e in run.left_out
        ],
        unmatched=sorted(report.unmatched_accounts),
        created=sorted(report.created_accounts),
        warnings=[str(warning) for warning in report.warnings],
    )
    savepoint.rollback()
    # The run's row is gone with the savepoint; SQLite gives its id to the next file's run.
    session.expunge(run)
    return outcome


def _count(session: Session) -> tuple[int, int, int]:
    from sqlalchemy import func

    return (
        session.scalar(select(func.count()).select_from(Feedback)) or 0,
        session.scalar(select(func.count()).select_from(Account)) or 0,
        session.scalar(select(func.count()).select_from(ImportRun)) or 0,
    )


@dataclass
class Tally:
    files: int = 0
    as_labelled: int = 0
    items_in: int = 0
    items_right: int = 0
    items_labelled: int = 0
    items_found: int = 0
    left_out: int = 0
    left_out_right: int = 0
    noise_labelled: int = 0
    noise_found: int = 0
    sentences: int = 0
    sentences_right: int = 0
    statements: int = 0
    statements_found: int = 0
    failures: list[str] = field(default_factory=list)
    # Sentences kept that are no labelled statement (they lower precision; a file fails for
    # them only when they hold one of its `cut` phrases).
    not_statements: list[str] = field(default_factory=list)

    @staticmethod
    def ratio(part: int, whole: int) -> float:
        return part / whole if whole else 1.0

    def figures(self) -> dict[str, float]:
        r = self.ratio
        return {
            "files_as_labelled": r(self.as_labelled, self.files),
            "items_precision": r(self.items_right, self.items_in),
            "items_recall": r(self.items_found, self.items_labelled),
            "noise_precision": r(self.left_out_right, self.left_out),
            "noise_recall": r(self.noise_found, self.noise_labelled),
            "statements_precision": r(self.sentences_right, self.sentences),
            "statements_recall": r(self.statements_found, self.statements),
        }


def _matches(text: str, item: dict[str, Any]) -> bool:
    return all(norm(phrase) in norm(text) for phrase in item["keep"])


def _account_ok(expected: str | None, got: str | None) -> bool:
    if expected is None:
        return got is None
    return norm(expected.removeprefix("new:")) == norm(got or "")


def _left_out_is(phrase: str, text: str) -> bool:
    """What was left out is kept masked like evidence: a phrase naming an address is looked
    for masked too ("wasn't delivered to j.whitaker@…" is kept as "… to [email]")."""
    return norm(phrase) in norm(text) or norm(mask_pii(phrase)[0]) in norm(text)


def score(item: Labelled, outcome: Outcome, tally: Tally) -> None:
    labels = item.labels
    problems: list[str] = []
    tally.files += 1
    if "refused" in labels:
        if outcome.refused is None:
            problems.append("was not refused")
        else:
            # A phrase, or a list of words the message must all hold.
            wanted = labels["refused"]
            words = [wanted] if isinstance(wanted, str) else list(wanted)
            if not all(norm(word) in norm(outcome.refused) for word in words):
                problems.append(f"refused, but not for {wanted!r}: {outcome.refused}")
        if outcome.wrote_on_refusal:
            problems.append("wrote something although refused")
        _finish(item, problems, tally)
        return
    if outcome.refused is not None:
        problems.append(f"refused: {outcome.refused}")
    texts = [text for text, _ in outcome.items]
    if item.connector == "transcript":
        # Its statements found without the classifier (no encoder): these figures must never
        # be measured so. Other warnings are the user's to see (a page of calls listing one
        # without its transcript, the next page to fetch), not a misreading.
        problems.extend(
            f"warning: {warning}"
            for warning in outcome.warnings
            if "statement classifier" in warning
        )
        for statement in labels["statements"]:
            tally.statements += 1
            if any(norm(statement) in norm(text) for text in texts):
                tally.statements_found += 1
            else:
                problems.append(f"statement lost: {statement!r}")
        for text, account in outcome.items:
            for sentence in _SENTENCE_END.split(text.strip()):
                tally.sentences += 1
                if any(
                    norm(s) in norm(sentence) or norm(sentence) in norm(s)
                    for s in labels["statements"]
                ):
                    tally.sentences_right += 1
                else:
                    name = item.path.relative_to(CORPUS)
                    tally.not_statements.append(f"{name}: {sentence.strip()!r}")
            if not _account_ok(labels.get("account"), account):
                problems.append(f"on account {account!r}, not {labels.get('account')!r}")
    else:
        wanted = labels.get("items", [])
        tally.items_labelled += len(wanted)
        tally.items_in += len(outcome.items)
        for text, _ in outcome.items:
            if any(_matches(text, w) for w in wanted):
                tally.items_right += 1
            else:
                problems.append(f"unlabelled item came in: {text[:80]!r}")
        for w in wanted:
            hits = [(t, a) for t, a in outcome.items if _matches(t, w)]
            if not hits:
                problems.append(f"item lost: {w['keep'][0]!r}")
                continue
            tally.items_found += 1
            if "account" in w and not _account_ok(w["account"], hits[0][1]):
                problems.append(f"{w['keep'][0]!r} on {hits[0][1]!r}, not {w['account']!r}")
    noise = labels.get("noise", [])
    tally.noise_labelled += len(noise)
    tally.left_out += len(outcome.left_out)
    for text, reason in outcome.left_out:
        if any(_left_out_is(n["phrase"], text) and n["reason"] == reason for n in noise):
            tally.left_out_right += 1
        else:
            problems.append(f"left out as {reason} but not labelled so: {text[:80]!r}")
    for n in noise:
        if any(_left_out_is(n["phrase"], t) and r == n["reason"] for t, r in outcome.left_out):
            tally.noise_found += 1
        else:
            problems.append(f"noise not left out as {n['reason']}: {n['phrase']!r}")
    for phrase in labels.get("cut", []):
        # A cut tag ("<p>") is looked for as it is: the markup norm() drops leaves nothing.
        if any(
            norm(phrase) in norm(text) if norm(phrase) else phrase.casefold() in text.casefold()
            for text in texts
        ):
            problems.append(f"not cut: {phrase!r}")
    if "unmatched" in labels and sorted(labels["unmatched"]) != outcome.unmatched:
        problems.append(f"unattached accounts {outcome.unmatched}, not {labels['unmatched']}")
    if "created" in labels and sorted(labels["created"]) != outcome.created:
        problems.append(f"created accounts {outcome.created}, not {labels['created']}")
    _finish(item, problems, tally)


def _finish(item: Labelled, problems: list[str], tally: Tally) -> None:
    if problems:
        name = item.path.relative_to(CORPUS)
        tally.failures.extend(f"{name}: {problem}" for problem in problems)
    else:
        tally.as_labelled += 1


def evaluate(session: Session, admin: Actor, half: str | None = None) -> dict[str, Tally]:
    """Every labelled file (of one half, or both) through the import; tallies by half."""
    tallies: dict[str, Tally] = {}
    for item in corpus():
        if half is not None and item.half != half:
            continue
        outcome = run_file(session, admin, item)
        score(item, outcome, tallies.setdefault(item.half, Tally()))
    return tallies
