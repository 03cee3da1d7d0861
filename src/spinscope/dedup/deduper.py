"""Deciding whether a new article is a duplicate, a linked copy, or new.

Rules, in order:

1. a URL key already known (requested, final or canonical URL) → **duplicate**, not stored;
2. the same raw bytes, from the same outlet (or no outlet) → **duplicate**;
3. the same text from the same outlet (or where either has no outlet) → **duplicate**;
   the same text from another outlet → stored, linked as a **syndicated** copy;
4. a MinHash LSH candidate whose shingle Jaccard similarity is ≥ ``MIN_JACCARD`` → stored and
   linked: **syndicated** when the outlets differ, **near** (an update, another URL) otherwise;
5. otherwise → **new** original.

Links always point at the root (the first stored article of the group), so a story is counted
once by leaving out articles with ``dup_of`` set.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from spinscope.dedup.minhash import MIN_JACCARD, jaccard, shingles
from spinscope.store.base import CorpusStore, Match
from spinscope.store.records import DUP_NEAR, DUP_SYNDICATED

__all__ = ["Decision", "Deduper"]


@dataclass(frozen=True, slots=True)
class Decision:
    action: Literal["duplicate", "add"]
    dup_of: str | None = None  # duplicate: the stored article; add: the root it is linked to
    dup_kind: str | None = None  # add: syndicated | near | None
    reason: str = ""


def _same_outlet(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


class Deduper:
    """Applies the rules above using the store's look-ups (works on every backend)."""

    def __init__(self, store: CorpusStore, near: bool = True):
        self.store = store
        self.near = near

    def check_url(self, keys: list[str]) -> str | None:
        """The stored article known under one of these URL keys (checked before fetching)."""
        return self.store.find_url(keys) if keys else None

    def check_raw(self, raw_hash: str, outlet: str | None) -> str | None:
        for m in self.store.find_raw(raw_hash):
            if _same_outlet(m.outlet, outlet):
                return m.id
        return None

    def decide(self, text: str, content_hash: str, near_keys: tuple[int, ...],
               outlet: str | None, url_keys: list[str]) -> Decision:
        known = self.check_url(url_keys)
        if known is not None:
            return Decision("duplicate", known, reason="same URL")
        same_text = self.store.find_content(content_hash)
        for m in same_text:
            if _same_outlet(m.outlet, outlet):
                return Decision("duplicate", m.id, reason="same text")
        if same_text:
            return Decision("add", _root(same_text[0]), DUP_SYNDICATED,
                            reason=f"same text as {same_text[0].id} ({same_text[0].outlet})")
        if self.near and near_keys:
            near = self._near(text, near_keys)
            if near is not None:
                kind = DUP_NEAR if _same_outlet(near.outlet, outlet) else DUP_SYNDICATED
                return Decision("add", _root(near), kind, reason=f"near-duplicate of {near.id}")
        return Decision("add")

    def _near(self, text: str, near_keys: tuple[int, ...]) -> Match | None:
        candidates = self.store.near_candidates(near_keys)
        if not candidates:
            return None
        mine = shingles(text)
        best: tuple[float, Match] | None = None
        for m in candidates:
            score = jaccard(mine, shingles(self.store.get(m.id).text))
            if score >= MIN_JACCARD and (best is None or score > best[0]):
                best = (score, m)
        return best[1] if best else None


def _root(m: Match) -> str:
    return m.dup_of or m.id
