"""The external ids a file has given so far, kept in bounded memory for a file of millions."""

import hashlib
import sqlite3
from collections.abc import Iterable

import numpy as np

# Ids kept in memory before they go to disk: ~5 MB of digests and lines.
IN_MEMORY = 200_000


class SeenIds:
    """The external ids a file has given so far, each with its line, to name a repeated one.

    The current chunk's ids are in a dict; those of the chunks checked before are kept as
    128-bit digests and lines in sorted NumPy arrays (24 bytes an id; a dict of a million ids
    and lines held ~130 MB). Beyond `IN_MEMORY` ids they go to a private SQLite file on disk
    instead, which SQLite deletes when it is closed: the import's memory then stays flat
    however long the file (through 400,000 rows, RSS rose 105 → 169 MB with every digest in
    memory, 105 → 141 MB with none). Two different ids share a digest about once in 10^27
    pairs (ids made from content already trust 80 bits)."""

    def __init__(self, in_memory: int | None = None) -> None:
        self.recent: dict[str, int] = {}
        self.high = np.empty(0, np.uint64)
        self.low = np.empty(0, np.uint64)
        self.lines = np.empty(0, np.int64)
        self._in_memory = IN_MEMORY if in_memory is None else in_memory
        self._disk: sqlite3.Connection | None = None
        self._on_disk = 0

    def __len__(self) -> int:
        return len(self.recent) + len(self.lines) + self._on_disk

    @staticmethod
    def _digests(keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
        blob = b"".join(hashlib.blake2b(key.encode(), digest_size=16).digest() for key in keys)
        pairs = np.frombuffer(blob, dtype=np.uint64).reshape(-1, 2)
        return pairs[:, 0], pairs[:, 1]

    def _seal(self) -> None:
        if not self.recent:
            return
        high, low = self._digests(list(self.recent))
        lines = np.fromiter(self.recent.values(), np.int64, len(self.recent))
        self.recent = {}
        if self._disk is not None or len(self.lines) + len(lines) > self._in_memory:
            self._to_disk(high, low, lines)
            return
        high = np.concatenate([self.high, high])
        order = np.argsort(high, kind="stable")
        self.high = high[order]
        self.low = np.concatenate([self.low, low])[order]
        self.lines = np.concatenate([self.lines, lines])[order]

    def _to_disk(self, high: np.ndarray, low: np.ndarray, lines: np.ndarray) -> None:
        if self._disk is None:
            # "": a private temporary database on disk, deleted when closed.
            self._disk = sqlite3.connect("")
            # Nothing here outlives the import: no journal, no waiting for the disk.
            self._disk.execute("PRAGMA journal_mode = OFF")
            self._disk.execute("PRAGMA synchronous = OFF")
            self._disk.execute(
                "CREATE TABLE seen (high INTEGER, low INTEGER, line INTEGER, "
                "PRIMARY KEY (high, low)) WITHOUT ROWID"
            )
            self._disk.execute("CREATE TABLE asked (n INTEGER, high INTEGER, low INTEGER)")
            # What memory held so far goes first: its lines are the earlier ones.
            high, low, lines = (
                np.concatenate([self.high, high]),
                np.concatenate([self.low, low]),
                np.concatenate([self.lines, lines]),
            )
            self.high, self.low, self.lines = (
                np.empty(0, np.uint64),
                np.empty(0, np.uint64),
                np.empty(0, np.int64),
            )
        rows = zip(
            high.view(np.int64).tolist(), low.view(np.int64).tolist(), lines.tolist(), strict=True
        )
        with self._disk:
            # The first line an id was given on is the one a repeat names.
            added = self._disk.executemany("INSERT OR IGNORE INTO seen VALUES (?, ?, ?)", rows)
        self._on_disk += added.rowcount

    def earlier(self, keys: Iterable[str]) -> dict[str, int]:
        """The line of each of `keys` given before this chunk (the ids added since the last
        call are folded in first)."""
        self._seal()
        wanted = list(dict.fromkeys(keys))
        if not wanted or not len(self):
            return {}
        high, low = self._digests(wanted)
        found: dict[str, int] = {}
        if self._disk is not None:
            # The chunk's digests in a table of their own, joined in one statement.
            asked = zip(
                range(len(wanted)),
                high.view(np.int64).tolist(),
                low.view(np.int64).tolist(),
                strict=True,
            )
            with self._disk:
                self._disk.execute("DELETE FROM asked")
                self._disk.executemany("INSERT INTO asked VALUES (?, ?, ?)", asked)
                rows = self._disk.execute(
                    "SELECT asked.n, seen.line FROM asked "
                    "JOIN seen ON seen.high = asked.high AND seen.low = asked.low"
                ).fetchall()
            return {wanted[n]: int(line) for n, line in rows}
        at = np.searchsorted(self.high, high)
        for index in np.flatnonzero(at < len(self.high)):
            position = int(at[index])
            while position < len(self.high) and self.high[position] == high[index]:
                if self.low[position] == low[index]:
                    found[wanted[index]] = int(self.lines[position])
                    break
                position += 1
        return found

    def add(self, key: str, line: int) -> None:
        self.recent[key] = line

    def close(self) -> None:
        """Delete the file on disk, if there is one (a closed set still counts its ids)."""
        if self._disk is not None:
            self._disk.close()
            self._disk = None
