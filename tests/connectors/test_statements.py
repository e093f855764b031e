"""The statement classifier of transcripts: what it keeps that the lexicon misses, that the
file of a call is encoded in one batch, how an import does without it, and that the shipped
weights are what the training script writes."""

import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

import huddle
from huddle.connectors import transcript
from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.statements import FORM, StatementModel, judge
from huddle.insights.embedding import Embedder, FloatMatrix, get_default_embedder
from huddle.models import Feedback
from tests.connectors.helpers import run
from tests.factories import actor, create_account

# Written for this test, in none of the training data: two problems told as stories (no
# word of the lexicon), one request in the lexicon's words, business context and small talk.
CALL = """Title: Northwind dispatch review
Date: 2026-12-01T10:00:00Z
Account: northwind.example
Recording: https://calls.example.com/rec/7001
Participants: Ana Silva <ana@huddle-vendor.io> (rep), Luis Ortega <luis@northwind.example>
---
[00:00:03] Ana Silva: Hi Luis, how has the quarter been?
[00:00:07] Luis Ortega: Busy. We have about sixty people in the warehouse now.
[00:00:15] Ana Silva: And how does planning go?
[00:00:19] Luis Ortega: Every Monday our dispatcher redraws the routes because the planner ignores road closures.
[00:00:31] Ana Silva: I see. What about billing?
[00:00:35] Luis Ortega: By the time the invoice reaches the client, the prices on it are a week old. We would love a way to email the invoice the same day.
[00:00:52] Ana Silva: Thanks Luis, talk soon.
[00:00:55] Luis Ortega: Thanks, talk soon.
"""
ROUTES = "Every Monday our dispatcher redraws the routes because the planner ignores road closures."
PRICES = "By the time the invoice reaches the client, the prices on it are a week old."
SAME_DAY = "We would love a way to email the invoice the same day."
CONTEXT = "We have about sixty people in the warehouse now."


def _import(session: Session, tmp_path: Path) -> tuple[list[Feedback], list[str]]:
    """The items the call brings in, and the warnings of the import's summary."""
    admin = actor(session, "admin")
    create_account(session, name="Northwind", domain="northwind.example")
    path = tmp_path / "northwind.txt"
    path.write_text(CALL)
    report = run(session, admin, "transcript", path, internal_domains=("huddle-vendor.io",))
    assert report.errors == []
    items = list(session.scalars(select(Feedback).order_by(Feedback.occurred_at)))
    return items, [str(warning) for warning in report.warnings]


def test_stories_the_lexicon_misses_come_in_with_a_kind(session: Session, tmp_path: Path) -> None:
    items, warnings = _import(session, tmp_path)
    assert [(i.text, i.tags, i.link_url) for i in items] == [
        (ROUTES, ["feedback:complaint"], "https://calls.example.com/rec/7001#t=00:19"),
        (
            f"{PRICES} {SAME_DAY}",
            ["feedback:complaint", "feedback:request"],
            "https://calls.example.com/rec/7001#t=00:35",
        ),
    ]
    assert warnings == []


class Counting:
    """The real encoder, counting what it is asked to encode."""

    def __init__(self, inner: Embedder) -> None:
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self.batches: list[list[str]] = []

    def encode(self, texts: Sequence[str]) -> FloatMatrix:
        self.batches.append(list(texts))
        return self.inner.encode(texts)


