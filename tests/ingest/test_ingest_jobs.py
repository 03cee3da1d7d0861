"""Extraction in worker processes gives the same store as one process."""

from __future__ import annotations

from pathlib import Path

from spinscope.ingest.pipeline import IngestOptions, Ingestor
from spinscope.settings import Settings
from spinscope.store.sqlite import SQLiteStore

STORY = ("Ferry crews in Carrow stopped work on Thursday after talks over night shifts broke "
         "down, leaving hundreds of passengers waiting at the terminal while the company and "
         "the union blamed each other for the failure of the negotiations that had lasted "
         "almost three weeks without any agreement on pay or rest days.")


def corpus(folder: Path) -> None:
    folder.mkdir()
    for i in range(12):
        (folder / f"s{i:02d}.txt").write_text(f"Story {i}\n{STORY} Detail {i}.\n", "utf-8")
        (folder / f"p{i:02d}.html").write_text(
            f"<html><head><title>Page {i}</title></head><body><article><p>{STORY}</p>"
            f"<p>Page {i} adds its own closing paragraph for readers.</p></article></body>"
            "</html>", "utf-8")
    (folder / "same.txt").write_text(f"Story 0\n{STORY} Detail 0.\n", "utf-8")
    (folder / "bad.txt").write_bytes(b"%PDF-1.4\x00")


def snapshot(store: SQLiteStore) -> list[tuple[object, ...]]:
    return [(a.id, a.content_hash, a.dup_of, a.dup_kind, a.lang, a.title)
            for a in store.iter_articles()]


def test_jobs_two_matches_one(tmp_path: Path) -> None:
    corpus(tmp_path / "in")
    results = []
    for jobs in (1, 2):
        with SQLiteStore(tmp_path / f"s{jobs}.sqlite") as st:
            settings = Settings(store="unused", extract_workers=jobs)
            report = Ingestor(st, settings, IngestOptions()).run([str(tmp_path / "in")])
            assert (report.added, report.duplicates, report.failed_count) == (24, 1, 1)
            again = Ingestor(st, settings, IngestOptions()).run([str(tmp_path / "in")])
            assert (again.added, again.duplicates) == (0, 25)
            results.append(snapshot(st))
    assert results[0] == results[1]
    assert any(row[2] is not None for row in results[0])  # near-copies linked in both
