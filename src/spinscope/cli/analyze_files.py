"""``spinscope analyze-files``: Parquet/JSONL files in, partitioned Parquet results out."""

from __future__ import annotations

import sys

import click

from spinscope.analyze.analyser import AnalyserFactory, DetectorFactory
from spinscope.cli.analyze_corpus import make_engine
from spinscope.cli.output import echo_json
from spinscope.scale.analyze_files import analyze_files
from spinscope.scale.files import FilesOptions


class _PartitionProgress:
    def __init__(self, enabled: bool):
        self.enabled = enabled

    def __call__(self, done: int, total: int, analysed: int) -> None:
        if self.enabled:
            click.echo(f"analyze-files: {done}/{total} partitions, {analysed:,} documents",
                       err=True)


@click.command("analyze-files")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", "outdir", required=True, metavar="OUTDIR",
              help="Output folder or URI; results go to OUTDIR/model_version=V/part-*.parquet.")
@click.option("--engine", "engine_name", type=click.Choice(["local", "ray"]), default="local",
              show_default=True, help="local: worker processes here; ray: a Ray Data "
                                      "pipeline (needs the [ray] extra).")
@click.option("--address", default=None, metavar="ADDR",
              help="Ray cluster address (auto, HOST:PORT, ray://HOST:10001); default: a "
                   "private local Ray instance. Only with --engine ray.")
@click.option("--workers", type=int, default=None,
              help="Worker processes or Ray actors, each loading the model once (default: "
                   "all cores).")
@click.option("--model", "bundle", default=None, metavar="DIR",
              help="Model bundle folder (default: the packaged model, or $SPINSCOPE_MODEL).")
@click.option("--threads", type=int, default=1, show_default=True,
              help="onnxruntime threads per worker.")
@click.option("--id-field", default="id", show_default=True,
              help="Field/column with the document id (missing: FILE@BYTE or FILE#ROW).")
@click.option("--text-field", default="text", show_default=True,
              help="Field/column with the document text.")
@click.option("--partition-rows", type=int, default=2000, show_default=True,
              help="Parquet rows per partition (one output file each).")
@click.option("--partition-mb", type=float, default=8.0, show_default=True,
              help="JSONL megabytes per partition (one output file each).")
@click.option("--chunk-size", type=int, default=16, show_default=True,
              help="Documents per model call.")
@click.option("--keyword-model", is_flag=True, hidden=True,
              help="Use the keyword fake instead of the model (tests, dry runs).")
@click.option("-q", "--quiet", is_flag=True, help="No progress lines.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def analyze_files_cmd(inputs: tuple[str, ...], outdir: str, engine_name: str,
                      address: str | None, workers: int | None, bundle: str | None,
                      threads: int, id_field: str, text_field: str, partition_rows: int,
                      partition_mb: float, chunk_size: int, keyword_model: bool, quiet: bool,
                      as_json: bool) -> None:
    """Analyse the documents of Parquet/JSONL files (paths, folders or s3://... URIs).

    One result file per input partition; partitions already written are skipped, so after
    an interruption the same command continues. Unreadable records become rows with an
    ``error`` and the rest is processed.
    """
    factory: AnalyserFactory
    if keyword_model:
        from spinscope.analyze.testing import KeywordFactory

        factory = KeywordFactory()
    else:
        factory = DetectorFactory(bundle, threads=threads)
    options = FilesOptions(id_field=id_field, text_field=text_field,
                           partition_rows=partition_rows,
                           partition_bytes=max(1, int(partition_mb * (1 << 20))),
                           chunk_size=chunk_size)
    engine = make_engine(engine_name, workers, address, threads)
    try:
        summary = analyze_files(list(inputs), outdir, factory, options, engine,
                                _PartitionProgress(not quiet and not as_json))
    except KeyboardInterrupt:
        click.echo("interrupted: finished partitions are written; run the same command again "
                   "to continue", err=True)
        sys.exit(130)
    if as_json:
        echo_json(summary.to_dict())
        return
    click.echo(f"{summary.model} {summary.model_version} ({summary.engine}): "
               f"{summary.documents:,} documents in {summary.written} partitions "
               f"({summary.skipped} already done) in {summary.seconds:.1f} s "
               f"({summary.docs_per_second:.1f}/s), {summary.failed:,} failed -> "
               f"{summary.output}")


commands = [analyze_files_cmd]
