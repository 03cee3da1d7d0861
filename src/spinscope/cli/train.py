"""``spinscope train`` and ``spinscope export-model``: fine-tune the detector, ship a bundle.

Both need the ``[train]`` extra (torch, transformers, onnx).
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from spinscope.cli.output import echo_json


def _default_data_root() -> Path:
    return Path.cwd().parent / "shared" / "data"


@click.command("train")
@click.option("--data", "data_root", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Shared research-data folder (default ../shared/data).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("runs/me5s"), show_default=True,
              help="Run folder: checkpoints, log, trimmed tokenizer. Re-run to resume.")
@click.option("--epochs", type=float, default=2.0, show_default=True)
@click.option("--batch-size", type=int, default=16, show_default=True)
@click.option("--max-tokens", type=int, default=126, show_default=True,
              help="Tokens per training window (without <s> and </s>).")
@click.option("--lr", type=float, default=5e-5, show_default=True)
@click.option("--freeze-layers", type=int, default=4, show_default=True,
              help="Lowest encoder layers kept frozen (saves CPU time).")
@click.option("--vocab-budget", type=int, default=88_000, show_default=True,
              help="Pieces kept when trimming the vocabulary.")
@click.option("--ckpt-every", type=int, default=100, show_default=True)
@click.option("--max-steps", type=int, default=0, help="Stop after this many steps (tests).")
@click.option("--seed", type=int, default=13, show_default=True)
@click.option("--threads", type=int, default=2, show_default=True)
@click.option("--init-from-bundle", "init_from", default=None,
              type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Start from the weights and vocabulary of this (unfused int8) bundle "
                   "instead of the bare backbone: continued training.")
@click.option("--init-from-run", "init_run", default=None,
              type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Start from the last checkpoint (fp32 weights and vocabulary) of this "
                   "run folder, with a fresh optimizer and schedule: continued training, "
                   "e.g. with fewer frozen layers.")
def train_cmd(data_root: Path | None, out_dir: Path, epochs: float, batch_size: int,
              max_tokens: int, lr: float, freeze_layers: int, vocab_budget: int,
              ckpt_every: int, max_steps: int, seed: int, threads: int,
              init_from: Path | None, init_run: Path | None) -> None:
    """Fine-tune the span tagger on PTC, SemEval-2021 and UNLP-2025 (resumes if possible)."""
    from spinscope.errors import ModelError
    from spinscope.models.train import TrainConfig, is_run, train
    from spinscope.models.trainset import load_corpora

    if init_from and init_run:
        raise click.UsageError("give --init-from-bundle or --init-from-run, not both")
    if init_run and not is_run(init_run):
        raise ModelError(f"{init_run} is not a training run folder (needs last.pt, "
                         "keep_ids.npy, tokenizer.json and config.json)")
    root = data_root or _default_data_root()
    cfg = TrainConfig(out_dir=str(out_dir), data_root=str(root), max_tokens=max_tokens,
                      batch_size=batch_size, epochs=epochs, lr=lr, seed=seed,
                      vocab_budget=vocab_budget, freeze_layers=freeze_layers,
                      ckpt_every=ckpt_every, max_steps=max_steps, threads=threads,
                      init_from=str(init_from or init_run or ""),
                      command=shlex.join(["spinscope", *sys.argv[1:]]))
    corpora, _cal = load_corpora(root)
    last = train(cfg, corpora)
    click.echo(f"checkpoint: {last}")


@click.command("export-model")
@click.option("--run", "run_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("runs/me5s"), show_default=True, help="Training run folder.")
@click.option("--from-bundle", "source", type=click.Path(file_okay=False, exists=True,
                                                         path_type=Path), default=None,
              help="Re-export the int8 weights of this bundle instead of a checkpoint.")
@click.option("--bundle", "bundle_dir", type=click.Path(file_okay=False, path_type=Path),
              required=True, help="Bundle folder to write (manifest, model.onnx, ...).")
@click.option("--data", "data_root", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Shared research-data folder, for calibration.")
@click.option("--name", default="spinscope-me5s", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the manifest as JSON.")
def export_cmd(run_dir: Path, source: Path | None, bundle_dir: Path, data_root: Path | None,
               name: str, as_json: bool) -> None:
    """Export the last checkpoint (or re-export a bundle) to an int8 ONNX bundle with
    calibrated thresholds and technique-classification heads."""
    from spinscope.models.export import export_bundle

    if source is None and not run_dir.is_dir():
        raise click.UsageError(f"no training run at {run_dir}; train first or pass "
                               "--from-bundle")
    manifest = export_bundle(None if source else run_dir, bundle_dir,
                             data_root or _default_data_root(), name, source_bundle=source,
                             command=shlex.join(["spinscope", *sys.argv[1:]]))
    if as_json:
        echo_json(manifest)
    else:
        click.echo(f"bundle written to {bundle_dir} ({len(manifest['covered'])} techniques)")


@click.command("recalibrate-decoding")
@click.option("--bundle", "bundle_dir", required=True,
              type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Bundle folder to recalibrate in place (manifest and model card).")
@click.option("--data", "data_root", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Shared research-data folder (default ../shared/data).")
def recalibrate_cmd(bundle_dir: Path, data_root: Path | None) -> None:
    """Choose a bundle's span decoding (per language) again on the calibration hold-out;
    the model and the technique thresholds stay as they are."""
    from spinscope.models.calibrate import recalibrate_decoding
    from spinscope.models.trainset import load_corpora

    _train, cal = load_corpora(data_root or _default_data_root())
    decoding = recalibrate_decoding(bundle_dir, cal,
                                    shlex.join(["spinscope", *sys.argv[1:]]))
    for lang, d in decoding.items():
        click.echo(f"{lang}: low {d['low']} peak {d['peak']} split "
                   f"{'yes' if d['split_sentences'] else 'no'} core {d['core']} "
                   f"(SI F1 {d['f1']} on {d['chosen_on']})")


commands = [train_cmd, export_cmd, recalibrate_cmd]
