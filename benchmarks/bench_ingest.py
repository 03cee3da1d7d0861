"""Ingest throughput: documents/s for HTML extraction + store and for plain-text ingest.

Each measurement runs in a fresh subprocess (so peak RSS is its own) on generated fictional
documents: news-like pages of ~400 words with navigation and footer boilerplate, and plain
text files of ~250 words. The store is a fresh SQLite file; language detection, MinHash
near-duplicate keys, FTS5 indexing and dedup look-ups are all included, as in real use.

    .venv/bin/python benchmarks/bench_ingest.py                # both, default sizes
    .venv/bin/python benchmarks/bench_ingest.py --html 500 --text 5000 --jobs 1 2 --json

Peak RSS is the ingesting process's own; with --jobs N each extraction process adds about as
much again.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_VOCABULARY = ("the council harbour minister said talks on border grain shipments would resume "
         "after officials from both sides signed an agreement in the capital where reporters "
         "asked about insurance costs for vessels and port workers while critics warned that "
         "the deal could collapse if the ceasefire failed during winter months as prices for "
         "bread and fuel kept rising across the region according to analysts")
WORDS = _VOCABULARY.split(" ")


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, n: int) -> str:
    return " ".join(sentence(rng) for _ in range(n))


def make_html(folder: Path, n: int) -> None:
    rng = random.Random(1)
    for i in range(n):
        paras = "".join(f"<p>{paragraph(rng, 4)}</p>" for _ in range(6))
        html = (f"<!doctype html><html lang='en'><head><title>Story {i} | Bench Courier"
                "</title><meta name='author' content='Desk'><meta property="
                f"'article:published_time' content='2031-03-{1 + i % 28:02d}T08:00:00Z'>"
                "<link rel='canonical' href='https://bench.example/story/"
                f"{i}'></head><body><nav><a href='/'>Home</a> | <a href='/w'>World</a></nav>"
                f"<article><h1>Story {i}</h1>{paras}</article><aside>Most read: "
                f"{sentence(rng)}</aside><footer>© Bench Courier</footer></body></html>")
        (folder / f"story{i:06d}.html").write_text(html, "utf-8")


def make_text(folder: Path, n: int) -> None:
    rng = random.Random(2)
    for i in range(n):
        text = f"Report {i}\n\n" + "\n\n".join(paragraph(rng, 4) for _ in range(3)) + "\n"
        (folder / f"report{i:06d}.txt").write_text(text, "utf-8")


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(kind: str, n: int, jobs: int) -> dict[str, object]:
    """Runs inside the child process: generate, ingest, report."""
    from spinscope.ingest.pipeline import IngestOptions, Ingestor
    from spinscope.settings import Settings
    from spinscope.store.sqlite import SQLiteStore

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        (make_html if kind == "html" else make_text)(folder, n)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        store = SQLiteStore(Path(tmp) / "bench.sqlite")
        settings = Settings(store=str(Path(tmp) / "bench.sqlite"), extract_workers=jobs)
        cpu0 = _cpu_seconds()
        start = time.perf_counter()
        report = Ingestor(store, settings, IngestOptions()).run([str(folder)])
        seconds = time.perf_counter() - start
        cpu = _cpu_seconds() - cpu0
        start = time.perf_counter()
        again = Ingestor(store, settings, IngestOptions()).run([str(folder)])
        rerun = time.perf_counter() - start
        store.close()
        db_bytes = sum(p.stat().st_size for p in Path(tmp).glob("bench.sqlite*"))
    assert report.added == n and again.duplicates == n, (report.to_dict(), again.added)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"kind": kind, "jobs": jobs, "documents": n, "seconds": round(seconds, 2),
            "docs_per_s": round(n / seconds, 1),
            # CPU time of this process: with --jobs 1 all the work, so n / cpu is the rate
            # one free core gives, whatever else the machine is doing.
            "docs_per_cpu_s": round(n / cpu, 1) if jobs == 1 else None,
            "rerun_docs_per_s": round(n / rerun, 1),
            "peak_rss_mb": round(peak_kb / 1024, 1),
            "rss_before_ingest_mb": round(rss_before / 1024, 1),
            "store_mb": round(db_bytes / 1e6, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=int, default=2000, help="HTML pages (0: skip)")
    parser.add_argument("--text", type=int, default=10000, help="text files (0: skip)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2],
                        help="extraction processes to measure (each a separate run)")
    parser.add_argument("--json", action="store_true", help="print JSON only")
    parser.add_argument("--child", choices=["html", "text"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        n = args.html if args.child == "html" else args.text
        print(json.dumps(measure(args.child, n, args.jobs[0])))
        return
    results = []
    for kind, n in (("html", args.html), ("text", args.text)):
        for jobs in args.jobs:
            if n <= 0:
                continue
            out = subprocess.run([sys.executable, __file__, "--child", kind, "--html",
                                  str(args.html), "--text", str(args.text), "--jobs", str(jobs)],
                                 capture_output=True, text=True, check=True)
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{'kind':<6}{'jobs':>5}{'docs':>8}{'seconds':>9}{'docs/s':>9}{'per CPU-s':>10}"
          f"{'re-run/s':>10}{'peak RSS':>10}{'store':>9}")
    for r in results:
        print(f"{r['kind']:<6}{r['jobs']:>5}{r['documents']:>8}{r['seconds']:>9}"
              f"{r['docs_per_s']:>9}{r['docs_per_cpu_s'] or '-':>10}"
              f"{r['rerun_docs_per_s']:>10}{r['peak_rss_mb']:>8}MB{r['store_mb']:>7}MB")


if __name__ == "__main__":
    main()
