"""``spinscope eval``: score a submission file against gold with the official metric."""

from __future__ import annotations

import re
from pathlib import Path

import click

from spinscope.cli.output import echo_json, format_table, warn
from spinscope.errors import SpinscopeError
from spinscope.evaluation import EVAL_FORMATS, EvalOptions, EvalResult, evaluate
from spinscope.metrics import LabelScores

MAX_ISSUES_SHOWN = 20
_ARTICLE_FILE = re.compile(r"article(\d+)\.txt$")

FORMAT_HELP = """\b
Formats (TAB-separated, one record per line):
  ptc-si             id start end                 SemEval-2020 SI, partial-overlap F1
  ptc-tc             id technique start end       SemEval-2020 TC (PTC names), micro-F1
  semeval2023-spans  id technique start end       SemEval-2023 names, per-technique span F1
  semeval2023-st3    id paragraph label,label     subtask 3, micro-F1 (macro too)
  semeval2023-st2    id frame,frame               subtask 2, micro-F1 (macro too)
  semeval2023-st1    id genre                     subtask 1, macro-F1 (micro too)
"""


def _article_ids(folder: Path) -> frozenset[str]:
    ids = frozenset(m.group(1) for p in folder.iterdir() if (m := _ARTICLE_FILE.match(p.name)))
    if not ids:
        raise click.BadParameter(f"no article<ID>.txt files in {folder}", param_hint="--articles")
    return ids


@click.command("eval", epilog=FORMAT_HELP)
@click.option("--format", "fmt", required=True, type=click.Choice(EVAL_FORMATS),
              help="Submission format of PRED and GOLD.")
@click.argument("pred", type=click.Path(exists=True, path_type=Path))
@click.argument("gold", type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--merge-overlapping", is_flag=True,
              help="Merge overlapping predicted spans instead of failing (the SI scorer's -m).")
@click.option("--ignore-extra", is_flag=True,
              help="Drop predicted articles that are not in the gold instead of failing.")
@click.option("--articles", "articles_dir",
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of article<ID>.txt: the evaluation articles (span formats); "
                   "those without gold spans count as gold-empty.")
def eval_cmd(fmt: str, pred: Path, gold: Path, as_json: bool, merge_overlapping: bool,
             ignore_extra: bool, articles_dir: Path | None) -> None:
    """Score predictions PRED against GOLD (files, or folders of per-article files)."""
    options = EvalOptions(merge_overlapping=merge_overlapping, ignore_extra=ignore_extra,
                          articles=_article_ids(articles_dir) if articles_dir else None)
    try:
        result = evaluate(fmt, pred, gold, options)
    except SpinscopeError as e:
        raise click.ClickException(str(e)) from None
    _report_issues(result)
    if as_json:
        echo_json(result.to_dict())
        return
    click.echo(render(result))


def _report_issues(result: EvalResult) -> None:
    for side, issues in (("predictions", result.pred_issues), ("gold", result.gold_issues)):
        for issue in issues[:MAX_ISSUES_SHOWN]:
            warn(f"warning: {issue}")
        if len(issues) > MAX_ISSUES_SHOWN:
            warn(f"warning: ... and {len(issues) - MAX_ISSUES_SHOWN} more issues in the {side}")
        if issues:
            warn(f"{len(issues)} malformed line(s) in the {side} were skipped")
    for note in result.notes:
        warn(note)


def render(result: EvalResult) -> str:
    """The plain-text report: overall scores, then one row per class where there are classes."""
    s = result.scores
    head = (f"{result.fmt}: {s.metric}, {result.gold_articles} gold articles, "
            f"primary {s.primary} = {s.score:.4f}")
    if isinstance(s, LabelScores):
        overall = format_table(["average", "P", "R", "F1", "examples"], [
            ["micro", s.precision, s.recall, s.f1, s.n_examples],
            ["macro", s.macro_precision, s.macro_recall, s.macro_f1, s.n_examples],
        ])
    else:
        overall = format_table(["average", "P", "R", "F1", "pred spans", "gold spans"],
                               [["micro", s.precision, s.recall, s.f1, s.n_pred, s.n_gold]])
    parts = [head, "", overall]
    rows = [[name, c.precision, c.recall, c.f1, c.gold, c.predicted]
            for name, c in s.per_class.items() if c.gold or c.predicted]
    if rows:
        parts += ["", format_table(["class", "P", "R", "F1", "gold", "pred"], rows)]
    return "\n".join(parts)


commands = [eval_cmd]
