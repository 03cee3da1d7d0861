"""Collect everything a report shows from the store (numbers, events, examples, model card).

All reads stream: comparisons are single passes over result rows, and examples come from a
bounded scan keeping only the best few spans per technique and outlet.
"""

from __future__ import annotations

import datetime as dt
import heapq
import logging
from dataclasses import dataclass, field
from typing import Any

from spinscope.compare import DEFAULT_SEED, CompareOptions, Comparison, compare_store
from spinscope.compare.source import bloc_map, model_techniques, resolve_model_version
from spinscope.core.taxonomy import load_taxonomy
from spinscope.events.records import EventRecord
from spinscope.outlets.registry import OutletRegistry
from spinscope.store.base import CorpusStore
from spinscope.store.records import ArticleFilter

__all__ = ["Example", "ReportData", "ReportOptions", "collect_report", "model_card_excerpt"]

log = logging.getLogger(__name__)

MAX_EVENT_DOTS = 400
_SENTENCE_END = ".!?…»\"”)"  # articles drawn per event on the timeline


@dataclass(frozen=True)
class ReportOptions:
    """What a report covers and how much of it it shows."""

    title: str = "Persuasion techniques in the corpus"
    where: ArticleFilter | None = None
    event_id: str | None = None  # only this event's articles
    model_version: str | None = None
    bundle: str | None = None  # model bundle for the model card (default: the packaged one)
    resamples: int = 1000
    seed: int = DEFAULT_SEED
    trend_bucket: str = "week"
    examples_per_technique: int = 3
    example_techniques: int = 10
    max_scan: int = 50_000  # articles scanned for examples
    max_events: int = 12
    context_chars: int = 160
    min_score: float = 0.0  # count and show only spans scored at least this


@dataclass(frozen=True)
class Example:
    """One highlighted span with the words around it (text is escaped when rendered)."""

    technique: str
    article_id: str
    outlet: str | None
    published: str | None
    title: str | None
    lang: str | None
    before: str
    span: str
    after: str
    score: float | None


@dataclass
class ReportData:
    options: ReportOptions
    generated_at: str
    store: str
    model_version: str
    techniques: tuple[str, ...]  # the model version's covered techniques
    articles_in_scope: int
    by_outlet: Comparison
    by_bloc: Comparison
    by_lang: Comparison
    trend: Comparison
    events: list[EventRecord]
    event_profiles: dict[str, Comparison]
    examples: dict[str, list[Example]]
    outlet_names: dict[str, str]
    outlet_blocs: dict[str, str]
    model_card: dict[str, Any] = field(default_factory=dict)
    article_meta: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)  # span score distribution


def _context(text: str, start: int, end: int, width: int) -> tuple[str, str, str]:
    """Text before the span (from a sentence or line start), the span, text after it."""
    lo = max(0, start - width)
    cut = max(text.rfind("\n", lo, start), text.rfind(". ", lo, start))
    lo = cut + 1 if cut >= 0 else lo
    hi = min(len(text), end + width)
    stops = [i for i in (text.find("\n", end, hi), text.find(". ", end, hi)) if i >= 0]
    hi = min(stops) + 1 if stops else hi
    before = text[lo:start].lstrip()
    if lo > 0 and text[lo - 1] not in "\n." and before:
        before = "…" + before
    after = text[end:hi].rstrip()
    if hi < len(text) and after and after[-1] not in _SENTENCE_END:
        after += "…"
    return before, text[start:end], after


