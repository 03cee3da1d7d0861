"""Batch analysis: incremental, resumable, per-document failures, both store backends."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pytest
from corpus_fixtures_analyze import add_articles
from store_backends import BACKENDS

from spinscope.analyze import (
    BatchOptions,
    InlineEngine,
    LocalEngine,
    Task,
    TaskResult,
    analyze_corpus,
)
from spinscope.analyze.analyser import AnalyserFactory
from spinscope.analyze.testing import FAIL_MARKER, KeywordFactory
from spinscope.store import ArticleFilter, CorpusStore

pytestmark = pytest.mark.parametrize("store_location", BACKENDS, indirect=True)


def test_analyses_everything_once_then_nothing(store: CorpusStore) -> None:
    add_articles(store, 30)
    first = analyze_corpus(store, KeywordFactory(), BatchOptions(chunk_size=4), InlineEngine())
    assert (first.to_do, first.analysed, first.failed, first.status) == (30, 30, 0, "finished")
    again = analyze_corpus(store, KeywordFactory(), engine=InlineEngine())
    assert (again.to_do, again.analysed) == (0, 0)
    add_articles(store, 5, start=30)
    more = analyze_corpus(store, KeywordFactory(), engine=InlineEngine())
    assert more.analysed == 5
    (rs,) = store.result_sets()
    assert (rs.model_version, rs.articles) == ("keyword-1", 35)


def test_results_are_per_model_version(store: CorpusStore) -> None:
    add_articles(store, 6)
    analyze_corpus(store, KeywordFactory("v1"), engine=InlineEngine())
    second = analyze_corpus(store, KeywordFactory("v2", lexicon={"council": "Doubt"}),
                            engine=InlineEngine())
    assert second.analysed == 6
    assert {r.model_version: r.articles for r in store.result_sets()} == {"v1": 6, "v2": 6}
    v1 = store.get_analysis("doc-0001", "v1")
    v2 = store.get_analysis("doc-0001", "v2")
    assert v1 is not None and v2 is not None
    assert set(v1.counts()) == {"Loaded_Language", "Name_Calling-Labeling", "Appeal_to_Popularity",
                                "Doubt"}
    assert set(v2.counts()) <= {"Doubt"}


def test_stored_spans_index_the_stored_text(store: CorpusStore) -> None:
    add_articles(store, 4)
    analyze_corpus(store, KeywordFactory(), engine=InlineEngine())
    seen = 0
    for article, result in store.iter_analysed("keyword-1"):
        assert result.word_count == len(article.text.split())
        for span in result.spans:
            text = article.text[span.start:span.end].lower()
            assert text.startswith(("shameful", "puppet", "everyone knows", "so-called"))
            seen += 1
        analysis = result.to_analysis(article.text)
        assert analysis.counts() == result.counts()
    assert seen > 0


def test_failures_are_recorded_and_the_rest_goes_on(store: CorpusStore) -> None:
    add_articles(store, 10, extra={3: FAIL_MARKER, 7: FAIL_MARKER})
    s = analyze_corpus(store, KeywordFactory(), BatchOptions(chunk_size=4), InlineEngine())
    assert (s.analysed, s.failed) == (8, 2)
    assert sorted(i for i, _ in s.failures) == ["doc-0003", "doc-0007"]
    assert all("FAIL_MARKER" in reason for _, reason in store.analysis_failures(s.run_id))
    run = store.analysis_runs(1)[0]
    assert run.status == "finished" and run.counts["failed"] == 2
    retry = analyze_corpus(store, KeywordFactory(), engine=InlineEngine())
    assert (retry.to_do, retry.failed) == (2, 2)  # failed documents are retried by default
    skip = analyze_corpus(store, KeywordFactory(), BatchOptions(retry_failed=False),
                          InlineEngine())
    assert skip.to_do == 0


class _InterruptAfter:
    """An engine that stops the run with Ctrl-C after ``n`` tasks."""

    name = "interrupting"

    def __init__(self, n: int):
        self.n = n

    def run(self, factory: AnalyserFactory, tasks: Iterable[Task]) -> Iterator[TaskResult]:
        for i, result in enumerate(InlineEngine().run(factory, tasks)):
            if i == self.n:
                raise KeyboardInterrupt
            yield result


def test_an_interrupted_run_resumes_where_it_stopped(store: CorpusStore) -> None:
    add_articles(store, 20)
    with pytest.raises(KeyboardInterrupt):
        analyze_corpus(store, KeywordFactory(), BatchOptions(chunk_size=3, commit_every=1),
                       _InterruptAfter(2))
    run = store.analysis_runs(1)[0]
    assert run.status == "interrupted" and run.counts["analysed"] == 6
    rest = analyze_corpus(store, KeywordFactory(), engine=InlineEngine())
    assert rest.to_do == 14 and rest.analysed == 14
    assert store.result_sets()[0].articles == 20


def test_filters_and_limit(store: CorpusStore) -> None:
    add_articles(store, 10)
    only = BatchOptions(where=ArticleFilter(outlets=("north-post",)))
    s = analyze_corpus(store, KeywordFactory(), only, InlineEngine())
    assert s.analysed == 5
    assert {r.outlet for r in store.iter_analysis_rows("keyword-1")} == {"north-post"}
    s2 = analyze_corpus(store, KeywordFactory(), BatchOptions(limit=2), InlineEngine())
    assert (s2.to_do, s2.analysed) == (2, 2)


def test_local_engine_uses_worker_processes(store: CorpusStore) -> None:
    add_articles(store, 40, extra={5: FAIL_MARKER})
    s = analyze_corpus(store, KeywordFactory(), BatchOptions(chunk_size=5),
                       LocalEngine(workers=2))
    assert (s.engine, s.analysed, s.failed) == ("local", 39, 1)
    assert store.count_unanalysed("keyword-1") == 1
