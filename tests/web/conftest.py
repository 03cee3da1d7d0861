"""Fixtures for the web tests: apps built with the fake analyser and a temporary store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web tests need the [web] extra")

from fastapi.testclient import TestClient
from web_fakes import TOKEN, fake_analyser, make_store

from spinscope.settings import Settings
from spinscope.web import WebSettings, create_app


@pytest.fixture
def make_client(tmp_path: Path) -> Iterator[Callable[..., TestClient]]:
    """Build a client; keyword arguments go to ``WebSettings`` (``store=False``: no store)."""
    clients: list[TestClient] = []

    def build(with_store: bool = True, analyser: Any = fake_analyser, **web: Any) -> TestClient:
        store_path = tmp_path / f"corpus{len(clients)}.sqlite"
        store = make_store(store_path) if with_store else None
        settings = Settings(store=str(store_path))
        options: dict[str, Any] = {"rate_limit": 0, "api_token": TOKEN, **web}
        app = create_app(settings, analyser=analyser, store=store, web=WebSettings(**options))
        client = TestClient(app)
        clients.append(client)
        return client

    yield build
    for c in clients:
        c.close()


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()
