"""Trains the statement classifier of transcripts (`huddle.connectors.statements`), measures
it by cross-validation, and writes its weights.

    PYTHONPATH=src python bench/train_statements.py [--no-write] [--imports] [--show]
        [--no-nested] [--l2 VALUE] [--check]

Training data, all of it tuning data (no held-back transcript is read):

- the customer sentences of the tuning-half transcripts of `tests/connectors/exports/`, read,
  sided and split as the connector does them, the speakers' sides told by the corpus's
  workspace: a sentence is feedback when it is (part of) one of its call's labelled
  statements, as `scoring.py` counts a kept sentence right;
- `tests/connectors/samples/feedback_statements.tsv` (hand-labelled sentences);
- `tests/connectors/samples/feedback_statements_written.tsv` (hand-written for the
  classifier, the kind of each positive given; not paraphrases of the corpus's calls).

Sentences the hard rules rule out (under four words, short small talk) are never judged, so
they are not trained on.

The model: an L2-regularised logistic regression over what `statements.features` reads of a
sentence (its MiniLM vector with a fifth of the previous customer sentence's, and its form)
and its hashed character n-grams (`statements.grams`), fitted by a trust-region Newton
method (scipy, a dev dependency; deterministic). A call's sentences are encoded as the
connector encodes them, every customer sentence in one batch; a sentence file's rows each
stand alone (nothing said before them). The kind of a sentence only the classifier keeps: a
question by its form, else one-vs-rest regressions over its vector (`KIND_L2`), trained on
the positives of known kind.

Cross-validation groups: each tuning call is one group, and the rows of each sentence file
are dealt into groups by line (`SENTENCE_FILES`); every group is predicted by a model trained
on all the others. Chosen on those predictions:

- the regularisation, by the log-loss of the sentences the classifier judges (those the hard
  rules leave), pooled over all groups;
- the threshold and the veto, on the calls' predictions alone (what the targets are measured
  on: the lexicon keeps most of a call's statements and few of its open sentences are not
  feedback, unlike the sentence files): of the pairs whose pooled statement precision,
  lexicon and classifier together, is at least `PRECISION_FLOOR` at a recall of at least
  `RECALL_FLOOR`, those with the best recall; when there is none, of the pairs at
  `RECALL_FLOOR`, those with the best precision; of those, the smallest veto and the
  middle threshold (`choose_threshold`).

Reported: per tuning call, precision and recall of its customer statements, counted as
`tests/connectors/exports/scoring.py` counts them, for the lexicon alone and for lexicon +
classifier with the call left out of training. The threshold is chosen on predictions that
include these calls' own, so a nested figure follows: each call at the threshold chosen
with that call left out of the choice as well. `--imports` also runs every tuning call
through the import users run (`import_with_connector`, SQLite) with its fold's model, and
checks it keeps the same. Writes `src/huddle/connectors/statement_model.json` unless
`--no-write`; `--l2` fits at one regularisation instead of searching `L2_GRID`. `--check`
writes nothing: it refits on everything at the shipped regularisation and says whether the
shipped file is what the script would write (same data, the same probabilities and kind
scores up to float noise; the threshold and veto need the cross-validation, which a full run
checks); `tests/connectors/test_statements.py` runs it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from unittest import mock

# Newton's steps solve 390-wide systems: OpenBLAS's threads make them ~7x slower on a shared
# 2-core machine, not faster. Set before numpy loads OpenBLAS.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
import scipy.sparse as sparse
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.connectors.exports.scoring import (  # noqa: E402
    build_workspace,
    corpus,
    norm,
    run_file,
)

from huddle.connectors import statements, transcript  # noqa: E402
from huddle.connectors.base import ConnectorOptions, ConnectorOutput  # noqa: E402
from huddle.connectors.statement_languages import other_language  # noqa: E402
from huddle.connectors.statements import (  # noqa: E402
    BUCKETS,
    KINDS,
    VETO_SPARES,
    StatementModel,
    answered,
    features,
    grams,
    judge,
    scaled,
)
from huddle.connectors.transcript import customer_turns, read_calls  # noqa: E402
from huddle.connectors.transcript_lexicon import classify, ruled_out  # noqa: E402
from huddle.imports import unwrap  # noqa: E402
from huddle.insights.embedding import Embedder, get_default_embedder  # noqa: E402

SAMPLES = ROOT / "tests" / "connectors" / "samples"
SENTENCE_FILES = {"feedback_statements.tsv": 4, "feedback_statements_written.tsv": 10}
# With the n-grams (`statements.grams`): searched on ten folds by call over 10 to 1000 and
# n-gram scales 2 to 60 (log-loss and precision at recall 0.9); a leave-one-group-out pass
# takes minutes at each value, so the script searches these.
L2_GRID = (100.0, 300.0, 1000.0)
# The kinds' regressions; the script prints how many hand-labelled kinds they get right.
KIND_L2 = 10.0
THRESHOLDS = tuple(round(float(t), 2) for t in np.arange(0.05, 0.96, 0.01))
PRECISION_FLOOR = 0.95
# The targets are 0.95 / 0.9 on calls nobody trained on. Leave-one-call-out on the tuning calls
# runs below what held-back rounds show in precision and above in recall: rounds 17 and 18,
# each measured once at a threshold chosen for recall 0.9 here (LOCO 0.93 / 0.90), held
# 0.97 / 0.91 and 0.99 / 0.81 (0.98 / 0.86 together). So the threshold aims at 0.93 here, a
# margin for recall paid in precision that the held rounds have to spare. Fixed on 2026-12-07,
# before round 19 was written, from rounds 17 and 18 alone.
RECALL_FLOOR = 0.93
# Probabilities under which a sentence the lexicon keeps may be vetoed (0: never). Not above
# 0.3: trained on 72 calls (round 8's among them) the search chose 0.4, which vetoed plain
# requests the lexicon reads ("Before we renew we need SAML single sign-on for the whole
# company.", the Gong sample of tests/connectors/test_transcript.py) for a point of precision.
VETOES = (0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3)


@dataclass
class Group:
    """A cross-validation group: a tuning call (its customer turns cut into sentences, and
    the statements its labels keep), or some rows of a sentence file (each row one turn)."""

    name: str
    turns: list[list[str]]
    statements: list[str]
    is_call: bool
    kinds: dict[str, str]  # hand-labelled kinds of positives, by sentence
    held_round: int | None = None  # the round a call was held back in, before it was tuned on
    # A call's: the vendor's question each turn answers, if any (`Turn.asked`).
    asked: list[str | None] = field(default_factory=list)
    # Set by `read`: every sentence's vector, the positions of those the classifier judges and
    # what it reads of each.
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    rows: list[int] = field(default_factory=list)
    design: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    questions: np.ndarray | None = None  # a call's: the vectors of what its turns answer

    @property
    def sentences(self) -> list[str]:
        return [s for turn in self.turns for s in turn]

    def read(self, embedder: Embedder) -> None:
        """Its sentences encoded as the connector encodes a call's, in one batch, and read as
        the classifier reads them; a sentence file's rows each on their own."""
        if self.is_call:
            self.vectors, self.questions = answered(embedder, self.sentences, self.asked)
            self.rows, self.design = features(self.turns, self.vectors, asked=self.questions)
            return
        self.vectors = np.asarray(embedder.encode(self.sentences), dtype=np.float64)
        read = [features([turn], self.vectors[i : i + 1]) for i, turn in enumerate(self.turns)]
        self.rows = [i for i, (rows, _) in enumerate(read) if rows]
        self.design = np.vstack([design for _, design in read])

    def is_statement(self, sentence: str) -> bool:
        if not self.is_call:
            return sentence in self.statements
        # As scoring.py counts a kept sentence right.
        return any(norm(s) in norm(sentence) or norm(sentence) in norm(s) for s in self.statements)


