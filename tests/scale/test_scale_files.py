"""analyze-files without Ray: partitions, readers, result rows, resume, local engine, CLI."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from scale_fixtures import write_jsonl, write_parquet

from spinscope.analyze import InlineEngine, LocalEngine
from spinscope.analyze.engine import Task, run_task
from spinscope.analyze.testing import KeywordAnalyser, KeywordFactory
from spinscope.cli.main import cli
from spinscope.errors import ConfigError
from spinscope.scale import FilesOptions, analyze_files, make_partitions
from spinscope.scale.files import read_partition
from spinscope.scale.ray_runtime import require_ray
from spinscope.scale.rows import decode_task_result, encode_task_result, row_to_stored


def _records(inputs: list[str], options: FilesOptions) -> list[tuple[str, str | None]]:
    return [(r.id, r.text) for p in make_partitions(inputs, options)
            for r in read_partition(p, options)]


@pytest.mark.parametrize("partition_bytes", [1, 2, 7, 64, 333, 10**7])
def test_jsonl_byte_partitions_read_every_line_once(tmp_path: Path, partition_bytes: int) -> None:
    path = str(write_jsonl(tmp_path / "a.jsonl"))
    whole = _records([path], FilesOptions(partition_bytes=10**9))
    assert len(whole) == 42  # 40 documents, a broken line, a record without text; blank skipped
    assert _records([path], FilesOptions(partition_bytes=partition_bytes)) == whole


def test_jsonl_bad_records_name_file_and_byte(tmp_path: Path) -> None:
    path = str(write_jsonl(tmp_path / "a.jsonl"))
    opts = FilesOptions()
    bad = [r for p in make_partitions([path], opts) for r in read_partition(p, opts)
           if r.text is None]
    assert [r.id for r in bad][1] == "no-text"
    assert bad[0].error is not None and "a.jsonl, line at byte" in bad[0].error
    assert "invalid JSON" in bad[0].error
    assert bad[1].error is not None and "--text-field" in bad[1].error


def test_parquet_row_partitions_and_default_ids(tmp_path: Path) -> None:
    path = str(write_parquet(tmp_path / "b.parquet", n=23))
    parts = make_partitions([path], FilesOptions(partition_rows=5))
    assert [(p.start, p.stop) for p in parts] == [(0, 5), (5, 10), (10, 15), (15, 20), (20, 23)]
    recs = _records([path], FilesOptions(partition_rows=5))
    assert [i for i, _ in recs] == [f"b.parquet#{k}" for k in range(23)]
    assert recs == _records([path], FilesOptions(partition_rows=1000))


def test_inputs_are_checked_before_the_run(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        make_partitions([str(tmp_path / "missing.jsonl")], FilesOptions())
    (tmp_path / "x.csv").write_text("a,b\n")
    with pytest.raises(ConfigError, match=r"\.parquet, \.jsonl"):
        make_partitions([str(tmp_path / "x.csv")], FilesOptions())
    path = str(write_parquet(tmp_path / "b.parquet"))
    with pytest.raises(ConfigError, match="--text-field"):
        make_partitions([path], FilesOptions(text_field="body"))


def _read_out(folder: Path) -> dict[str, list[dict[str, object]]]:
    return {f.name: pq.read_table(f).to_pylist() for f in sorted(folder.glob("part-*.parquet"))}


def _inputs(tmp_path: Path) -> list[str]:
    src = tmp_path / "in"
    src.mkdir()
    write_jsonl(src / "a.jsonl")
    write_parquet(src / "b.parquet")
    return [str(src)]


OPTS = FilesOptions(partition_rows=10, partition_bytes=1500, chunk_size=4)


def test_results_per_partition_and_equal_across_local_engines(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path)
    one = analyze_files(inputs, str(tmp_path / "one"), KeywordFactory(), OPTS, InlineEngine())
    two = analyze_files(inputs, str(tmp_path / "two"), KeywordFactory(), OPTS, LocalEngine(2))
    assert (one.documents, one.failed) == (42 + 23, 3)
    assert one.partitions == one.written > 4 and two.written == one.written
    out_one = _read_out(Path(one.output))
    assert out_one == _read_out(Path(two.output))
    assert Path(one.output).name == "model_version=keyword-1"
    rows = [r for rs in out_one.values() for r in rs]
    by_id = {r["id"]: r for r in rows}
    assert "fake model failure" in str(by_id["j007"]["error"])
    assert by_id["j008"]["error"] is None
    # Rows match what the analyser says for the same text.
    expected = KeywordAnalyser().analyze_many([str(_records(inputs, OPTS)[8][1])])[0]
    stored = row_to_stored(by_id["j008"])
    assert stored.spans == tuple(expected.spans)
    assert stored.paragraphs == tuple(expected.paragraphs)


def test_resume_skips_written_partitions(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path)
    out = str(tmp_path / "out")
    first = analyze_files(inputs, out, KeywordFactory(), OPTS, InlineEngine())
    before = _read_out(Path(first.output))
    victims = sorted(Path(first.output).glob("part-*.parquet"))[1:3]
    for v in victims:
        v.unlink()
    again = analyze_files(inputs, out, KeywordFactory(), OPTS, InlineEngine())
    assert (again.skipped, again.written) == (first.partitions - 2, 2)
    assert _read_out(Path(first.output)) == before
    other = analyze_files(inputs, out, KeywordFactory("keyword-2"), OPTS, InlineEngine())
    assert other.written == first.partitions and other.output.endswith("model_version=keyword-2")


def test_task_results_survive_the_wire_format() -> None:
    task = Task(("a", "b"), ("a shameful puppet regime", "nothing here"))
    result = run_task(KeywordAnalyser(), task)
    assert decode_task_result(encode_task_result(result)) == result


def test_missing_ray_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(ConfigError, match=r"spinscope\[ray\]"):
        require_ray()


def test_cli_analyze_files_local(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path)
    r = CliRunner().invoke(cli, ["analyze-files", *inputs, "-o", str(tmp_path / "o"),
                                 "--keyword-model", "--workers", "1", "--partition-rows", "10",
                                 "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert (out["documents"], out["failed"], out["engine"]) == (65, 3, "local")
    r = CliRunner().invoke(cli, ["analyze-files", *inputs, "-o", str(tmp_path / "o"),
                                 "--keyword-model", "--workers", "1", "--partition-rows", "10"])
    assert r.exit_code == 0 and "(4 already done)" in r.stdout
    r = CliRunner().invoke(cli, ["analyze-files", *inputs, "-o", str(tmp_path / "o"),
                                 "--keyword-model", "--address", "auto"])
    assert r.exit_code != 0 and "--address needs --engine ray" in r.output


def test_public_names_exist() -> None:
    import spinscope.scale

    for name in spinscope.scale.__all__:
        assert hasattr(spinscope.scale, name), name


def test_standin_pieces_cover_the_text() -> None:
    from spinscope.scale.standins import text_pieces

    text = ("word " * 700).strip()
    pieces = text_pieces(text, 600)
    assert all(len(p) <= 600 for p in pieces) and len(pieces) == 6
    assert " ".join(pieces).split() == text.split()
