"""Running analyses for the web layer: pasted text, URLs, and a bounded result cache.

The analyser is handed in (``create_app(..., analyser=...)``): the real detector in
production, a deterministic fake in tests. Analyses are CPU bound, so at most
``analysis_workers`` run at once; the rest wait their turn.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable
from urllib.parse import urlsplit

from spinscope.core.analysis import Analysis
from spinscope.errors import IngestError, SpinscopeError
from spinscope.ingest.fetch import ARTICLE_TYPES, Fetcher, FetchOptions
from spinscope.settings import Settings
from spinscope.web.config import WebSettings

__all__ = ["Analyser", "AnalysisService", "BatchAnalyser", "InputError", "NotFound", "Result",
           "SourceInfo", "fetcher_for"]

log = logging.getLogger(__name__)

Analyser = Callable[[str], Analysis]


@runtime_checkable
class BatchAnalyser(Protocol):
    """The batch interface of ``spinscope.analyze`` analysers (``analyze_many``)."""

    def analyze_many(self, texts: Sequence[str]) -> list[Analysis]: ...


def as_text_analyser(analyser: Analyser | BatchAnalyser) -> Analyser:
    """A one-text callable from either a callable or an object with ``analyze_many``."""
    if isinstance(analyser, BatchAnalyser):
        batch = analyser

        def one(text: str) -> Analysis:
            return batch.analyze_many([text])[0]

        return one
    return analyser
MAX_URL_CHARS = 2048
CACHE_CHARS = 20_000_000  # total text kept for result pages (~80 MB at worst)


class InputError(SpinscopeError):
    """A request's input cannot be analysed (empty, too long, a bad URL); ``status`` for HTTP."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


class NotFound(SpinscopeError):
    """The page or record asked for does not exist (any more)."""


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """Where an analysed text came from, shown above the result (all fields untrusted)."""

    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    lang: str | None = None
    document_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "url": self.url, "outlet": self.outlet,
                "published": self.published, "lang": self.lang,
                "document_id": self.document_id}


@dataclass(frozen=True, slots=True)
class Result:
    """One analysis and its source, as kept for a result page."""

    key: str
    analysis: Analysis
    source: SourceInfo = field(default_factory=SourceInfo)


def fetcher_for(settings: Settings) -> Fetcher:
    """A ``Fetcher`` obeying the same URL rules as ``spinscope ingest`` (SSRF, robots, caps)."""
    return Fetcher(FetchOptions(
        user_agent=settings.user_agent, timeout=settings.fetch_timeout,
        deadline=settings.fetch_deadline, max_bytes=settings.max_bytes,
        max_redirects=settings.max_redirects, retries=min(settings.retries, 1),
        backoff=settings.backoff, respect_robots=settings.respect_robots,
        allow_private=settings.allow_private_addresses, host_delay=0.0))


def check_url(url: str) -> str:
    """The URL stripped, if it is an absolute http(s) URL; ``InputError`` otherwise."""
    url = url.strip()
    if len(url) > MAX_URL_CHARS:
        raise InputError(f"the URL is longer than {MAX_URL_CHARS} characters")
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as e:
        raise InputError(f"that is not a valid web address ({e})") from None
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise InputError("give a full web address starting with http:// or https://")
    return url


class AnalysisService:
    """Analyses text and URLs, limits concurrency, and remembers recent results."""

    def __init__(self, analyser: Analyser | BatchAnalyser, settings: Settings,
                 web: WebSettings, fetcher: Fetcher | None = None) -> None:
        self.analyser = as_text_analyser(analyser)
        info = getattr(analyser, "info", None)
        self.model: dict[str, str | None] = {
            "model": getattr(info, "model", None), "version": getattr(info, "version", None)}
        self.settings = settings
        self.web = web
        self._fetcher = fetcher
        self._slots = threading.BoundedSemaphore(web.analysis_workers)
        self._cache: OrderedDict[str, Result] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = fetcher_for(self.settings)
        return self._fetcher

    def check_text(self, text: str) -> str:
        if not text.strip():
            raise InputError("the text is empty; paste an article or give a URL")
        if len(text) > self.web.max_text_chars:
            raise InputError(f"the text has {len(text):,} characters; the limit is "
                             f"{self.web.max_text_chars:,} (analyse it in parts)", status=413)
        return text

    def analyse(self, text: str) -> Analysis:
        """Run the analyser on ``text`` (checked first), at most ``analysis_workers`` at once."""
        self.check_text(text)
        with self._slots:
            result = self.analyser(text)
        self.model = {"model": result.model, "version": result.model_version}
        return result

    def analyse_url(self, url: str) -> tuple[Analysis, SourceInfo]:
        """Fetch ``url`` under the SSRF rules, extract its article text and analyse it."""
        if not self.web.analyse_urls:
            raise InputError("URL analysis is switched off on this server; paste the text",
                             status=403)
        url = check_url(url)
        fetched = self.fetcher.fetch(url, accept=ARTICLE_TYPES)
        ctype = (fetched.content_type or "").lower()
        if ctype == "text/plain":
            from spinscope.extract.text import decode_text

            text, _ = decode_text(fetched.data, fetched.charset, source=fetched.url)
            title: str | None = None
            published = None
        else:
            from spinscope.extract.html import decode_html, extract_html

            extracted = extract_html(decode_html(fetched.data, fetched.charset), fetched.url)
            text, title, published = extracted.text, extracted.title, extracted.published
        if not text.strip():
            raise IngestError("the page has no article text", fetched.url)
        host = urlsplit(fetched.url).hostname
        if len(text) > self.web.max_text_chars:
            log.info("truncating %s to %d characters", fetched.url, self.web.max_text_chars)
            text = text[: self.web.max_text_chars]
        analysis = self.analyse(text)
        return analysis, SourceInfo(title=title, url=fetched.url, outlet=host,
                                    published=published, lang=analysis.lang)

    # -- result cache -------------------------------------------------------------------------
    def remember(self, analysis: Analysis, source: SourceInfo | None = None) -> Result:
        """Keep a result for its page; the oldest ones go when the cache is full."""
        result = Result(secrets.token_urlsafe(12), analysis, source or SourceInfo())
        with self._lock:
            self._cache[result.key] = result
            self._chars += len(analysis.text)
            while len(self._cache) > 1 and (len(self._cache) > self.web.result_cache
                                            or self._chars > CACHE_CHARS):
                _, old = self._cache.popitem(last=False)
                self._chars -= len(old.analysis.text)
        return result

    def recall(self, key: str) -> Result:
        with self._lock:
            result = self._cache.get(key)
            if result is not None:
                self._cache.move_to_end(key)
        if result is None:
            raise NotFound("this analysis is no longer kept on the server (results live in "
                           "memory for a while); paste the text again")
        return result
