"""Events (stories) for the web: the list, and one event across outlets side by side.

Events come from the store (``spinscope events`` clusters them); a store without clustered
events falls back to articles tagged ``event:<name>`` at ingest, so a newsroom can group
stories by hand before (or instead of) clustering.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from spinscope.core.analysis import Analysis
from spinscope.core.taxonomy import Taxonomy
from spinscope.outlets.registry import OutletRegistry
from spinscope.store.records import Article
from spinscope.web.views import group_class, percent, technique_info

__all__ = ["EVENT_TAG", "EventInfo", "event_view", "events_from_tags", "heat_class"]

EVENT_TAG = "event:"
EXAMPLES_PER_OUTLET = 6
QUOTE_CHARS = 180


@dataclass(frozen=True, slots=True)
class EventInfo:
    """An event and its member article ids; ``origin`` is ``clustering`` or ``tags``."""

    id: str
    name: str
    article_ids: tuple[str, ...]
    terms: tuple[str, ...] = ()
    first_published: str | None = None
    last_published: str | None = None
    outlets: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    origin: str = "clustering"

    @classmethod
    def from_record(cls, record: Any) -> EventInfo:
        return cls(record.id, record.name, tuple(record.article_ids), tuple(record.terms),
                   record.first_published, record.last_published, tuple(record.outlets),
                   tuple(record.langs))

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "terms": list(self.terms),
                "articles": len(self.article_ids), "first_published": self.first_published,
                "last_published": self.last_published, "outlets": list(self.outlets),
                "langs": list(self.langs), "origin": self.origin}


def events_from_tags(articles: Iterable[Article]) -> list[EventInfo]:
    """Events made of articles sharing an ``event:<name>`` tag, largest first."""
    members: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        for tag in a.tags:
            if tag.startswith(EVENT_TAG) and len(tag) > len(EVENT_TAG):
                members[tag[len(EVENT_TAG):]].append(a)
    out = []
    for name, arts in members.items():
        dates = sorted(a.published for a in arts if a.published)
        out.append(EventInfo(
            id=name, name=name.replace("-", " ").replace("_", " ").capitalize(),
            article_ids=tuple(a.id for a in arts),
            first_published=dates[0] if dates else None,
            last_published=dates[-1] if dates else None,
            outlets=tuple(sorted({a.outlet for a in arts if a.outlet})),
            langs=tuple(sorted({a.lang for a in arts if a.lang})), origin="tags"))
    out.sort(key=lambda e: (-len(e.article_ids), e.id))
    return out


def heat_class(value: float, top: float) -> str:
    """``heat-0`` .. ``heat-5`` for a value relative to the largest one (CSS, no inline style)."""
    if value <= 0 or top <= 0:
        return "heat-0"
    return f"heat-{max(1, min(5, round(5 * value / top)))}"


def _outlet_meta(registry: OutletRegistry | None, outlet: str | None) -> dict[str, Any]:
    o = registry.get(outlet) if registry is not None and outlet else None
    return {"id": outlet or "", "name": o.name if o else (outlet or "unknown outlet"),
            "bloc": o.blocs[0] if o and o.blocs else None,
            "country": o.country if o else None}


def event_view(event: EventInfo, members: Sequence[tuple[Article, Analysis | None]],
               taxonomy: Taxonomy, registry: OutletRegistry | None) -> dict[str, Any]:
    """Per-outlet columns (articles, rates, example quotes) and a technique x outlet table.

    Syndicated and near-duplicate copies are listed under their outlet but not counted, so a
    wire story republished five times weighs once.
    """
    by_outlet: dict[str, list[tuple[Article, Analysis | None]]] = defaultdict(list)
    for article, analysis in members:
        by_outlet[article.outlet or ""].append((article, analysis))
    columns: list[dict[str, Any]] = []
    for outlet, items in sorted(by_outlet.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        counts: Counter[str] = Counter()
        words = 0
        examples: list[dict[str, Any]] = []
        articles: list[dict[str, Any]] = []
        for article, analysis in sorted(items, key=lambda x: x[0].published or ""):
            counted = article.dup_of is None
            articles.append({"id": article.id, "title": article.title,
                             "published": article.published, "lang": article.lang,
                             "dup_of": article.dup_of, "dup_kind": article.dup_kind,
                             "analysed": analysis is not None,
                             "spans": len(analysis.spans) if analysis else None})
            if analysis is None or not counted:
                continue
            words += analysis.word_count
            counts.update(s.label for s in analysis.spans if s.label)
            ordered = sorted(analysis.spans, key=lambda s: (s.start, s.end, s.label or ""))
            for index, s in enumerate(ordered):
                quote = analysis.text[s.start:s.end]
                if len(quote) > QUOTE_CHARS:
                    quote = quote[:QUOTE_CHARS].rsplit(" ", 1)[0] + "…"
                info = technique_info(taxonomy, s.label)
                examples.append({**info, "css": group_class(info["group"]), "quote": quote,
                                 "score": s.score, "confidence": percent(s.score),
                                 "document_id": article.id, "span_index": index})
        examples.sort(key=lambda e: -(e["score"] or 0.0))
        columns.append({
            "outlet": _outlet_meta(registry, outlet), "articles": articles, "words": words,
            "spans": sum(counts.values()),
            "rate_per_1000_words": 1000.0 * sum(counts.values()) / words if words else None,
            "counts": dict(counts), "examples": examples[:EXAMPLES_PER_OUTLET],
            "analysed": any(a["analysed"] for a in articles),
            "copies_only": all(a["dup_of"] for a in articles)})
    columns.sort(key=lambda c: (c["outlet"]["bloc"] or "~", c["outlet"]["name"].casefold()))
    names = sorted({t for c in columns for t in c["counts"]},
                   key=lambda t: (taxonomy.index(t) if t in taxonomy else 999, t))
    rates = {(c["outlet"]["id"], t): (1000.0 * c["counts"].get(t, 0) / c["words"]
                                      if c["words"] else 0.0) for c in columns for t in names}
    top = max(rates.values(), default=0.0)
    techniques = [{**technique_info(taxonomy, t),
                   "css": group_class(technique_info(taxonomy, t)["group"])} for t in names]
    table = [{"outlet": c["outlet"], "counted": c["words"] > 0,
              "rate_per_1000_words": c["rate_per_1000_words"],
              "cells": [{"technique": t, "count": c["counts"].get(t, 0),
                         "rate": rates[(c["outlet"]["id"], t)],
                         "heat": heat_class(rates[(c["outlet"]["id"], t)], top)}
                        for t in names]}
             for c in columns]
    return {"event": event.to_dict(), "columns": columns, "techniques": techniques,
            "table": table,
            "unanalysed": sum(1 for _, a in members if a is None)}
