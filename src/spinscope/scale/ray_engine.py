"""``RayEngine``: the ``Engine`` of ``analyze_corpus`` as a Ray Data pipeline.

The driver (the process that owns the store) streams tasks from the store and hands them to
Ray in windows of about ``window_docs`` documents. Each window is one Ray Data pipeline:
``from_items`` → ``map_batches`` over a pool of ``workers`` actors (each builds its analyser
from the factory once, in the actor: onnxruntime sessions are never pickled) → results
streamed back to the driver, which writes them in transactions as the local engine does. So
resume, incremental runs and failure records behave exactly as with ``LocalEngine``.

Windows bound the driver's memory; each window starts its actor pool afresh, so the model is
loaded once per actor per window (a second or two against minutes of analysis per window).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from spinscope.analyze.analyser import Analyser, AnalyserFactory
from spinscope.analyze.engine import Task, TaskResult, available_cores, run_task
from spinscope.errors import PipelineError
from spinscope.scale.ray_runtime import RayConnection, connect, require_ray
from spinscope.scale.rows import decode_task_result, encode_task_result

__all__ = ["RayEngine", "RayOptions"]

log = logging.getLogger(__name__)

MAX_BLOCKS = 2_000  # blocks per window (a window of 10,000 documents has ~625 tasks)


@dataclass(frozen=True)
class RayOptions:
    """Sizing of the Ray pipeline.

    ``workers``: analyser actors (default: the cluster's CPUs / ``cpus_per_worker``);
    ``cpus_per_worker``: CPUs reserved per actor (match the analyser's onnxruntime threads);
    ``window_docs``: documents per pipeline window (driver memory vs actor restarts).
    """

    workers: int | None = None
    cpus_per_worker: float = 1.0
    window_docs: int = 10_000


class _TaskActor:
    """Ray Data callable class: one analyser per actor, built in the actor process."""

    def __init__(self, factory: AnalyserFactory):
        self.analyser: Analyser = factory()

    def __call__(self, batch: Any) -> dict[str, Any]:
        import numpy as np

        payloads = []
        for ids, texts in zip(batch.column("ids").to_pylist(),
                              batch.column("texts").to_pylist(), strict=True):
            result = run_task(self.analyser, Task(tuple(ids), tuple(texts)))
            payloads.append(encode_task_result(result))
        return {"payload": np.array(payloads, dtype=object)}


def _windows(tasks: Iterable[Task], window_docs: int) -> Iterator[list[Task]]:
    window: list[Task] = []
    docs = 0
    for task in tasks:
        window.append(task)
        docs += len(task.ids)
        if docs >= window_docs:
            yield window
            window, docs = [], 0
    if window:
        yield window


class RayEngine:
    """Runs ``analyze_corpus`` tasks on Ray (a local instance, or a cluster via ``address``).

    ``RayEngine()`` starts a private local Ray on 127.0.0.1 if none is running in this
    process; ``RayEngine(RayConnection(address="auto"))`` joins a running cluster.
    """

    name = "ray"

    def __init__(self, connection: RayConnection | None = None,
                 options: RayOptions | None = None):
        self.connection = connection or RayConnection()
        self.options = options or RayOptions()

    def worker_count(self) -> int:
        """Actors to start: the option, else what the connected cluster's CPUs allow."""
        if self.options.workers:
            return self.options.workers
        ray = require_ray()
        cpus = float(ray.cluster_resources().get("CPU", available_cores()))
        return max(1, int(cpus // self.options.cpus_per_worker))

    def run(self, factory: AnalyserFactory, tasks: Iterable[Task]) -> Iterator[TaskResult]:
        ray = require_ray()
        connect(self.connection)
        workers = self.worker_count()
        for n, window in enumerate(_windows(tasks, self.options.window_docs)):
            log.info("ray window %d: %d tasks on %d actors", n, len(window), workers)
            rows = [{"ids": list(t.ids), "texts": list(t.texts)} for t in window]
            # One task per block: results stream back task by task (progress, commits)
            # instead of a whole block at a time.
            ds = ray.data.from_items(rows, override_num_blocks=min(len(rows), MAX_BLOCKS))
            out = ds.map_batches(
                _TaskActor, fn_constructor_args=(factory,), batch_size=1,
                batch_format="pyarrow", num_cpus=self.options.cpus_per_worker,
                compute=ray.data.ActorPoolStrategy(size=workers))
            finished: set[str] = set()
            try:
                for batch in out.iter_batches(batch_size=None, batch_format="numpy"):
                    for payload in batch["payload"]:
                        result = decode_task_result(str(payload))
                        finished.update(a.article_id for a in result.results)
                        finished.update(i for i, _ in result.failures)
                        yield result
            except ray.exceptions.RayError as e:
                log.error("ray pipeline failed in window %d: %s", n, e)
                if not finished:
                    raise PipelineError(
                        f"the Ray pipeline failed before any result ({e}); the model "
                        "probably cannot load in a Ray worker: run with --engine local "
                        "--workers 1 to see the error") from e
                # Tasks without a result are recorded as failed; the next run retries them.
                for t in window:
                    if t.ids[0] not in finished:
                        yield TaskResult.failed(t, f"ray pipeline failed: {e}")
