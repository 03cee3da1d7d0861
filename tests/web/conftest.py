"""Fixtures for the web tests: apps built with the fake analyser and a temporary store."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

pytest.importorskip("fastapi", reason="the web tests need the [web] extra")

from fastapi.testclient import TestClient
from web_fakes import TOKEN, fake_analyser, make_store

from spinscope.ingest.fetch import Fetcher, FetchOptions
from spinscope.settings import Settings
from spinscope.web import WebSettings, create_app


@pytest.fixture
def make_client(tmp_path: Path) -> Iterator[Callable[..., TestClient]]:
    """Build a client; keyword arguments go to ``WebSettings``.

    ``with_store=False``: no store yet; ``permissive_fetch=True``: the fetcher may reach
    127.0.0.1 (for the local test site only; the default app refuses it).
    """
    clients: list[TestClient] = []

    def build(with_store: bool = True, analyser: Any = fake_analyser,
              permissive_fetch: bool = False, **web: Any) -> TestClient:
        store_path = tmp_path / f"corpus{len(clients)}.sqlite"
        store = make_store(store_path) if with_store else None
        settings = Settings(store=str(store_path))
        options: dict[str, Any] = {"rate_limit": 0, "api_token": TOKEN, **web}
        fetcher = Fetcher(FetchOptions(allow_private=True, respect_robots=False, retries=0,
                                       timeout=5, deadline=10)) if permissive_fetch else None
        app = create_app(settings, analyser=analyser, store=store, web=WebSettings(**options),
                         fetcher=fetcher)
        client = TestClient(app)
        clients.append(client)
        return client

    yield build
    for c in clients:
        c.close()


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


ARTICLE_HTML = """<!doctype html><html lang="en"><head><title>Quay fees row</title></head>
<body><nav>Home | News</nav><article><h1>Quay fees row deepens</h1>
<p>The harbour board of the fictional town of Marlow raised quay fees again on Monday,
and fishermen gathered outside the board's offices to protest the decision.</p>
<p>One speaker called the board chairman a traitor to the town, and said the so-called
consultation had been a disaster for every family that depends on the boats.</p>
<p>The board said the fees would pay for repairs to the old quay wall, which has been
closed to heavy vehicles since the winter storms.</p></article>
<footer>Contact</footer></body></html>"""


class _Site(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Site.hits.append(self.path)
        body = ARTICLE_HTML.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site_hits() -> list[str]:
    return _Site.hits


@pytest.fixture
def local_site() -> Iterator[str]:
    """A fictional article page served on 127.0.0.1 (a free port)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Site.hits.clear()
    yield f"http://127.0.0.1:{server.server_address[1]}/news/quay-fees"
    server.shutdown()
    server.server_close()