def _score_summary(histogram: list[int]) -> dict[str, float]:
    total = sum(histogram)
    if not total:
        return {}
    running, median = 0, 0.0
    for i, n in enumerate(histogram):
        running += n
        if running * 2 >= total:
            median = (i + 0.5) / len(histogram)
            break
    below = sum(histogram[: len(histogram) // 2])
    return {"spans": float(total), "median": median, "share_below_half": below / total}


def collect_examples(store: CorpusStore, version: str, options: ReportOptions,
                     techniques: tuple[str, ...],
                     histogram: list[int] | None = None) -> dict[str, list[Example]]:
    """Best-scored spans per technique, preferring different outlets.

    ``histogram`` (100 bins over [0, 1]) receives the scores of every span scanned.
    """
    keep = options.examples_per_technique
    best: dict[tuple[str, str], list[tuple[float, int, Example]]] = {}
    counter = 0
    for n, (article, result) in enumerate(store.iter_analysed(version, options.where,
                                                              options.event_id)):
        if n >= options.max_scan:
            log.info("report examples: scanned the first %d articles only", n)
            break
        if article.dup_of is not None:
            continue
        for span in result.spans:
            if histogram is not None and span.score is not None:
                histogram[min(int(span.score * len(histogram)), len(histogram) - 1)] += 1
            if span.label not in techniques or len(span) < 2:
                continue
            if span.score is not None and span.score < options.min_score:
                continue
            counter += 1
            key = (span.label, article.outlet or "")
            heap = best.setdefault(key, [])
            score = span.score if span.score is not None else 0.0
            if len(heap) >= keep and score <= heap[0][0]:
                continue
            before, text, after = _context(article.text, span.start, span.end,
                                           options.context_chars)
            ex = Example(span.label, article.id, article.outlet, article.published,
                         article.title, article.lang, before, text, after, span.score)
            item = (score, -counter, ex)
            if len(heap) < keep:
                heapq.heappush(heap, item)
            else:
                heapq.heapreplace(heap, item)
    out: dict[str, list[Example]] = {}
    for (tech, _outlet), heap in best.items():
        out.setdefault(tech, []).extend(ex for _, _, ex in heap)
    for tech, items in out.items():
        items.sort(key=lambda e: -(e.score or 0.0))
        chosen: list[Example] = []
        outlets: set[str | None] = set()
        for e in items:  # one per outlet first, then the best of the rest
            if e.outlet not in outlets:
                chosen.append(e)
                outlets.add(e.outlet)
        chosen += [e for e in items if e not in chosen]
        out[tech] = chosen[:keep]
    return out


def model_card_excerpt(version: str, bundle: str | None = None) -> dict[str, Any]:
    """Name, coverage, metrics, licence and limits from the bundle manifest, if it matches."""
    try:
        from spinscope.models.card import language_caveat
        from spinscope.models.runtime import load_bundle

        b = load_bundle(bundle)
    except Exception as e:  # no bundle installed, or a broken one: the report says so
        return {"available": False, "reason": f"no model bundle could be read ({e})"}
    m = b.manifest
    if str(m.get("version")) != version:
        return {"available": False,
                "reason": f"the installed bundle is version {m.get('version')}, the results "
                          f"were produced by {version}; its model card does not apply"}
    card = b.path / "MODEL_CARD.md"
    licence = ""
    if card.is_file():
        text = card.read_text("utf-8")
        for para in text.split("\n\n"):
            if "licence" in para.lower() or "license" in para.lower():
                licence = " ".join(para.split())
                break
    return {"available": True, "name": m.get("name"), "version": m.get("version"),
            "taxonomy": m.get("taxonomy"), "covered": list(m.get("covered", [])),
            "metrics": m.get("metrics", {}), "training": m.get("training", {}).get("data"),
            "licence": licence, "max_tokens": m.get("max_tokens"),
            "language_caveat": language_caveat(m)}


def collect_report(store: CorpusStore, options: ReportOptions | None = None,
                   registry: OutletRegistry | None = None) -> ReportData:
    """Everything ``render_report`` needs."""
    options = options or ReportOptions()
    version = resolve_model_version(store, options.model_version)
    techniques = model_techniques(store, version)
    base = CompareOptions(resamples=options.resamples, seed=options.seed,
                          min_score=options.min_score)

    def cmp(**kw: Any) -> Comparison:
        opts = CompareOptions(**{**base.to_dict(), **kw})
        return compare_store(store, opts, options.where, options.event_id, version, registry)

    by_outlet = cmp(by="outlet")
    events = [e for e in store.list_events() if options.event_id in (None, e.id)]
    events.sort(key=lambda e: (-e.size, e.first_published or ""))
    events = events[: options.max_events]
    profiles = {e.id: compare_store(store, CompareOptions(by="outlet", resamples=0,
                                                          min_score=options.min_score),
                                    options.where, e.id, version, registry) for e in events}
    names = {o.id: o.name for o in registry} if registry is not None else {}
    histogram = [0] * 100
    meta: dict[str, tuple[str | None, str | None]] = {}
    for e in events:
        for article_id in e.article_ids[:MAX_EVENT_DOTS]:
            a = store.get(article_id)
            meta[article_id] = (a.outlet, a.published)
    return ReportData(
        options=options,
        generated_at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        store=store.location, model_version=version, techniques=techniques,
        articles_in_scope=sum(g.articles for g in by_outlet.groups) + by_outlet.copies_left_out,
        by_outlet=by_outlet, by_bloc=cmp(by="bloc"), by_lang=cmp(by="lang"),
        trend=cmp(by="bloc", over=options.trend_bucket, resamples=0),
        events=sorted(events, key=lambda e: e.first_published or ""),
        event_profiles=profiles,
        examples=collect_examples(store, version, options, techniques, histogram),
        outlet_names=names, outlet_blocs=bloc_map(registry),
        model_card=model_card_excerpt(version, options.bundle), article_meta=meta,
        scores=_score_summary(histogram),
    )


def taxonomy_definitions() -> dict[str, tuple[str, str, str]]:
    """Technique name → (title, group name, definition)."""
    return {t.name: (t.title, t.group.name, t.definition) for t in load_taxonomy()}
