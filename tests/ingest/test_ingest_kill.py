"""SIGKILL in the middle of a 10,000-document ingest, then re-run: no corruption, no duplicates,
nothing lost."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from spinscope.store.sqlite import SQLiteStore

N_DOCS = 10_000
WORDS = ["harbour", "council", "pier", "ferry", "grain", "strait", "convoy", "port", "vessel",
         "minister", "talks", "border", "river", "dam", "village", "market", "winter", "bridge",
         "school", "station"]


def write_docs(folder: Path) -> dict[str, str]:
    """N_DOCS small, distinct text files (some with BOM and CRLF); sha256 → file name."""
    rng = random.Random(7)
    folder.mkdir()
    expected: dict[str, str] = {}
    for i in range(N_DOCS):
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 60)))
        text = f"Report {i}\n{body}\n"
        if i % 10 == 0:
            text = "\ufeff" + text.replace("\n", "\r\n")
        data = text.encode("utf-8")
        (folder / f"doc{i:05d}.txt").write_bytes(data)
        expected[hashlib.sha256(data).hexdigest()] = f"doc{i:05d}.txt"
    return expected


def count(store: Path) -> int:
    try:
        with sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:
        return 0  # not created or not migrated yet


def ingest_cmd(folder: Path, store: Path) -> list[str]:
    return [sys.executable, "-m", "spinscope.cli.main", "ingest", str(folder), "--store",
            str(store), "-q"]


@pytest.mark.slow
def test_sigkill_mid_ingest_then_rerun(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    expected = write_docs(folder)
    store = tmp_path / "corpus.sqlite"
    env = {**os.environ, "SPINSCOPE_CONFIG": ""}
    proc = subprocess.Popen(ingest_cmd(folder, store), env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while count(store) < 2_000:
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        assert time.monotonic() < deadline, "ingest did not get going"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    partial = count(store)
    assert 2_000 <= partial < N_DOCS, "kill came too late to test anything"

    with SQLiteStore(store) as st:  # sound straight after the kill
        assert st.integrity_check() == ["ok"]

    done = subprocess.run(ingest_cmd(folder, store), env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"added {N_DOCS - partial} " in done.stdout, done.stdout

    with SQLiteStore(store) as st:
        assert st.integrity_check() == ["ok"]
        assert st.count() == N_DOCS
        stored = {}
        for a in st.iter_articles():
            assert a.content_hash not in stored, f"duplicate of {a.location}"
            stored[a.content_hash] = a
        for digest, name in expected.items():
            article = stored.get(digest)  # text hash = file hash: the text is the file
            assert article is not None, f"{name} lost"
            assert article.raw_hash == digest
            assert article.text.encode("utf-8") == (folder / name).read_bytes()
        runs = st.runs()
        assert [r.status for r in runs] == ["finished", "unfinished"]
