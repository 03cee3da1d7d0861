"""Corpus analysis at scale: batch analysis, comparison and events at 1k, 10k and 100k articles.

Every phase runs in a fresh subprocess, so its peak RSS (``ru_maxrss`` of the process, and of
its worker processes) is its own. Articles are synthetic (seeded random words from a small
multilingual vocabulary, ~250 words each, 20 outlets in 5 blocs, two years of dates) and are
written to a SQLite store in batches, never held in memory together.

Phases per size:

* ``analyze``: ``analyze_corpus`` with the keyword fake (no model cost: the pipeline's own
  overhead: store reads, task pickling, worker pool, result writes) on ``--workers`` processes;
* ``compare``: ``compare_store`` by bloc over month (1,000 bootstrap resamples);
* ``events``: ``build_events`` with the hashing embedder (clustering and store I/O without
  model cost), scored against the synthetic topics;
* ``events-model``: ``build_events`` with the packaged int8 e5 embedder (smallest size only);
* ``model``: the real detector on the first ``--model-articles`` articles (when installed).

    .venv/bin/python benchmarks/bench_corpus.py --sizes 1000 10000 100000 --json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_VOCAB = """harbour council budget minister report village river bridge election court
shipment grain border talks agency officials figures statement week government rada mayor
strike port ferry regime shameful catastrophic puppet so-called staged everyone knows what
about режим катастрофа постановка окупанти ганебний зерно порт вибори суд мост река совет
бюджет"""
WORDS = _VOCAB.split()
LANGS = ("en", "ru", "uk")


def _article_text(rng: random.Random, words: int) -> str:
    paras = []
    left = words
    while left > 0:
        n = min(left, rng.randint(30, 70))
        paras.append(" ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + ".")
        left -= n
    return "\n\n".join(paras)


def _topic_word(t: int, j: int) -> str:
    """A made-up word of topic ``t`` (letters only, so event names can use it)."""
    k = t * 8 + j + 1
    letters = []
    while k:
        k, r = divmod(k, 26)
        letters.append(chr(ord("a") + r))
    return "zq" + "".join(letters).ljust(4, "x")


def populate(path: str, n: int, seed: int = 7, words: int = 250, days: int = 730) -> float:
    """Write ``n`` synthetic articles (about 20 per topic, a topic lasts 3 days); seconds."""
    import datetime as dt

    from spinscope.core.document import content_hash
    from spinscope.store import Article, open_store

    rng = random.Random(seed)
    topics = max(1, n // 20)
    t0 = time.perf_counter()
    start = dt.date(2030, 1, 1)
    with open_store(path) as st:
        for lo in range(0, n, 1000):
            with st.transaction():
                for i in range(lo, min(n, lo + 1000)):
                    topic = rng.randrange(topics)
                    own = [_topic_word(topic, j) for j in range(8)]
                    # The lead names the story (what event grouping reads), the rest is noise.
                    lead = " ".join(rng.choice(own + WORDS[:8]) for _ in range(40))
                    text = lead.capitalize() + ".\n\n" + _article_text(rng, words)
                    day = start + dt.timedelta(days=topic * days // topics + rng.randint(0, 2))
                    st.insert(Article(id=f"{i:016x}", text=text, content_hash=content_hash(text),
                                      location=f"synthetic:{i}", outlet=f"outlet-{i % 20:02d}",
                                      lang=LANGS[i % 3], published=day.isoformat(),
                                      title=f"Synthetic article {i} topic {topic}"))
    return time.perf_counter() - t0


def registry_file(folder: Path) -> str:
    path = folder / "outlets.json"
    path.write_text(json.dumps({"outlets": [
        {"id": f"outlet-{k:02d}", "name": f"Outlet {k}", "domain": f"o{k}.example",
         "blocs": [f"bloc-{k % 5}"]} for k in range(20)]}), "utf-8")
    return str(path)


def phase(name: str, store: str, workers: int, model_articles: int, registry: str) -> dict:
    """Run one phase in this process; returns timings and counts."""
    from spinscope.store import open_store

    t0 = time.perf_counter()
    out: dict = {}
    with open_store(store) as st:
        if name == "analyze":
            from spinscope.analyze import BatchOptions, LocalEngine, analyze_corpus
            from spinscope.analyze.testing import KeywordFactory

            s = analyze_corpus(st, KeywordFactory(), BatchOptions(chunk_size=32),
                               LocalEngine(workers))
            out = {"analysed": s.analysed, "failed": s.failed}
        elif name == "compare":
            from spinscope.compare import CompareOptions, compare_store
            from spinscope.outlets.registry import load_registry

            c = compare_store(st, CompareOptions(by="bloc", over="month"),
                              registry=load_registry(registry))
            out = {"groups": len(c.groups), "cells": len(c.cells)}
        elif name == "events":
            from spinscope.events.build import build_events
            from spinscope.events.cluster import EventOptions
            from spinscope.events.embed import HashingEmbedder
            from spinscope.events.quality import score_clustering

            r = build_events(st, EventOptions(threshold=0.25), HashingEmbedder(dim=4096))
            gold = {a.id: (a.title or "").rsplit(" ", 1)[-1]
                    for a in st.iter_articles(with_text=False)}
            q = score_clustering([e.article_ids for e in st.list_events()], gold)
            out = {"events": r.events, "in_events": r.in_events, "topics": q.gold_events,
                   "ari_vs_topics": round(q.ari, 4), "bcubed_f1": round(q.bcubed_f1, 4)}
        elif name == "events-model":
            from spinscope.events.build import build_events

            r = build_events(st)  # the packaged int8 e5 embedder
            out = {"events": r.events, "embedded": r.embedded}
        elif name == "model":
            from spinscope.analyze import BatchOptions, LocalEngine, analyze_corpus
            from spinscope.analyze.analyser import DetectorFactory

            s = analyze_corpus(st, DetectorFactory(threads=1),
                               BatchOptions(limit=model_articles), LocalEngine(workers))
            out = {"analysed": s.analysed, "failed": s.failed}
    seconds = time.perf_counter() - t0
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"phase": name, "seconds": round(seconds, 2), "peak_rss_mb": round(me, 1),
            "worker_peak_rss_mb": round(kids, 1), **out}


def run(sizes: list[int], workers: int, model_articles: int, phases: list[str]) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        registry = registry_file(Path(tmp))
        for n in sizes:
            store = str(Path(tmp) / f"bench-{n}.sqlite")
            fill = populate(store, n)
            for name in phases:
                if name in ("model", "events-model") and n != sizes[0]:
                    continue
                res = subprocess.run(
                    [sys.executable, __file__, "--phase", name, "--store", store, "--workers",
                     str(workers), "--model-articles", str(model_articles), "--registry",
                     registry], capture_output=True, text=True, check=False)
                if res.returncode != 0:
                    rows.append({"size": n, "phase": name, "error": res.stderr[-500:]})
                    continue
                row = json.loads(res.stdout.strip().splitlines()[-1])
                per = row.get("analysed") or n
                row.update(size=n, populate_seconds=round(fill, 1),
                           per_1k_docs_seconds=round(1000 * row["seconds"] / per, 3))
                rows.append(row)
                print(json.dumps(row), file=sys.stderr)
    return rows


def main() -> None:
    p = argparse.ArgumentParser(description="corpus analysis benchmark")
    p.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    p.add_argument("--model-articles", type=int, default=200)
    p.add_argument("--phases", nargs="+", default=["analyze", "compare", "events", "model"])
    p.add_argument("--json", action="store_true")
    p.add_argument("--phase", help=argparse.SUPPRESS)
    p.add_argument("--store", help=argparse.SUPPRESS)
    p.add_argument("--registry", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.phase:
        print(json.dumps(phase(a.phase, a.store, a.workers, a.model_articles, a.registry)))
        return
    rows = run(a.sizes, a.workers, a.model_articles, a.phases)
    machine = {"python": platform.python_version(), "cpu": platform.processor() or
               platform.machine(), "cores": os.cpu_count(), "workers": a.workers}
    if a.json:
        print(json.dumps({"machine": machine, "rows": rows}, indent=2))
        return
    for r in rows:
        print(r)


if __name__ == "__main__":
    main()
