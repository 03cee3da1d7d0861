"""``analyze_files``: analyse Parquet/JSONL files into partitioned Parquet, locally or on Ray.

The unit of work is a partition (a slice of one input file). A worker reads it, analyses its
documents in tasks of ``chunk_size`` (the same ``run_task`` as ``analyze_corpus``: a failing
batch is retried document by document), and writes one result file. Both engines run the
same ``process_partition`` function, so their output files are equal. With Ray this is a Ray
Data pipeline: partitions → ``map_batches`` over an actor pool (one model load per actor) →
per-partition summaries back to the driver; reads and writes happen in the actors, so on a
cluster the inputs and ``OUTDIR`` must be reachable from every node (object-store URIs).
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

from spinscope.analyze.analyser import Analyser, AnalyserFactory
from spinscope.analyze.engine import Engine, LocalEngine, Task, run_task
from spinscope.errors import PipelineError
from spinscope.scale.files import (
    FilesOptions,
    InputRecord,
    Partition,
    done_keys,
    make_partitions,
    output_dir,
    read_partition,
    write_partition,
)
from spinscope.scale.ray_engine import RayEngine
from spinscope.scale.rows import failure_row, rows_to_table, stored_to_row

__all__ = ["FilesSummary", "PartitionSummary", "analyze_files", "process_partition"]

log = logging.getLogger(__name__)

# (partitions done, partitions to do, documents analysed so far)
FilesProgress = Callable[[int, int, int], None]


@dataclass(frozen=True)
class PartitionSummary:
    key: str
    documents: int
    analysed: int
    failed: int
    seconds: float


@dataclass(frozen=True)
class FilesSummary:
    """What an ``analyze_files`` run did; ``skipped`` partitions were already written."""

    model: str
    model_version: str
    engine: str
    output: str
    partitions: int
    skipped: int
    written: int
    documents: int
    analysed: int
    failed: int
    seconds: float

    @property
    def docs_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"model": self.model, "model_version": self.model_version,
                "engine": self.engine, "output": self.output, "partitions": self.partitions,
                "skipped": self.skipped, "written": self.written,
                "documents": self.documents, "analysed": self.analysed, "failed": self.failed,
                "seconds": round(self.seconds, 3),
                "docs_per_second": round(self.docs_per_second, 2)}


def _tasks(records: list[InputRecord], options: FilesOptions) -> Iterator[Task]:
    """Readable records in tasks; task ids are record positions (input ids may repeat)."""
    ids: list[str] = []
    texts: list[str] = []
    chars = 0
    for pos, r in enumerate(records):
        if r.text is None:
            continue
        full = len(ids) >= options.chunk_size or chars + len(r.text) > options.max_chunk_chars
        if ids and full:
            yield Task(tuple(ids), tuple(texts))
            ids, texts, chars = [], [], 0
        ids.append(str(pos))
        texts.append(r.text)
        chars += len(r.text)
    if ids:
        yield Task(tuple(ids), tuple(texts))


def process_partition(analyser: Analyser, partition: Partition, version_dir: str,
                      options: FilesOptions) -> PartitionSummary:
    """Read, analyse and write one partition; rows keep the input order."""
    t0 = time.perf_counter()
    info = analyser.info
    records = list(read_partition(partition, options))
    rows: list[dict[str, Any] | None] = [
        None if r.text is not None
        else failure_row(r.id, r.error or "unreadable", info.model, info.version)
        for r in records]
    for task in _tasks(records, options):
        result = run_task(analyser, task)
        for a in result.results:
            pos = int(a.article_id)
            rows[pos] = {**stored_to_row(a), "id": records[pos].id}
        for pos_id, reason in result.failures:
            pos = int(pos_id)
            rows[pos] = failure_row(records[pos].id, reason, info.model, info.version)
    complete = [r for r in rows if r is not None]
    if len(complete) != len(rows):  # pragma: no cover - run_task answers for every id
        raise PipelineError(f"partition {partition.key}: some documents got no result")
    write_partition(version_dir, partition.key, rows_to_table(complete))
    failed = sum(1 for row in complete if row["error"] is not None)
    return PartitionSummary(partition.key, len(complete), len(complete) - failed, failed,
                            time.perf_counter() - t0)


# -- local process pool ----------------------------------------------------------------------
_ANALYSER: Analyser | None = None


def _init(factory: AnalyserFactory) -> None:
    global _ANALYSER
    _ANALYSER = factory()


def _work(partition: Partition, version_dir: str, options: FilesOptions) -> PartitionSummary:
    if _ANALYSER is None:  # pragma: no cover - the initializer always runs first
        raise PipelineError("worker process has no analyser (initializer did not run)")
    return process_partition(_ANALYSER, partition, version_dir, options)


def _run_local(factory: AnalyserFactory, parts: Sequence[Partition], version_dir: str,
               options: FilesOptions, workers: int) -> Iterator[PartitionSummary]:
    if workers <= 1:
        analyser = factory()
        for p in parts:
            yield process_partition(analyser, p, version_dir, options)
        return
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init,
                             initargs=(factory,)) as pool:
        futures = [pool.submit(_work, p, version_dir, options) for p in parts]
        for f in as_completed(futures):
            yield f.result()


# -- Ray Data pipeline -----------------------------------------------------------------------
class _PartitionActor:
    """Ray Data callable class: loads the analyser once, then processes partitions."""

    def __init__(self, factory: AnalyserFactory, version_dir: str, options: FilesOptions):
        self.analyser = factory()
        self.version_dir = version_dir
        self.options = options

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        import numpy as np

        out = []
        for data in batch["partition"]:
            s = process_partition(self.analyser, Partition.from_json(str(data)),
                                  self.version_dir, self.options)
            out.append(json.dumps(s.__dict__))
        return {"summary": np.array(out, dtype=object)}


def _run_ray(factory: AnalyserFactory, parts: Sequence[Partition], version_dir: str,
             options: FilesOptions, engine: RayEngine) -> Iterator[PartitionSummary]:
    from spinscope.scale.ray_runtime import connect, require_ray

    ray = require_ray()
    connect(engine.connection)
    workers = min(engine.worker_count(), len(parts))
    ds = ray.data.from_items([{"partition": p.to_json()} for p in parts],
                             override_num_blocks=len(parts))
    out = ds.map_batches(
        _PartitionActor, fn_constructor_args=(factory, version_dir, options), batch_size=1,
        batch_format="numpy", num_cpus=engine.options.cpus_per_worker,
        compute=ray.data.ActorPoolStrategy(size=workers))
    for batch in out.iter_batches(batch_size=None, batch_format="numpy"):
        for s in batch["summary"]:
            yield PartitionSummary(**json.loads(str(s)))


def analyze_files(inputs: Sequence[str], outdir: str, factory: AnalyserFactory,
                  options: FilesOptions | None = None,
                  engine: Engine | None = None,
                  progress: FilesProgress | None = None) -> FilesSummary:
    """Analyse Parquet/JSONL ``inputs`` into ``OUTDIR/model_version=V/part-*.parquet``.

    Partitions whose result file exists are skipped (resume after an interruption; a new
    model version writes a new folder).
    """
    options = options or FilesOptions()
    engine = engine or LocalEngine()
    info = factory.info()
    version_dir = output_dir(outdir, info.version)
    parts = make_partitions(inputs, options)
    done = done_keys(version_dir)
    todo = [p for p in parts if p.key not in done]
    log.info("analyze-files: %d partitions, %d already written, %d to do with %s",
             len(parts), len(parts) - len(todo), len(todo), engine.name)
    t0 = time.perf_counter()
    summaries: list[PartitionSummary] = []
    if todo:
        if isinstance(engine, RayEngine):
            stream = _run_ray(factory, todo, version_dir, options, engine)
        else:
            # Any other engine runs here with its worker count (InlineEngine: one process).
            workers = int(getattr(engine, "workers", 1) or 1)
            stream = _run_local(factory, todo, version_dir, options, min(workers, len(todo)))
        for s in stream:
            summaries.append(s)
            if progress is not None:
                progress(len(summaries), len(todo), sum(x.analysed for x in summaries))
    return FilesSummary(info.model, info.version, engine.name, version_dir, len(parts),
                        len(parts) - len(todo), len(summaries),
                        sum(s.documents for s in summaries), sum(s.analysed for s in summaries),
                        sum(s.failed for s in summaries), time.perf_counter() - t0)
