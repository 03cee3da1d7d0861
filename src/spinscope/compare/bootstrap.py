"""Streaming Poisson bootstrap of per-article sums (constant memory per group).

Each article of a group gets, in every one of ``B`` resamples, a weight drawn from
Poisson(1): the streaming equivalent of resampling articles with replacement (Hanley &
MacGibbon 2006; Chamandy et al. 2012). We accumulate weighted sums of a few per-article
columns, so any number of articles fits in ``B x columns`` floats per group, and each group's
weights come from its own generator seeded with ``(seed, group key)``: a group's interval
does not depend on which other groups were compared, and the same store, seed and options
give the same numbers.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np

__all__ = ["DEFAULT_RESAMPLES", "DEFAULT_SEED", "GroupSums", "group_seed"]

DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 20310317
FLUSH_ROWS = 256  # articles buffered per group before their weights are drawn


def group_seed(seed: int, key: Sequence[object]) -> list[int]:
    """A seed sequence for one group: the run seed plus a stable hash of the group key."""
    return [seed, zlib.crc32(repr(tuple(key)).encode("utf-8"))]


class GroupSums:
    """Exact and bootstrap-weighted column sums of the articles of one group.

    Columns are whatever the caller puts in each row (here: words, 1, per-technique counts,
    per-technique presence). ``totals`` are the plain sums; ``replicates`` is ``(B, columns)``.
    """

    def __init__(self, columns: int, resamples: int, seed: Sequence[int]):
        self.columns = columns
        self.resamples = resamples
        self.rng = np.random.default_rng(list(seed))
        self.totals = np.zeros(columns, dtype=np.float64)
        self.replicates = np.zeros((resamples, columns), dtype=np.float64)
        self._buffer = np.zeros((FLUSH_ROWS, columns), dtype=np.float32)
        self._n = 0
        self.articles = 0

    def add(self, row: np.ndarray) -> None:
        self._buffer[self._n] = row
        self._n += 1
        self.articles += 1
        if self._n == FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self._n:
            return
        rows = self._buffer[: self._n]
        self.totals += rows.sum(axis=0, dtype=np.float64)
        if self.resamples:
            weights = self.rng.poisson(1.0, size=(self.resamples, self._n)).astype(np.float32)
            self.replicates += (weights @ rows).astype(np.float64)
        self._n = 0
