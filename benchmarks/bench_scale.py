"""Corpus analysis engines: local worker processes vs Ray, at 1 and 2 workers, by corpus size.

Every (engine, workers, size) case runs in a fresh subprocess over its own copy of the same
synthetic SQLite store (fictional articles of ~250 words from a small en/ru/uk vocabulary), so
each starts from "nothing analysed". Measured per case:

* ``docs_per_s``: documents / wall seconds of ``analyze_corpus`` (pool spawn, model loads and,
  for Ray, the Data pipeline start included; Ray's own start ``ray_start_s`` is not);
* ``steady_docs_per_s``: after the first result (start-up excluded);
* ``docs_per_cpu_s``: documents / CPU seconds of the whole process tree (stable on a shared
  machine where other jobs take cores);
* ``task_p50_ms`` / ``task_p95_ms``: time of one model call (``--chunk-size`` documents);
* ``peak_tree_mb``: peak summed RSS of the process tree (driver, workers and, for Ray,
  its daemons), sampled every 0.2 s from /proc.

Analysers: ``keyword`` (the fake: pipeline overhead only), ``embedder`` (the packaged e5-small
events embedder over every 600-character piece: real ONNX cost, a stand-in for the detector),
``model`` (the packaged detector).

    .venv/bin/python benchmarks/bench_scale.py --sizes 200 1000 --analyser embedder --json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

_VOCABULARY = ("harbour council budget minister report village river bridge election "
               "court shipment grain border talks agency officials figures statement week "
               "government mayor strike port ferry regime shameful catastrophic puppet "
               "so-called staged everyone knows what about режим катастрофа постановка "
               "окупанти ганебний зерно порт вибори суд мост река совет бюджет")
VOCAB = _VOCABULARY.split(" ")


def populate(path: str, n: int, words: int = 250, seed: int = 11) -> None:
    """``n`` synthetic articles of about ``words`` words, in paragraphs of ~50 words."""
    from spinscope.core.document import content_hash
    from spinscope.store import Article, open_store

    rng = random.Random(seed)
    with open_store(path) as st, st.transaction():
        for i in range(n):
            paras = [" ".join(rng.choice(VOCAB) for _ in range(50)).capitalize() + "."
                     for _ in range(max(1, words // 50))]
            text = "\n\n".join(paras)
            st.insert(Article(id=f"{i:012x}", text=text, content_hash=content_hash(text),
                              location=f"synthetic:{i}", outlet=f"outlet-{i % 10}",
                              lang=("en", "ru", "uk")[i % 3], published="2031-01-01"))


# -- process-tree sampling from /proc --------------------------------------------------------
def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def _pss(pid: int, fallback: int) -> int:
    """Proportional set size in bytes (shared pages split between their users), else RSS."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return fallback


class TreeSampler(threading.Thread):
    """Peak summed memory (PSS) and CPU seconds of this process and all its descendants."""

    def __init__(self, interval: float = 0.2):
        super().__init__(daemon=True)
        self.interval = interval
        self.peak_rss = 0
        self.cpu: dict[int, float] = {}
        self._halt = threading.Event()
        self._tick = os.sysconf("SC_CLK_TCK")
        self._page = os.sysconf("SC_PAGE_SIZE")

    def sample(self) -> None:
        rss = 0
        for pid in _tree(os.getpid()):
            try:
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            rss += _pss(pid, int(fields[21]) * self._page)
            self.cpu[pid] = max(self.cpu.get(pid, 0.0),
                                (int(fields[11]) + int(fields[12])) / self._tick)
        self.peak_rss = max(self.peak_rss, rss)

    def run(self) -> None:
        while not self._halt.is_set():
            self.sample()
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self.sample()
        self._halt.set()
        self.join()


# -- one case, in a child process ------------------------------------------------------------
def _factory(kind: str, delay_ms: float) -> Any:
    if kind == "model":
        from spinscope.analyze.analyser import DetectorFactory

        return DetectorFactory(threads=1)
    if kind == "embedder":
        from spinscope.scale.standins import EmbedderFactory

        return EmbedderFactory(threads=1)
    from spinscope.analyze.testing import KeywordFactory

    return KeywordFactory(delay=delay_ms / 1000)