def test_a_file_is_encoded_in_one_batch_of_the_customer_sentences(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counting = Counting(get_default_embedder())
    monkeypatch.setattr(transcript, "get_default_embedder", lambda: counting)
    _import(session, tmp_path)
    # Not the vendor's lines but the questions the customer's turns answer; "Busy." and
    # "Thanks, talk soon." are never judged (ruled out), but the sentence after them reads
    # their vectors; the request the lexicon keeps too, which the classifier may veto.
    assert counting.batches == [
        [
            *("Busy.", CONTEXT, ROUTES, PRICES, SAME_DAY, "Thanks, talk soon."),
            *("Hi Luis, how has the quarter been?", "And how does planning go?"),
            "What about billing?",
        ]
    ]


def test_a_turn_knows_the_question_the_vendor_put_before_it(tmp_path: Path) -> None:
    """The last sentence of the vendor's turn just before, when it is a question; not a
    vendor's remark."""
    path = tmp_path / "call.txt"
    path.write_text(
        CALL
        + "[00:01:00] Luis Ortega: Do you integrate with Teams?\n"
        + "[00:01:04] Ana Silva: We do. Anything else?\n"
        + "[00:01:09] Luis Ortega: No, that's all.\n"
    )
    output = ConnectorOutput()
    options = ConnectorOptions(internal_domains=("huddle-vendor.io",))
    turns = transcript.customer_turns(transcript.read_calls(path, options, output))
    assert [turn.asked for turn in turns] == [
        "Hi Luis, how has the quarter been?",
        "And how does planning go?",
        "What about billing?",
        None,  # after a remark of the vendor's (Luis's two lines are one turn)
        "Anything else?",
    ]


def test_nothing_is_encoded_when_the_hard_rules_leave_nothing_to_judge() -> None:
    model = _model(width=4)
    # Ruled out, every one: no vector is needed, and none is read.
    assert judge([["Busy."], ["Thanks, talk soon."]], None, model) == [None, None]
    assert judge([["Busy."], ["Thanks, talk soon."]], [[1.0]], model) == [None, None]


def test_without_the_encoder_the_lexicon_decides_and_the_summary_says_so(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing() -> Embedder:
        raise OSError("minilm-l6-int8.onnx: No such file or directory")

    monkeypatch.setattr(transcript, "get_default_embedder", missing)
    items, warnings = _import(session, tmp_path)
    assert [(i.text, i.tags) for i in items] == [(SAME_DAY, ["feedback:request"])]
    assert warnings == [
        "line 1: customer statements were found by the lexicon alone (the statement "
        "classifier is unavailable: OSError: minilm-l6-int8.onnx: No such file or directory)"
    ]


def test_the_shipped_model_is_what_the_training_script_writes() -> None:
    """`bench/train_statements.py --check`: the same training data (exactly), and refitted at
    the shipped regularisation, the same probabilities (vector, form and n-grams) and kind
    scores up to float noise."""
    root = Path(__file__).resolve().parents[2]
    source = Path(huddle.__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(source), str(root)])}
    done = subprocess.run(
        [sys.executable, str(root / "bench" / "train_statements.py"), "--check"],
        capture_output=True,
        text=True,
        env=env,
        # Refitting 5,400 sentences: half a minute, minutes on a loaded 2-core machine.
        timeout=1500,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _model(width: int, bias: float = -3.0, weights: Sequence[float] = ()) -> StatementModel:
    """A model over vectors of `width`: `weights` on the first components of the sentence's
    vector, none on its form; at `bias` alone every sentence is at 0.05."""
    read = np.zeros(width + len(FORM))
    read[: len(weights)] = weights
    return StatementModel(
        encoder="test",
        weights=read,
        bias=bias,
        threshold=0.5,
        kind_weights=np.zeros((3, width)),
        kind_bias=np.zeros(3),
        about={},
        veto=0.1,
    )


def test_the_classifier_vetoes_what_the_lexicon_kept_but_never_a_capability_question() -> None:
    sentences = [
        "Honestly the old tool was terrible for this kind of thing.",
        "Do you integrate with Microsoft Teams?",
        "We would love a way to email the invoice the same day.",
    ]
    model = _model(width=4)
    vectors = np.ones((len(sentences), 4))
    assert judge([sentences], vectors, model) == [None, "question", None]
    unvetoed = replace(model, veto=0.0)
    assert judge([sentences], vectors, unvetoed)[1:] == ["question", "request"]


def test_a_sentence_is_read_with_the_one_said_before_it() -> None:
    """A story's second sentence, no feedback on its own, is kept after a sentence that says
    what the story is about; the previous sentence is the customer side's last one, across
    turns."""
    story = "She spent most of a Friday on it."
    problem, other = [1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0]
    alone = [0.0, 1.0, 0.0, 0.0]
    # Its own vector scores 0 on the first component; a fifth of the problem's lifts it to
    # 2 * 0.2 * 10 - 3 = 1 (probability 0.73); the problem itself scores 2 * 10 - 3.
    model = _model(width=4, weights=[10.0])
    opening = "Our month-end reconciliation is a mess of exports."
    # (The model's kinds are all zero: a sentence only it keeps is the first kind, a request.)
    assert judge([[opening], [story]], [problem, alone], model) == ["complaint", "request"]
    assert judge([[opening], [story]], [other, alone], model) == [None, None]
    # Nor does a sentence read the one said after it.
    assert judge([[story], [opening]], [alone, problem], model) == [None, "complaint"]
    # With nothing before it, the story's sentence stands alone.
    assert judge([[story]], [alone], model) == [None]


def test_a_short_answer_is_read_with_the_question_it_answers() -> None:
    """ "About two hours every Monday." is evidence after "How long does the export take
    you?", not after "How many people are on the team?"; the question takes the place of the
    customer's previous sentence for the turn's first sentence only."""
    answer, then = "About two hours every Monday.", "It is the same every week."
    problem, other = [1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0]
    alone = [0.0, 1.0, 0.0, 0.0]
    none = [0.0, 0.0, 0.0, 0.0]
    # Half the question's vector: 2 * 0.5 * 10 - 3 = 7 on the first component.
    model = _model(width=4, weights=[10.0])
    assert judge([[answer]], [alone], model, [problem]) == ["request"]
    assert judge([[answer]], [alone], model, [other]) == [None]
    assert judge([[answer]], [alone], model) == [None]
    # The question, not the customer's sentence before it, is the first sentence's context.
    opening = "Our month-end reconciliation is a mess of exports."
    assert judge([[opening], [answer]], [problem, alone], model, [none, other]) == [
        "complaint",
        None,
    ]
    # The turn's second sentence reads its first, as any sentence does.
    assert judge([[answer, then]], [problem, alone], model, [other]) == ["request", "request"]
    # Without a question before the turn, the previous sentence is read as before.
    assert judge([[opening], [answer]], [problem, alone], model, [none, none]) == [
        "complaint",
        "request",
    ]
