"""Evaluate a model on the named splits with `spinscope predict` + `spinscope eval`.

    .venv/bin/python scripts/eval_detector.py --model src/spinscope/models/bundles/spinscope-me5s \
        --out out/eval-me5s.json

Splits: PTC dev SI and TC, SemEval-2023 ru train subtask 3 (evaluation only), and the
UNLP-2025 ``train-heldout`` posts (span identification, scored with the PTC SI metric:
the posts are written to a temporary folder as ``article<id>.txt``).
Needs ../shared/data (or --data).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXE = [sys.executable, "-m", "spinscope.cli.main"]


def _run(args: list[str]) -> dict[str, object]:
    out = subprocess.run([*EXE, *args], capture_output=True, text=True, cwd=REPO)
    if out.returncode != 0:
        raise SystemExit(f"failed: spinscope {' '.join(args)}\n{out.stderr[-3000:]}")
    try:
        return dict(json.loads(out.stdout))
    except json.JSONDecodeError:
        return {"stdout": out.stdout[-2000:]}


def _write_unlp(data: Path, folder: Path) -> tuple[Path, Path]:
    sys.path.insert(0, str(REPO / "src"))
    from spinscope.corpora.unlp2025 import read_unlp2025

    arts = folder / "articles"
    arts.mkdir(parents=True)
    gold = folder / "gold-si.txt"
    lines = []
    # Numeric ids (the SI tools expect article<digits>.txt); order = reader order.
    for i, d in enumerate(read_unlp2025(data / "unlp2025_manipulation",
                                        "train-heldout").documents, start=1):
        (arts / f"article{i}.txt").write_text(d.text, "utf-8", newline="")
        lines += [f"{i}\t{s.start}\t{s.end}" for s in d.spans]
    gold.write_text("\n".join(lines) + "\n", "utf-8")
    return arts, gold


METRICS = {
    "ptc-dev-si": ("PTC v2 dev (75 articles)", "SI F1 (SemEval-2020 partial overlap)"),
    "ptc-dev-tc": ("PTC v2 dev (1063 gold spans)", "TC micro-F1 (PTC classes)"),
    "semeval2023-ru-train-st3": ("SemEval-2023 ru train (evaluation only)",
                                 "subtask 3 paragraph micro-F1"),
    "unlp2025-train-heldout-si": ("UNLP-2025 train-heldout (588 posts)",
                                  "span F1 (SemEval-2020 SI metric)"),
}


def _write_card(bundle: Path, res: dict[str, object]) -> None:
    from spinscope.models.card import write_model_card

    manifest = json.loads((bundle / "manifest.json").read_text("utf-8"))
    metrics = dict(manifest.get("metrics", {}))  # a partial run updates its own rows only
    for key, (split, metric) in METRICS.items():
        r = res.get(key)
        if isinstance(r, dict):
            sc = r["scores"]["scores"]
            metrics[key] = {"split": split, "metric": metric, "value": round(sc["score"], 4),
                            "note": f"P {sc.get('precision', 0):.3f} / R "
                                    f"{sc.get('recall', 0):.3f}"
                            if "precision" in sc else ""}
    manifest["metrics"] = metrics
    (bundle / "manifest.json").write_text(json.dumps(manifest, indent=2), "utf-8")
    write_model_card(bundle, manifest)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", required=True, help="Model name or bundle folder.")
    p.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--skip", default="", help="Comma-separated: ptc-si,ptc-tc,ru-st3,unlp")
    p.add_argument("--write-card", action="store_true",
                   help="Store the scores in the bundle's manifest and model card.")
    a = p.parse_args()
    skip = set(filter(None, a.skip.split(",")))
    ptc = a.data / "ptc_semeval2020_task11" / "datasets"
    ru = a.data / "semeval2023_task3" / "data" / "ru"
    model = ["--model", a.model, "--ptc", str(ptc.parent)]
    res: dict[str, object] = {"model": a.model}
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        jobs = {
            "ptc-dev-si": (["predict", str(ptc / "dev-articles"), "--format", "ptc-si"],
                           ["eval", "--format", "ptc-si", "--merge-overlapping",
                            "{pred}", str(ptc / "dev-task-si.labels"),
                            "--articles", str(ptc / "dev-articles")]),
            "ptc-dev-tc": (["predict", str(ptc / "dev-articles"), "--format", "ptc-tc",
                            "--template", str(ptc / "dev-task-flc-tc.labels")],
                           ["eval", "--format", "ptc-tc", "{pred}",
                            str(ptc / "dev-task-flc-tc.labels")]),
            "semeval2023-ru-train-st3": (
                ["predict", str(ru / "train-articles-subtask-3"), "--format",
                 "semeval2023-st3", "--template",
                 str(ru / "train-labels-subtask-3.template")],
                ["eval", "--format", "semeval2023-st3", "{pred}",
                 str(ru / "train-labels-subtask-3.txt")]),
        }
        if "unlp" not in skip:
            arts, gold = _write_unlp(a.data, t / "unlp")
            jobs["unlp2025-train-heldout-si"] = (
                ["predict", str(arts), "--format", "ptc-si"],
                ["eval", "--format", "ptc-si", "--merge-overlapping", "{pred}", str(gold),
                 "--articles", str(arts)])
        names = {"ptc-dev-si": "ptc-si", "ptc-dev-tc": "ptc-tc",
                 "semeval2023-ru-train-st3": "ru-st3", "unlp2025-train-heldout-si": "unlp"}
        for name, (pred_args, eval_args) in jobs.items():
            if names[name] in skip:
                continue
            pred = t / f"{name}.txt"
            t0 = time.perf_counter()
            _run([*pred_args, *model, "-o", str(pred)])
            secs = time.perf_counter() - t0
            scores = _run([*[x.replace("{pred}", str(pred)) for x in eval_args], "--json"])
            res[name] = {"scores": scores, "predict_seconds": round(secs, 1)}
            print(name, json.dumps(scores)[:400], f"({secs:.0f} s)", file=sys.stderr)
    if a.write_card:
        _write_card(Path(a.model), res)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(res, indent=2), "utf-8")
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
