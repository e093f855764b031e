"""Which customer sentences of a call are feedback worth keeping as evidence.

Two judges; either one keeps a sentence, and the second may overrule the first:

1. The lexicon (`transcript_rules.classify`): requests, complaints, praise and capability
   questions said in so many words. Precise on the first two rounds of held-back calls
   (1.00), less on calls labelled by a stricter rule (0.74 on round 3: small talk and
   context that carry a complaint word), and blind to problems told as stories ("when a batch gets split across two shifts the second
   supervisor starts a new record") and to requests put indirectly.
2. A logistic regression over the sentence's vector from the encoder Huddle embeds evidence
   with (int8 MiniLM, `insights/embedding.py`). It keeps a sentence the lexicon missed when
   its probability reaches the model's threshold, and it vetoes a sentence the lexicon kept
   when its probability is under the model's veto (small talk and context that carry a
   complaint word: "there are no right or wrong answers", "it's not really your problem"),
   except a capability question, which the lexicon tells by its form.
   Weights, threshold and veto ship in `statement_model.json`, written by
   `bench/train_statements.py` from the tuning half of the labelled calls and hand-labelled
   sentences; threshold and veto are the pair that leave-one-call-out cross-validation found
   to keep precision at 0.95 or more with the best recall, or, when none keeps recall at 0.9
   that way, the one keeping recall at 0.9 with the best precision (figures in
   docs/connectors.md). The lexicon's cues as extra features were measured and added
   nothing over the vector, so the model does without them.

Hard rules come first and neither judge overrides them: sentences under four words, and
small talk and logistics under twelve ("sounds good, talk next week"), are never feedback.

A sentence the classifier alone keeps needs a kind too: a question (by its form: a question
mark, or "do you…", "is there…") is a question; otherwise one-vs-rest logistic regressions
over its vector, trained on the hand-labelled kinds, choose request, complaint or praise.

Without vectors (the encoder could not be loaded) the lexicon decides alone, as it did
before the classifier.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from huddle.connectors.transcript_rules import classify, is_question, ruled_out

MODEL_PATH = Path(__file__).resolve().parent / "statement_model.json"
# The kinds a vector decides; a question is told by its form.
KINDS = ("request", "complaint", "praise")
# What the veto never overrules: nothing, and a question about what the product can do,
# which the lexicon tells by its form ("Do you integrate with Microsoft Teams?").
VETO_SPARES = (None, "question")

FloatArray = npt.NDArray[np.float64]


def scaled(vectors: npt.ArrayLike) -> FloatArray:
    """Unit vectors times the square root of their width: components of about unit variance,
    which one regularisation strength suits."""
    matrix = np.asarray(vectors, dtype=np.float64)
    return matrix * math.sqrt(matrix.shape[-1])


@dataclass(frozen=True)
class StatementModel:
    encoder: str  # the embedder name the weights were trained on; other vectors do not fit
    weights: FloatArray  # over `scaled` vectors
    bias: float
    threshold: float
    kind_weights: FloatArray  # one row per kind of KINDS, over `scaled` vectors
    kind_bias: FloatArray
    about: dict[str, Any]  # how it was trained and what it measured, for a reader
    # A sentence the lexicon keeps is dropped under this probability (0: never).
    veto: float = 0.0

    @property
    def width(self) -> int:
        return int(self.weights.shape[0])

    def probabilities(self, vectors: npt.ArrayLike) -> FloatArray:
        """How likely each sentence is feedback, from its vector."""
        scores = scaled(vectors) @ self.weights + self.bias
        return np.asarray(1.0 / (1.0 + np.exp(-scores)), dtype=np.float64)

    def kinds(self, sentences: Sequence[str], vectors: npt.ArrayLike) -> list[str]:
        best = np.argmax(scaled(vectors) @ self.kind_weights.T + self.kind_bias, axis=1)
        return [
            "question" if is_question(s) else KINDS[int(k)]
            for s, k in zip(sentences, best, strict=True)
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "about": self.about,
            "encoder": self.encoder,
            "width": self.width,
            "threshold": self.threshold,
            "veto": self.veto,
            "bias": self.bias,
            "weights": self.weights.tolist(),
            "kinds": list(KINDS),
            "kind_bias": self.kind_bias.tolist(),
            "kind_weights": self.kind_weights.tolist(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StatementModel:
        if tuple(data["kinds"]) != KINDS:
            raise ValueError("the statement model was written for other kinds: retrain it")
        return cls(
            encoder=str(data["encoder"]),
            weights=np.asarray(data["weights"], dtype=np.float64),
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
            kind_weights=np.asarray(data["kind_weights"], dtype=np.float64),
            kind_bias=np.asarray(data["kind_bias"], dtype=np.float64),
            about=dict(data["about"]),
            veto=float(data.get("veto", 0.0)),
        )


@lru_cache(maxsize=1)
def shipped_model() -> StatementModel:
    return StatementModel.from_json(json.loads(MODEL_PATH.read_text()))


def judged(sentences: Sequence[str]) -> list[int]:
    """Positions of the sentences the classifier judges, those the hard rules leave: it keeps
    those the lexicon missed and may veto those it kept. Only these need a vector."""
    return [i for i, s in enumerate(sentences) if not ruled_out(s)]


def judge(
    sentences: Sequence[str],
    vectors: npt.ArrayLike | None = None,
    model: StatementModel | None = None,
) -> list[str | None]:
    """The kind of each sentence that is feedback, None for the others. `vectors` are those
    of `judged(sentences)`, in that order, by the encoder `model` was trained on; without
    them (or without a model) the lexicon decides alone."""
    found = [classify(s) for s in sentences]
    if vectors is None or model is None:
        return found
    rows = judged(sentences)
    if not rows:
        return found
    matrix = np.asarray(vectors, dtype=np.float64).reshape(len(rows), -1)
    if matrix.shape[1] != model.width:
        raise ValueError(
            f"vectors of width {matrix.shape[1]}, but the statement model expects "
            f"{model.width} ({model.encoder})"
        )
    chosen = [sentences[i] for i in rows]
    probabilities = model.probabilities(matrix)
    kinds = model.kinds(chosen, matrix)
    for row, index in enumerate(rows):
        if found[index] is None and probabilities[row] >= model.threshold:
            found[index] = kinds[row]
        elif found[index] not in VETO_SPARES and probabilities[row] < model.veto:
            found[index] = None
    return found
