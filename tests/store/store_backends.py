"""Store fixtures shared by the store tests: the same tests run on SQLite and PostgreSQL.

PostgreSQL tests need a server: set SPINSCOPE_TEST_POSTGRES_URL (``scripts/postgres.sh start``
prints one). Each test gets its own schema, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from spinscope.store import CorpusStore, open_store

POSTGRES_URL = os.environ.get("SPINSCOPE_TEST_POSTGRES_URL", "")
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def postgres_url_or_skip() -> str:
    if not POSTGRES_URL:
        pytest.skip("SPINSCOPE_TEST_POSTGRES_URL is not set: start a server with "
                    "`scripts/postgres.sh start` and export the URL it prints")
    return POSTGRES_URL


@pytest.fixture
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty store location for the backend named by the test's parameter."""
    backend = request.param
    if backend == "sqlite":
        yield str(tmp_path / "corpus.sqlite")
        return
    import psycopg

    base = postgres_url_or_skip()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def store(store_location: str) -> Iterator[CorpusStore]:
    st = open_store(store_location)
    yield st
    st.close()
