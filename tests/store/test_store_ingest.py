"""Ingest and dedup end to end, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from store_backends import BACKENDS

from spinscope.ingest.pipeline import IngestOptions, Ingestor
from spinscope.settings import Settings
from spinscope.store import CorpusStore

pytestmark = pytest.mark.parametrize("store_location", BACKENDS, indirect=True)

WIRE = ("Officials in Veldhaven said on Monday that grain shipments through the Morvay Strait "
        "would resume within ten days, after both governments signed the inspection protocol. "
        "Traders welcomed the news, although insurers warned that premiums would stay high "
        "until the first convoys had passed safely. Port workers in Carrow began clearing the "
        "northern berths on Monday evening, and the harbour master said the first vessel could "
        "dock by the end of the week if the weather held.")


def run(store: CorpusStore, sources: list[str], **options: object) -> object:
    settings = Settings(store="unused", fetch_workers=1)
    return Ingestor(store, settings, IngestOptions(**options)).run(sources)  # type: ignore[arg-type]


def write_corpus(root: Path) -> Path:
    folder = root / "corpus"
    (folder / "sub").mkdir(parents=True)
    (folder / "bom.txt").write_bytes("\ufeffTitle line\r\nBody with CRLF.\r\n".encode())
    (folder / "sub" / "page.html").write_text(
        "<html lang='en'><head><title>Pier vote</title></head><body><article>"
        "<p>The harbour council voted on Tuesday to repair the old pier, after months of "
        "debate between the fishermen and the ferry company of the town.</p></article>"
        "</body></html>", "utf-8")
    records = [
        {"text": WIRE, "outlet": "meridian", "url": "https://meridianpress.example/w/1",
         "title": "Grain shipments to resume", "publish_date": "2031-03-03"},
        {"text": WIRE, "outlet": "harbour-times", "url": "https://harbourtimes.example/w/1"},
        {"text": WIRE.replace("ten days", "eleven days"), "outlet": "vestnik",
         "url": "https://vestnik-federatsii.example/w/1"},
        {"text": WIRE.replace("Monday evening", "Monday night"), "outlet": "meridian",
         "url": "https://meridianpress.example/w/1-updated"},
    ]
    (folder / "export.jsonl").write_text(
        "\n".join(json.dumps(r) for r in records) + "\n", "utf-8")
    (folder / ".hidden.txt").write_text("never read", "utf-8")
    return folder


def test_ingest_is_idempotent_and_keeps_text_and_raw(store: CorpusStore, tmp_path: Path) -> None:
    folder = write_corpus(tmp_path)
    first = run(store, [str(folder)], tags=("batch1",))
    assert (first.added, first.duplicates, first.failed_count) == (6, 0, 0)  # type: ignore[attr-defined]
    again = run(store, [str(folder)], tags=("batch2",))
    assert (again.added, again.duplicates, again.failed_count) == (0, 6, 0)  # type: ignore[attr-defined]
    assert store.count() == 6
    by_loc = {a.location: a for a in store.iter_articles()}
    bom = by_loc[str(folder / "bom.txt")]
    raw = (folder / "bom.txt").read_bytes()
    assert bom.text.encode("utf-8") == raw  # BOM and CRLF kept byte for byte
    assert bom.raw_hash == hashlib.sha256(raw).hexdigest()
    source = store.get_raw(bom.raw_hash)
    assert source is not None and source.location == str(folder / "bom.txt")
    assert source.data is None  # local files are re-read from their location
    assert bom.tags == ("batch1", "batch2")  # duplicates get the new tag
    assert bom.title == "Title line" and bom.extractor == "text"
    html = by_loc[str(folder / "sub" / "page.html")]
    assert html.extractor.startswith(("trafilatura", "lxml")) and "old pier" in html.text
    assert html.lang == "en"


def test_syndicated_and_near_copies_are_linked_not_dropped(store: CorpusStore,
                                                           tmp_path: Path) -> None:
    folder = write_corpus(tmp_path)
    run(store, [str(folder / "export.jsonl")])
    arts = {a.url: a for a in store.iter_articles()}
    wire = arts["https://meridianpress.example/w/1"]
    assert wire.dup_of is None and wire.outlet == "meridian"
    assert wire.published == "2031-03-03" and wire.title == "Grain shipments to resume"
    exact = arts["https://harbourtimes.example/w/1"]
    assert (exact.dup_of, exact.dup_kind) == (wire.id, "syndicated")
    near = arts["https://vestnik-federatsii.example/w/1"]
    assert (near.dup_of, near.dup_kind) == (wire.id, "syndicated")
    update = arts["https://meridianpress.example/w/1-updated"]
    assert (update.dup_of, update.dup_kind) == (wire.id, "near")
    assert sorted(c.id for c in store.copies(wire.id)) == sorted([exact.id, near.id, update.id])


def test_outlet_override_and_registry(store: CorpusStore, tmp_path: Path) -> None:
    folder = write_corpus(tmp_path)
    run(store, [str(folder / "bom.txt")], outlet="The Harbour Times")
    assert next(iter(store.iter_articles())).outlet == "harbour-times"  # name → registry id


def test_without_near_dedup_copies_are_originals(store: CorpusStore, tmp_path: Path) -> None:
    folder = write_corpus(tmp_path)
    run(store, [str(folder / "export.jsonl")], near_duplicates=False)
    kinds = sorted(str(a.dup_kind) for a in store.iter_articles())
    assert kinds == ["None", "None", "None", "syndicated"]  # exact copy still linked
