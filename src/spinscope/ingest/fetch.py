"""A careful HTTP client: timeouts, size caps, checked redirects, content types, retries.

Every hop (the first request and each redirect) is checked: http(s) only, every address the
host resolves to must be allowed (``netsafe``), robots.txt must allow it (unless disabled),
and the connection goes to the address that was checked. Bodies are read up to a size cap,
also after gzip/deflate decoding. 429 and 5xx answers and connection errors are retried with
exponential backoff (honouring ``Retry-After`` up to a limit).
"""

from __future__ import annotations

import email.utils
import http.client
import logging
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from spinscope.errors import FetchError
from spinscope.ingest.netsafe import (
    IPAddress,
    Resolver,
    check_addresses,
    is_public_address,
    system_resolver,
)
from spinscope.ingest.robots import RobotsCache

__all__ = ["ANY_TYPES", "ARTICLE_TYPES", "XML_TYPES", "FetchOptions", "FetchResult", "Fetcher",
           "HTTPStatusError"]

log = logging.getLogger(__name__)

ARTICLE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
XML_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml",
             "application/xml", "text/xml", "application/x-gzip", "application/gzip")
ANY_TYPES = ARTICLE_TYPES + XML_TYPES
MAX_RETRY_AFTER = 60.0  # seconds: a longer Retry-After is treated as a failure
_CHUNK = 65536


@dataclass(frozen=True, slots=True)
class FetchOptions:
    user_agent: str = "spinscope"
    timeout: float = 20.0
    deadline: float = 60.0
    max_bytes: int = 20_000_000
    max_redirects: int = 5
    retries: int = 2
    backoff: float = 1.0
    respect_robots: bool = True
    allow_private: bool = False
    host_delay: float = 0.0


@dataclass(frozen=True, slots=True)
class FetchResult:
    url: str  # after redirects
    requested_url: str
    status: int
    content_type: str | None
    charset: str | None
    data: bytes
    redirects: tuple[str, ...] = ()
    headers: dict[str, str] = field(default_factory=dict)


class HTTPStatusError(FetchError):
    """The server answered with an error status (kept in ``status``)."""

    def __init__(self, message: str, source: str | None, status: int):
        super().__init__(message, source)
        self.status = status


class _Retry(Exception):
    def __init__(self, reason: str, wait: float | None = None):
        super().__init__(reason)
        self.wait = wait


