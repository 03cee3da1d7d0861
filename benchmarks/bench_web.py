"""REST API latency and throughput on loopback (bounded in time).

Starts the web app in a child process on 127.0.0.1 (a free port, rate limit off), then:

1. latency: ``--requests`` sequential ``POST /api/v1/analyse`` of one 800-word English
   article (the packaged fictional sample articles joined and cut to 800 words): p50/p95;
2. throughput: ``--clients`` concurrent clients (keep-alive connections) posting the same
   article for ``--duration`` seconds: requests/s, words/s, errors (must be zero).

The server's peak RSS is read from /proc. ``--analyser fake`` measures the web layer alone
(the keyword analyser, no model); the default is the packaged detector.

    .venv/bin/python benchmarks/bench_web.py --json
    .venv/bin/python benchmarks/bench_web.py --analyser fake --duration 20
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

WORDS = 800


def article(words: int = WORDS) -> str:
    """Fictional English sample paragraphs joined until ``words`` words, cut there."""
    from spinscope.samples import load_samples

    paragraphs: list[str] = []
    count = 0
    for a in load_samples("en"):
        for p in a.text.split("\n\n"):
            n = len(p.split())
            if count + n > words:
                paragraphs.append(" ".join(p.split()[: words - count]))
                return "\n\n".join(paragraphs)
            paragraphs.append(p)
            count += n
    raise SystemExit(f"the sample corpus has fewer than {words} English words")


def serve(port: int, analyser_kind: str, workers: int) -> None:
    """The child: the app on 127.0.0.1:port, no rate limit."""
    import uvicorn

    from spinscope.settings import Settings
    from spinscope.web import WebSettings, create_app
    from spinscope.web.app import default_analyser

    if analyser_kind == "fake":
        from spinscope.analyze.testing import KeywordAnalyser

        analyser: Any = KeywordAnalyser()
    else:
        analyser = default_analyser()
        analyser("Warm-up text to load the model.")
    store = Path(tempfile.mkdtemp(prefix="spinscope-bench-web-")) / "none.sqlite"  # never made
    app = create_app(Settings(store=str(store)), analyser=analyser,
                     web=WebSettings(rate_limit=0, analysis_workers=workers))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _post(conn: http.client.HTTPConnection, body: bytes) -> int:
    conn.request("POST", "/api/v1/analyse", body=body,
                 headers={"Content-Type": "application/json"})
    resp = conn.getresponse()
    resp.read()
    return resp.status


def _peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def latency(port: int, body: bytes, n: int) -> dict[str, float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        status = _post(conn, body)
        times.append(time.perf_counter() - t0)
        if status != 200:
            raise SystemExit(f"latency run: HTTP {status}")
    times.sort()
    return {"requests": n, "p50_ms": 1000 * statistics.median(times),
            "p95_ms": 1000 * times[min(n - 1, round(0.95 * (n - 1)))],
            "min_ms": 1000 * times[0], "max_ms": 1000 * times[-1]}


def throughput(port: int, body: bytes, clients: int, duration: float) -> dict[str, Any]:
    ok = [0] * clients
    errors: list[str] = []
    lat: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + duration

    def client(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            try:
                status = _post(conn, body)
            except (OSError, http.client.HTTPException) as e:
                with lock:
                    errors.append(repr(e))
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                continue
            with lock:
                lat.append(time.perf_counter() - t0)
            if status == 200:
                ok[i] += 1
            else:
                with lock:
                    errors.append(f"HTTP {status}")

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    done = sum(ok)
    lat.sort()
    return {"clients": clients, "seconds": round(elapsed, 2), "requests": done,
            "errors": len(errors), "error_samples": errors[:5],
            "requests_per_s": done / elapsed, "words_per_s": done * WORDS / elapsed,
            "p50_ms_under_load": 1000 * statistics.median(lat) if lat else None,
            "p95_ms_under_load": 1000 * lat[min(len(lat) - 1, round(0.95 * (len(lat) - 1)))]
            if lat else None}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--analyser", choices=["model", "fake"], default="model")
    ap.add_argument("--requests", type=int, default=40, help="sequential latency requests")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of the load run")
    ap.add_argument("--workers", type=int, default=2, help="analyses at once in the server")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        serve(args.serve, args.analyser, args.workers)
        return
    text = article()
    body = json.dumps({"text": text}).encode()
    port = _free_port()
    child = subprocess.Popen([sys.executable, __file__, "--serve", str(port), "--analyser",
                              args.analyser, "--workers", str(args.workers)])
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/api/v1/health")
                health = json.loads(conn.getresponse().read())
                break
            except OSError:
                if time.monotonic() > deadline or child.poll() is not None:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.3)
        _post(http.client.HTTPConnection("127.0.0.1", port, timeout=120), body)  # warm-up
        result = {
            "analyser": args.analyser, "model": health.get("model"),
            "model_version": health.get("model_version"), "words": len(text.split()),
            "chars": len(text), "cpu_count": os.cpu_count(), "server_workers": args.workers,
            "latency": latency(port, body, args.requests),
            "throughput": throughput(port, body, args.clients, args.duration),
            "server_peak_rss_mb": _peak_rss_mb(child.pid),
        }
    finally:
        child.terminate()
        child.wait(timeout=20)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        lat, thr = result["latency"], result["throughput"]
        print(f"{result['analyser']} {result['model']} {result['model_version']}: "
              f"{result['words']}-word article")
        print(f"latency (sequential, n={lat['requests']}): p50 {lat['p50_ms']:.0f} ms, "
              f"p95 {lat['p95_ms']:.0f} ms")
        print(f"throughput ({thr['clients']} clients, {thr['seconds']} s): "
              f"{thr['requests_per_s']:.2f} req/s ({thr['words_per_s']:.0f} words/s), "
              f"errors {thr['errors']}")
        print(f"server peak RSS {result['server_peak_rss_mb']:.0f} MB")
    if result["throughput"]["errors"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
