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
    for d in read_unlp2025(data / "unlp2025_manipulation", "train-heldout").documents:
        (arts / f"article{d.id}.txt").write_text(d.text, "utf-8", newline="")
        lines += [f"{d.id}\t{s.start}\t{s.end}" for s in d.spans]
    gold.write_text("\n".join(lines) + "\n", "utf-8")
    return arts, gold


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", required=True, help="Model name or bundle folder.")
    p.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--skip", default="", help="Comma-separated: ptc-si,ptc-tc,ru-st3,unlp")
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
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(res, indent=2), "utf-8")
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
