"""``spinscope predict``: a folder of articles -> an official submission file."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from spinscope.cli.output import echo_json, warn
from spinscope.errors import SpinscopeError
from spinscope.models.registry import LoadOptions, available_predictors, load_predictor
from spinscope.prediction import FORMATS, Prediction, predict

MAX_PROBLEMS_SHOWN = 20

EPILOG = """\b
Formats:
  ptc-si             id start end             spans (SemEval-2020 SI)
  ptc-tc             id technique start end   classify the --template spans (PTC names)
  semeval2023-spans  id technique start end   spans with SemEval-2023 names
  semeval2023-st3    id paragraph labels      paragraph = 1-based line; --template fills
                                              exactly its rows, else every non-blank line
\b
Models: the packaged neural model by default (when installed), baseline-trivial,
baseline-tfidf (trained on PTC train on first use: --ptc or $SPINSCOPE_PTC_DIR; cached in
the user cache), or the folder of a model bundle.
"""


@click.command("predict", epilog=EPILOG)
@click.argument("articles_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--format", "fmt", required=True, type=click.Choice(FORMATS),
              help="Submission format to write.")
@click.option("--template", type=click.Path(exists=True, path_type=Path),
              help="Template: TC spans (ptc-tc, required) or subtask-3 paragraphs (st3).")
@click.option("--model", "model", default=None,
              help=f"Model name ({', '.join(available_predictors())}) or bundle folder.")
@click.option("--ptc", "ptc_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="PTC folder (holding datasets/) the baselines train on.")
@click.option("--threads", type=int, default=0, show_default=True,
              help="onnxruntime threads for the neural model (0 = all cores).")
@click.option("--no-cache", is_flag=True, help="Retrain a baseline instead of using the cache.")
@click.option("-o", "--output", "output", required=True, type=click.Path(path_type=Path),
              help="File to write ('-' for stdout).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary on stdout.")
def predict_cmd(articles_dir: Path, fmt: str, template: Path | None, model: str | None,
                ptc_dir: Path | None, threads: int, no_cache: bool, output: Path,
                as_json: bool) -> None:
    """Run a model over ARTICLES_DIR (article<ID>.txt files) and write a submission."""
    try:
        predictor = load_predictor(model, LoadOptions(ptc_dir=ptc_dir, threads=threads,
                                                      use_cache=not no_cache))
        warn(f"predict: model {predictor.version}, format {fmt}")
        with click.progressbar(length=1, label="articles", file=sys.stderr) as bar:
            def progress(done: int, total: int) -> None:
                bar.length = total
                bar.update(done - bar.pos)

            result = predict(predictor, articles_dir, fmt, template, progress=progress)
        n = result.write(sys.stdout if str(output) == "-" else output)
    except SpinscopeError as e:
        raise click.ClickException(str(e)) from None
    _report(result, n, output)
    if as_json:
        echo_json({**result.to_dict(), "lines_written": n, "output": str(output)})


def _report(result: Prediction, n: int, output: Path) -> None:
    problems = result.problems
    for p in problems[:MAX_PROBLEMS_SHOWN]:
        warn(f"warning: {p}")
    if len(problems) > MAX_PROBLEMS_SHOWN:
        warn(f"warning: ... and {len(problems) - MAX_PROBLEMS_SHOWN} more problems")
    for note, count in result.report.notes.items():
        warn(f"note: {note} ({count})")
    warn(f"predict: {result.n_articles} articles, {n} lines written to {output}")


commands = [predict_cmd]
