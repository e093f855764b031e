"""Which customer sentences of a call are feedback worth keeping as evidence.

Two judges; either one keeps a sentence, and the second may overrule the first:

1. The lexicon (`transcript_lexicon.classify`): requests, complaints, praise and capability
   questions said in so many words. Precise on the first two rounds of held-back calls
   (1.00), less on calls labelled by a stricter rule (0.74 on round 3: small talk and
   context that carry a complaint word), and blind to problems told as stories ("when a batch gets split across two shifts the second
   supervisor starts a new record") and to requests put indirectly.
2. A logistic regression over the sentence's vector from the encoder Huddle embeds evidence
   with (int8 MiniLM, `insights/embedding.py`), with a fifth of the vector of the sentence
   the customer side said before it added in (a story's second sentence reads as part of the
   story: "She spent most of a Friday on it."), and its form (`FORM`: a question, where it
   sits in its turn, how long it is, what the lexicon made of it). It keeps a sentence the lexicon missed when
   its probability reaches the model's threshold, and it vetoes a sentence the lexicon kept
   when its probability is under the model's veto (small talk and context that carry a
   complaint word: "there are no right or wrong answers", "it's not really your problem"),
   except a capability question, which the lexicon tells by its form. Beside the vector it
   reads the sentence's letters: character 3- to 5-grams of its lowercased words (`grams`),
   hashed into `BUCKETS`, which carry what a sentence vector blurs (a rival's name, "we've
   been", "I'd need", "brilliant"); measured on 171 tuning calls (ten folds by call), they
   took precision at recall 0.9 from 0.909 to 0.928 and at 0.93 from 0.885 to 0.905.
   Weights, threshold and veto ship in `statement_model.json`, written by
   `bench/train_statements.py` from the tuning half of the labelled calls and hand-labelled
   sentences; threshold and veto are the pair that leave-one-call-out cross-validation found
   to keep precision at 0.95 or more with the best recall, or, when none keeps recall at 0.9
   that way, the one keeping recall at 0.9 with the best precision (figures in
   docs/connectors.md). The context and the form were measured on 52 tuning calls
   (leave-one-call-out, precision at recall 0.9): the vector alone 0.79, with the form 0.80,
   with both 0.82; the previous sentence's vector as features of their own (twice the
   width) did no better.

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
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from huddle.connectors.statement_languages import kept_in_other_language, other_language
from huddle.connectors.transcript_lexicon import classify, is_question, ruled_out

if TYPE_CHECKING:
    from huddle.insights.embedding import Embedder

MODEL_PATH = Path(__file__).resolve().parent / "statement_model.json"
# The kinds a vector decides; a question is told by its form.
KINDS = ("request", "complaint", "praise")
# What the veto never overrules: nothing, and a question about what the product can do,
# which the lexicon tells by its form ("Do you integrate with Microsoft Teams?").
VETO_SPARES = (None, "question")

FloatArray = npt.NDArray[np.float64]
# The sentence's form, after its vector: a question, the first or last of its turn, the log of
# its turn's sentences and of its words, and the lexicon's kind.
FORM = (
    "question",
    "first",
    "last",
    "log_sentences",
    "log_words",
    *(f"lexicon_{kind}" for kind in (*KINDS, "question")),
    "answers",
)
# How much of the previous sentence's vector joins a sentence's own.
PREVIOUS = 0.2
# How much of the vendor's question joins the vector of the first sentence of the turn that
# answers it, in place of the previous customer sentence's.
ASKED = 0.5


# The letters a sentence is read by besides its vector: character n-grams of these lengths of
# its lowercased words (a space at either end), hashed (CRC-32) into `BUCKETS`, each count
# damped (1 + log) and the sentence's n-grams scaled to length `GRAM_SCALE`, so one
# regularisation suits them and the vector's components alike.
GRAM_SIZES = (3, 5)
BUCKETS = 2**14
GRAM_SCALE = 50.0


def grams(sentence: str) -> dict[int, float]:
    """The sentence's hashed character n-grams and their values (`GRAM_SIZES`)."""
    text = f" {' '.join(sentence.lower().split())} "
    counts: dict[int, int] = {}
    low, high = GRAM_SIZES
    for size in range(low, high + 1):
        for start in range(len(text) - size + 1):
            bucket = zlib.crc32(text[start : start + size].encode()) % BUCKETS
            counts[bucket] = counts.get(bucket, 0) + 1
    values = {bucket: 1.0 + math.log(count) for bucket, count in counts.items()}
    length = math.sqrt(sum(value * value for value in values.values())) or 1.0
    return {bucket: GRAM_SCALE * value / length for bucket, value in values.items()}


