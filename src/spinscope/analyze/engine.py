"""Execution engines: run analysis tasks in this process or on a pool of worker processes.

An engine takes an ``AnalyserFactory`` and a stream of ``Task`` values and yields one
``TaskResult`` per task, in completion order. It pulls tasks lazily and keeps at most
``max_in_flight`` of them submitted, so memory stays flat whatever the corpus size. The
``LocalEngine`` is the default; a Ray engine (later) implements the same ``Engine`` protocol.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Protocol

from spinscope.analyze.analyser import Analyser, AnalyserFactory
from spinscope.analyze.records import StoredAnalysis
from spinscope.errors import PipelineError

__all__ = [
    "Engine",
    "InlineEngine",
    "LocalEngine",
    "Task",
    "TaskResult",
    "available_cores",
    "run_task",
]

log = logging.getLogger(__name__)

# Consecutive pool breakdowns without a single finished task before we give up: a model that
# cannot load in a worker breaks every pool, and restarting forever would hide that.
MAX_POOL_RESTARTS = 3


@dataclass(frozen=True, slots=True)
class Task:
    """A few documents analysed together (one model call)."""

    ids: tuple[str, ...]
    texts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TaskResult:
    results: tuple[StoredAnalysis, ...]
    failures: tuple[tuple[str, str], ...]  # (article id, reason)
    seconds: float = 0.0

    @classmethod
    def failed(cls, task: Task, reason: str) -> TaskResult:
        return cls((), tuple((i, reason) for i in task.ids))


def _reason(e: BaseException) -> str:
    return f"{type(e).__name__}: {e}"[:2000]


def run_task(analyser: Analyser, task: Task) -> TaskResult:
    """Analyse a task; if the batch call fails, retry one document at a time to isolate it."""
    t0 = time.perf_counter()
    try:
        analyses = analyser.analyze_many(list(task.texts))
        results = tuple(StoredAnalysis.from_analysis(i, a)
                        for i, a in zip(task.ids, analyses, strict=True))
        return TaskResult(results, (), time.perf_counter() - t0)
    except Exception as batch_error:  # any model failure is per-item
        if len(task.ids) == 1:
            return TaskResult((), ((task.ids[0], _reason(batch_error)),),
                              time.perf_counter() - t0)
    ok: list[StoredAnalysis] = []
    bad: list[tuple[str, str]] = []
    for i, text in zip(task.ids, task.texts, strict=True):
        try:
            (a,) = analyser.analyze_many([text])
            ok.append(StoredAnalysis.from_analysis(i, a))
        except Exception as e:
            bad.append((i, _reason(e)))
    return TaskResult(tuple(ok), tuple(bad), time.perf_counter() - t0)


class Engine(Protocol):
    """Runs tasks with analysers made by ``factory``; yields results as tasks finish."""

    name: str

    def run(self, factory: AnalyserFactory, tasks: Iterable[Task]) -> Iterator[TaskResult]: ...


class InlineEngine:
    """Everything in the calling process (one model load). For tests and tiny corpora."""

    name = "inline"

    def run(self, factory: AnalyserFactory, tasks: Iterable[Task]) -> Iterator[TaskResult]:
        analyser = factory()
        for task in tasks:
            yield run_task(analyser, task)


# -- worker-process side -------------------------------------------------------------------
_WORKER_ANALYSER: Analyser | None = None


def _init_worker(factory: AnalyserFactory) -> None:
    global _WORKER_ANALYSER
    _WORKER_ANALYSER = factory()


def _work(task: Task) -> TaskResult:
    if _WORKER_ANALYSER is None:  # pragma: no cover - the initializer always runs first
        raise PipelineError("worker process has no analyser (initializer did not run)")
    return run_task(_WORKER_ANALYSER, task)


class LocalEngine:
    """A pool of worker processes on this machine, each loading the model once.

    ``workers`` defaults to the number of CPU cores this process may use. ``spawn`` is the
    default start method: workers never inherit onnxruntime state or open database handles.
    """

    name = "local"

    def __init__(self, workers: int | None = None, max_in_flight: int | None = None,
                 start_method: str = "spawn"):
        self.workers = workers or available_cores()
        self.max_in_flight = max_in_flight or 2 * self.workers
        self.start_method = start_method

    def _pool(self, factory: AnalyserFactory) -> ProcessPoolExecutor:
        ctx = multiprocessing.get_context(self.start_method)
        return ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_init_worker,
                                   initargs=(factory,))

    def run(self, factory: AnalyserFactory, tasks: Iterable[Task]) -> Iterator[TaskResult]:
        if self.workers <= 1:
            yield from InlineEngine().run(factory, tasks)
            return
        pool = self._pool(factory)
        pending: dict[Future[TaskResult], Task] = {}
        source = iter(tasks)
        exhausted = False
        breaks = 0
        try:
            while True:
                while not exhausted and len(pending) < self.max_in_flight:
                    task = next(source, None)
                    if task is None:
                        exhausted = True
                        break
                    pending[pool.submit(_work, task)] = task
                if not pending:
                    return
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                broken: BrokenProcessPool | None = None
                for future in done:
                    task = pending.pop(future)
                    try:
                        yield future.result()
                        breaks = 0
                    except BrokenProcessPool as e:
                        broken = e
                        yield TaskResult.failed(task, f"worker process died: {e}")
                    except Exception as e:  # e.g. an unpicklable result
                        yield TaskResult.failed(task, _reason(e))
                if broken is not None:
                    # Every task still queued on the broken pool is lost: record and restart.
                    for task in pending.values():
                        yield TaskResult.failed(task, f"worker process died: {broken}")
                    pending.clear()
                    pool.shutdown(wait=False, cancel_futures=True)
                    breaks += 1
                    if breaks >= MAX_POOL_RESTARTS:
                        raise PipelineError(
                            f"worker processes died {breaks} times in a row ({broken}); the "
                            "model probably cannot load in a worker: try --workers 1 to see "
                            "the error, or check free memory") from broken
                    log.warning("worker pool broke (%s); restarting it", broken)
                    pool = self._pool(factory)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def available_cores() -> int:
    """CPU cores this process may run on (respects affinity masks and containers)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)
