"""The safe HTTP client against a real local server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import gzip
import ipaddress
import threading
import time
from collections.abc import Iterator

import pytest
from http_fixtures import FixtureServer, Route, page, serve

from spinscope.errors import FetchError, UnsafeURLError
from spinscope.ingest.fetch import Fetcher, FetchOptions
from spinscope.ingest.netsafe import is_public_address

pytestmark = pytest.mark.network


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with serve() as s:
        yield s


def fetcher(**kw: object) -> Fetcher:
    opts = {"allow_private": True, "retries": 0, "backoff": 0.01, "timeout": 2.0, **kw}
    return Fetcher(FetchOptions(**opts))  # type: ignore[arg-type]


@pytest.mark.parametrize("address,public", [
    ("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False), ("::1", False),
    ("fe80::1", False), ("fc00::1", False), ("::ffff:127.0.0.1", False),
    ("64:ff9b::a00:1", False), ("224.0.0.1", False), ("8.8.8.8", True),
    ("2606:4700:4700::1111", True), ("::ffff:8.8.8.8", True),
])
def test_address_policy(address: str, public: bool) -> None:
    assert is_public_address(ipaddress.ip_address(address)) is public


def test_loopback_refused_by_default_allowed_when_asked(server: FixtureServer) -> None:
    server.routes["/a"] = Route(body=page("A", "Text."))
    with pytest.raises(UnsafeURLError, match="private, loopback or link-local"):
        Fetcher(FetchOptions()).fetch(server.url("/a"))
    assert server.hits("/a") == 0  # refused before connecting
    assert fetcher().fetch(server.url("/a")).status == 200


def test_dns_answers_are_checked_and_pinned(server: FixtureServer) -> None:
    server.routes["/a"] = Route(body=page("A", "Text."))

    def resolver(host: str, port: int) -> list[str]:
        return {"ok.test": ["127.0.0.1"], "evil.test": ["127.0.0.2"],
                "mixed.test": ["127.0.0.1", "127.0.0.2"]}[host]

    # Pretend only 127.0.0.1 is public, to test the policy without leaving this machine.
    only_one = Fetcher(FetchOptions(retries=0), resolver=resolver,
                       is_allowed=lambda ip: str(ip) == "127.0.0.1")
    result = only_one.fetch(f"http://ok.test:{server.port}/a")
    assert result.status == 200
    assert server.requests[-1].headers["Host"] == f"ok.test:{server.port}"
    with pytest.raises(UnsafeURLError, match=r"evil\.test \(127\.0\.0\.2\)"):
        only_one.fetch(f"http://evil.test:{server.port}/a")
    with pytest.raises(UnsafeURLError, match=r"127\.0\.0\.2"):
        only_one.fetch(f"http://mixed.test:{server.port}/a")  # one bad answer is enough
    with pytest.raises(UnsafeURLError):
        Fetcher(FetchOptions(retries=0)).fetch(f"http://localhost:{server.port}/a")


def test_redirects_are_rechecked(server: FixtureServer) -> None:
    with serve("127.0.0.2") as other:
        other.routes["/x"] = Route(body=page("X", "Elsewhere."))
        server.routes["/to-other"] = Route(302, headers={"Location": other.url("/x")})
        server.routes["/to-ftp"] = Route(301, headers={"Location": "ftp://example.org/x"})
        server.routes["/loop"] = Route(302, headers={"Location": "/loop"})
        only_one = Fetcher(FetchOptions(retries=0),
                           is_allowed=lambda ip: str(ip) == "127.0.0.1")
        with pytest.raises(UnsafeURLError, match=r"127\.0\.0\.2"):
            only_one.fetch(server.url("/to-other"))
        assert other.hits("/x") == 0
        ok = fetcher().fetch(server.url("/to-other"))
        assert ok.url == other.url("/x") and ok.redirects == (other.url("/x"),)
        with pytest.raises(FetchError, match="only http and https"):
            fetcher().fetch(server.url("/to-ftp"))
        with pytest.raises(FetchError, match="more than 5 redirects"):
            fetcher().fetch(server.url("/loop"))


def test_size_caps_also_after_decompression(server: FixtureServer) -> None:
    big = b"<html><body>" + b"x" * 50_000_000 + b"</body></html>"
    server.routes["/big"] = Route(body=big)
    server.routes["/big-unknown"] = Route(body=big, content_length=False)
    bomb = gzip.compress(b"<p>" + b"a" * 30_000_000)
    server.routes["/bomb"] = Route(body=bomb, headers={"Content-Type": "text/html",
                                                       "Content-Encoding": "gzip"})
    f = fetcher(max_bytes=1_000_000)
    with pytest.raises(FetchError, match="size cap"):
        f.fetch(server.url("/big"))
    with pytest.raises(FetchError, match="size cap"):
        f.fetch(server.url("/big-unknown"))
    with pytest.raises(FetchError, match="size cap"):
        f.fetch(server.url("/bomb"))
    server.routes["/small-gz"] = Route(body=gzip.compress(page("G", "Zipped.")),
                                       headers={"Content-Type": "text/html",
                                                "Content-Encoding": "gzip"})
    assert b"Zipped." in f.fetch(server.url("/small-gz")).data


def test_content_type_status_and_timeout(server: FixtureServer) -> None:
    server.routes["/img"] = Route(body=b"\x89PNG", headers={"Content-Type": "image/png"})
    server.routes["/slow"] = Route(body=b"late", delay=1.5)
    with pytest.raises(FetchError, match="content type image/png"):
        fetcher().fetch(server.url("/img"))
    with pytest.raises(FetchError, match="HTTP 404"):
        fetcher().fetch(server.url("/missing"))
    with pytest.raises(FetchError, match="timed out"):
        fetcher(timeout=0.3).fetch(server.url("/slow"))


def test_retries_with_backoff_and_retry_after(server: FixtureServer) -> None:
    answers = iter([Route(503, b"busy"), Route(503, b"busy"), Route(body=page("R", "Back."))])
    server.routes["/flaky"] = lambda: next(answers)
    slept: list[float] = []
    f = Fetcher(FetchOptions(allow_private=True, retries=2, backoff=0.5), sleep=slept.append)
    assert f.fetch(server.url("/flaky")).status == 200
    assert slept == [0.5, 1.0]
    server.routes["/limited"] = Route(429, b"", {"Retry-After": "7"})
    slept.clear()
    with pytest.raises(FetchError, match="gave up after 3 attempts"):
        f.fetch(server.url("/limited"))
    assert slept == [7.0, 7.0]
    server.routes["/later"] = Route(429, b"", {"Retry-After": "3600"})
    with pytest.raises(FetchError, match="retry after 3600s"):
        f.fetch(server.url("/later"))


def test_user_agent_and_robots(server: FixtureServer) -> None:
    server.routes["/robots.txt"] = Route(body=b"User-agent: *\nDisallow: /private\n",
                                         headers={"Content-Type": "text/plain"})
    server.routes["/private/a"] = Route(body=page("P", "Secret."))
    server.routes["/public"] = Route(body=page("O", "Open."))
    f = fetcher(user_agent="spinscope-test/1.0")
    assert f.fetch(server.url("/public")).status == 200
    assert server.requests[-1].headers["User-Agent"] == "spinscope-test/1.0"
    with pytest.raises(FetchError, match=r"robots\.txt"):
        f.fetch(server.url("/private/a"))
    assert server.hits("/private/a") == 0
    assert server.hits("/robots.txt") == 1  # cached per site
    assert fetcher(respect_robots=False).fetch(server.url("/private/a")).status == 200


def test_unavailable_robots_means_disallow(server: FixtureServer) -> None:
    server.routes["/robots.txt"] = Route(500, b"oops", {"Content-Type": "text/plain"})
    server.routes["/a"] = Route(body=page("A", "Text."))
    with pytest.raises(FetchError, match=r"robots\.txt .* unreachable .*HTTP 500.*disallow"):
        fetcher().fetch(server.url("/a"))


def test_one_request_at_a_time_per_host_with_delay(server: FixtureServer) -> None:
    server.routes["/slow"] = Route(body=page("S", "Slow."), delay=0.2)
    f = fetcher(host_delay=0.1)
    threads = [threading.Thread(target=f.fetch, args=(server.url("/slow"),)) for _ in range(3)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Serialised: 3 x 0.2 s of work plus 2 x 0.1 s of spacing at least.
    assert time.monotonic() - start >= 0.8
    assert server.hits("/slow") == 3
