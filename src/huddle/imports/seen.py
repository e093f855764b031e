"""The external ids a file has given so far, kept small enough for a file of millions."""

import hashlib
from collections.abc import Iterable

import numpy as np


class SeenIds:
    """The external ids a file has given so far, each with its line, to name a repeated one.

    A dict of a million ids and lines holds ~130 MB, the most of a large import's memory and
    growing with the file. The ids of the chunks checked before are kept as 128-bit digests
    and lines in sorted NumPy arrays instead (24 bytes an id), the current chunk's in a dict.
    Two different ids share a digest about once in 10^27 pairs (ids made from content
    already trust 80 bits)."""

    def __init__(self) -> None:
        self.recent: dict[str, int] = {}
        self.high = np.empty(0, np.uint64)
        self.low = np.empty(0, np.uint64)
        self.lines = np.empty(0, np.int64)

    def __len__(self) -> int:
        return len(self.recent) + len(self.lines)

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
        high = np.concatenate([self.high, high])
        order = np.argsort(high, kind="stable")
        self.high = high[order]
        self.low = np.concatenate([self.low, low])[order]
        self.lines = np.concatenate([self.lines, lines])[order]
        self.recent = {}

    def earlier(self, keys: Iterable[str]) -> dict[str, int]:
        """The line of each of `keys` given before this chunk (the ids added since the last
        call are folded in first)."""
        self._seal()
        wanted = list(dict.fromkeys(keys))
        if not wanted or not len(self.high):
            return {}
        high, low = self._digests(wanted)
        at = np.searchsorted(self.high, high)
        found: dict[str, int] = {}
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
