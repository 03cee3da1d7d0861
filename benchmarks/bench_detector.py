"""Detector speed and memory: the shipped int8 ONNX model vs torch fp32 stand-ins.

Each engine runs in a fresh subprocess (its own peak RSS) over the same texts: the packaged
fictional sample articles (en/ru/uk), repeated to ``--articles``. Sentences are counted with
spinscope's own splitter. Engines:

* ``onnx-int8``: ``spinscope.analyze_many`` with the bundle (full pipeline: segmentation,
  windows, decoding), windows run in parallel on ``--threads`` threads;
* ``onnx-int8-serial``: the same, one window at a time with ``--threads`` onnxruntime
  threads per operator (the runtime before parallel windows);
* ``torch-fp32-same``: the same architecture and vocabulary in torch fp32 (a training
  checkpoint when ``--run`` is given, else random weights), forward passes over the same
  windows (no decoding: a lower bound on its cost);
* ``torch-fp32-bert-base``: a BERT-base config (12 layers, 768 hidden, 30k vocab) with random
  weights, the compute stand-in for the architecture of earlier tools.

    .venv/bin/python benchmarks/bench_detector.py --articles 32 --repeat 3 --json
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time


def _texts(n: int) -> list[str]:
    from spinscope.samples import load_samples

    base = [a.text for a in load_samples()]
    return [base[i % len(base)] for i in range(n)]


def _n_sentences(texts: list[str]) -> int:
    from spinscope.analyze.segment import sentences

    return sum(len(sentences(t)) for t in texts)


def run_onnx(n: int, threads: int, bundle: str | None,
             serial: bool = False) -> dict[str, float]:
    t0 = time.perf_counter()
    from spinscope.analyze.api import AnalyzeOptions, analyze_many, get_detector
    from spinscope.models.runtime import OnnxTagger

    opts = AnalyzeOptions(bundle=bundle, threads=threads)
    det = get_detector(opts)
    if serial:  # one window at a time on all threads (the runtime before parallel windows)
        det.tagger = OnnxTagger(det.bundle, threads=threads, parallel_windows=False)
    load = time.perf_counter() - t0
    texts = _texts(n)
    analyze_many(texts[:2], opts)  # warm-up
    t1 = time.perf_counter()
    analyze_many(texts, opts)
    return {"load_s": load, "run_s": time.perf_counter() - t1}


def _windows(texts: list[str], bundle: str | None) -> list[list[int]]:
    from spinscope.models.runtime import OnnxTagger, load_bundle
    from spinscope.models.windows import plan_windows, tokenize

    tagger = OnnxTagger(load_bundle(bundle), threads=1)
    out = []
    for t in texts:
        s = tokenize(tagger.tokenizer, t)
        for a, b in plan_windows(len(s), s.boundary, tagger.bundle.max_tokens,
                                 tagger.bundle.stride):
            out.append([0, *s.ids[a:b].tolist(), 2])
    return out


def run_torch(n: int, threads: int, bundle: str | None, kind: str,
              run_dir: str | None) -> dict[str, float]:
    import torch
    from transformers import BertConfig, BertModel

    torch.set_num_threads(threads)
    t0 = time.perf_counter()
    if kind == "bert-base":
        model = BertModel(BertConfig(), add_pooling_layer=False)
    elif run_dir:
        from pathlib import Path

        from spinscope.models.export import load_checkpoint

        model = load_checkpoint(Path(run_dir))[0]
    else:
        from spinscope.models.backbone import build_config, e5_weights_path, read_e5_q4
        from spinscope.models.runtime import OnnxTagger, load_bundle

        vocab = OnnxTagger(load_bundle(bundle), threads=1).tokenizer.get_vocab_size()
        header, _ = read_e5_q4(e5_weights_path())
        model = BertModel(build_config(header, vocab), add_pooling_layer=False)
    model.eval()
    load = time.perf_counter() - t0
    wins = _windows(_texts(n), bundle)
    wins.sort(key=len)
    t1 = time.perf_counter()
    with torch.inference_mode():
        for k in range(0, len(wins), 16):
            part = wins[k:k + 16]
            width = max(len(w) for w in part)
            ids = torch.ones((len(part), width), dtype=torch.long)
            mask = torch.zeros_like(ids)
            for r, w in enumerate(part):
                ids[r, :len(w)] = torch.tensor(w)
                mask[r, :len(w)] = 1
            if kind == "bert-base":
                ids = ids.clamp(max=30_000)
            model(input_ids=ids, attention_mask=mask)
    return {"load_s": load, "run_s": time.perf_counter() - t1}


def child(args: argparse.Namespace) -> None:
    if args.engine.startswith("onnx-int8"):
        r = run_onnx(args.articles, args.threads, args.bundle,
                     serial=args.engine.endswith("serial"))
    else:
        kind = "bert-base" if args.engine.endswith("bert-base") else "same"
        r = run_torch(args.articles, args.threads, args.bundle, kind, args.run)
    r["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(r))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--articles", type=int, default=32)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--bundle", default=None, help="Bundle folder (default: packaged).")
    p.add_argument("--run", default=None, help="Training run folder for torch-fp32-same.")
    p.add_argument("--engines", default="onnx-int8,onnx-int8-serial,torch-fp32-same,"
                                        "torch-fp32-bert-base")
    p.add_argument("--engine", default=None, help=argparse.SUPPRESS)
    p.add_argument("--repeat", type=int, default=3, help="Rounds (median is reported).")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    if args.engine:
        child(args)
        return
    texts = _texts(args.articles)
    n_sent = _n_sentences(texts)
    engines = args.engines.split(",")
    runs: dict[str, list[dict[str, float]]] = {e: [] for e in engines}
    # Engines alternate, round after round, so that a slow spell of the (shared) machine
    # hits all of them; each figure is the median over the rounds.
    for _ in range(args.repeat):
        for engine in engines:
            cmd = [sys.executable, __file__, "--engine", engine, "--articles",
                   str(args.articles), "--threads", str(args.threads)]
            if args.bundle:
                cmd += ["--bundle", args.bundle]
            if args.run:
                cmd += ["--run", args.run]
            out = subprocess.run(cmd, capture_output=True, text=True, check=True)
            runs[engine].append(json.loads(out.stdout.strip().splitlines()[-1]))
    rows = {}
    for engine, rs in runs.items():
        r = {k: statistics.median(x[k] for x in rs) for k in ("load_s", "run_s")}
        r["peak_rss_mb"] = max(x["peak_rss_mb"] for x in rs)
        r["run_s_all"] = [round(x["run_s"], 3) for x in rs]
        r["articles_per_s"] = args.articles / r["run_s"]
        r["sentences_per_s"] = n_sent / r["run_s"]
        rows[engine] = r
    base = rows.get("onnx-int8", {}).get("run_s")
    for r in rows.values():
        r["onnx_speedup"] = r["run_s"] / base if base else None
    result = {"articles": args.articles, "sentences": n_sent, "threads": args.threads,
              "repeat": args.repeat, "engines": rows}
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{args.articles} articles, {n_sent} sentences, {args.threads} threads, "
          f"median of {args.repeat} rounds")
    for name, r in rows.items():
        print(f"{name:<22} {r['sentences_per_s']:8.1f} sent/s {r['articles_per_s']:7.2f} art/s "
              f"load {r['load_s']:5.1f} s  peak RSS {r['peak_rss_mb']:7.0f} MB  "
              f"onnx is {r['onnx_speedup']:.1f}x faster")


if __name__ == "__main__":
    main()
