"""``spinscope corpus``: inspect the research corpora (counts, repairs, problems)."""

from __future__ import annotations

from pathlib import Path

import click

from spinscope.cli.output import echo_json, format_table, warn
from spinscope.corpora.detect import CORPUS_KINDS
from spinscope.corpora.stats import CorpusStats, corpus_stats

_COLUMNS = [
    ("split", "split"), ("lang", "lang"), ("gold", "has_gold"), ("docs", "documents"),
    ("docs>=1 span", "documents_with_span"), ("docs>=1 label", "documents_with_label"),
    ("spans", "spans"), ("labelled", "labelled_spans"), ("paragraphs", "paragraphs"),
    ("para>=1 label", "paragraphs_with_label"),
]


@click.group(name="corpus")
def corpus() -> None:
    """Inspect research corpora (PTC, SemEval-2021/2023, UNLP-2025)."""


@corpus.command(name="stats")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--kind", type=click.Choice(CORPUS_KINDS),
              help="Corpus kind (detected from the folder layout when omitted).")
@click.option("--labels", is_flag=True, help="Also count spans and documents per label.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
def stats(path: Path, kind: str | None, labels: bool, as_json: bool) -> None:
    """Count documents, spans, paragraphs and labels per split and language of PATH.

    Problems met while reading (file:line: message) go to stderr; the rest is still read.
    """
    result = corpus_stats(path, kind)  # type: ignore[arg-type]
    report = result.report
    for p in report.problems:
        warn(f"problem: {p}")
    if as_json:
        data = result.to_dict(labels)
        data["report"] = report.to_dict()
        echo_json(data)
        return
    _print_tables(result, labels)


def _print_tables(result: CorpusStats, labels: bool) -> None:
    report = result.report
    extras = sorted({k for r in result.rows for k in r.extra})
    headers = [h for h, _ in _COLUMNS] + extras
    rows = []
    for r in result.rows:
        d = r.to_dict()
        row = [("yes" if d[k] else "no") if k == "has_gold" else d[k] for _, k in _COLUMNS]
        rows.append(row + [r.extra.get(k) for k in extras])
    click.echo(f"{result.kind}: {result.path}")
    click.echo(format_table(headers, rows))
    if labels:
        for r in result.rows:
            counts = r.span_labels or r.document_labels
            if not counts:
                continue
            what = "span" if r.span_labels else "document"
            click.echo(f"\n{r.split} {r.lang}: {what} labels")
            click.echo(format_table(["label", "count"], counts.most_common()))
    click.echo("\nread report")
    items = [("repair", k, v) for k, v in sorted(report.repairs.items())]
    items += [("note", k, v) for k, v in sorted(report.notes.items())]
    items.append(("problems", "file:line messages on stderr", len(report.problems)))
    click.echo(format_table(["kind", "what", "count"], items))


commands: list[click.Command] = [corpus]