def _options() -> ConnectorOptions:
    """The corpus's workspace as `import_with_connector` passes it: its people's names, and
    their email domains as internal."""
    spec = json.loads((ROOT / "tests/connectors/exports/workspace.json").read_text())
    domains = sorted({u["email"].rpartition("@")[2] for u in spec["users"]})
    return ConnectorOptions(
        internal_domains=tuple(domains), staff_names=tuple(u["name"] for u in spec["users"])
    )


def groups() -> list[Group]:
    found = []
    options = _options()
    for item in corpus():
        # A broken call (refused, nothing to learn from) is skipped.
        if item.connector != "transcript" or item.half != "tune" or "refused" in item.labels:
            continue
        output = ConnectorOutput()
        # As the import reads it: a Word document (Teams' .docx) as the text it holds.
        with unwrap.readable(item.path, documents=True) as readable:
            read_with = options if readable.as_is else replace(options, encoding="utf-8")
            turns = customer_turns(read_calls(readable.path, read_with, output))
        assert not output.errors, (item.path, output.errors)
        # A call read with no customer side (every speaker taken for the vendor's) has nothing
        # to learn from, and says the sides are wrong.
        assert turns, f"{item.path.name}: no customer turns"
        # Sentences in another language than English are judged by their form, not by the
        # classifier (`statement_languages`): it learns from English ones only.
        english = [
            (kept, turn.asked)
            for turn in turns
            if (kept := [s for s in turn.sentences if not other_language(s)])
        ]
        if not english:
            continue
        found.append(
            Group(
                item.path.name,
                [sentences for sentences, _ in english],
                [s for s in item.labels["statements"] if not other_language(s)],
                True,
                {},
                item.labels.get("held_round"),
                [asked for _, asked in english],
            )
        )
    for name, folds in SENTENCE_FILES.items():
        rows: list[list[tuple[str, str, str]]] = [[] for _ in range(folds)]
        for number, line in enumerate((SAMPLES / name).read_text().splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            label, kind, text = cells if len(cells) == 3 else (cells[0], "", cells[1])
            assert label in {"0", "1"} and kind in {"", *KINDS, "question"}, f"{name} line {number}"
            if not ruled_out(text):
                rows[number % folds].append((label, kind, text))
        for fold, chosen in enumerate(rows):
            found.append(
                Group(
                    f"{name}#{fold}",
                    [[text] for _, _, text in chosen],
                    [text for label, _, text in chosen if label == "1"],
                    False,
                    {text: kind for label, kind, text in chosen if kind},
                )
            )
    return found


@dataclass
class Example:
    text: str
    label: int
    group: str
    kind: str | None  # the hand label, else the lexicon's, of a positive


def examples(all_groups: Sequence[Group]) -> list[Example]:
    return [
        Example(s, int(g.is_statement(s)), g.name, g.kinds.get(s) or classify(s))
        for g in all_groups
        for s in g.sentences
        if not ruled_out(s)
    ]


def data_hash(found: Sequence[Example]) -> str:
    """What the model is trained on; the shipped model records it."""
    rows = "\n".join(f"{e.group}\t{e.label}\t{e.kind or ''}\t{e.text}" for e in found)
    return hashlib.sha256(rows.encode()).hexdigest()


def gram_rows(texts: Sequence[str]) -> sparse.csr_matrix:
    """The `grams` of each sentence, one sparse row each over `BUCKETS`."""
    data: list[float] = []
    columns: list[int] = []
    starts = [0]
    for text in texts:
        found = grams(text)
        columns.extend(found)
        data.extend(found.values())
        starts.append(len(columns))
    return sparse.csr_matrix((data, columns, starts), shape=(len(texts), BUCKETS))


def fit_with_grams(
    rows: np.ndarray,
    gram: sparse.csr_matrix,
    labels: np.ndarray,
    l2: float,
    start: np.ndarray | None = None,
    tolerance: float = 1e-8,
) -> np.ndarray:
    """L2-regularised logistic regression over the `features` rows and the n-grams, the bias
    last and not penalised: a trust-region Newton method whose steps are solved by conjugate
    gradients (`BUCKETS` columns are too many for Newton's direct solve), from `start` when
    given (a fold starts from the fit on every group: a few steps instead of twenty), until
    no weight's gradient exceeds `tolerance` (a fold's is looser: it is only scored).
    Returns the weights over the rows' columns, then the buckets', then the bias."""
    design = sparse.hstack([sparse.csr_matrix(rows), gram, np.ones((len(labels), 1))], format="csr")
    transposed = design.T.tocsr()
    penalty = np.full(design.shape[1], l2)
    penalty[-1] = 0.0

    def loss(weights: np.ndarray) -> tuple[float, np.ndarray]:
        scores = design @ weights
        p = 1.0 / (1.0 + np.exp(-scores))
        value = np.sum(np.logaddexp(0.0, scores) - labels * scores)
        value += 0.5 * float(penalty @ (weights * weights))
        return float(value), transposed @ (p - labels) + penalty * weights

    def curvature(weights: np.ndarray, direction: np.ndarray) -> np.ndarray:
        p = 1.0 / (1.0 + np.exp(-(design @ weights)))
        return transposed @ (p * (1 - p) * (design @ direction)) + penalty * direction

    found = minimize(
        loss,
        np.zeros(design.shape[1]) if start is None else start,
        jac=True,
        hessp=curvature,
        method="trust-ncg",
        options={"gtol": tolerance, "maxiter": 200},
    )
    gradient = float(np.abs(found.jac).max())
    assert gradient < 1e-5, f"the fit did not converge: gradient {gradient:.2g}"
    return np.asarray(found.x)


def fit(rows: np.ndarray, labels: np.ndarray, l2: float) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method (the bias not penalised)."""
    design = np.hstack([rows, np.ones((len(rows), 1))])
    penalty = np.full(design.shape[1], l2)
    penalty[-1] = 0.0
    weights = np.zeros(design.shape[1])
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(design @ weights)))
        gradient = design.T @ (p - labels) + penalty * weights
        hessian = (design * (p * (1 - p))[:, None]).T @ design + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if float(np.abs(step).max()) < 1e-10:
            break
    return weights[:-1], float(weights[-1])


def train(
    found: Sequence[Example],
    design: np.ndarray,
    gram: sparse.csr_matrix,
    vectors: np.ndarray,
    *,
    l2: float,
    threshold: float,
    encoder: str,
    about: dict[str, Any] | None = None,
    start: np.ndarray | None = None,
) -> StatementModel:
    """Feedback or not over every sentence's `design` row and n-grams (`gram`); the kind over
    the vectors of the positives whose kind is known (hand-labelled, or the lexicon's) and
    that are not questions, one-vs-rest."""
    labels = np.asarray([e.label for e in found], dtype=float)
    solved = fit_with_grams(design, gram, labels, l2, start, 1e-8 if start is None else 1e-6)
    width = design.shape[1]
    weights, gram_weights, bias = solved[:width], solved[width:-1], float(solved[-1])
    kinded = [i for i, e in enumerate(found) if e.label and e.kind in KINDS]
    fits = [
        fit(
            scaled(vectors[kinded]),
            np.asarray([found[i].kind == kind for i in kinded], dtype=float),
            KIND_L2,
        )
        for kind in KINDS
    ]
    return StatementModel(
        encoder=encoder,
        weights=weights,
        bias=bias,
        threshold=threshold,
        kind_weights=np.vstack([w for w, _ in fits]),
        kind_bias=np.asarray([b for _, b in fits]),
        about=about or {},
        gram_weights=gram_weights,
    )


def solution(model: StatementModel) -> np.ndarray:
    """A model's weights as `fit_with_grams` returns them: where a fold's fit starts."""
    assert model.gram_weights is not None
    return np.concatenate([model.weights, model.gram_weights, [model.bias]])


def leave_one_group_out(
    all_groups: Sequence[Group],
    found: Sequence[Example],
    design: np.ndarray,
    gram: sparse.csr_matrix,
    vectors: np.ndarray,
    *,
    l2: float,
    encoder: str,
) -> dict[str, StatementModel]:
    start = solution(train(found, design, gram, vectors, l2=l2, threshold=0.5, encoder=encoder))
    models = {}
    for group in all_groups:
        rest = [i for i, e in enumerate(found) if e.group != group.name]
        models[group.name] = train(
            [found[i] for i in rest],
            design[rest],
            gram[rest],
            vectors[rest],
            l2=l2,
            threshold=0.5,
            encoder=encoder,
            start=start,
        )
    return models


@dataclass
class Score:
    sentences: int = 0
    right: int = 0
    statements: int = 0
    found: int = 0

    def add(self, other: Score) -> None:
        self.sentences += other.sentences
        self.right += other.right
        self.statements += other.statements
        self.found += other.found

    @property
    def precision(self) -> float:
        return self.right / self.sentences if self.sentences else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.statements if self.statements else 1.0

    def __str__(self) -> str:
        return f"{self.precision:.2f} / {self.recall:.2f}"


def _scored(group: Group, kept: Sequence[bool]) -> Score:
    """A group's items as the connector makes them (the kept sentences of a turn joined),
    scored as scoring.py scores them."""
    score = Score(statements=len(group.statements))
    flags = iter(kept)
    items = []
    for turn in group.turns:
        chosen = [s for s in turn if next(flags)]
        if chosen:
            items.append(" ".join(chosen))
            score.sentences += len(chosen)
            score.right += sum(group.is_statement(s) for s in chosen)
    if group.is_call:
        score.found = sum(any(norm(s) in norm(item) for item in items) for s in group.statements)
    else:
        score.found = score.right
    return score


def score_group(group: Group, model: StatementModel | None) -> Score:
    """What the connector keeps of a call (`statements.judge`, as it calls it), scored."""
    assert group.is_call, group.name
    if model is None:
        kinds = judge(group.turns)
    else:
        kinds = judge(group.turns, group.vectors, model, group.questions)
    return _scored(group, [kind is not None for kind in kinds])


@dataclass
class Sweep:
    """A group's lexicon keeps and its fold model's probabilities for the sentences it
    judges, to score many thresholds and vetoes without judging again."""

    group: Group
    lexicon: list[str | None]  # the lexicon's kind of each sentence
    rows: list[int]  # the sentences the classifier judges
    probabilities: np.ndarray

    @classmethod
    def of(cls, group: Group, model: StatementModel) -> Sweep:
        judged = [group.sentences[i] for i in group.rows]
        p = model.probabilities(group.design, judged) if group.rows else np.zeros(0)
        return cls(group, [classify(s) for s in group.sentences], group.rows, p)

    def at(self, threshold: float, veto: float = 0.0) -> Score:
        kept = [kind is not None for kind in self.lexicon]
        for row, p in zip(self.rows, self.probabilities, strict=True):
            kind = self.lexicon[row]
            if kind is None:
                kept[row] = bool(p >= threshold)
            elif kind not in VETO_SPARES:
                kept[row] = bool(p >= veto)
        return _scored(self.group, kept)


def pooled(sweeps: Sequence[Sweep], threshold: float, veto: float = 0.0) -> Score:
    total = Score()
    for sweep in sweeps:
        total.add(sweep.at(threshold, veto))
    return total


def choose_threshold(sweeps: Sequence[Sweep]) -> tuple[float, float]:
    """The threshold and veto. Of the pairs whose pooled precision is at least the floor and
    recall at least its floor, those with the best recall; when none reaches both floors
    (the classifier cannot tell the calls' statements apart that well), those with recall at
    its floor and the best precision: a statement lost is evidence lost, a sentence kept
    wrongly is one a person reads past. Of the pairs left, the smallest veto (the lexicon
    overruled least), and the middle threshold, farthest from both the loss of a statement
    and the gain of a wrong sentence."""
    scores = {(t, v): pooled(sweeps, t, v) for v in VETOES for t in THRESHOLDS}
    enough = [pair for pair, s in scores.items() if s.recall >= RECALL_FLOOR]
    assert enough, "no threshold reaches the recall floor"
    precise = [pair for pair in enough if scores[pair].precision >= PRECISION_FLOOR]
    if precise:
        best = max(scores[pair].recall for pair in precise)
        tied = [pair for pair in precise if scores[pair].recall == best]
    else:
        best = max(scores[pair].precision for pair in enough)
        tied = [pair for pair in enough if scores[pair].precision == best]
        most = max(scores[pair].recall for pair in tied)
        tied = [pair for pair in tied if scores[pair].recall == most]
    veto = min(v for _, v in tied)
    thresholds = [t for t, v in tied if v == veto]
    return thresholds[(len(thresholds) - 1) // 2], veto


def log_loss(sweeps: Sequence[Sweep]) -> float:
    losses = []
    for sweep in sweeps:
        for row, p in zip(sweep.rows, sweep.probabilities, strict=True):
            q = min(max(float(p), 1e-9), 1 - 1e-9)
            y = sweep.group.is_statement(sweep.group.sentences[row])
            losses.append(-np.log(q if y else 1 - q))
    return float(np.mean(losses))


@dataclass
class Trained:
    """What `train_shipped` found: the model, and the cross-validated figures behind it."""

    model: StatementModel
    groups: list[Group]
    examples: list[Example]
    folds: dict[str, StatementModel]
    sweeps: list[Sweep]
    losses: dict[float, float]
    design: np.ndarray  # the examples' rows, in order
    gram: sparse.csr_matrix  # the examples' n-grams, in order
    vectors: np.ndarray  # the examples' sentence vectors, in order


def with_threshold(model: StatementModel, threshold: float, veto: float) -> StatementModel:
    return replace(model, threshold=threshold, veto=veto)


def kind_accuracy(trained: Trained) -> tuple[int, int]:
    """Hand-labelled kinds of the positives the lexicon leaves open, given by the model of the
    fold that did not see them: (right, all)."""
    right = total = 0
    for group in trained.groups:
        chosen = [
            s
            for s in group.sentences
            if s in group.kinds and not ruled_out(s) and classify(s) is None
        ]
        if chosen:
            where = [group.sentences.index(s) for s in chosen]
            kinds = trained.folds[group.name].kinds(chosen, group.vectors[where])
            right += sum(k == group.kinds[s] for s, k in zip(chosen, kinds, strict=True))
            total += len(chosen)
    return right, total


@dataclass
class Read:
    """Every tuning group read as the connector reads it, and what the model is fitted on."""

    groups: list[Group]
    examples: list[Example]
    design: np.ndarray
    gram: sparse.csr_matrix
    vectors: np.ndarray
    encoder: str


def read_all() -> Read:
    embedder = get_default_embedder()
    all_groups = groups()
    found = examples(all_groups)
    for group in all_groups:
        group.read(embedder)
        assert [s for s in group.sentences if not ruled_out(s)] == [
            group.sentences[i] for i in group.rows
        ], group.name
    assert [e.group for e in found] == sorted(
        (e.group for e in found), key=[g.name for g in all_groups].index
    ), "examples must come group by group"
    design = np.vstack([g.design for g in all_groups])
    vectors = np.vstack([g.vectors[g.rows] for g in all_groups])
    gram = gram_rows([e.text for e in found])
    assert len(design) == len(vectors) == len(found) == gram.shape[0]
    return Read(all_groups, found, design, gram, vectors, embedder.name)


def train_shipped(l2: float | None = None) -> Trained:
    """The model the script ships: regularisation (unless given) and threshold chosen by
    cross-validation, then fitted on everything."""
    read = read_all()
    all_groups, found, design, gram, vectors = (
        read.groups,
        read.examples,
        read.design,
        read.gram,
        read.vectors,
    )
    losses: dict[float, float] = {}
    folds_by_l2 = {}
    for value in L2_GRID if l2 is None else (l2,):
        folds_by_l2[value] = leave_one_group_out(
            all_groups, found, design, gram, vectors, l2=value, encoder=read.encoder
        )
        sweeps = [Sweep.of(g, folds_by_l2[value][g.name]) for g in all_groups]
        losses[value] = log_loss(sweeps)
    chosen_l2 = min(losses, key=lambda value: (losses[value], value))
    folds = folds_by_l2[chosen_l2]
    sweeps = [Sweep.of(g, folds[g.name]) for g in all_groups]
    # Calls are what the targets are measured on: how many of their sentences the lexicon
    # already keeps, and how few of the rest are not feedback, differ from the sentence files.
    threshold, veto = choose_threshold([s for s in sweeps if s.group.is_call])
    cv = pooled(sweeps, threshold, veto)
    calls = pooled([s for s in sweeps if s.group.is_call], threshold, veto)
    about = {
        "trained_by": "bench/train_statements.py",
        "data_sha256": data_hash(found),
        "sentences": len(found),
        "feedback": sum(e.label for e in found),
        "tuning_calls": [g.name for g in all_groups if g.is_call],
        "l2": chosen_l2,
        "cross_validated": {
            "all_groups": {"precision": round(cv.precision, 4), "recall": round(cv.recall, 4)},
            "tuning_calls": {
                "precision": round(calls.precision, 4),
                "recall": round(calls.recall, 4),
            },
        },
    }
    model = train(
        found,
        design,
        gram,
        vectors,
        l2=chosen_l2,
        threshold=threshold,
        encoder=read.encoder,
        about=about,
    )
    model = replace(model, veto=veto)
    return Trained(model, all_groups, found, folds, sweeps, losses, design, gram, vectors)


def nested(trained: Trained) -> Score:
    """Each tuning call at the threshold chosen without it: its fold model, and a threshold
    from the other groups' predictions by models that never saw the call either."""
    l2 = float(trained.model.about["l2"])
    total = Score()
    for call in (g for g in trained.groups if g.is_call):
        others = [g for g in trained.groups if g is not call]
        rest = [i for i, e in enumerate(trained.examples) if e.group != call.name]
        inner = leave_one_group_out(
            others,
            [trained.examples[i] for i in rest],
            trained.design[rest],
            trained.gram[rest],
            trained.vectors[rest],
            l2=l2,
            encoder=trained.model.encoder,
        )
        chosen, veto = choose_threshold([Sweep.of(g, inner[g.name]) for g in others if g.is_call])
        fold = with_threshold(trained.folds[call.name], chosen, veto)
        total.add(score_group(call, fold))
    return total


@contextmanager
def shipping(model: StatementModel) -> Iterator[None]:
    """The transcript connector reads `model` as if it shipped."""
    with mock.patch.object(transcript, "shipped_model", lambda: model):
        yield


def through_imports(trained: Trained) -> dict[str, Score]:
    """Every tuning call imported by `import_with_connector` with its fold's model, scored by
    scoring.py's own tally."""
    from tests.connectors.exports.scoring import Tally, score

    from huddle.db import dispose_engine, session_scope
    from huddle.migrate import upgrade

    url = f"sqlite:///{tempfile.mkdtemp(prefix='huddle-statements-')}/train.db"
    upgrade(url)
    found = {}
    with session_scope(url) as session:
        admin = build_workspace(session)
        for item in corpus():
            if item.path.name not in trained.folds:  # not a tuning call, or a broken one
                continue
            fold = with_threshold(
                trained.folds[item.path.name], trained.model.threshold, trained.model.veto
            )
            with shipping(fold):
                outcome = run_file(session, admin, item)
            tally = Tally()
            score(item, outcome, tally)
            found[item.path.name] = Score(
                tally.sentences, tally.sentences_right, tally.statements, tally.statements_found
            )
        session.rollback()
    dispose_engine(url)
    return found


# How far a retrained model may be from the shipped one and still be the same model: float
# noise of another BLAS or CPU is orders of magnitude below; a change of data, features or
# regularisation is far above.
SAME_PROBABILITY = 0.02
SAME_KIND_SCORE = 0.2


def check() -> list[str]:
    """Why the shipped model is not what this script writes from today's data and code, at the
    shipped regularisation, threshold and veto (choosing those again takes the script's
    cross-validation, minutes long: a full run checks them); empty when it is the same."""
    shipped = statements.StatementModel.from_json(json.loads(statements.MODEL_PATH.read_text()))
    read = read_all()
    if data_hash(read.examples) != shipped.about["data_sha256"]:
        return ["the training data changed since the model was written"]
    model = train(
        read.examples,
        read.design,
        read.gram,
        read.vectors,
        l2=float(shipped.about["l2"]),
        threshold=shipped.threshold,
        encoder=read.encoder,
    )
    texts = [e.text for e in read.examples]
    probability = float(
        np.abs(
            model.probabilities(read.design, texts) - shipped.probabilities(read.design, texts)
        ).max()
    )
    vectors = read.vectors
    kind = float(
        np.abs(
            (scaled(vectors) @ model.kind_weights.T + model.kind_bias)
            - (scaled(vectors) @ shipped.kind_weights.T + shipped.kind_bias)
        ).max()
    )
    problems = []
    if probability > SAME_PROBABILITY:
        problems.append(f"probabilities differ by up to {probability:.4f}")
    if kind > SAME_KIND_SCORE:
        problems.append(f"kind scores differ by up to {kind:.4f}")
    print(
        f"retrained on {len(read.examples)} sentences: probabilities within {probability:.2g}, "
        f"kind scores within {kind:.2g}"
    )
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-write", action="store_true", help="measure only")
    parser.add_argument("--imports", action="store_true", help="also score through the import")
    parser.add_argument("--show", action="store_true", help="list the calls' judged sentences")
    parser.add_argument(
        "--no-nested",
        action="store_true",
        help="skip the nested cross-validation (a call's fold model at a threshold chosen "
        "without it: 3,000 fits more, the slow part)",
    )
    parser.add_argument(
        "--check", action="store_true", help="is the shipped model what this script writes?"
    )
    parser.add_argument(
        "--l2", type=float, help="fit at this regularisation instead of searching L2_GRID"
    )
    args = parser.parse_args()
    if args.check:
        problems = check()
        for problem in problems:
            print(f"{statements.MODEL_PATH.name}: {problem}; rerun {Path(__file__).name}")
        sys.exit(1 if problems else 0)

    trained = train_shipped(args.l2)
    model, found = trained.model, trained.examples
    print(
        f"{len(found)} sentences ({model.about['feedback']} feedback) in "
        f"{len(trained.groups)} groups ({len(model.about['tuning_calls'])} tuning calls); "
        f"data {model.about['data_sha256'][:12]}"
    )
    print("\nregularisation: pooled cross-validated log-loss of the sentences judged")
    for l2, loss in trained.losses.items():
        print(f"  l2 {l2:>5}: {loss:.4f}{'  <- chosen' if l2 == model.about['l2'] else ''}")
    print(
        "\nthreshold   all groups    tuning calls   (pooled cross-validation, precision / recall)"
    )
    calls = [s for s in trained.sweeps if s.group.is_call]
    print(f"  (a sentence the lexicon keeps is vetoed under {model.veto:.2f})")
    for t in THRESHOLDS[::5] + (
        (model.threshold,) if model.threshold not in THRESHOLDS[::5] else ()
    ):
        mark = "  <- chosen" if t == model.threshold else ""
        print(
            f"  {t:.2f}      {pooled(trained.sweeps, t, model.veto)}    "
            f"{pooled(calls, t, model.veto)}{mark}"
        )
    if args.show:
        for sweep in calls:
            for row, p in zip(sweep.rows, sweep.probabilities, strict=True):
                sentence = sweep.group.sentences[row]
                print(f"  {p:.3f} {'+' if sweep.group.is_statement(sentence) else '-'} {sentence}")

    print(f"\n{'tuning call (left out)':28} {'lexicon alone':>14} {'+ classifier':>14}")
    lexicon_total, cv_total = Score(), Score()
    by_call = {}
    for sweep in calls:
        call = sweep.group
        lexicon = score_group(call, None)
        cv = score_group(
            call, with_threshold(trained.folds[call.name], model.threshold, model.veto)
        )
        assert cv == sweep.at(model.threshold, model.veto), f"{call.name}: judge and sweep differ"
        by_call[call.name] = cv
        lexicon_total.add(lexicon)
        cv_total.add(cv)
        print(
            f"{call.name:28} {lexicon!s:>14} {cv!s:>14}  "
            f"({cv.found}/{cv.statements} statements, {cv.right}/{cv.sentences} kept right)"
        )
    print(
        f"{'all tuning calls':28} {lexicon_total!s:>14} {cv_total!s:>14}  "
        f"({cv_total.found}/{cv_total.statements}, {cv_total.right}/{cv_total.sentences}; "
        f"lexicon {lexicon_total.found}/{lexicon_total.statements}, "
        f"{lexicon_total.right}/{lexicon_total.sentences})"
    )
    # Round 2's calls are the only ones the lexicon was never tuned on (round 1's were, after
    # they were measured): there both judges meet calls they have not seen.
    fresh = [s.group for s in calls if s.group.held_round == 2]
    lexicon_fresh, cv_fresh = Score(), Score()
    for call in fresh:
        lexicon_fresh.add(score_group(call, None))
        fold = with_threshold(trained.folds[call.name], model.threshold, model.veto)
        cv_fresh.add(score_group(call, fold))
    print(
        f"{'round 2 calls (' + str(len(fresh)) + ')':28} {lexicon_fresh!s:>14} {cv_fresh!s:>14}  "
        f"({cv_fresh.found}/{cv_fresh.statements}, {cv_fresh.right}/{cv_fresh.sentences})"
    )
    right, total = kind_accuracy(trained)
    print(
        f"kinds of the hand-labelled feedback the lexicon leaves open, cross-validated: "
        f"{right}/{total} right ({right / total:.2f})"
    )
    if not args.no_nested:
        deeper = nested(trained)
        print(
            f"{'nested (threshold w/o call)':28} {'':>14} {deeper!s:>14}  "
            f"({deeper.found}/{deeper.statements}, {deeper.right}/{deeper.sentences})"
        )
    if args.imports:
        imported = through_imports(trained)
        assert imported == by_call, ("the import keeps something else", imported, by_call)
        print("through import_with_connector, each call with its fold's model: the same")

    if not args.no_write:
        statements.MODEL_PATH.write_text(json.dumps(model.to_json(), indent=1) + "\n")
        print(f"\nwrote {statements.MODEL_PATH.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
