"""An approximate nearest-neighbour index of the stored vectors, kept in a file beside the
database (docs/search-index.md).

The file is a usearch HNSW graph of int8 vectors, opened memory-mapped, so a process holds
only the pages its searches touch. Each process follows the database from there on its own:
vectors embedded after the file was written (by `embedded_at`) are kept in memory and
compared exactly, and every candidate is checked against the database before it is
returned — deleted items and cleared vectors never come back, and scores are the exact
cosine of the stored vector. When the in-memory part grows large, one process of the machine
folds it into a new file; when the database no longer agrees with the file (a restore, a
bulk load behind it, many deletions), the file is rebuilt.

Files are written under a new name and then named in `current.json` by an atomic rename;
readers notice the change by its modification stamp and open the new file.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

import numpy as np
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session
from usearch.index import Index

from huddle.config import get_settings
from huddle.insights.embedding import FloatMatrix
from huddle.insights.repository import InsightRepository

log = logging.getLogger(__name__)

FORMAT = 2
# Graph shape, chosen on real-embedding-like vectors (bench/search.py; tuned on a different
# seed than the one reported): 16 links per node and 64 candidates while adding gave
# recall@10 0.995 at 100,000 after exact re-scoring, at half the build time of 128. At
# 1,000,000 the search breadth decides: 64 gave 0.885, 256 0.957, 512 0.972 (p95 of the
# graph search still ~5 ms). On bench/scale.py's million (noisy copies of few texts, the
# hard case; built shuffled, with the unreached kept apart), 512 gave 0.927 and 1,024 0.955
# for the queries tuned on, and 0.957 against 0.969 for 100 others (bench/recall.py --seed
# 777), for ~1 ms more a search.
CONNECTIVITY = 16
EXPANSION_ADD = 64
EXPANSION_SEARCH = 1024
# Items are added to the graph one thread at a time. usearch's parallel insertion leaves a
# few nodes that no search reaches (measured with 2 threads on random unit vectors: 33 of
# 6,000 items at 200 per graph, 2 of 20,000 at 20,000, where 1 thread left none): such an
# item would never be found even by its own vector, so a duplicate would go unnoticed. The
# price is build time (roughly double; `huddle reindex` builds, a server only folds).
# Items are added in a random order, not in the order they were stored. Evidence arrives in
# runs of one subject (a file sorted by topic, a week of one outage), and a graph grown one
# run at a time leaves much of each run where no search reaches it: 20,000 noisy copies of
# 300 real embeddings stored subject by subject gave recall@10 0.93-0.98 in stored order,
# 1.00 shuffled; at 200,000, 0.80 against 0.998 (22% of items not found by their own vector
# against 1.6%).
SHUFFLE_SEED = 20261205
# After a build every item is searched for by its own vector at a small breadth. Those not
# among the few found go into a second, smaller graph, and those that one does not reach
# either are compared exactly on every search (kept beside the file). On 1,000,000 such
# copies added shuffled, 6% were not found at breadth 64 and 140 after the second graph;
# recall@10 went from 0.978 to 0.995. The check costs ~70 s a million on 2 threads.
CHECK_BREADTH = 32
CHECK_COUNT = 3
CHECK_THREADS = 2
# Up to this many items not reached are compared exactly without a second graph.
LOOSE_AT_MOST = 2_000
# Candidates asked of the graph beyond those wanted: the int8 distances only order them
# roughly; the exact cosine of the stored vectors decides.
SPARE_CANDIDATES = 30
# A transaction may commit a while after it stamped `embedded_at`; vectors stamped this
# long before the newest one seen are looked at again, so a late commit is not missed.
SETTLE = timedelta(seconds=60)
# How often a process checks that the database still agrees with the file (one COUNT over
# the `embedded_at` index), and how far they may drift apart by deletions before a rebuild.
CHECK_SECONDS = 30.0
REBUILD_DRIFT = 0.05
# When vectors kept in memory beside the file outnumber this (or 5% of the file), they are
# written into a new file.
FOLD_AT = 20_000
FOLD_FRACTION = 0.05
# Builds and folds up to this size run in the caller; larger ones in a background thread,
# while searches go on with what there is.
INLINE_WORK = 50_000
BATCH = 20_000

# (stage, done, total): stages are "reading", "adding" and "checking".
Progress = Callable[[str, int, int], None]


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Meta:
    file: str
    dim: int
    size: int
    watermark: datetime
    # Rows stamped at or before `cutoff` (the watermark, or SETTLE before the file was made
    # if that is earlier) when the file was built: the count the database must still show,
    # or something changed behind the file.
    cutoff: datetime
    settled: int
    digest: str
    # The file's size and modification time when its digest was taken: a file still showing
    # them is not read through again when a process opens it (0.4-1.4 s at 1,000,000 items).
    written: tuple[int, int] = (0, 0)
    # The graph of the items the main one does not reach ("" when there are none), its size,
    # and the file of the few neither reaches, compared exactly ("" when none).
    spare: str = ""
    spare_size: int = 0
    loose: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "file": self.file,
            "dim": self.dim,
            "size": self.size,
            "watermark": _stamp(self.watermark),
            "cutoff": _stamp(self.cutoff),
            "settled": self.settled,
            "digest": self.digest,
            "written": list(self.written),
            "spare": self.spare,
            "spare_size": self.spare_size,
            "loose": self.loose,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Meta:
        if data.get("format") != FORMAT:
            raise ValueError(f"index format {data.get('format')!r}")
        return cls(
            file=str(data["file"]),
            dim=int(data["dim"]),
            size=int(data["size"]),
            watermark=_moment(str(data["watermark"])),
            cutoff=_moment(str(data["cutoff"])),
            settled=int(data["settled"]),
            digest=str(data["digest"]),
            written=(int(data["written"][0]), int(data["written"][1])),
            spare=str(data.get("spare", "")),
            spare_size=int(data.get("spare_size", 0)),
            loose=str(data.get("loose", "")),
        )


@dataclass
class _Recent:
    """Vectors embedded since the file was written, compared exactly."""

    stamps: dict[int, datetime] = field(default_factory=dict)
    vectors: dict[int, FloatMatrix] = field(default_factory=dict)
    # Ids and their rows, replaced together in one assignment: a search in another thread
    # reads one consistent pair.
    rows: tuple[np.ndarray, FloatMatrix] = field(
        default_factory=lambda: (np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32))
    )

    def put(self, ids: np.ndarray, matrix: FloatMatrix, stamps: dict[int, datetime]) -> None:
        for row, item in enumerate(ids.tolist()):
            self.vectors[item] = matrix[row]
            self.stamps[item] = stamps[item]
        self.rows = (
            np.fromiter(self.vectors, dtype=np.int64, count=len(self.vectors)),
            np.vstack(list(self.vectors.values())).astype(np.float32),
        )

    def __len__(self) -> int:
        return len(self.vectors)


@dataclass(frozen=True)
class _Beside:
    """What the main graph does not reach: a smaller graph of those items, and the few that
    one does not reach either, compared exactly."""

    spare: Index | None = None
    loose_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    loose: FloatMatrix = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))


class _Spool:
    """Every stored vector, read once in id order into a scratch file (float16, as stored),
    so that a build can add them in another order without holding them all in memory."""

    def __init__(self, directory: Path | None) -> None:
        if directory is not None:
            directory.mkdir(parents=True, exist_ok=True)
        # Closed by close(): the spool lives as long as the build that reads it.
        self._file = tempfile.TemporaryFile(dir=directory, prefix="spool-")  # noqa: SIM115
        self._ids: list[np.ndarray] = []
        self._stamps: list[np.ndarray] = []
        self.count = 0
        self.dim = 0
        self.watermark: datetime | None = None

    def put(self, ids: np.ndarray, matrix: FloatMatrix, at: list[datetime]) -> None:
        self._file.write(np.ascontiguousarray(matrix, dtype=np.float16).tobytes())
        self._ids.append(ids.astype(np.int64))
        moments = [_as_utc(moment) for moment in at]
        self._stamps.append(np.array([_micros(m) for m in moments], dtype=np.int64))
        newest = max(moments)
        self.watermark = newest if self.watermark is None else max(self.watermark, newest)
        self.count += len(ids)
        self.dim = matrix.shape[1]

    def keys(self) -> np.ndarray:
        return np.concatenate(self._ids)

    def settled(self, cutoff: datetime) -> int:
        return int(sum(int((stamps <= _micros(cutoff)).sum()) for stamps in self._stamps))

    def rows(self, rows: np.ndarray) -> FloatMatrix:
        """The vectors of these rows (positions in reading order), read from the file: a
        map of it would count every page a build touches as the process's own memory."""
        self._file.flush()
        width = self.dim * 2
        descriptor = self._file.fileno()
        out = np.empty((len(rows), self.dim), dtype=np.float16)
        for n, row in enumerate(rows.tolist()):
            out[n] = np.frombuffer(os.pread(descriptor, width, row * width), dtype=np.float16)
        return out.astype(np.float32)

    def close(self) -> None:
        self._file.close()


