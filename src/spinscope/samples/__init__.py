"""The bundled sample corpus: fictional news articles for demos, tests and evaluation.

Everything in this package (outlets, countries, people, events, article texts and gold
annotation) is invented and was written for spinscope; see ``README.md`` next to this file.

Layout (package data)::

    outlets.json        fictional outlets with ownership and bloc tags
    articles.jsonl      one record per article (file, outlet, lang, date, event, url, ...)
    articles/*.txt      title line, blank line, paragraphs separated by blank lines
    gold_spans.jsonl    our own technique spans for the articles with ``gold_annotated``
    events_gold.json    event id of every article (gold labels for event clustering)

Gold offsets are code points into the file read with ``encoding="utf-8", newline=""``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from spinscope.core.document import Document
from spinscope.core.span import Span
from spinscope.corpora.base import GoldDocument
from spinscope.errors import CorpusError, CorpusFormatError

__all__ = [
    "GoldSpan",
    "SampleArticle",
    "SampleOutlet",
    "load_events_gold",
    "load_gold_documents",
    "load_gold_spans",
    "load_outlets",
    "load_samples",
    "samples_dir",
]


@dataclass(frozen=True, slots=True)
class SampleOutlet:
    """A fictional outlet. ``blocs[0]`` is its primary bloc."""

    id: str
    name: str
    name_en: str
    domain: str
    country: str
    language: str
    ownership: str
    state_affiliated: bool
    blocs: tuple[str, ...]
    description: str = ""

    @property
    def bloc(self) -> str:
        return self.blocs[0]


@dataclass(frozen=True, slots=True)
class SampleArticle:
    """One sample article with its manifest record and its text exactly as stored."""

    id: str
    outlet: str
    lang: str
    published: date
    title: str
    event: str
    url: str
    file: str
    text: str
    syndicated_from: str | None = None
    gold_annotated: bool = False

    def to_document(self) -> Document:
        """The article as a ``Document`` (metadata carries outlet, date, event and url)."""
        meta: dict[str, Any] = {
            "outlet": self.outlet,
            "published": self.published.isoformat(),
            "event": self.event,
            "url": self.url,
            "source": "spinscope-samples",
        }
        if self.syndicated_from:
            meta["syndicated_from"] = self.syndicated_from
        return Document(self.id, self.text, self.lang, self.title, meta)


@dataclass(frozen=True, slots=True)
class GoldSpan:
    """One gold technique span: ``text[start:end]`` of article ``id`` equals ``text``."""

    id: str
    technique: str
    start: int
    end: int
    text: str

    def to_span(self) -> Span:
        return Span(self.start, self.end, self.technique)


def samples_dir() -> Path:
    """The folder holding the sample corpus files (inside the installed package)."""
    root = resources.files(__name__)
    if isinstance(root, Path):
        return root
    # Zipped or otherwise non-filesystem installs: fall back to the traversable's path.
    path = Path(str(root))
    if not path.is_dir():
        raise CorpusError(
            f"the sample corpus is not on the file system ({root}); "
            "install spinscope from a wheel or source tree, not a zip"
        )
    return path


def _read_text(name: str) -> str:
    path = samples_dir() / name
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return f.read()
    except FileNotFoundError:
        raise CorpusError(
            f"sample file {path} is missing; reinstall spinscope (package data is incomplete)"
        ) from None


def _read_jsonl(name: str) -> list[tuple[int, dict[str, Any]]]:
    rows: list[tuple[int, dict[str, Any]]] = []
    for n, line in enumerate(_read_text(name).splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            raise CorpusFormatError(f"invalid JSON: {e.msg}", name, n) from None
        if not isinstance(rec, dict):
            raise CorpusFormatError("expected a JSON object", name, n)
        rows.append((n, rec))
    return rows


def load_outlets() -> list[SampleOutlet]:
    """The fictional outlets of ``outlets.json``, in file order."""
    data = json.loads(_read_text("outlets.json"))
    out = []
    for rec in data["outlets"]:
        try:
            out.append(SampleOutlet(
                id=rec["id"], name=rec["name"], name_en=rec.get("name_en", rec["name"]),
                domain=rec["domain"], country=rec["country"], language=rec["language"],
                ownership=rec["ownership"], state_affiliated=bool(rec["state_affiliated"]),
                blocs=tuple(rec["blocs"]), description=rec.get("description", ""),
            ))
        except KeyError as e:
            raise CorpusFormatError(f"outlet {rec.get('id')!r} lacks field {e}",
                                    "outlets.json") from None
    return out


def load_samples(lang: str | None = None) -> list[SampleArticle]:
    """All sample articles in manifest order, or only those in language ``lang``."""
    out = []
    for n, rec in _read_jsonl("articles.jsonl"):
        if lang is not None and rec.get("lang") != lang:
            continue
        try:
            out.append(SampleArticle(
                id=rec["id"], outlet=rec["outlet"], lang=rec["lang"],
                published=date.fromisoformat(rec["published"]), title=rec["title"],
                event=rec["event"], url=rec["url"], file=rec["file"],
                text=_read_text(rec["file"]), syndicated_from=rec.get("syndicated_from"),
                gold_annotated=bool(rec.get("gold_annotated", False)),
            ))
        except KeyError as e:
            raise CorpusFormatError(f"record lacks field {e}", "articles.jsonl", n) from None
        except ValueError as e:
            raise CorpusFormatError(str(e), "articles.jsonl", n) from None
    return out


def load_gold_spans() -> list[GoldSpan]:
    """Our own technique spans for the ``gold_annotated`` articles."""
    out = []
    for n, rec in _read_jsonl("gold_spans.jsonl"):
        try:
            out.append(GoldSpan(rec["id"], rec["technique"], int(rec["start"]),
                                int(rec["end"]), rec["text"]))
        except (KeyError, ValueError, TypeError) as e:
            raise CorpusFormatError(f"bad span record ({e})", "gold_spans.jsonl", n) from None
    return out


def _span_key(s: Span) -> tuple[int, int, str]:
    return (s.start, s.end, s.label or "")


def load_gold_documents() -> list[GoldDocument]:
    """The annotated articles with their gold spans (labels are taxonomy names).

    Articles marked ``gold_annotated`` without any span are included with no spans: they
    are annotated as free of techniques, not unannotated.
    """
    by_id: dict[str, list[Span]] = {}
    for g in load_gold_spans():
        by_id.setdefault(g.id, []).append(g.to_span())
    return [
        GoldDocument(a.to_document(),
                     tuple(sorted(by_id.get(a.id, []), key=_span_key)))
        for a in load_samples() if a.gold_annotated
    ]


def load_events_gold() -> dict[str, str]:
    """Article id -> gold event id, for scoring event clustering."""
    data = json.loads(_read_text("events_gold.json"))
    articles: dict[str, str] = data["articles"]
    return dict(articles)
