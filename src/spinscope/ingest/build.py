"""From a raw item to an article: extraction, outlet, language, date, URL keys."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from spinscope.core.document import content_hash
from spinscope.dedup.minhash import lsh_keys
from spinscope.dedup.urls import canonical_url, registered_domain, url_key
from spinscope.errors import IngestError
from spinscope.extract.dates import normalise_date
from spinscope.extract.html import Extracted, decode_html, extract_html
from spinscope.extract.lang import LanguageDetector
from spinscope.extract.text import decode_text
from spinscope.ingest.items import RawItem, raw_hash
from spinscope.outlets.registry import OutletRegistry

__all__ = ["Built", "ItemBuilder", "item_url_keys", "normalise_lang"]

MAX_TITLE_LINE = 150  # a plain-text file's first line is its title when at most this long
_LANG_NAMES = {"english": "en", "russian": "ru", "ukrainian": "uk", "eng": "en", "rus": "ru",
               "ukr": "uk", "deu": "de", "ger": "de", "fra": "fr", "fre": "fr", "pol": "pl"}
_ALPHA = re.compile(r"^[a-z]{2}$")


@dataclass(frozen=True, slots=True)
class Built:
    """Everything needed to dedup and store one item."""

    text: str
    content_hash: str
    near_keys: tuple[int, ...]
    url: str | None
    url_keys: list[str]
    outlet: str | None
    title: str | None
    author: str | None
    published: str | None
    lang: str | None
    extractor: str
    metadata: dict[str, Any]


def _is_http(url: object) -> bool:
    return isinstance(url, str) and url.startswith(("http://", "https://"))


def item_url_keys(*urls: object) -> list[str]:
    """URL keys of every http(s) address an item is known by (requested, final, canonical)."""
    return list(dict.fromkeys(url_key(u) for u in urls if _is_http(u)))  # type: ignore[arg-type]


def normalise_lang(value: object) -> str | None:
    """``en`` from ``en``, ``en-GB``, ``eng``, ``English``; ``None`` if unrecognised."""
    if not isinstance(value, str):
        return None
    code = re.split(r"[-_ ]", value.strip().lower(), maxsplit=1)[0]
    code = _LANG_NAMES.get(code, code)
    return code if _ALPHA.match(code) else None


class ItemBuilder:
    """Extracts and annotates items. ``outlet``: the user's override (id or name)."""

    def __init__(self, registry: OutletRegistry, detector: LanguageDetector,
                 outlet: str | None = None, max_bytes: int = 20_000_000):
        self.registry = registry
        self.detector = detector
        self.max_bytes = max_bytes
        self.outlet_override = self.resolve_outlet_name(outlet) if outlet else None

    def resolve_outlet_name(self, name: str) -> str:
        found = self.registry.get(name)
        return found.id if found is not None else name

    def guess_outlet(self, fields: Mapping[str, Any], *urls: object) -> str | None:
        """The outlet id: the override, the record's own outlet, else the URL's domain."""
        if self.outlet_override:
            return self.outlet_override
        given = fields.get("outlet")
        if isinstance(given, str) and given.strip():
            found = self.registry.get(given.strip())
            if found is None and "." in given and " " not in given.strip():
                found = self.registry.for_host(given.strip())
            return found.id if found is not None else given.strip()
        for url in urls:
            if _is_http(url):
                host = urlsplit(str(url)).hostname or ""
                found = self.registry.for_host(host)
                return found.id if found is not None else registered_domain(host)
        return None

    def raw_hash(self, item: RawItem) -> str:
        return raw_hash(item.data)

    def build(self, item: RawItem) -> Built:
        """Extract ``item``; raises ``IngestError`` with the reason when it has no usable text."""
        if item.size > self.max_bytes:
            raise IngestError(f"item is {item.size / 1e6:.1f} MB, over the size cap of "
                              f"{self.max_bytes / 1e6:.1f} MB; raise --max-bytes to read it")
        fields = item.fields
        meta: dict[str, Any] = {}
        if item.kind == "html":
            html = item.data if isinstance(item.data, str) else decode_html(item.data,
                                                                              item.charset)
            ex = extract_html(html, item.url or _str(fields.get("url")))
        else:
            if isinstance(item.data, str):
                text = item.data
            else:
                text, used = decode_text(item.data, item.encoding)
                if used != "utf-8":
                    meta["encoding"] = used
            ex = Extracted(text=text, title=_first_line_title(text), extractor="text")
        text = ex.text
        if not text.strip():
            raise IngestError("no text (the item is empty or whitespace only)")
        canonical = ex.canonical_url if _is_http(ex.canonical_url) else None
        field_url = _str(fields.get("url"))
        best_url = canonical or item.url or (field_url if _is_http(field_url) else None)
        keys = item_url_keys(item.requested_url, item.url, canonical, field_url)
        lang = normalise_lang(fields.get("lang"))
        if lang is None:
            lang, confidence = self.detector.detect(text)
            if lang is not None:
                meta["lang_confidence"] = round(confidence, 3)
            elif ex.lang_hint:
                lang = normalise_lang(ex.lang_hint)
                meta["lang_source"] = "html"
        for key, value in (("sitename", ex.sitename), ("description", ex.description),
                           ("source_id", fields.get("id")), ("feed", fields.get("feed")),
                           ("fetched_at", fields.get("fetched_at")),
                           ("requested_url", item.requested_url
                            if item.requested_url not in (None, item.url) else None)):
            if value not in (None, ""):
                meta[key] = value
        title = ex.title if item.kind == "html" else None
        return Built(
            text=text,
            content_hash=content_hash(text),
            near_keys=lsh_keys(text),
            url=canonical_url(best_url) if best_url else None,
            url_keys=keys,
            outlet=self.guess_outlet(fields, best_url, item.url, field_url),
            title=title or _str(fields.get("title")) or ex.title,
            author=ex.author or _str(fields.get("author")),
            published=normalise_date(fields.get("published")) or ex.published,
            lang=lang,
            extractor=ex.extractor,
            metadata=meta,
        )


def _str(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _first_line_title(text: str) -> str | None:
    for line in text.lstrip("\ufeff").splitlines():
        line = line.strip()
        if line:
            return line.lstrip("# ").strip() or None if len(line) <= MAX_TITLE_LINE else None
    return None
