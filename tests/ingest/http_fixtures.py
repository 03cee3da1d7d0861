"""A local HTTP server on 127.0.0.x serving fixture responses written for the tests.

Routes map a path to a ``Route`` (status, headers, body) or to a callable returning one; every
request is recorded (path and headers) so tests can check what the client sent and how often.
Never contacts anything outside this machine.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HTML_TYPE = "text/html; charset=utf-8"


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": HTML_TYPE})
    delay: float = 0.0  # seconds before answering
    content_length: bool = True  # False: body ends when the connection closes


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]


class FixtureServer:
    def __init__(self, host: str = "127.0.0.1"):
        self.routes: dict[str, Route | Callable[[], Route]] = {}
        self.requests: list[Recorded] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server.requests.append(Recorded(self.path, dict(self.headers.items())))
                route = server.routes.get(self.path)
                if callable(route):
                    route = route()
                if route is None:
                    route = Route(404, b"not found", {"Content-Type": "text/plain"})
                if route.delay:
                    time.sleep(route.delay)
                self.send_response(route.status)
                for key, value in route.headers.items():
                    self.send_header(key, value)
                if route.content_length:
                    self.send_header("Content-Length", str(len(route.body)))
                self.send_header("Connection", "close")
                self.end_headers()
                with suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(route.body)
                self.close_connection = True

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.host = host
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def hits(self, path: str) -> int:
        return sum(1 for r in self.requests if r.path == path)


@contextmanager
def serve(host: str = "127.0.0.1") -> Iterator[FixtureServer]:
    server = FixtureServer(host)
    server.thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()


def page(title: str, body: str, extra_head: str = "") -> bytes:
    """A small news page (fictional) with enough text for extraction."""
    paragraphs = "".join(f"<p>{body} Paragraph {i} adds detail for the reader.</p>"
                         for i in range(3))
    return (f"<!doctype html><html lang='en'><head><title>{title}</title>{extra_head}</head>"
            f"<body><nav>Home | World</nav><article><h1>{title}</h1>{paragraphs}</article>"
            "<footer>Fictional test page</footer></body></html>").encode()