def _micros(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def index_directory(engine: Engine) -> Path | None:
    """Where this database's index lives, or None for a database that is not kept either."""
    url = engine.url
    configured = get_settings().index_dir
    if url.get_backend_name() == "sqlite":
        database = url.database or ""
        if configured is None:
            if database in ("", ":memory:") or database.startswith("file:"):
                return None
            path = Path(database).expanduser().resolve()
            return path.with_name(path.name + "-index")
    # Several databases may share one directory: each gets its own folder.
    root = configured or Path.home() / ".cache" / "huddle" / "index"
    name = make_url(url).render_as_string(hide_password=True)
    return Path(root).expanduser() / hashlib.sha256(name.encode()).hexdigest()[:16]


class VectorIndex:
    """The index of one database in this process; every method is safe to call from any
    thread."""

    def __init__(self, engine: Engine, directory: Path | None) -> None:
        self.engine = engine
        self.directory = directory
        self._lock = threading.RLock()
        self._search_lock = threading.Lock()
        self._graph: Index | None = None
        self._beside = _Beside()
        self._meta: Meta | None = None
        self._loaded_stamp: tuple[int, int] | None = None
        self._recent = _Recent()
        # Ids stamped shortly before the file's watermark that the file is known to hold.
        self._in_file: set[int] = set()
        self._newest_seen: datetime | None = None
        self._checked_at = -1e18
        self._small_until = -1e18
        self._working = threading.Event()
        self._needs_rebuild = False

    # -- files ---------------------------------------------------------------------------

    @property
    def _current(self) -> Path | None:
        return self.directory / "current.json" if self.directory else None

    def _file_stamp(self) -> tuple[int, int] | None:
        current = self._current
        if current is None:
            return None
        try:
            status = current.stat()
        except FileNotFoundError:
            return None
        return status.st_mtime_ns, status.st_ino

    def _open(self) -> bool:
        """Open the file named by current.json when it changed; False when there is none
        usable (missing, unreadable or not matching its digest)."""
        stamp = self._file_stamp()
        if stamp is not None and stamp == self._loaded_stamp and self._graph is not None:
            return True
        if self.directory is None:
            return self._graph is not None
        current = self._current
        assert current is not None
        try:
            meta = Meta.from_json(json.loads(current.read_text()))
            path = self.directory / meta.file
            status = path.stat()
            unchanged = (status.st_size, status.st_mtime_ns) == meta.written
            if not unchanged and _digest(path) != meta.digest:
                raise ValueError("the file does not match its digest")
            graph = Index.restore(str(path), view=True)
            if graph is None or len(graph) != meta.size or graph.ndim != meta.dim:
                raise ValueError("the file does not hold what current.json says")
            # Not kept in the file: a restored graph would search with usearch's default 64.
            graph.expansion_search = EXPANSION_SEARCH  # type: ignore[misc]  # settable at run time
            beside = self._read_beside(meta)
        except (OSError, ValueError, KeyError, RuntimeError, EOFError, BadZipFile) as problem:
            if stamp is not None:
                log.warning("search index %s unusable (%s): rebuilding", self.directory, problem)
            self._graph, self._meta, self._loaded_stamp = None, None, None
            self._beside = _Beside()
            return False
        self._graph, self._meta, self._loaded_stamp = graph, meta, stamp
        self._beside = beside
        self._recent = _Recent()
        self._in_file = set()
        self._newest_seen = None
        self._checked_at = -1e18
        return True

    def _read_beside(self, meta: Meta) -> _Beside:
        assert self.directory is not None
        spare = None
        if meta.spare:
            spare = Index.restore(str(self.directory / meta.spare), view=True)
            if spare is None or len(spare) != meta.spare_size or spare.ndim != meta.dim:
                raise ValueError("the second graph does not hold what current.json says")
            spare.expansion_search = EXPANSION_SEARCH  # type: ignore[misc]  # settable at run time
        if not meta.loose:
            return _Beside(spare)
        with np.load(self.directory / meta.loose) as stored:
            ids, vectors = stored["ids"].astype(np.int64), stored["vectors"].astype(np.float32)
        if vectors.shape != (len(ids), meta.dim):
            raise ValueError("the items compared exactly do not match current.json")
        return _Beside(spare, ids, vectors)

    @contextlib.contextmanager
    def _exclusive(self, *, wait: bool) -> Iterator[bool]:
        """One writer per directory across the processes of this machine."""
        if self.directory is None:
            yield True
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        with (self.directory / ".lock").open("a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _publish(
        self, graph: Index, meta_without_file: Meta, beside: _Beside, *, spare_file: str = ""
    ) -> Meta:
        """Write the graph (and what it does not reach) under new names, then point
        current.json at them in one rename. `spare_file`: the second graph's file, kept."""
        if self.directory is None:
            meta = meta_without_file
            self._graph, self._meta, self._beside = graph, meta, beside
            return meta
        stem = f"vectors-{time.time_ns()}-{os.getpid()}"
        name = f"{stem}.usearch"
        path = self.directory / name
        _write(path, graph.save)
        if beside.spare is not None and not spare_file:
            spare_file = f"{stem}.spare.usearch"
            _write(self.directory / spare_file, beside.spare.save)
        loose_file = ""
        if len(beside.loose_ids):
            loose_file = f"{stem}.loose.npz"

            def save_loose(target: str) -> None:
                with open(target, "wb") as handle:
                    np.savez(handle, ids=beside.loose_ids, vectors=beside.loose.astype(np.float16))

            _write(self.directory / loose_file, save_loose)
        status = path.stat()
        meta = Meta(
            file=name,
            dim=meta_without_file.dim,
            size=meta_without_file.size,
            watermark=meta_without_file.watermark,
            cutoff=meta_without_file.cutoff,
            settled=meta_without_file.settled,
            digest=_digest(path),
            written=(status.st_size, status.st_mtime_ns),
            spare=spare_file,
            spare_size=len(beside.spare) if beside.spare is not None else 0,
            loose=loose_file,
        )
        current = self.directory / "current.json"
        pending = self.directory / f"current.{os.getpid()}.{threading.get_ident()}.json"
        pending.write_text(json.dumps(meta.as_json()))
        pending.replace(current)
        # Readers that already opened an older file keep their mapping (Linux keeps an
        # unlinked file until the last mapping goes); new readers follow current.json.
        kept = {name, spare_file, loose_file}
        for old in self.directory.glob("vectors-*"):
            if old.name not in kept:
                old.unlink(missing_ok=True)
        return meta

    # -- building ------------------------------------------------------------------------

    def rebuild(self, session: Session, progress: Progress | None = None) -> Meta | None:
        """Build the file from every stored vector (None when there are none)."""
        with self._exclusive(wait=True), contextlib.closing(_Spool(self.directory)) as spool:
            repo = InsightRepository(session)
            total = repo.embedded_count()
            for ids, matrix, at in repo.vector_batches(BATCH):
                spool.put(ids, matrix, at)
                if progress:
                    progress("reading", spool.count, max(total, spool.count))
            if spool.watermark is None:
                # Nothing stored any more: no file, rather than one of deleted items.
                if self.directory is not None:
                    (self.directory / "current.json").unlink(missing_ok=True)
                with self._lock:
                    self._graph, self._meta, self._loaded_stamp = None, None, None
                    self._beside = _Beside()
                    self._needs_rebuild = False
                return None
            graph, beside = _build(spool.keys(), spool.rows, spool.dim, progress)
            cutoff = _cutoff(spool.watermark)
            meta = self._publish(
                graph,
                Meta(
                    file="",
                    dim=graph.ndim,
                    size=len(graph),
                    watermark=spool.watermark,
                    cutoff=cutoff,
                    settled=spool.settled(cutoff),
                    digest="",
                ),
                beside,
            )
        with self._lock:
            self._needs_rebuild = False
            if self.directory is None:
                self._recent, self._newest_seen, self._checked_at = _Recent(), None, -1e18
                self._in_file = set()
            else:
                self._loaded_stamp = None
                self._open()
        return meta

    def _fold(self, session: Session) -> None:
        """Write the file again with the vectors kept in memory added to it."""
        with self._exclusive(wait=False) as mine:
            if not mine:
                return
            with self._lock:
                if not self._open() or self._meta is None:
                    return
                self._catch_up(session)
                meta, recent, beside = self._meta, self._recent, self._beside
                if not len(recent):
                    return
                if self.directory is None:
                    assert self._graph is not None
                    graph = self._graph.copy()
                else:
                    restored = Index.restore(str(self.directory / meta.file))
                    assert restored is not None
                    graph = restored
                    graph.expansion_search = EXPANSION_SEARCH  # type: ignore[misc]  # settable at run time
            recent_ids, recent_matrix = recent.rows
            keys = recent_ids.astype(np.uint64)
            present = np.asarray(graph.contains(keys), dtype=bool)
            if present.any():
                graph.remove(keys[present])
            graph.add(keys, recent_matrix, threads=1)
            # The items just added that the graph does not reach join those compared exactly
            # (replacing what those held of them before).
            missed = _unreached(
                graph, recent_ids, lambda rows: recent_matrix[rows], np.arange(len(keys)), _quiet
            )
            kept = ~np.isin(beside.loose_ids, recent_ids)
            dim = recent_matrix.shape[1]
            beside = _Beside(
                beside.spare,
                np.concatenate([beside.loose_ids[kept], recent_ids[missed]]),
                np.vstack([beside.loose.reshape(-1, dim)[kept], recent_matrix[missed]]),
            )
            watermark = max(meta.watermark, *recent.stamps.values())
            cutoff = _cutoff(watermark)
            settled = InsightRepository(session).embedded_count(until=cutoff)
            folded = Meta("", graph.ndim, len(graph), watermark, cutoff, settled, "")
            published = self._publish(graph, folded, beside, spare_file=meta.spare)
            with self._lock:
                if self.directory is None:
                    self._meta = published
                    self._recent, self._newest_seen, self._checked_at = _Recent(), None, -1e18
                    self._in_file = set()
                else:
                    self._open()

    def _in_background(self, work: Callable[[Session], object]) -> None:
        if self._working.is_set():
            return
        self._working.set()

        def run() -> None:
            try:
                with Session(bind=self.engine) as session:
                    work(session)
            except Exception:
                log.exception("search index work failed")
            finally:
                self._working.clear()

        threading.Thread(target=run, name="huddle-search-index", daemon=True).start()

    # -- following the database ----------------------------------------------------------

    def _catch_up(self, session: Session, *, everything: bool = False) -> None:
        """Take in what was embedded since the last look (`everything`: since the file)."""
        assert self._meta is not None and self._graph is not None
        repo = InsightRepository(session)
        # Rows stamped up to the cutoff are counted by the staleness check; after it, the
        # file holds what had committed when it was made, and a late commit is caught here.
        since = self._meta.cutoff
        if self._newest_seen is not None and not everything:
            since = max(since, self._newest_seen - SETTLE)
        rows = [(i, _as_utc(at)) for i, at in repo.embedded_since(since)]
        if not rows:
            return
        stamps = dict(rows)
        candidates = [
            i for i, at in rows if self._recent.stamps.get(i) != at and i not in self._in_file
        ]
        if not candidates:
            return
        old = [i for i in candidates if stamps[i] <= self._meta.watermark]
        in_file: set[int] = set()
        if old:
            found = np.asarray(self._graph.contains(np.asarray(old, dtype=np.uint64)))
            in_file = {i for i, there in zip(old, found.tolist(), strict=True) if there}
            self._in_file |= in_file
        wanted = [i for i in candidates if i not in in_file]
        if not wanted:
            return
        fresh = repo.vectors_for(wanted)
        if len(fresh):
            self._recent.put(fresh.ids, fresh.matrix, stamps)

    def _sync(self, session: Session) -> bool:
        """Bring this process's view up to date; False when search should be exact instead
        (a small workspace, or no file yet while one is built)."""
        now = time.monotonic()
        repo = InsightRepository(session)
        with self._lock:
            if self._needs_rebuild and self._working.is_set():
                return False
            opened = not self._needs_rebuild and self._open()
            if not opened:
                if now < self._small_until:
                    return False
                total = repo.embedded_count()
                if total < get_settings().index_exact_below or total == 0:
                    self._small_until = now + CHECK_SECONDS
                    return False
                if total > INLINE_WORK:
                    self._needs_rebuild = True
                    self._in_background(self.rebuild)
                    return False
        if not opened:
            self.rebuild(session)
            with self._lock:
                return self._graph is not None
        with self._lock:
            assert self._meta is not None
            due = now - self._checked_at >= CHECK_SECONDS
            newest = repo.newest_embedding()
            newest = _as_utc(newest) if newest else None
            if due:
                self._checked_at = now
                settled = repo.embedded_count(until=self._meta.cutoff)
                expected = self._meta.settled
                if settled > expected or settled < expected * (1 - REBUILD_DRIFT):
                    log.info("search index stale (%d settled, file has %d)", settled, expected)
                    self._needs_rebuild = True
                    self._graph = None
                    big = self._meta.size > INLINE_WORK
                    if big:
                        self._in_background(self.rebuild)
                        return False
            if not self._needs_rebuild and (due or newest != self._newest_seen):
                self._catch_up(session, everything=due)
                self._newest_seen = newest
            rebuild_now = self._needs_rebuild
            fold = len(self._recent) >= max(FOLD_AT, FOLD_FRACTION * self._meta.size)
        if rebuild_now:
            self.rebuild(session)
            return self._graph is not None
        if fold:
            if self._meta.size + len(self._recent) > INLINE_WORK:
                self._in_background(self._fold)
            else:
                self._fold(session)
        return True

    def prepare(self, session: Session) -> bool:
        """Open the file (or start building it) and take in what was embedded since, as the
        first search would; True when searches will go through the index."""
        return self._sync(session)

    # -- searching -----------------------------------------------------------------------

    def search(
        self, session: Session, queries: FloatMatrix, limit: int, *, floor: float = -1.0
    ) -> list[list[tuple[int, float]]] | None:
        """For each query row, up to `limit` stored items closest to it, best first, with
        their exact cosine; None when the caller should search exactly."""
        if not self._sync(session):
            return None
        with self._lock:
            graph, recent, beside = self._graph, self._recent, self._beside
        if graph is None:
            return None
        queries = np.atleast_2d(np.asarray(queries, dtype=np.float32))
        return self._verified(session, graph, beside, recent, queries, limit, floor)

    def _verified(
        self,
        session: Session,
        graph: Index,
        beside: _Beside,
        recent: _Recent,
        queries: FloatMatrix,
        limit: int,
        floor: float,
    ) -> list[list[tuple[int, float]]]:
        repo = InsightRepository(session)
        ask = limit + SPARE_CANDIDATES
        while True:
            candidates: list[set[int]] = [set() for _ in queries]
            count = min(ask, len(graph))
            for searched in (graph, beside.spare):
                if searched is None or not len(searched):
                    continue
                with self._search_lock:
                    searched.expansion_search = _breadth(ask)  # type: ignore[misc]
                    found = searched.search(queries, min(ask, len(searched)), threads=1)
                keys = np.asarray(found.keys).reshape(len(queries), -1)
                for row in range(len(queries)):
                    candidates[row].update(int(k) for k in keys[row] if k != _NO_KEY)
            for ids, matrix in (recent.rows, (beside.loose_ids, beside.loose)):
                if not len(ids):
                    continue
                scores = queries @ matrix.T
                take = min(ask, len(ids))
                best = np.argpartition(-scores, take - 1, axis=1)[:, :take]
                for row in range(len(queries)):
                    candidates[row].update(int(ids[i]) for i in best[row])
            # Only what the database holds now, scored with the vector stored now.
            stored = repo.vectors_for(sorted(set().union(*candidates)))
            where = {int(item): row for row, item in enumerate(stored.ids.tolist())}
            results: list[list[tuple[int, float]]] = []
            short = False
            for row, wanted in enumerate(candidates):
                present = [item for item in wanted if item in where]
                if len(present) < min(limit, len(wanted)) and count < len(graph):
                    short = True
                if not present:
                    results.append([])
                    continue
                matrix = stored.matrix[[where[item] for item in present]]
                cosines = matrix @ queries[row]
                order = np.argsort(-cosines, kind="stable")[:limit]
                results.append(
                    [(present[i], float(cosines[i])) for i in order.tolist() if cosines[i] >= floor]
                )
            # Deleted items took the places of live ones: ask the graph for more.
            if not short or ask >= len(graph):
                return results
            ask *= 4

    @property
    def size(self) -> int:
        with self._lock:
            return (len(self._graph) if self._graph is not None else 0) + len(self._recent)

    def forget(self) -> None:
        with self._lock:
            self._graph, self._meta, self._loaded_stamp = None, None, None
            self._beside = _Beside()
            self._recent, self._newest_seen = _Recent(), None
            self._in_file = set()
            self._checked_at = self._small_until = -1e18


_NO_KEY = np.iinfo(np.uint64).max


def _breadth(ask: int) -> int:
    """How broadly the graph is searched for `ask` candidates: EXPANSION_SEARCH for the few
    a match, a duplicate or the API needs (recall@10 above); for a long list (the inbox asks
    230) twice the count, at least 512: on PostgreSQL at 1,000,000 items the inbox's search
    by meaning went from p50 / p95 41.1 / 53.5 ms to 37 / 48 (200 requests)."""
    return EXPANSION_SEARCH if ask <= EXPANSION_SEARCH // 8 else max(2 * ask, 512)


def _quiet(_done: int) -> None:
    """Progress nobody follows."""


def _write(path: Path, save: Callable[[str], object]) -> None:
    """A file written whole or not at all: saved under another name, synced, renamed."""
    partial = path.with_name(path.name + ".partial")
    save(str(partial))
    with partial.open("rb") as handle:
        os.fsync(handle.fileno())
    partial.rename(path)


def _cutoff(watermark: datetime) -> datetime:
    return min(watermark, datetime.now(UTC) - SETTLE)


Rows = Callable[[np.ndarray], FloatMatrix]


def _grown(
    keys: np.ndarray, read: Rows, rows: np.ndarray, dim: int, done: Callable[[int], None]
) -> Index:
    """A graph of these rows, added one thread at a time in the order `rows` gives."""
    graph = _new_graph(dim)
    for start in range(0, len(rows), BATCH):
        part = rows[start : start + BATCH]
        graph.add(keys[part].astype(np.uint64), read(part), threads=1)
        done(start + len(part))
    return graph


def _unreached(
    graph: Index, keys: np.ndarray, read: Rows, rows: np.ndarray, done: Callable[[int], None]
) -> np.ndarray:
    """The rows that a search for their own vector, at a small breadth, does not find."""
    missed = [np.zeros(0, dtype=np.int64)]
    graph.expansion_search = CHECK_BREADTH  # type: ignore[misc]  # settable at run time
    try:
        for start in range(0, len(rows), BATCH):
            part = rows[start : start + BATCH]
            found = graph.search(read(part), CHECK_COUNT, threads=CHECK_THREADS)
            got = np.asarray(found.keys).reshape(len(part), -1)
            hit = (got == keys[part].astype(np.uint64)[:, None]).any(axis=1)
            missed.append(part[~hit])
            done(start + len(part))
    finally:
        graph.expansion_search = EXPANSION_SEARCH  # type: ignore[misc]  # settable at run time
    return np.concatenate(missed)


def _build(
    keys: np.ndarray, read: Rows, dim: int, progress: Progress | None = None
) -> tuple[Index, _Beside]:
    """The graph of every item, added in a random order, and what it does not reach."""
    total = len(keys)

    def report(stage: str) -> Callable[[int], None]:
        return lambda done: progress(stage, done, total) if progress else None

    order = np.random.default_rng(SHUFFLE_SEED).permutation(total)
    graph = _grown(keys, read, order, dim, report("adding"))
    unreached = _unreached(graph, keys, read, order, report("checking"))
    spare = None
    if len(unreached) > LOOSE_AT_MOST:
        spare = _grown(keys, read, unreached, dim, _quiet)
        unreached = _unreached(spare, keys, read, unreached, _quiet)
        if len(unreached) > LOOSE_AT_MOST:
            log.warning("search index: %d items compared exactly on every search", len(unreached))
    return graph, _Beside(spare, keys[unreached].astype(np.int64), read(unreached))


def _new_graph(dim: int) -> Index:
    return Index(
        ndim=dim,
        metric="cos",
        dtype="i8",
        connectivity=CONNECTIVITY,
        expansion_add=EXPANSION_ADD,
        expansion_search=EXPANSION_SEARCH,
    )


_indexes: dict[tuple[str, str], VectorIndex] = {}
_registry_lock = threading.Lock()


def index_for(session: Session) -> VectorIndex:
    engine = session.get_bind().engine
    directory = index_directory(engine)
    key = (engine.url.render_as_string(hide_password=True), str(directory))
    with _registry_lock:
        found = _indexes.get(key)
        if found is None:
            found = _indexes[key] = VectorIndex(engine, directory)
        return found


def forget_all() -> None:
    """Drop what this process holds (files are kept); the next search starts afresh."""
    with _registry_lock:
        for index in _indexes.values():
            index.forget()
        _indexes.clear()
