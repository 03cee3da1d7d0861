"""robots.txt, fetched once per site through the same safe fetcher (RFC 9309 rules).

A missing robots.txt (4xx) allows everything; an unreachable one (5xx, network error) is
treated as disallowing everything for this run, as RFC 9309 asks. ``Crawl-delay`` is honoured
up to ``MAX_CRAWL_DELAY`` seconds.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from spinscope.errors import FetchError, UnsafeURLError
from spinscope.ingest.netsafe import HostNotFoundError

if TYPE_CHECKING:
    from spinscope.ingest.fetch import Fetcher

__all__ = ["RobotsCache"]

MAX_ROBOTS_BYTES = 512_000  # RFC 9309 asks crawlers to read at least 500 KiB
MAX_CRAWL_DELAY = 30.0


class RobotsCache:
    def __init__(self, fetcher: Fetcher):
        self.fetcher = fetcher
        self._rules: dict[str, RobotFileParser | bool] = {}
        self._delays: dict[str, float] = {}
        self._why: dict[str, str] = {}
        self._lock = threading.Lock()
        self._site_locks: dict[str, threading.Lock] = {}

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            site_lock = self._site_locks.setdefault(site, threading.Lock())
        with site_lock:
            if site not in self._rules:
                self._rules[site] = self._load(site, parts.hostname or "")
        rules = self._rules[site]
        if isinstance(rules, bool):
            return rules
        return rules.can_fetch(self.fetcher.options.user_agent, url)

    def why_not(self, url: str) -> str:
        """Why ``allowed(url)`` said no, for the error message."""
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        return self._why.get(site, f"robots.txt of {parts.hostname} disallows {url}")

    def crawl_delay(self, host: str) -> float:
        return self._delays.get(host, 0.0)

    def _load(self, site: str, host: str) -> RobotFileParser | bool:
        from spinscope.ingest.fetch import XML_TYPES, HTTPStatusError

        try:
            result = self.fetcher.fetch(site + "/robots.txt", accept=("text/plain", *XML_TYPES,
                                        "text/html"), max_bytes=MAX_ROBOTS_BYTES,
                                        check_robots=False)
        except (UnsafeURLError, HostNotFoundError):
            raise  # about the site itself, not its robots.txt: reported as such
        except HTTPStatusError as e:
            if 400 <= e.status < 500:
                return True  # no robots.txt: everything allowed
            self._why[site] = f"robots.txt of {host} unavailable ({e}): treated as disallow"
            return False
        except FetchError as e:
            self._why[site] = f"robots.txt of {host} unreachable ({e}): treated as disallow"
            return False
        parser = RobotFileParser()
        parser.parse(result.data.decode("utf-8", "replace").splitlines())
        delay = parser.crawl_delay(self.fetcher.options.user_agent)
        if delay:
            self._delays[host] = min(float(delay), MAX_CRAWL_DELAY)
        return parser
