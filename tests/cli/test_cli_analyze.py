"""``spinscope analyze`` on the fake bundle: text, file, stdin, --json, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from spinscope.cli.main import cli

pytest.importorskip("onnx")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from spinscope.models.fake import write_fake_bundle

    return write_fake_bundle(tmp_path_factory.mktemp("fake") / "bundle")


def test_text_with_markers_and_list(bundle: Path) -> None:
    r = CliRunner().invoke(cli, ["analyze", "--model", str(bundle), "They are corrupt."])
    assert r.exit_code == 0, r.output
    assert "[[corrupt]]{1}" in r.output
    assert "Loaded_Language  (Manipulative wording" in r.output


def test_json_file_and_stdin(bundle: Path, tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("traitors everywhere.\n", "utf-8")
    r = CliRunner().invoke(cli, ["analyze", "--model", str(bundle), "--json", str(f)])
    data = json.loads(r.output)
    assert data["source"] == str(f)
    assert data["spans"][0]["technique"] == "Name_Calling-Labeling"
    assert data["spans"][0]["text"] == "traitors"
    r = CliRunner().invoke(cli, ["analyze", "--model", str(bundle), "-"], input="calm words")
    assert "No persuasion techniques found." in r.output


def test_bad_input_is_a_clear_error(bundle: Path, tmp_path: Path) -> None:
    from spinscope.errors import PipelineError

    binary = tmp_path / "b.bin"
    binary.write_bytes(b"\x00\x01\x02abc")
    r = CliRunner().invoke(cli, ["analyze", "--model", str(bundle), str(binary)])
    assert isinstance(r.exception, PipelineError) and "binary" in str(r.exception)
    latin1 = tmp_path / "l.txt"
    latin1.write_bytes("caf\xe9".encode("latin-1"))
    r = CliRunner().invoke(cli, ["analyze", "--model", str(bundle), str(latin1)])
    assert isinstance(r.exception, PipelineError) and "UTF-8" in str(r.exception)
    r = CliRunner().invoke(cli, ["analyze", "--model", str(bundle), "   "])
    assert isinstance(r.exception, PipelineError) and "empty" in str(r.exception)