def case(store: str, engine_name: str, workers: int, kind: str, chunk: int,
         delay_ms: float) -> dict[str, Any]:
    from spinscope.analyze import BatchOptions, LocalEngine, analyze_corpus
    from spinscope.store import open_store

    sampler = TreeSampler()
    sampler.start()
    factory = _factory(kind, delay_ms)
    ray_start = 0.0
    engine: Any
    if engine_name == "ray":
        from spinscope.scale import RayConnection, RayEngine, RayOptions, connect

        t0 = time.perf_counter()
        conn = RayConnection(num_cpus=os.cpu_count())
        connect(conn)
        ray_start = time.perf_counter() - t0
        engine = RayEngine(conn, RayOptions(workers=workers))
    else:
        engine = LocalEngine(workers)
    inner_run = engine.run
    task_s: list[float] = []
    first: list[float] = []

    def timed_run(f: Any, tasks: Any) -> Any:
        for r in inner_run(f, tasks):
            task_s.append(r.seconds)
            if not first:
                first.append(time.perf_counter())
                first.append(len(r.results) + len(r.failures))
            yield r

    engine.run = timed_run
    with open_store(store) as st:
        t0 = time.perf_counter()
        s = analyze_corpus(st, factory, BatchOptions(chunk_size=chunk), engine)
        seconds = time.perf_counter() - t0
        end = time.perf_counter()
    sampler.stop()
    cpu = sum(sampler.cpu.values())
    steady = ((s.analysed - first[1]) / (end - first[0])
              if first and end > first[0] and s.analysed > first[1] else 0.0)
    task_ms = sorted(1000 * x for x in task_s) or [0.0]
    return {"engine": engine_name, "workers": workers, "analyser": kind,
            "model_version": s.model_version, "documents": s.analysed, "failed": s.failed,
            "seconds": round(seconds, 2), "ray_start_s": round(ray_start, 2),
            "docs_per_s": round(s.analysed / seconds, 2),
            "steady_docs_per_s": round(steady, 2),
            "startup_s": round(first[0] - t0, 2) if first else None,
            "cpu_s": round(cpu, 1), "docs_per_cpu_s": round(s.analysed / cpu, 2) if cpu else None,
            "task_p50_ms": round(statistics.median(task_ms), 1),
            "task_p95_ms": round(task_ms[int(0.95 * (len(task_ms) - 1))], 1),
            "chunk_size": chunk, "peak_tree_mb": round(sampler.peak_rss / 2**20, 1)}


def run(sizes: list[int], configs: list[str], kind: str, chunk: int, delay_ms: float,
        timeout: float, words: int) -> list[dict[str, Any]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            pristine = str(Path(tmp) / f"pristine-{n}.sqlite")
            populate(pristine, n, words)
            for cfg in configs:
                engine_name, workers = cfg.split(":")
                store = str(Path(tmp) / f"case-{n}-{engine_name}-{workers}.sqlite")
                shutil.copy(pristine, store)
                cmd = [sys.executable, __file__, "--child", cfg, "--store", store,
                       "--analyser", kind, "--chunk-size", str(chunk), "--delay-ms",
                       str(delay_ms)]
                try:
                    res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                         check=False)
                except subprocess.TimeoutExpired:
                    rows.append({"size": n, "case": cfg, "error": f"timeout after {timeout} s"})
                    continue
                if res.returncode != 0:
                    rows.append({"size": n, "case": cfg, "error": res.stderr[-800:]})
                    continue
                row = {"size": n, "case": cfg, **json.loads(res.stdout.strip().splitlines()[-1])}
                print(json.dumps(row), file=sys.stderr)
                rows.append(row)
    return rows


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[200, 1000])
    p.add_argument("--configs", nargs="+", default=["local:1", "local:2", "ray:1", "ray:2"],
                   help="ENGINE:WORKERS cases (engine local or ray)")
    p.add_argument("--analyser", choices=["keyword", "embedder", "model"], default="embedder")
    p.add_argument("--delay-ms", type=float, default=0.0,
                   help="fake model cost per document (keyword analyser only)")
    p.add_argument("--chunk-size", type=int, default=16)
    p.add_argument("--words", type=int, default=250, help="words per synthetic article")
    p.add_argument("--timeout", type=float, default=600.0, help="seconds per case")
    p.add_argument("--json", action="store_true")
    p.add_argument("--child", help=argparse.SUPPRESS)
    p.add_argument("--store", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.child:
        engine_name, workers = a.child.split(":")
        print(json.dumps(case(a.store, engine_name, int(workers), a.analyser, a.chunk_size,
                              a.delay_ms)))
        return
    rows = run(a.sizes, a.configs, a.analyser, a.chunk_size, a.delay_ms, a.timeout, a.words)
    result = {"cores": os.cpu_count(), "analyser": a.analyser, "words": a.words, "rows": rows}
    if a.json:
        print(json.dumps(result, indent=2))
        return
    for r in rows:
        if "error" in r:
            print(f"{r['size']:>7} {r['case']:<8} ERROR {r['error'][-200:]}")
        else:
            print(f"{r['size']:>7} {r['case']:<8} {r['docs_per_s']:8.1f} docs/s "
                  f"(steady {r['steady_docs_per_s']:.1f}, {r['docs_per_cpu_s']} per CPU-s) "
                  f"p50 {r['task_p50_ms']} ms, peak {r['peak_tree_mb']} MB")


if __name__ == "__main__":
    main()
