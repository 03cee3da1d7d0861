"""Task grouping, the Predictor adapter and the real detector factory on a fake bundle."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from spinscope.analyze.analyser import DetectorFactory, PredictorAnalyser, paragraph_results
from spinscope.analyze.engine import InlineEngine, LocalEngine, Task, run_task
from spinscope.analyze.runner import iter_tasks
from spinscope.analyze.testing import KeywordAnalyser, KeywordFactory
from spinscope.core.span import Span
from spinscope.store import Article


def _articles(n: int) -> Iterator[Article]:
    for i in itertools.count():
        if i == n:
            return
        yield Article(id=f"x{i}", text="word " * (i % 7 + 1), content_hash="h", location="l")


def test_tasks_respect_size_and_character_caps() -> None:
    tasks = list(iter_tasks(_articles(23), chunk_size=5, max_chunk_chars=10**6))
    assert [len(t.ids) for t in tasks] == [5, 5, 5, 5, 3]
    capped = list(iter_tasks(_articles(23), chunk_size=50, max_chunk_chars=20))
    assert all(sum(map(len, t.texts)) <= 20 or len(t.ids) == 1 for t in capped)
    assert sum(len(t.ids) for t in capped) == 23


def test_local_engine_pulls_tasks_lazily() -> None:
    pulled = 0

    def endless() -> Iterator[Task]:
        nonlocal pulled
        for i in itertools.count():
            pulled += 1
            yield Task((f"d{i}",), ("a shameful text",))

    engine = LocalEngine(workers=2, max_in_flight=3)
    results = engine.run(KeywordFactory(), endless())
    got = [next(results) for _ in range(5)]
    results.close()  # type: ignore[attr-defined]
    assert len(got) == 5
    assert pulled <= 5 + 3 + 1  # never more than the in-flight window ahead


def test_run_task_isolates_the_failing_document() -> None:
    class Picky(KeywordAnalyser):
        def analyze_many(self, texts: Sequence[str]):  # type: ignore[no-untyped-def]
            if any("bad" in t for t in texts):
                raise ValueError("cannot read bad text")
            return super().analyze_many(texts)

    r = run_task(Picky(), Task(("a", "b", "c"), ("fine", "bad", "also fine")))
    assert [x.article_id for x in r.results] == ["a", "c"]
    assert r.failures == (("b", "ValueError: cannot read bad text"),)


class _FakePredictor:
    name = "fake-predictor"
    version = "fp-1"
    techniques = ("Doubt",)

    def detect(self, texts: Sequence[str]) -> list[list[Span]]:
        return [[Span(0, 3, "Doubt", 0.7)] if t else [] for t in texts]

    def identify(self, texts: Sequence[str]) -> list[list[Span]]:
        return [[] for _ in texts]

    def classify(self, text: str, spans: Sequence[Span]) -> list[str]:
        return ["Doubt" for _ in spans]


def test_predictor_adapter_builds_paragraphs() -> None:
    a = PredictorAnalyser(_FakePredictor())
    (res,) = a.analyze_many(["Who\n\nsecond paragraph"])
    assert res.model_version == "fp-1" and res.counts() == {"Doubt": 1}
    assert [(p.start, p.end, p.techniques) for p in res.paragraphs] == [
        (0, 3, ("Doubt",)), (5, 21, ())]
    assert paragraph_results("", []) == ()


def test_detector_factory_on_a_fake_bundle(tmp_path: Path) -> None:
    pytest.importorskip("onnx")
    from spinscope.models.fake import write_fake_bundle

    bundle = write_fake_bundle(tmp_path / "bundle")
    factory = DetectorFactory(str(bundle))
    info = factory.info()
    assert info.techniques and set(info.techniques) <= {
        "Name_Calling-Labeling", "Doubt", "Loaded_Language"}
    texts = ("the corrupt traitors destroy our nation", "the nation is a nation")
    (result,) = InlineEngine().run(factory, [Task(("t1", "t2"), texts)])
    assert not result.failures
    first, second = result.results
    assert first.model_version == info.version
    assert first.spans and not second.spans
