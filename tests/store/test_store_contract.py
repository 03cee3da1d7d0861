"""The CorpusStore contract, run against SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime as dt

import pytest
from store_backends import BACKENDS

from spinscope.core.document import content_hash
from spinscope.dedup.minhash import lsh_keys
from spinscope.errors import StoreError
from spinscope.store import Article, ArticleFilter, CorpusStore, RawSource, open_store

pytestmark = pytest.mark.parametrize("store_location", BACKENDS, indirect=True)

TEXTS = {
    "bom_crlf": "\ufeffFirst line\r\nSecond line with émoji 🙂 and e\u0301\r\n",
    "en": "The harbour council voted to repair the old pier after a long debate.",
    "ru": "Городской совет проголосовал за ремонт старого причала после долгих споров.",
    "uk": "Міська рада проголосувала за ремонт старого причалу після довгих суперечок.",
}


def make(aid: str, text: str, **kw: object) -> Article:
    return Article(id=aid, text=text, content_hash=content_hash(text), location=f"/x/{aid}",
                   near_keys=lsh_keys(text), **kw)  # type: ignore[arg-type]


def fill(store: CorpusStore) -> None:
    with store.transaction():
        store.insert(make("a1" + "0" * 14, TEXTS["bom_crlf"], outlet="meridian", lang="en",
                          published="2031-03-01", tags=("x",), title="Bom title"),
                     url_keys=["meridianpress.example/a1"],
                     raw=RawSource("r1", "/x/a1", "text/plain", 3, b"abc"))
        store.insert(make("b2" + "0" * 14, TEXTS["en"], outlet="harbour-times", lang="en",
                          published="2031-03-02T10:00:00+00:00", title="Pier vote"))
        store.insert(make("c3" + "0" * 14, TEXTS["ru"], outlet="zsn", lang="ru",
                          published="2031-03-03", tags=("x", "y")))
        store.insert(make("c4" + "0" * 14, TEXTS["uk"], outlet="dzvin", lang="uk",
                          published=None, dup_of="c3" + "0" * 14, dup_kind="syndicated"))


def test_migrations_are_numbered_and_idempotent(store: CorpusStore,
                                                store_location: str) -> None:
    version = store.schema_version()
    assert version >= 1
    assert store.migrate() == []
    with open_store(store_location) as again:
        assert again.schema_version() == version


def test_text_round_trips_exactly(store: CorpusStore) -> None:
    fill(store)
    a = store.get("a1" + "0" * 14)
    assert a.text == TEXTS["bom_crlf"]
    assert a.text.startswith("\ufeff") and "\r\n" in a.text
    assert a.content_hash == content_hash(TEXTS["bom_crlf"])
    assert a.n_chars == len(TEXTS["bom_crlf"])
    assert a.tags == ("x",)
    assert a.to_document().text == TEXTS["bom_crlf"]


def test_get_by_prefix_and_errors(store: CorpusStore) -> None:
    fill(store)
    assert store.get("b200").id == "b2" + "0" * 14
    assert store.get("B2" + "0" * 14).id == "b2" + "0" * 14
    with store.transaction():
        store.insert(make("abcd1" + "0" * 11, "one"))
        store.insert(make("abcd2" + "0" * 11, "two"))
    with pytest.raises(StoreError, match="ambiguous"):
        store.get("abcd")
    assert store.get("abcd2").text == "two"
    with pytest.raises(StoreError, match="at least 4"):
        store.get("c")
    with pytest.raises(StoreError, match="no article"):
        store.get("zz%_")
    with pytest.raises(StoreError, match="no article"):
        store.get("ffff")


def test_dedup_lookups(store: CorpusStore) -> None:
    fill(store)
    assert store.find_url(["nope", "meridianpress.example/a1"]) == "a1" + "0" * 14
    assert store.find_url(["nope"]) is None
    assert [m.id for m in store.find_content(content_hash(TEXTS["en"]))] == ["b2" + "0" * 14]
    assert [m.id for m in store.find_raw("r1")] == []  # raw_hash was not set on the article
    long_text = " ".join(f"word{i}" for i in range(60))
    with store.transaction():
        store.insert(make("f1" + "0" * 14, long_text))
    keys = lsh_keys(long_text.replace("word30", "other"))
    assert [m.id for m in store.near_candidates(keys)] == ["f1" + "0" * 14]
    assert store.near_candidates(lsh_keys(" ".join(f"x{i}" for i in range(60)))) == []
    assert store.near_candidates(()) == []
    raw = store.get_raw("r1")
    assert raw is not None and raw.data == b"abc" and raw.size == 3


def test_tags_merge_and_filter(store: CorpusStore) -> None:
    fill(store)
    store.add_tags("b2" + "0" * 14, ["y", "z"])
    store.add_tags("b2" + "0" * 14, ["y"])
    assert store.get("b2" + "0" * 14).tags == ("y", "z")
    ids = [a.id[:2] for a in store.iter_articles(ArticleFilter(tags=("y",)))]
    assert ids == ["b2", "c3"]


def test_listing_filters_and_batches(store: CorpusStore) -> None:
    fill(store)
    all_ids = [a.id[:2] for a in store.iter_articles(batch_size=1)]
    assert all_ids == ["a1", "b2", "c3", "c4"]
    assert store.count() == 4
    f = ArticleFilter(outlets=("zsn", "meridian"))
    assert [a.id[:2] for a in store.iter_articles(f)] == ["a1", "c3"]
    assert store.count(ArticleFilter(langs=("en",))) == 2
    day = ArticleFilter(date_from=dt.date(2031, 3, 2), date_to=dt.date(2031, 3, 2))
    assert [a.id[:2] for a in store.iter_articles(day)] == ["b2"]  # --to is inclusive
    assert store.count(ArticleFilter(originals_only=True)) == 3
    no_text = next(iter(store.iter_articles(with_text=False)))
    assert no_text.text == "" and no_text.n_chars == len(TEXTS["bom_crlf"])


def test_search_syntax(store: CorpusStore) -> None:
    fill(store)

    def ids(q: str, where: ArticleFilter | None = None) -> list[str]:
        return sorted(h.article.id[:2] for h in store.search(q, where))

    assert ids("pier") == ["b2"]
    assert ids("harbour pier") == ["b2"]
    assert ids('"old pier"') == ["b2"]
    assert ids('"pier old"') == []
    assert ids("pier OR причала") == ["b2", "c3"]
    assert ids("ремонт") == ["c3", "c4"]
    assert ids("проголосувала") == ["c4"]  # no stemming: ru "проголосовал" differs
    assert ids("ремонт OR причалу -причалу") == ["c3"]
    assert ids("line -émoji") == []
    assert ids("émoji") == ["a1"]
    assert ids("bom") == ["a1"]  # titles are searched too
    assert ids("pier OR ремонт", ArticleFilter(langs=("ru",))) == ["c3"]
    # User text is never query syntax: stray quotes and operators are words, not errors.
    assert ids('pier" OR 1=1 --') == ["b2"]  # = pier OR "1 1"
    assert ids("NEAR(pier) AND*") == []
    hits = store.search("pier")
    assert "[pier]" in hits[0].snippet
    with pytest.raises(StoreError, match="no word"):
        store.search("-pier")
    with pytest.raises(StoreError, match="no word"):
        store.search("  ... ")


def test_search_ranks_title_and_frequency(store: CorpusStore) -> None:
    with store.transaction():
        store.insert(make("d1" + "0" * 14, "A short note that mentions the dam once."))
        store.insert(make("d2" + "0" * 14, "The dam. The dam held. The dam will hold.",
                          title="Dam"))
    assert [h.article.id[:2] for h in store.search("dam")] == ["d2", "d1"]


def test_copies_runs_failures_summary(store: CorpusStore) -> None:
    fill(store)
    assert [c.id[:2] for c in store.copies("c3" + "0" * 14)] == ["c4"]
    with store.transaction():
        run = store.start_run(["/a", "https://x.example/feed"])
    assert store.runs()[0].status == "unfinished"
    with store.transaction():
        store.finish_run(run, {"added": 4, "failed": 1}, [("/a/bad.txt", "binary content")])
    latest = store.runs()[0]
    assert latest.id == run and latest.status == "finished"
    assert latest.sources == ("/a", "https://x.example/feed") and latest.counts["added"] == 4
    assert store.failures(run) == [("/a/bad.txt", "binary content")]
    s = store.summary()
    assert (s.articles, s.originals) == (4, 3)
    assert s.by_lang == {"en": 2, "ru": 1, "uk": 1}
    assert s.first_published == "2031-03-01"


def test_transaction_rolls_back_on_error(store: CorpusStore) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.insert(make("e1" + "0" * 14, "will vanish"))
        raise RuntimeError("boom")
    assert store.count() == 0
    with pytest.raises(StoreError), store.transaction():
        store.insert(make("e2" + "0" * 14, "one"))
        store.insert(make("e2" + "0" * 14, "same id twice"))
    assert store.count() == 0


def test_second_writer_waits_for_the_first(store: CorpusStore, store_location: str) -> None:
    """Writers are serialised across connections (SQLite's lock; a PostgreSQL advisory lock)."""
    import threading
    import time

    order: list[str] = []
    other = open_store(store_location)
    try:
        with store.transaction():
            store.insert(make("aa" + "0" * 14, "first writer"))

            def second() -> None:
                with other.transaction():
                    order.append("second")

            t = threading.Thread(target=second)
            t.start()
            time.sleep(0.3)
            order.append("first")
        t.join(timeout=30)
    finally:
        other.close()
    assert order == ["first", "second"]


def test_near_candidates_are_capped_roots_first(store: CorpusStore) -> None:
    text = " ".join(f"token{i}" for i in range(60))
    keys = lsh_keys(text)
    with store.transaction():
        store.insert(make("ab00" + "0" * 12, text))
        for i in range(1, 15):
            store.insert(make(f"ab{i:02d}" + "0" * 12, text, dup_of="ab00" + "0" * 12,
                              dup_kind="near"))
    found = store.near_candidates(keys)
    assert len(found) == 10
    assert found[0].id == "ab00" + "0" * 12 and found[0].dup_of is None
