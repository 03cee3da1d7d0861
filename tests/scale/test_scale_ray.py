"""Ray engine on a real local Ray instance (one per session): same results as local, resume."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from corpus_fixtures_analyze import add_articles
from scale_fixtures import write_jsonl, write_parquet

from spinscope.analyze import BatchOptions, InlineEngine, Task, TaskResult, analyze_corpus
from spinscope.analyze.analyser import AnalyserFactory
from spinscope.analyze.testing import FAIL_MARKER, KeywordFactory
from spinscope.cli.main import cli
from spinscope.scale import FilesOptions, RayEngine, RayOptions, analyze_files
from spinscope.store import CorpusStore, open_store

pytestmark = [pytest.mark.ray, pytest.mark.slow]

N = 40


def _corpus(path: Path) -> CorpusStore:
    st = open_store(str(path))
    add_articles(st, N, extra={5: FAIL_MARKER, 17: FAIL_MARKER})
    return st


def _results(st: CorpusStore) -> dict[str, Any]:
    out = {}
    for i in range(N):
        a = st.get_analysis(f"doc-{i:04d}", "keyword-1")
        out[f"doc-{i:04d}"] = None if a is None else (a.spans, a.paragraphs, a.word_count,
                                                      a.n_chars, a.model)
    return out


def _failures(st: CorpusStore) -> set[str]:
    return {i for run in st.analysis_runs() for i, _ in st.analysis_failures(run.id)}


def test_store_results_equal_the_local_engine(ray_local: Any, tmp_path: Path) -> None:
    with _corpus(tmp_path / "local.sqlite") as local, _corpus(tmp_path / "ray.sqlite") as viaray:
        a = analyze_corpus(local, KeywordFactory(), BatchOptions(chunk_size=4), InlineEngine())
        engine = RayEngine(options=RayOptions(workers=2, window_docs=24))
        b = analyze_corpus(viaray, KeywordFactory(), BatchOptions(chunk_size=4), engine)
        assert (b.engine, b.to_do, b.analysed, b.failed) == ("ray", N, N - 2, 2)
        assert (a.analysed, a.failed) == (b.analysed, b.failed)
        assert _results(local) == _results(viaray)
        assert _failures(local) == _failures(viaray) == {"doc-0005", "doc-0017"}


class _StopAfter:
    """An engine that is interrupted (Ctrl-C) after ``n`` task results."""

    name = "ray"

    def __init__(self, inner: RayEngine, n: int):
        self.inner, self.n = inner, n

    def run(self, factory: AnalyserFactory, tasks: Iterable[Task]) -> Iterator[TaskResult]:
        for k, result in enumerate(self.inner.run(factory, tasks)):
            if k == self.n:
                raise KeyboardInterrupt
            yield result


def test_store_run_resumes_after_interruption(ray_local: Any, tmp_path: Path) -> None:
    engine = RayEngine(options=RayOptions(workers=2))
    options = BatchOptions(chunk_size=4, commit_every=1)
    with _corpus(tmp_path / "c.sqlite") as st:
        with pytest.raises(KeyboardInterrupt):
            analyze_corpus(st, KeywordFactory(), options, _StopAfter(engine, 3))
        (run,) = st.analysis_runs()
        assert run.status == "interrupted" and 0 < run.counts["analysed"] <= 12
        rest = analyze_corpus(st, KeywordFactory(), options, engine)
        assert rest.to_do == rest.analysed + rest.failed == N - run.counts["analysed"]
        assert sum(r is not None for r in _results(st).values()) == N - 2


def _read_out(folder: Path) -> dict[str, list[dict[str, object]]]:
    return {f.name: pq.read_table(f).to_pylist() for f in sorted(folder.glob("part-*.parquet"))}


def test_files_equal_local_and_resume_on_ray(ray_local: Any, tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    write_jsonl(src / "a.jsonl")
    write_parquet(src / "b.parquet", with_ids=True)
    opts = FilesOptions(partition_rows=10, partition_bytes=2000, chunk_size=4)
    local = analyze_files([str(src)], str(tmp_path / "local"), KeywordFactory(), opts,
                          InlineEngine())
    engine = RayEngine(options=RayOptions(workers=2))
    viaray = analyze_files([f"file://{src}"], str(tmp_path / "ray"), KeywordFactory(), opts,
                           engine)
    assert (viaray.engine, viaray.written, viaray.failed) == ("ray", local.written, 3)
    got = _read_out(Path(viaray.output))
    assert got == _read_out(Path(local.output))  # same file names, same rows in order
    for f in sorted(Path(viaray.output).glob("part-*.parquet"))[:2]:
        f.unlink()
    again = analyze_files([f"file://{src}"], str(tmp_path / "ray"), KeywordFactory(), opts,
                          engine)
    assert (again.skipped, again.written) == (viaray.partitions - 2, 2)
    assert _read_out(Path(viaray.output)) == got


def test_cli_engine_ray(ray_local: Any, tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    with _corpus(path):
        pass
    r = CliRunner().invoke(cli, ["analyze-corpus", "--store", str(path), "--keyword-model",
                                 "--engine", "ray", "--workers", "2", "-q", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert (out["engine"], out["analysed"], out["failed"]) == ("ray", N - 2, 2)