class Fetcher:
    """Fetches URLs safely. Thread-safe; requests to one host are spaced by ``host_delay``."""

    def __init__(self, options: FetchOptions, resolver: Resolver = system_resolver,
                 is_allowed: Callable[[IPAddress], bool] = is_public_address,
                 sleep: Callable[[float], None] = time.sleep):
        self.options = options
        self.resolver = resolver
        self.is_allowed = is_allowed
        self.sleep = sleep
        self.robots = RobotsCache(self)
        self._host_locks: dict[str, threading.Lock] = {}
        self._last_request: dict[str, float] = {}
        self._lock = threading.Lock()

    def fetch(self, url: str, accept: Sequence[str] = ARTICLE_TYPES,
              max_bytes: int | None = None, check_robots: bool = True) -> FetchResult:
        """GET ``url`` following checked redirects; raises ``FetchError`` with the reason."""
        opts = self.options
        cap = max_bytes if max_bytes is not None else opts.max_bytes
        attempt = 0
        while True:
            try:
                return self._fetch_once(url, accept, cap, check_robots)
            except _Retry as e:
                if attempt >= opts.retries:
                    raise FetchError(f"{e} (gave up after {attempt + 1} attempts)", url) from e
                wait = e.wait if e.wait is not None else opts.backoff * (2 ** attempt)
                log.info("retrying %s in %.1fs: %s", url, wait, e)
                self.sleep(wait)
                attempt += 1

    def _fetch_once(self, url: str, accept: Sequence[str], cap: int,
                    check_robots: bool) -> FetchResult:
        opts = self.options
        start = time.monotonic()
        current = url
        redirects: list[str] = []
        while True:
            parts = urlsplit(current)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise FetchError(f"only http and https URLs can be fetched, not {current!r}", url)
            if check_robots and opts.respect_robots and not self.robots.allowed(current):
                raise FetchError(f"{self.robots.why_not(current)}; pass --ignore-robots if "
                                 "you have permission", url)
            status, headers, body = self._request(current, cap, start, accept)
            if status in (301, 302, 303, 307, 308):
                location = headers.get("location")
                if not location:
                    raise FetchError(f"HTTP {status} redirect without a Location header", url)
                if len(redirects) >= opts.max_redirects:
                    raise FetchError(f"more than {opts.max_redirects} redirects", url)
                current = urljoin(current, location.strip())
                redirects.append(current)
                continue
            break
        ctype_header = headers.get("content-type", "")
        mime_text, _, params = ctype_header.partition(";")
        mime = mime_text.strip().lower() or None
        charset = None
        for param in params.split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "charset":
                charset = value.strip().strip('"') or None
        return FetchResult(current, url, status, mime, charset, body, tuple(redirects), headers)

    def _request(self, url: str, cap: int, start: float, accept: Sequence[str]
                 ) -> tuple[int, dict[str, str], bytes]:
        """One GET, one at a time per host, ``host_delay`` (or Crawl-delay) apart."""
        host = urlsplit(url).hostname or ""
        with self._lock:
            lock = self._host_locks.setdefault(host, threading.Lock())
        with lock:
            delay = max(self.options.host_delay, self.robots.crawl_delay(host))
            last = self._last_request.get(host)
            if last is not None and delay > 0:
                wait = delay - (time.monotonic() - last)
                if wait > 0:
                    self.sleep(wait)
            try:
                return self._request_now(url, cap, start, accept)
            finally:
                self._last_request[host] = time.monotonic()

    def _request_now(self, url: str, cap: int, start: float, accept: Sequence[str]
                     ) -> tuple[int, dict[str, str], bytes]:
        opts = self.options
        parts = urlsplit(url)
        host = parts.hostname or ""
        https = parts.scheme == "https"
        port = parts.port or (443 if https else 80)
        # Address errors name the host themselves; they are not retried.
        addresses = check_addresses(host, self.resolver(host, port), opts.allow_private,
                                    self.is_allowed)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        conn = _PinnedConnection(host, port, addresses[0], https, opts.timeout)
        try:
            conn.request("GET", path, headers={
                "User-Agent": opts.user_agent,
                "Accept": ", ".join(accept) + ", */*;q=0.1",
                "Accept-Encoding": "gzip, deflate",
                "Connection": "close",
            })
            resp = conn.getresponse()
            headers = {k.lower(): v for k, v in resp.getheaders()}
            status = resp.status
            if status == 429 or 500 <= status < 600:
                raise _Retry(f"HTTP {status} {resp.reason}", _retry_after(headers))
            if status in (301, 302, 303, 307, 308):
                return status, headers, b""
            if status != 200:
                raise HTTPStatusError(f"HTTP {status} {resp.reason}", url, status)
            mime = headers.get("content-type", "").partition(";")[0].strip().lower()
            if mime and mime not in accept:
                raise FetchError(f"content type {mime} is not one of {', '.join(accept)}", url)
            length = headers.get("content-length", "")
            if length.isdigit() and int(length) > cap:
                raise FetchError(f"response is {int(length) / 1e6:.1f} MB, over the size cap of "
                                 f"{cap / 1e6:.1f} MB; raise --max-bytes", url)
            body = _read_capped(resp, headers.get("content-encoding", ""), cap, start,
                                opts.deadline, url)
            return status, headers, body
        except TimeoutError as e:
            raise _Retry(f"timed out after {opts.timeout:.0f}s") from e
        except (ConnectionError, http.client.HTTPException, ssl.SSLError, OSError) as e:
            if isinstance(e, ssl.SSLCertVerificationError):
                raise FetchError(f"TLS certificate not valid: {e.verify_message}", url) from e
            raise _Retry(f"connection failed: {e}") from e
        finally:
            conn.close()


class _PinnedConnection(http.client.HTTPSConnection):
    """An HTTP(S) connection to a given, already checked IP address for ``host``."""

    def __init__(self, host: str, port: int, address: str, https: bool, timeout: float):
        context = ssl.create_default_context() if https else None
        super().__init__(host, port, timeout=timeout, context=context)
        self._address = address
        self._https = https

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)
        if self._https:
            self.sock = self._context.wrap_socket(  # type: ignore[attr-defined]
                self.sock, server_hostname=self.host)


def _read_capped(resp: http.client.HTTPResponse, encoding: str, cap: int, start: float,
                 deadline: float, url: str) -> bytes:
    encoding = encoding.strip().lower()
    decoder = None
    if encoding in ("gzip", "x-gzip"):
        decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        decoder = zlib.decompressobj()
    out = bytearray()
    while True:
        if time.monotonic() - start > deadline:
            raise FetchError(f"took longer than {deadline:.0f}s in total", url)
        chunk = resp.read1(_CHUNK)  # what has arrived, so the deadline is checked often
        if not chunk:
            break
        if decoder is not None:
            try:
                chunk = decoder.decompress(chunk, cap + 1 - len(out))
            except zlib.error as e:
                raise FetchError(f"corrupt {encoding} body: {e}", url) from e
        out += chunk
        if len(out) > cap:
            raise FetchError(f"response is over the size cap of {cap / 1e6:.1f} MB; raise "
                             "--max-bytes", url)
    return bytes(out)


def _retry_after(headers: dict[str, str]) -> float | None:
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        wait = float(value)
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
            wait = when.timestamp() - time.time()
        except (TypeError, ValueError):
            return None
    if wait > MAX_RETRY_AFTER:
        raise FetchError(f"server asks to retry after {wait:.0f}s; try again later")
    return max(wait, 0.0)