def scaled(vectors: npt.ArrayLike) -> FloatArray:
    """Unit vectors times the square root of their width: components of about unit variance,
    which one regularisation strength suits."""
    matrix = np.asarray(vectors, dtype=np.float64)
    return matrix * math.sqrt(matrix.shape[-1])


def answered(
    embedder: Embedder, sentences: Sequence[str], asked: Sequence[str | None]
) -> tuple[FloatArray, FloatArray]:
    """The vectors of `sentences`, and for each turn the vector of the question it answers
    (`asked`, one a turn; zeros where none), encoded in one batch."""
    questions = [question for question in asked if question is not None]
    encoded = np.asarray(embedder.encode([*sentences, *questions]), dtype=np.float64)
    vectors = encoded[: len(sentences)]
    rows = np.zeros((len(asked), encoded.shape[1]))
    put = [turn for turn, question in enumerate(asked) if question is not None]
    rows[put] = encoded[len(sentences) :]
    return vectors, rows


def features(
    turns: Sequence[Sequence[str]],
    vectors: npt.ArrayLike,
    lexicon: Sequence[str | None] | None = None,
    asked: npt.ArrayLike | None = None,
) -> tuple[list[int], FloatArray]:
    """The sentences the classifier judges (their positions among all the turns' sentences)
    and what it reads of each: its `scaled` vector with `PREVIOUS` of the vector of the
    sentence said before it on the customer side (none for the first), or, for the first
    sentence of a turn that answers a question of the vendor's, `ASKED` of that question's;
    then its `FORM`. `vectors` are those of every sentence of `turns`, in order; `lexicon`
    the lexicon's kind of each, when the caller has it already (`classify` otherwise);
    `asked` one row a turn, the vector of the question it answers (zeros where none)."""
    matrix = np.asarray(vectors, dtype=np.float64)
    sentences = [sentence for turn in turns for sentence in turn]
    if matrix.shape[0] != len(sentences):
        raise ValueError(f"{matrix.shape[0]} vectors for {len(sentences)} sentences")
    questions = (
        np.zeros((len(turns), matrix.shape[1]))
        if asked is None
        else np.asarray(asked, dtype=np.float64).reshape(len(turns), -1)
    )
    kinds = iter(lexicon if lexicon is not None else [classify(s) for s in sentences])
    context = PREVIOUS * np.vstack([np.zeros((1, matrix.shape[1])), matrix[:-1]])
    form = []
    at = 0
    for number, turn in enumerate(turns):
        answers = bool(turn) and bool(questions[number].any())
        if answers:
            context[at] = ASKED * questions[number]
        at += len(turn)
        for position, sentence in enumerate(turn):
            kind = next(kinds)
            form.append(
                [
                    is_question(sentence),
                    position == 0,
                    position == len(turn) - 1,
                    math.log(len(turn)),
                    math.log(max(len(sentence.split()), 1)),
                    *(kind == k for k in (*KINDS, "question")),
                    answers and position == 0,
                ]
            )
    rows = judged(sentences)
    design = np.hstack([scaled(matrix + context), np.asarray(form, dtype=np.float64)])
    return rows, design[rows]


