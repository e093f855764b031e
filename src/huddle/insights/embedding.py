"""Sentence embeddings computed in-process: no PyTorch, no network.

The default is all-MiniLM-L6-v2 exported to ONNX with int8 weights (built by
`scripts/build_embedding_model.py`, shipped under `insights/model/`), run by onnxruntime.
It agrees with the PyTorch model to a cosine of ~0.99 and keeps MiniLM's clustering
quality, which the static (model2vec) variant measurably does not (see
docs/theme-discovery.md). A static table can still be loaded with `StaticEmbedder` when raw
speed matters more than quality.

Every embedder returns float32 rows of unit length, so a dot product is a cosine.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from tokenizers import Tokenizer

MODEL_DIR = Path(__file__).resolve().parent / "model"
DEFAULT_ONNX = MODEL_DIR / "minilm-l6-int8.onnx"
DEFAULT_TOKENIZER = MODEL_DIR / "tokenizer.json"
DEFAULT_NAME = "minilm-l6-v2-int8"

FloatMatrix = npt.NDArray[np.float32]


@runtime_checkable
class Embedder(Protocol):
    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> FloatMatrix: ...


def normalize_rows(vectors: npt.ArrayLike) -> FloatMatrix:
    matrix = np.asarray(vectors, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix[None, :]
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    # A zero row (empty text) stays zero instead of becoming NaN.
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(matrix / norms, dtype=np.float32)


def _load_tokenizer(path: Path, *, max_tokens: int | None) -> Tokenizer:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_padding()
    if max_tokens is not None:
        tokenizer.enable_truncation(max_length=max_tokens)
    return tokenizer


# After each run onnxruntime's threads spin a while, waiting for the next. For a batch (an
# embedding job, an import, `huddle reindex`) that is worth ~11% more texts a second (562-574
# against 504-511, 2,000 demo texts, 2 threads), but in a web process they spin on the cores
# its requests need: a search by meaning (one short query) then waited behind them (API p50 /
# p95 30.1 / 40.6 ms at 1,000,000 items; 18.4 / 20.9 with them asleep, the inbox's search by
# meaning 33 / 60 against 29 / 31).
_threads_spin = True


def prefer_latency() -> None:
    """Encoders made from now on let their threads sleep between runs: a web process calls
    this as it starts, before its first search loads the model."""
    global _threads_spin
    _threads_spin = False


def _default_threads() -> int:
    configured = os.environ.get("HUDDLE_EMBED_THREADS")
    if configured:
        return max(1, int(configured))
    # onnxruntime's own default spins a thread per logical core, which on small shared
    # machines fights the web process; two threads already give most of the speed.
    return max(1, min(2, os.cpu_count() or 1))


class OnnxEmbedder:
    """A transformer sentence encoder exported to ONNX (ids + mask in, pooled vector out)."""

    def __init__(
        self,
        model_path: Path = DEFAULT_ONNX,
        tokenizer_path: Path = DEFAULT_TOKENIZER,
        *,
        name: str = DEFAULT_NAME,
        threads: int | None = None,
        max_tokens: int = 256,
        batch_tokens: int = 1024,
        max_batch: int = 128,
    ) -> None:
        import onnxruntime as ort  # type: ignore[import-untyped]

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or _default_threads()
        options.inter_op_num_threads = 1
        self.threads_spin = _threads_spin
        if not self.threads_spin:
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = ort.InferenceSession(
            str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._tokenizer = _load_tokenizer(tokenizer_path, max_tokens=max_tokens)
        self._batch_tokens = batch_tokens
        self._max_batch = max_batch
        self.name = name
        self.dim = int(self._session.get_outputs()[0].shape[-1])

    def encode(self, texts: Sequence[str]) -> FloatMatrix:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        # Identical texts (the same ticket synced twice) are encoded once.
        unique: dict[str, int] = {}
        slot = np.fromiter(
            (unique.setdefault(text, len(unique)) for text in texts),
            dtype=np.int64,
            count=len(texts),
        )
        encodings = self._tokenizer.encode_batch(list(unique))
        ids_of = [np.asarray(e.ids, dtype=np.int64) for e in encodings]
        lengths = np.fromiter((len(ids) for ids in ids_of), dtype=np.int64, count=len(ids_of))
        vectors = np.zeros((len(unique), self.dim), dtype=np.float32)
        # Batches of similar length waste little compute on padding; sorting is what makes
        # short feedback cheap. Small batches (~1,000 tokens) stay in cache: measured
        # ~30% faster than 8,000-token batches on 2 cores.
        order = np.argsort(lengths, kind="stable")
        start = 0
        while start < len(order):
            width = int(lengths[order[start]])
            stop = start + 1
            while stop < len(order) and stop - start < self._max_batch:
                width = int(lengths[order[stop]])
                if width * (stop - start + 1) > self._batch_tokens:
                    break
                stop += 1
            batch = order[start:stop]
            width = int(lengths[batch].max())
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, index in enumerate(batch):
                n = int(lengths[index])
                ids[row, :n] = ids_of[index]
                mask[row, :n] = 1
            (pooled,) = self._session.run(None, {"input_ids": ids, "attention_mask": mask})
            vectors[batch] = pooled
            start = stop
        out[:] = vectors[slot]
        return normalize_rows(out)


class StaticEmbedder:
    """A model2vec-style static model: the mean of per-token vectors, then unit length.

    Tens of thousands of texts per second, but ~0.07 NMI below MiniLM on theme discovery.
    """

    def __init__(self, table_path: Path, tokenizer_path: Path, *, name: str) -> None:
        with np.load(table_path) as data:
            self._table = np.asarray(data["embeddings"], dtype=np.float32)
        self._tokenizer = _load_tokenizer(tokenizer_path, max_tokens=512)
        self.name = name
        self.dim = int(self._table.shape[1])

    def encode(self, texts: Sequence[str]) -> FloatMatrix:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, encoding in enumerate(
            self._tokenizer.encode_batch(list(texts), add_special_tokens=False)
        ):
            if encoding.ids:
                out[row] = self._table[encoding.ids].mean(axis=0)
        return normalize_rows(out)


@lru_cache(maxsize=1)
def get_default_embedder() -> Embedder:
    return OnnxEmbedder()


# Stored vectors carry a one-byte format tag so a column can hold either kind and a
# reader never has to know which one the writer chose.
_FLOAT16 = 1
_INT8 = 2


def pack_vector(vector: npt.ArrayLike, *, kind: str = "float16") -> bytes:
    row = np.asarray(vector, dtype=np.float32).ravel()
    if kind == "float16":
        return bytes([_FLOAT16]) + bytes(row.astype("<f2").tobytes())
    if kind == "int8":
        # Per-vector scale: unit vectors have small, uneven components, a fixed scale
        # would waste most of the 8 bits.
        peak = float(np.abs(row).max()) or 1.0
        scale = peak / 127.0
        quantised = np.clip(np.rint(row / scale), -127, 127).astype(np.int8)
        return bytes([_INT8]) + struct.pack("<f", scale) + bytes(quantised.tobytes())
    raise ValueError(f"unknown vector format {kind!r}: use 'float16' or 'int8'")


def pack_vectors(vectors: npt.ArrayLike, *, kind: str = "float16") -> list[bytes]:
    matrix = np.asarray(vectors, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix[None, :]
    return [pack_vector(row, kind=kind) for row in matrix]


def unpack_vector(blob: bytes) -> FloatMatrix:
    tag = blob[0]
    if tag == _FLOAT16:
        return np.frombuffer(blob, dtype="<f2", offset=1).astype(np.float32)
    if tag == _INT8:
        (scale,) = struct.unpack_from("<f", blob, 1)
        return np.frombuffer(blob, dtype=np.int8, offset=5).astype(np.float32) * np.float32(scale)
    raise ValueError(f"not a packed vector (format tag {tag})")


def unpack_vectors(blobs: Iterable[bytes]) -> FloatMatrix:
    blobs = list(blobs)
    width = len(blobs[0]) if blobs else 0
    if width > 1 and all(len(b) == width and b[0] == _FLOAT16 for b in blobs):
        # All float16 of one length (what the embedding job writes): one conversion for the
        # lot, ~10x faster than one per row when the search index is built.
        raw = np.frombuffer(b"".join(blobs), dtype=np.uint8).reshape(len(blobs), width)
        return np.ascontiguousarray(raw[:, 1:]).view("<f2").astype(np.float32)
    rows = [unpack_vector(blob) for blob in blobs]
    if not rows:
        return np.zeros((0, 0), dtype=np.float32)
    return np.ascontiguousarray(np.vstack(rows), dtype=np.float32)
