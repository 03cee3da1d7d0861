"""Main text and metadata from HTML: trafilatura first, then a named fallback cascade.

Cascade (each step runs only when the previous one found less than ``MIN_TEXT_CHARS``):

1. trafilatura, default balance of precision and recall;
2. trafilatura with ``favor_recall`` (short pages, unusual layouts);
3. the whole body as text after lxml_html_clean strips scripts, styles, forms and frames.

Nothing in a page is executed: scripts are dropped, never run.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass
from typing import Any

from spinscope.errors import IngestError
from spinscope.extract.dates import normalise_date
from spinscope.extract.text import binary_kind, guess_encoding

__all__ = ["MIN_TEXT_CHARS", "Extracted", "decode_html", "extract_html"]

log = logging.getLogger(__name__)

MIN_TEXT_CHARS = 100  # shorter results make the cascade try its next step
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HTML_LANG = re.compile(r"""<html[^>]*\slang\s*=\s*["']?([A-Za-z]{2,3})""", re.I)
# Explicit publication dates in page metadata, read when trafilatura's date search finds none
# (it rejects dates after today and reads only what it trusts).
_DATE_KEYS = (r"(?:article:published_time|og:published_time|datePublished|pubdate|publishdate"
              r"|dc\.date|dcterms\.created|sailthru\.date)")
_META_DATES = (
    re.compile(r"<meta[^>]+(?:property|name|itemprop)\s*=\s*[\"']" + _DATE_KEYS +
               r"[\"'][^>]*content\s*=\s*[\"']([^\"']+)", re.I),
    re.compile(r"<meta[^>]+content\s*=\s*[\"']([^\"']+)[\"'][^>]*(?:property|name|itemprop)"
               r"\s*=\s*[\"']" + _DATE_KEYS + "[\"']", re.I),
    re.compile(r"\"datePublished\"\s*:\s*\"([^\"]+)\""),
    re.compile(r"<time[^>]+datetime\s*=\s*[\"']([^\"']+)", re.I),
)
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANKS = re.compile(r"\n\s*\n+")


@dataclass(frozen=True, slots=True)
class Extracted:
    """What extraction found. ``text`` is stored as is; the rest is metadata."""

    text: str
    title: str | None = None
    author: str | None = None
    published: str | None = None
    sitename: str | None = None
    canonical_url: str | None = None
    lang_hint: str | None = None  # the page's own <html lang>, used when detection is unsure
    description: str | None = None
    extractor: str = "text"


def decode_html(data: bytes, charset: str | None = None) -> str:
    """Decode HTML like a browser: HTTP charset, then ``<meta charset>``, UTF-8, a guess."""
    kind = binary_kind(data)
    if kind is not None and not data.lstrip().startswith(b"<"):
        raise IngestError(f"binary content: looks like {kind}, not HTML")
    candidates = [charset]
    m = _META_CHARSET.search(data[:4096])
    if m:
        candidates.append(m.group(1).decode("ascii", "replace"))
    candidates.append("utf-8")
    for name in candidates:
        if not name:
            continue
        try:
            codecs.lookup(name)
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    guess = guess_encoding(data)
    return data.decode(guess or "latin-1", errors="replace")


def _trafilatura_config() -> Any:
    from trafilatura.settings import use_config

    # trafilatura logs every unparsable page at ERROR level; spinscope reports failed items
    # itself (per item, with the reason), so its own chatter is hushed unless configured.
    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.CRITICAL)

    config = use_config()
    # No signal-based timeout: extraction may run outside the main thread.
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    # Size is capped before extraction by the ingest settings.
    config.set("DEFAULT", "MAX_FILE_SIZE", str(2**31))
    return config


_CONFIG: Any = None


def extract_html(html: str, url: str | None = None) -> Extracted:
    """Extract the main text and metadata of one page; raises ``IngestError`` if no text."""
    global _CONFIG
    import trafilatura

    if _CONFIG is None:
        _CONFIG = _trafilatura_config()
    lang_match = _HTML_LANG.search(html[:4096])
    lang_hint = lang_match.group(1).lower() if lang_match else None
    doc: Any = None
    text = ""
    extractor = "trafilatura"
    for recall in (False, True):
        try:
            doc = trafilatura.bare_extraction(
                html, url=url, with_metadata=True, include_comments=False,
                include_tables=True, favor_recall=recall, config=_CONFIG)
        except Exception as e:  # trafilatura raises assorted lxml/parser errors
            log.debug("trafilatura failed on %s: %s", url, e)
            doc = None
        text = (getattr(doc, "text", None) or "") if doc is not None else ""
        if len(text.strip()) >= MIN_TEXT_CHARS:
            extractor = "trafilatura-recall" if recall else "trafilatura"
            break
    meta = doc
    if len(text.strip()) < MIN_TEXT_CHARS:
        fallback = _clean_body_text(html)
        if len(fallback.strip()) > len(text.strip()):
            text, extractor = fallback, "lxml-clean"
        if meta is None:
            meta = _metadata_only(html, url)
    if not text.strip():
        raise IngestError("no article text found in the HTML page")
    return Extracted(
        text=text,
        title=_clean(getattr(meta, "title", None)),
        author=_clean(getattr(meta, "author", None)),
        published=normalise_date(getattr(meta, "date", None)) or _meta_date(html),
        sitename=_clean(getattr(meta, "sitename", None)),
        canonical_url=_clean(getattr(meta, "url", None)),
        lang_hint=lang_hint,
        description=_clean(getattr(meta, "description", None)),
        extractor=extractor,
    )


def _metadata_only(html: str, url: str | None) -> Any:
    try:
        from trafilatura import extract_metadata

        return extract_metadata(html, default_url=url)
    except Exception as e:  # metadata is optional; the text is what matters
        log.debug("metadata extraction failed on %s: %s", url, e)
        return None


def _clean_body_text(html: str) -> str:
    """The visible text of the whole page after cleaning; the last step of the cascade."""
    try:
        import lxml.html
        from lxml_html_clean import Cleaner

        cleaner = Cleaner(scripts=True, javascript=True, comments=True, style=True,
                          inline_style=True, links=False, meta=True, page_structure=False,
                          processing_instructions=True, embedded=True, frames=True, forms=True,
                          annoying_tags=True, remove_unknown_tags=False, safe_attrs_only=True)
        tree = cleaner.clean_html(lxml.html.document_fromstring(html))
        for br in tree.iter("br", "p", "div", "li", "h1", "h2", "h3", "h4", "tr"):
            br.tail = "\n" + (br.tail or "")
        raw = tree.text_content()
    except Exception as e:  # unparsable markup: nothing to fall back to
        log.debug("lxml fallback failed: %s", e)
        return ""
    lines = [_SPACES.sub(" ", line).strip() for line in raw.splitlines()]
    return _BLANKS.sub("\n", "\n".join(line for line in lines if line)).strip()


def _meta_date(html: str) -> str | None:
    head = html[:200_000]
    for pattern in _META_DATES:
        m = pattern.search(head)
        if m:
            found = normalise_date(m.group(1).strip())
            if found:
                return found
    return None


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None
