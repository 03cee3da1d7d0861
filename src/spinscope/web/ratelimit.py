"""A token bucket per client, and the ASGI middleware that applies it.

Each client (an IP address, or an API token when one is sent) owns a bucket of ``burst``
tokens refilled at ``rate`` tokens per second; a request takes one token, and a request that
finds the bucket empty gets ``429 Too Many Requests`` with ``Retry-After``. Buckets idle long
enough to be full again are dropped, so memory stays bounded by the active clients.
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["RateLimitMiddleware", "RateLimiter", "client_key"]

MAX_CLIENTS = 100_000  # past this many live buckets, the oldest are pruned first


@dataclass(slots=True)
class _Bucket:
    tokens: float
    stamp: float


class RateLimiter:
    """Token buckets keyed by client. Thread-safe; ``clock`` is injectable for tests."""

    def __init__(self, per_minute: float, burst: int,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def take(self, key: str, cost: float = 1.0) -> float:
        """Take ``cost`` tokens: 0.0 if allowed, else the seconds until they would be there."""
        if not self.enabled:
            return 0.0
        now = self.clock()
        with self._lock:
            b = self._buckets.get(key)
            if b is None:
                if len(self._buckets) >= MAX_CLIENTS:
                    self._prune(now)
                b = self._buckets[key] = _Bucket(self.burst, now)
            b.tokens = min(self.burst, b.tokens + (now - b.stamp) * self.rate)
            b.stamp = now
            if b.tokens >= cost:
                b.tokens -= cost
                return 0.0
            return (cost - b.tokens) / self.rate

    def _prune(self, now: float) -> None:
        full_after = self.burst / self.rate
        idle = [k for k, b in self._buckets.items() if now - b.stamp >= full_after]
        for k in idle:
            del self._buckets[k]
        if len(self._buckets) >= MAX_CLIENTS:  # all busy: drop the least recently seen
            for k, _ in sorted(self._buckets.items(), key=lambda kv: kv[1].stamp)[
                    : MAX_CLIENTS // 10]:
                del self._buckets[k]

    def __len__(self) -> int:
        return len(self._buckets)


def client_key(scope: Scope, trust_proxy: bool) -> str:
    """Who is asking: a hash of the bearer token if any, else the client address."""
    headers = dict(scope.get("headers") or [])
    auth = headers.get(b"authorization", b"") or headers.get(b"x-api-key", b"")
    if auth:
        return "token:" + hashlib.sha256(auth).hexdigest()[:16]
    if trust_proxy:
        forwarded = headers.get(b"x-forwarded-for", b"").decode("latin-1").split(",")[0].strip()
        if forwarded:
            return "ip:" + forwarded
    client = scope.get("client")
    return "ip:" + (client[0] if client else "unknown")


class RateLimitMiddleware:
    """Applies a ``RateLimiter`` to every HTTP request except static files."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter, trust_proxy: bool = False,
                 exempt_prefixes: tuple[str, ...] = ("/static/",)) -> None:
        self.app = app
        self.limiter = limiter
        self.trust_proxy = trust_proxy
        self.exempt = exempt_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.limiter.enabled or \
                str(scope.get("path", "")).startswith(self.exempt):
            await self.app(scope, receive, send)
            return
        wait = self.limiter.take(client_key(scope, self.trust_proxy))
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        retry = max(1, math.ceil(wait))
        accept = dict(scope.get("headers") or []).get(b"accept", b"")
        if b"text/html" in accept:  # a person in a browser: plain words, not JSON
            body = (f"Too many requests from your address. Wait {retry} seconds, then "
                    "reload the page.").encode()
            ctype = b"text/plain; charset=utf-8"
        else:
            body = json.dumps({"error": "rate_limited",
                               "detail": f"too many requests; retry in {retry} s"}).encode()
            ctype = b"application/json"
        await send({"type": "http.response.start", "status": 429, "headers": [
            (b"content-type", ctype), (b"retry-after", str(retry).encode()),
            (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
