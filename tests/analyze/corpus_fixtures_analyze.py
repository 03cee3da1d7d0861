"""Small fictional articles inserted straight into a store (no ingest pipeline needed)."""

from __future__ import annotations

from spinscope.core.document import content_hash
from spinscope.store import Article, CorpusStore

PHRASES = [
    "The council met on Tuesday to discuss the harbour budget.",
    "Critics called the plan shameful and the mayor a puppet of developers.",
    "Everyone knows the so-called reform will fail, said the opposition.",
    "Officials published the figures without comment.",
]


def make_text(i: int, extra: str = "") -> str:
    return "\n\n".join([f"Report number {i}", PHRASES[i % 4], PHRASES[(i + 1) % 4]]) + extra


def add_articles(store: CorpusStore, n: int, start: int = 0, extra: dict[int, str] | None = None,
                 outlets: tuple[str, ...] = ("north-post", "south-star")) -> list[str]:
    """Insert ``n`` articles (ids ``doc-0000``...), alternating outlets; returns their ids."""
    ids = []
    with store.transaction():
        for i in range(start, start + n):
            text = make_text(i, (extra or {}).get(i, ""))
            aid = f"doc-{i:04d}"
            store.insert(Article(id=aid, text=text, content_hash=content_hash(text),
                                 location=f"fixture:{i}", outlet=outlets[i % len(outlets)],
                                 lang="en", published=f"2031-03-{i % 28 + 1:02d}",
                                 title=f"Report number {i}"))
            ids.append(aid)
    return ids
