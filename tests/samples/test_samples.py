"""The bundled sample corpus is consistent: manifest, files, outlets, events and gold spans."""

from __future__ import annotations

import difflib
import json
from collections import Counter, defaultdict
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from spinscope.core.taxonomy import load_taxonomy
from spinscope.samples import (
    SampleArticle,
    load_events_gold,
    load_gold_documents,
    load_gold_spans,
    load_outlets,
    load_samples,
    samples_dir,
)

EXPECTED_LANGS = {"en": 12, "ru": 10, "uk": 10}
# Letters that exist in only one of the two Cyrillic languages: a cheap check that a text
# labelled ru is not Ukrainian and vice versa.
UK_ONLY = set("іїєґІЇЄҐ")
RU_ONLY = set("ыэёъЫЭЁЪ")


@pytest.fixture(scope="module")
def articles() -> list[SampleArticle]:
    return load_samples()


def read_raw(name: str) -> str:
    with open(samples_dir() / name, encoding="utf-8", newline="") as f:
        return f.read()


def test_samples_dir_is_package_data() -> None:
    root = resources.files("spinscope.samples")
    for name in ("outlets.json", "articles.jsonl", "gold_spans.jsonl", "events_gold.json",
                 "README.md", "articles/sample-01.txt"):
        assert root.joinpath(name).is_file(), name
    assert samples_dir().is_dir()
    assert (samples_dir() / "articles.jsonl").is_file()


def test_manifest_matches_files(articles: list[SampleArticle]) -> None:
    ids = [a.id for a in articles]
    assert len(ids) == len(set(ids)), "duplicate article ids"
    listed = {a.file for a in articles}
    on_disk = {f"articles/{p.name}" for p in (samples_dir() / "articles").glob("*.txt")}
    assert listed == on_disk
    for a in articles:
        assert a.file == f"articles/{a.id}.txt"
        lines = a.text.split("\n")
        assert lines[0] == a.title, a.id
        assert lines[1] == "", f"{a.id}: no blank line after the title"
        assert "\r" not in a.text and "\n\n\n" not in a.text, a.id
        assert a.text.endswith("\n") and not a.text.endswith("\n\n"), a.id
        words = len(a.text.split())
        assert 150 <= words <= 400, f"{a.id}: {words} words"


def test_dates_urls_and_languages(articles: list[SampleArticle]) -> None:
    outlets = {o.id: o for o in load_outlets()}
    for a in articles:
        assert date(2031, 3, 1) <= a.published <= date(2031, 4, 30), a.id
        assert a.outlet in outlets, f"{a.id}: unknown outlet {a.outlet}"
        outlet = outlets[a.outlet]
        assert a.lang == outlet.language, a.id
        assert a.url.startswith(f"https://{outlet.domain}/"), a.id
        letters = set(a.text)
        if a.lang == "ru":
            assert not letters & UK_ONLY, f"{a.id}: Ukrainian letters in a Russian text"
        elif a.lang == "uk":
            assert not letters & RU_ONLY, f"{a.id}: Russian letters in a Ukrainian text"
        else:
            assert not any("\u0400" <= c <= "\u04ff" for c in a.text), a.id


def test_language_counts(articles: list[SampleArticle]) -> None:
    assert Counter(a.lang for a in articles) == EXPECTED_LANGS
    assert len(load_samples(lang="uk")) == EXPECTED_LANGS["uk"]


def test_outlets_are_fictional_and_varied() -> None:
    raw = json.loads(read_raw("outlets.json"))
    assert "fictional" in raw["note"]
    outlets = load_outlets()
    assert 8 <= len(outlets) <= 10
    assert len({o.id for o in outlets}) == len(outlets)
    assert all(o.domain.endswith(".example") for o in outlets)
    assert len({o.bloc for o in outlets}) >= 4
    assert {o.ownership for o in outlets} <= {"state", "public", "private", "independent"}
    assert any(o.state_affiliated for o in outlets)
    used = {a.outlet for a in load_samples()}
    assert used == {o.id for o in outlets}, "every outlet should have at least one article"


def test_syndicated_copies(articles: list[SampleArticle]) -> None:
    by_id = {a.id: a for a in articles}
    copies = [a for a in articles if a.syndicated_from]
    assert len(copies) == 2
    for c in copies:
        orig = by_id[c.syndicated_from or ""]
        assert orig.syndicated_from is None
        assert (orig.event, orig.lang) == (c.event, c.lang)
        assert orig.outlet != c.outlet and orig.published <= c.published
        ratio = difflib.SequenceMatcher(None, orig.text, c.text, autojunk=False).ratio()
        assert ratio > 0.9, f"{c.id} is not a near-verbatim copy ({ratio:.2f})"


def test_events_gold(articles: list[SampleArticle]) -> None:
    gold = load_events_gold()
    assert gold == {a.id: a.event for a in articles}
    events = json.loads(read_raw("events_gold.json"))["events"]
    assert set(events) == set(gold.values())
    assert 4 <= len(events) <= 5
    outlets: dict[str, set[str]] = defaultdict(set)
    langs: dict[str, set[str]] = defaultdict(set)
    for a in articles:
        outlets[a.event].add(a.outlet)
        langs[a.event].add(a.lang)
    for event in events:
        assert len(outlets[event]) >= 2, event
        assert len(langs[event]) >= 2, event


def test_gold_spans_are_valid(articles: list[SampleArticle]) -> None:
    names = set(load_taxonomy().names)
    by_id = {a.id: a for a in articles}
    spans = load_gold_spans()
    assert spans
    keys = [(s.id, s.technique, s.start, s.end) for s in spans]
    assert len(keys) == len(set(keys)), "duplicate gold spans"
    for s in spans:
        assert s.technique in names, s.technique
        article = by_id[s.id]
        assert article.gold_annotated, f"{s.id} has spans but is not marked gold_annotated"
        assert 0 <= s.start < s.end <= len(article.text), s
        covered = article.text[s.start:s.end]
        assert covered == s.text, s
        assert covered == covered.strip(), f"{s.id}: span has outer whitespace: {covered!r}"


def test_gold_annotated_set(articles: list[SampleArticle]) -> None:
    annotated = [a for a in articles if a.gold_annotated]
    assert len(annotated) >= 12
    per_lang = Counter(a.lang for a in annotated)
    assert set(per_lang) == {"en", "ru", "uk"} and min(per_lang.values()) >= 4
    assert not any(a.syndicated_from for a in annotated)
    docs = load_gold_documents()
    assert [d.id for d in docs] == [a.id for a in annotated]
    for d in docs:
        for span in d.spans:
            assert span.text_of(d.text)
    with_spans = sum(1 for d in docs if d.spans)
    assert with_spans >= 12


def test_to_document_keeps_metadata(articles: list[SampleArticle]) -> None:
    a = articles[0]
    doc = a.to_document()
    assert (doc.id, doc.text, doc.lang, doc.title) == (a.id, a.text, a.lang, a.title)
    assert doc.metadata["outlet"] == a.outlet and doc.metadata["event"] == a.event
    copy = next(x for x in articles if x.syndicated_from)
    assert copy.to_document().metadata["syndicated_from"] == copy.syndicated_from


def test_readme_mentions_every_event() -> None:
    readme = Path(samples_dir() / "README.md").read_text(encoding="utf-8")
    for event in set(load_events_gold().values()):
        assert f"`{event}`" in readme, event
