"""Fakes for the web tests: a deterministic analyser and a small fictional corpus store."""

from __future__ import annotations

import re
from pathlib import Path

from spinscope.core.analysis import Analysis, ParagraphResult
from spinscope.core.document import content_hash
from spinscope.core.span import Span
from spinscope.store import open_store
from spinscope.store.base import CorpusStore
from spinscope.store.records import Article, make_article_id

LEXICON = {
    "traitor": ("Name_Calling-Labeling", 0.91),
    "so-called": ("Doubt", 0.74),
    "disaster": ("Loaded_Language", 0.83),
    "what about": ("Whataboutism", 0.66),
    "everyone knows": ("Appeal_to_Popularity", 0.58),
    "catastrophic failure of the council": ("Exaggeration-Minimisation", 0.52),
}
_PATTERN = re.compile("|".join(re.escape(k) for k in sorted(LEXICON, key=len, reverse=True)),
                      re.IGNORECASE)
_PARA = re.compile(r"[^\n]*\S[^\n]*")


def fake_spans(text: str) -> list[Span]:
    spans = []
    for m in _PATTERN.finditer(text):
        label, score = LEXICON[m.group(0).lower()]
        spans.append(Span(m.start(), m.end(), label, score, "fake-1"))
        if label == "Loaded_Language":  # an overlapping second technique on the same words
            spans.append(Span(max(0, m.start() - 4), m.end(), "Exaggeration-Minimisation", 0.4,
                              "fake-1"))
    return spans


def fake_analyser(text: str) -> Analysis:
    """Marks lexicon phrases; paragraphs are non-blank lines. Pure and fast."""
    spans = fake_spans(text)
    paras = []
    for i, m in enumerate(_PARA.finditer(text)):
        labels = sorted({s.label for s in spans if s.label and s.start < m.end()
                         and m.start() < s.end})
        paras.append(ParagraphResult(i, m.start(), m.end(), tuple(labels)))
    return Analysis(text, tuple(spans), tuple(paras), "fake", "fake-1")


TOKEN = "test-token-0123456789"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
XSS_URL = 'https://evil.example/"><script>alert(2)</script>'

ARTICLES = [
    # (outlet, lang, published, title, text, tags)
    ("harbour-gazette", "en", "2031-03-03", "Council approves new pier fees",
     "The council approved new pier fees on Tuesday.\n\nFishermen said the fees were a "
     "disaster for small boats.", ("event:pier-fees",)),
    ("marlow-daily", "en", "2031-03-04", "Pier fees: the so-called reform",
     "The so-called reform is a disaster.\n\nEveryone knows the council lies. What about the "
     "yacht club?", ("event:pier-fees",)),
    ("veligrad-wire", "ru", "2031-03-05", "Совет утвердил сборы",
     "Совет утвердил новые сборы за причал во вторник.", ("event:pier-fees",)),
    (f"evil{XSS}", "en", "2031-03-06", f"Title {XSS}",
     f"Body text with {XSS} and a traitor.\n\nSecond paragraph.", ("event:xss",)),
]


def make_store(path: Path) -> CorpusStore:
    """A SQLite store with the fictional articles above (one with XSS payloads everywhere)."""
    store = open_store(str(path))
    with store.transaction():
        for n, (outlet, lang, published, title, text, tags) in enumerate(ARTICLES):
            url = XSS_URL if outlet.startswith("evil") else \
                f"https://{outlet}.example/{published}/{n}"
            h = content_hash(text)
            store.insert(Article(id=make_article_id(h, url, url), text=text, content_hash=h,
                                 location=url, url=url, title=title, published=published,
                                 lang=lang, outlet=outlet, tags=tags))
    return store


def analyse_store(store: CorpusStore) -> None:
    """Store fake-analyser results for every article (what `analyze-corpus` would do)."""
    from spinscope.analyze.analyser import ModelInfo
    from spinscope.analyze.records import StoredAnalysis

    info = ModelInfo("fake", "fake-1", tuple(sorted({v[0] for v in LEXICON.values()})))
    with store.transaction():
        run = store.start_analysis_run(info, {})
        results = [StoredAnalysis.from_analysis(a.id, fake_analyser(a.text))
                   for a in store.iter_articles()]
        store.save_analyses(run, results)
        store.finish_analysis_run(run, {"analysed": len(results)})


def make_sample_store(path: Path) -> CorpusStore:
    """The bundled fictional sample corpus, tagged ``event:<id>``, with keyword analyses."""
    from spinscope.analyze.records import StoredAnalysis
    from spinscope.analyze.testing import KeywordAnalyser
    from spinscope.samples import load_samples

    analyser = KeywordAnalyser()
    store = open_store(str(path))
    samples = load_samples()
    ids = {a.id: make_article_id(content_hash(a.text), a.url, a.url) for a in samples}
    with store.transaction():
        for a in sorted(samples, key=lambda a: a.syndicated_from is not None):
            store.insert(Article(
                id=ids[a.id], text=a.text, content_hash=content_hash(a.text), location=a.url,
                url=a.url, title=a.title, published=a.published.isoformat(), lang=a.lang,
                outlet=a.outlet, tags=(f"event:{a.event}",),
                dup_of=ids[a.syndicated_from] if a.syndicated_from else None,
                dup_kind="syndicated" if a.syndicated_from else None))
        run = store.start_analysis_run(analyser.info, {})
        results = [StoredAnalysis.from_analysis(a.id, r) for a, r in zip(
            list(store.iter_articles()),
            analyser.analyze_many([a.text for a in store.iter_articles()]), strict=True)]
        store.save_analyses(run, results)
        store.finish_analysis_run(run, {"analysed": len(results)})
    return store