@dataclass(frozen=True)
class StatementModel:
    encoder: str  # the embedder name the weights were trained on; other vectors do not fit
    weights: FloatArray  # over `features`' rows
    bias: float
    threshold: float
    kind_weights: FloatArray  # one row per kind of KINDS, over `scaled` vectors
    kind_bias: FloatArray
    about: dict[str, Any]  # how it was trained and what it measured, for a reader
    # A sentence the lexicon keeps is dropped under this probability (0: never).
    veto: float = 0.0
    # Over the `grams` buckets (none: the vector and the form alone).
    gram_weights: FloatArray | None = None

    @property
    def width(self) -> int:
        """The width of the sentence vectors it reads."""
        return int(self.kind_weights.shape[1])

    def probabilities(self, design: npt.ArrayLike, sentences: Sequence[str]) -> FloatArray:
        """How likely each sentence is feedback, from its row of `features` and its words."""
        scores = np.asarray(design, dtype=np.float64) @ self.weights + self.bias
        if self.gram_weights is not None:
            weights = self.gram_weights
            scores += [sum(v * weights[b] for b, v in grams(s).items()) for s in sentences]
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
            "form": list(FORM),
            "previous": PREVIOUS,
            "asked": ASKED,
            "kind_bias": self.kind_bias.tolist(),
            "kind_weights": self.kind_weights.tolist(),
            "grams": None
            if self.gram_weights is None
            else {
                "sizes": list(GRAM_SIZES),
                "buckets": BUCKETS,
                "scale": GRAM_SCALE,
                # Only the buckets a training sentence filled have a weight; six significant
                # digits move no probability by more than a millionth.
                "weights": {
                    str(b): float(f"{w:.6g}") for b, w in enumerate(self.gram_weights.tolist()) if w
                },
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StatementModel:
        if tuple(data["kinds"]) != KINDS:
            raise ValueError("the statement model was written for other kinds: retrain it")
        if (
            tuple(data.get("form", ())) != FORM
            or data.get("previous") != PREVIOUS
            or data.get("asked") != ASKED
        ):
            raise ValueError("the statement model was written for other features: retrain it")
        read = data.get("grams")
        gram_weights = None
        if read is not None:
            if (tuple(read["sizes"]), read["buckets"], read["scale"]) != (
                GRAM_SIZES,
                BUCKETS,
                GRAM_SCALE,
            ):
                raise ValueError("the statement model was written for other n-grams: retrain it")
            gram_weights = np.zeros(BUCKETS)
            for bucket, weight in read["weights"].items():
                gram_weights[int(bucket)] = weight
        return cls(
            encoder=str(data["encoder"]),
            weights=np.asarray(data["weights"], dtype=np.float64),
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
            kind_weights=np.asarray(data["kind_weights"], dtype=np.float64),
            kind_bias=np.asarray(data["kind_bias"], dtype=np.float64),
            about=dict(data["about"]),
            veto=float(data.get("veto", 0.0)),
            gram_weights=gram_weights,
        )


@lru_cache(maxsize=1)
def shipped_model() -> StatementModel:
    return StatementModel.from_json(json.loads(MODEL_PATH.read_text()))


def judged(sentences: Sequence[str]) -> list[int]:
    """Positions of the sentences the classifier judges, those the hard rules leave: it keeps
    those the lexicon missed and may veto those it kept. Every sentence needs a vector all
    the same: the sentence after it reads it."""
    return [i for i, s in enumerate(sentences) if not ruled_out(s)]


def judge(
    turns: Sequence[Sequence[str]],
    vectors: npt.ArrayLike | None = None,
    model: StatementModel | None = None,
    asked: npt.ArrayLike | None = None,
) -> list[str | None]:
    """The kind of each sentence of `turns` (the customer side's, in the order said) that is
    feedback, None for the others. `vectors` are those of every sentence, in order, by the
    encoder `model` was trained on, `asked` those of the questions the turns answer
    (`answered`); without vectors (or without a model) the lexicon decides alone."""
    sentences = [sentence for turn in turns for sentence in turn]
    found = [classify(s) for s in sentences]
    if vectors is None or model is None or not judged(sentences):
        return _in_other_languages(sentences, found, {})
    matrix = np.asarray(vectors, dtype=np.float64).reshape(len(sentences), -1)
    if matrix.shape[1] != model.width:
        raise ValueError(
            f"vectors of width {matrix.shape[1]}, but the statement model expects "
            f"{model.width} ({model.encoder})"
        )
    rows, design = features(turns, matrix, found, asked)
    probabilities = model.probabilities(design, [sentences[i] for i in rows])
    kinds = model.kinds([sentences[i] for i in rows], matrix[rows])
    for row, index in enumerate(rows):
        if found[index] is None and probabilities[row] >= model.threshold:
            found[index] = kinds[row]
        elif found[index] not in VETO_SPARES and probabilities[row] < model.veto:
            found[index] = None
    return _in_other_languages(sentences, found, dict(zip(rows, kinds, strict=True)))


def _in_other_languages(
    sentences: Sequence[str], found: list[str | None], kinds: dict[int, str]
) -> list[str | None]:
    """The sentences in another language than English judged by their form instead
    (`statement_languages`): neither judge reads them. A kept one is a question by its form,
    else of the kind its vector is nearest (a request without one)."""
    for index, sentence in enumerate(sentences):
        if not other_language(sentence):
            continue
        if ruled_out(sentence) or not kept_in_other_language(sentence):
            found[index] = None
        elif found[index] is None:
            found[index] = "question" if is_question(sentence) else kinds.get(index, "request")
    return found
