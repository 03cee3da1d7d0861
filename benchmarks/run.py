"""The benchmark suite: one command runs the parts, prints a table and writes JSON.

Each part is one of the benchmark scripts beside this file, run as a subprocess with sizes
from a preset (``--preset quick`` is a few minutes on 2 cores, ``full`` is what
docs/performance.md reports) and a time limit of its own:

========  =====================  ==========================================================
part      script                 measures
========  =====================  ==========================================================
detector  bench_detector.py      detector throughput/latency (int8 ONNX), peak RSS
scale     bench_scale.py         corpus analysis: local engine and Ray at 1 and 2 workers
corpus    bench_corpus.py        batch analysis overhead, comparison, events by corpus size
ingest    bench_ingest.py        HTML and text ingest into SQLite, 1 and 2 jobs
web       bench_web.py           REST API latency and throughput on loopback
========  =====================  ==========================================================

    .venv/bin/python benchmarks/run.py                        # quick preset, all parts
    .venv/bin/python benchmarks/run.py --preset full --parts scale detector
    .venv/bin/python benchmarks/run.py --parts ingest --json  # print the JSON too

Results go to ``benchmarks/results/bench-DATE.json`` (machine, versions, git commit, date,
each part's raw output and the table rows).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PARTS = ("detector", "scale", "corpus", "ingest", "web")

PRESETS: dict[str, dict[str, list[str]]] = {
    "quick": {
        "detector": ["--articles", "16", "--engines", "onnx-int8"],
        "scale": ["--sizes", "100", "400"],
        "corpus": ["--sizes", "1000", "--phases", "analyze", "compare", "events"],
        "ingest": ["--html", "200", "--text", "1000", "--jobs", "1", "2"],
        "web": ["--requests", "10", "--duration", "10"],
    },
    "full": {
        "detector": ["--articles", "64"],
        "scale": ["--sizes", "200", "1000", "3000"],
        "corpus": ["--sizes", "1000", "10000", "100000"],
        "ingest": ["--html", "2000", "--text", "10000", "--jobs", "1", "2"],
        "web": ["--requests", "40", "--duration", "60"],
    },
}

Row = dict[str, Any]


def detector_available() -> bool:
    """True when the packaged detector bundle (or $SPINSCOPE_MODEL) loads."""
    try:
        from spinscope.models.runtime import load_bundle

        load_bundle(None)
        return True
    except Exception:
        return False


def _rows_detector(out: Any) -> list[Row]:
    return [{"case": f"{name}, {out['threads']} threads", "throughput": e["articles_per_s"],
             "unit": "articles/s",
             "latency_ms": 1000 * e["run_s"] / out["articles"], "latency": "per article",
             "peak_mb": e.get("peak_rss_mb")} for name, e in out["engines"].items()]


def _rows_scale(out: Any) -> list[Row]:
    return [{"case": f"{r['case']} n={r['size']} ({r.get('analyser', out['analyser'])})",
             "throughput": r.get("docs_per_s"), "unit": "docs/s",
             "latency_ms": r.get("task_p50_ms"), "latency": f"p50 per {r.get('chunk_size')} docs",
             "peak_mb": r.get("peak_tree_mb"), "error": r.get("error")} for r in out["rows"]]


def _rows_corpus(out: Any) -> list[Row]:
    rows = []
    for r in out["rows"]:
        n = r.get("analysed") or r.get("size")
        rows.append({"case": f"{r['phase']} n={r['size']}",
                     "throughput": n / r["seconds"] if r.get("seconds") else None,
                     "unit": "docs/s", "latency_ms": None, "latency": "",
                     "peak_mb": max(r.get("peak_rss_mb") or 0, r.get("worker_peak_rss_mb") or 0),
                     "error": r.get("error")})
    return rows


def _rows_ingest(out: Any) -> list[Row]:
    return [{"case": f"{r['kind']} jobs={r['jobs']} n={r['documents']}",
             "throughput": r["docs_per_s"], "unit": "docs/s", "latency_ms": None,
             "latency": "", "peak_mb": r.get("peak_rss_mb")} for r in out]


def _rows_web(out: Any) -> list[Row]:
    lat, thr = out["latency"], out["throughput"]
    return [
        {"case": f"POST analyse 1 client ({out['analyser']})",
         "throughput": 1000 / lat["p50_ms"] if lat["p50_ms"] else None, "unit": "req/s",
         "latency_ms": lat["p50_ms"], "latency": "p50", "peak_mb": out.get("server_peak_rss_mb")},
        {"case": f"POST analyse {thr['clients']} clients ({out['analyser']})",
         "throughput": thr["requests_per_s"], "unit": "req/s",
         "latency_ms": thr["p50_ms_under_load"], "latency": "p50 under load",
         "peak_mb": out.get("server_peak_rss_mb")},
    ]


ADAPTERS: dict[str, Callable[[Any], list[Row]]] = {
    "detector": _rows_detector, "scale": _rows_scale, "corpus": _rows_corpus,
    "ingest": _rows_ingest, "web": _rows_web,
}
SCRIPTS = {"detector": "bench_detector.py", "scale": "bench_scale.py",
           "corpus": "bench_corpus.py", "ingest": "bench_ingest.py", "web": "bench_web.py"}


def part_args(part: str, preset: str, has_model: bool, scale_analyser: str | None) -> list[str]:
    args = list(PRESETS[preset][part])
    if part == "web":
        args += ["--analyser", "model" if has_model else "fake"]
    if part == "scale":
        args += ["--analyser", scale_analyser or ("model" if has_model else "embedder")]
    if part == "corpus":
        args += ["--workers", str(os.cpu_count() or 1)]
    return args


def run_part(part: str, args: list[str], timeout: float) -> dict[str, Any]:
    cmd = [sys.executable, str(HERE / SCRIPTS[part]), *args, "--json"]
    t0 = time.perf_counter()
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"part": part, "args": args, "error": f"timeout after {timeout:.0f} s"}
    seconds = round(time.perf_counter() - t0, 1)
    if res.returncode != 0:
        return {"part": part, "args": args, "seconds": seconds, "error": res.stderr[-1500:]}
    try:
        out = json.loads(res.stdout)
        rows = ADAPTERS[part](out)
    except (json.JSONDecodeError, KeyError, TypeError) as e:
        return {"part": part, "args": args, "seconds": seconds,
                "error": f"unexpected output ({e})", "stdout": res.stdout[-1500:]}
    return {"part": part, "args": args, "seconds": seconds, "output": out, "rows": rows}


def machine_info() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = None
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem_gb = round(kb / 2**20, 1)
    except (OSError, ValueError, IndexError):
        pass
    versions = {}
    for mod in ("spinscope", "onnxruntime", "ray", "pyarrow", "numpy"):
        try:
            versions[mod] = __import__(mod).__version__
        except Exception:
            versions[mod] = None
    commit = subprocess.run(["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True, check=False).stdout.strip()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "python": platform.python_version(), "platform": platform.platform(),
            "cpu": cpu, "cores": cores, "memory_gb": mem_gb, "load_avg_1m": os.getloadavg()[0],
            "git_commit": commit or None, "versions": versions}


def format_table(parts: list[dict[str, Any]]) -> str:
    lines = [f"{'part':<9} {'case':<44} {'throughput':>12} {'unit':<10} "
             f"{'latency ms':>10} {'':<20} {'peak MB':>8}"]
    for p in parts:
        if "error" in p and not p.get("rows"):
            lines.append(f"{p['part']:<9} ERROR: {p['error'].strip().splitlines()[-1][:90]}")
            continue
        for r in p["rows"]:
            if r.get("error"):
                lines.append(f"{p['part']:<9} {r['case'][:44]:<44} ERROR: "
                             f"{str(r['error']).strip().splitlines()[-1][:60]}")
                continue
            thr = "" if r["throughput"] is None else f"{r['throughput']:.1f}"
            lat = "" if r["latency_ms"] is None else f"{r['latency_ms']:.1f}"
            peak = "" if not r.get("peak_mb") else f"{r['peak_mb']:.0f}"
            lines.append(f"{p['part']:<9} {r['case'][:44]:<44} {thr:>12} {r['unit']:<10} "
                         f"{lat:>10} {r['latency'][:20]:<20} {peak:>8}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--parts", nargs="+", choices=PARTS, default=list(PARTS))
    ap.add_argument("--preset", choices=sorted(PRESETS), default="quick")
    ap.add_argument("--scale-analyser", choices=["keyword", "embedder", "model"], default=None,
                    help="analyser of the scale part (default: model if installed, else "
                         "the embedder stand-in)")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds per part")
    ap.add_argument("--out", default=str(HERE / "results"), help="folder for the JSON file")
    ap.add_argument("--json", action="store_true", help="print the JSON instead of the table")
    a = ap.parse_args()
    has_model = detector_available()
    parts = []
    for part in a.parts:
        if part == "detector" and not has_model:
            parts.append({"part": part, "error": "skipped: the detector bundle is not "
                                                 "installed (spinscope/models/bundles)"})
            continue
        args = part_args(part, a.preset, has_model, a.scale_analyser)
        print(f"benchmarks: {part} {' '.join(args)}", file=sys.stderr)
        parts.append(run_part(part, args, a.timeout))
    result = {"machine": machine_info(), "preset": a.preset, "detector_installed": has_model,
              "parts": parts}
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"bench-{dt.datetime.now(dt.UTC).strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", "utf-8")
    if a.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        m = result["machine"]
        print(f"{m['date']} · {m['cpu']} · {m['cores']} cores · Python {m['python']} · "
              f"commit {m['git_commit']}")
        print(format_table(parts))
    print(f"benchmarks: results written to {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
