"""``spinscope serve``: options reach the app; a real server answers on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

pytest.importorskip("fastapi", reason="spinscope serve needs the [web] extra")
pytest.importorskip("uvicorn", reason="spinscope serve needs the [web] extra")

from fastapi.testclient import TestClient

from spinscope.cli.serve import serve


def run_serve(monkeypatch: pytest.MonkeyPatch, args: list[str],
              env: dict[str, str] | None = None) -> tuple[Any, dict[str, Any], str]:
    captured: dict[str, Any] = {}

    def fake_run(app: Any, **kwargs: Any) -> None:
        captured["app"] = app
        captured.update(kwargs)

    monkeypatch.setattr("uvicorn.run", fake_run)
    for k in ("SPINSCOPE_API_TOKEN", "SPINSCOPE_READ_ONLY", "SPINSCOPE_STORE"):
        monkeypatch.delenv(k, raising=False)
    result = CliRunner().invoke(serve, ["--no-preload", *args], env=env or {},
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return captured.pop("app"), captured, result.output


def test_serve_options_reach_the_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_text("a-long-enough-secret-token\n")
    app, kwargs, output = run_serve(monkeypatch, [
        "--port", "8123", "--store", str(tmp_path / "s.sqlite"), "--api-token-file", str(token),
        "--rate-limit", "0", "--no-url-analysis"])
    assert kwargs["host"] == "127.0.0.1" and kwargs["port"] == 8123
    ctx = app.state.ctx
    assert ctx.web.api_token == "a-long-enough-secret-token" and ctx.web.rate_limit == 0
    assert ctx.web.analyse_urls is False and ctx.settings.store == str(tmp_path / "s.sqlite")
    assert "http://127.0.0.1:8123/" in output and "writes with API token" in output
    health = TestClient(app).get("/api/v1/health").json()
    assert health["writes_enabled"] is True and health["store"] is False


def test_serve_read_only_from_flag_and_env(monkeypatch: pytest.MonkeyPatch,
                                           tmp_path: Path) -> None:
    app, _, output = run_serve(monkeypatch, ["--read-only", "--store", str(tmp_path / "x")])
    assert app.state.ctx.web.read_only and "read-only" in output
    app, _, output = run_serve(monkeypatch, ["--store", str(tmp_path / "x")],
                               env={"SPINSCOPE_READ_ONLY": "1"})
    assert app.state.ctx.web.read_only


def test_public_host_with_writes_warns(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _, kwargs, output = run_serve(monkeypatch, ["--host", "0.0.0.0", "--store", str(tmp_path)],
                                  env={"SPINSCOPE_API_TOKEN": "x" * 20})
    assert kwargs["host"] == "0.0.0.0" and "warning: listening on 0.0.0.0" in output


def test_short_token_file_is_refused(tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_text("short")
    result = CliRunner().invoke(serve, ["--no-preload", "--api-token-file", str(token)])
    assert result.exit_code != 0
    assert "shorter than 16 characters" in str(result.exception)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.network
@pytest.mark.slow
def test_real_server_answers(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "SPINSCOPE_STORE": str(tmp_path / "corpus.sqlite")}
    code = "from spinscope.cli.serve import serve; serve()"
    proc = subprocess.Popen([sys.executable, "-c", code, "--port", str(port), "--no-preload",
                             "--read-only"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        body = b""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health",
                                            timeout=2) as r:
                    body = r.read()
                    headers = r.headers
                break
            except OSError:
                time.sleep(0.2)
        assert b'"read_only":true' in body, proc.stderr.read1(4096) if proc.stderr else ""
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers.get("server") is None
    finally:
        proc.terminate()
        proc.wait(timeout=10)
