"""The token bucket: burst, refill, retry hints, per-client keys, bounded memory."""

from __future__ import annotations

import pytest

from spinscope.web import ratelimit
from spinscope.web.ratelimit import RateLimiter, client_key


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_burst_then_refill() -> None:
    clock = Clock()
    rl = RateLimiter(per_minute=60, burst=3, clock=clock)  # one token per second
    assert [rl.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = rl.take("a")
    assert wait == pytest.approx(1.0)
    clock.now += 0.5
    assert rl.take("a") == pytest.approx(0.5)
    clock.now += 0.5
    assert rl.take("a") == 0.0
    assert rl.take("b") == 0.0  # another client has its own bucket
    clock.now += 3600
    assert [rl.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]  # refilled, never above burst
    assert rl.take("a") > 0


def test_disabled_limiter_allows_everything() -> None:
    rl = RateLimiter(per_minute=0, burst=1)
    assert not rl.enabled
    assert all(rl.take("x") == 0.0 for _ in range(1000))


def test_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ratelimit, "MAX_CLIENTS", 50)
    clock = Clock()
    rl = RateLimiter(per_minute=60, burst=2, clock=clock)
    for i in range(500):
        rl.take(f"ip:{i}")
        clock.now += 0.001
    assert len(rl) <= 50


def test_client_key() -> None:
    scope = {"client": ("10.0.0.1", 5555), "headers": [(b"x-forwarded-for", b"1.2.3.4, 10.0.0.1")]}
    assert client_key(scope, trust_proxy=False) == "ip:10.0.0.1"
    assert client_key(scope, trust_proxy=True) == "ip:1.2.3.4"
    with_token = {**scope, "headers": [(b"authorization", b"Bearer s3cret")]}
    key = client_key(with_token, trust_proxy=False)
    assert key.startswith("token:") and "s3cret" not in key
