"""The web package's public names exist, and every setting and serve option is documented."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="needs the [web] extra")

import spinscope.web
from spinscope.cli.serve import serve
from spinscope.web.config import WebSettings

DOC = Path(__file__).parents[2] / "docs" / "web.md"


def test_all_names_exist() -> None:
    for name in spinscope.web.__all__:
        assert hasattr(spinscope.web, name), name


INTERNAL = {"result_cache", "page_size"}  # tuning knobs, not for operators


def test_every_setting_is_documented() -> None:
    text = DOC.read_text("utf-8")
    for f in fields(WebSettings):
        if f.name not in INTERNAL:
            assert f"SPINSCOPE_{f.name.upper()}" in text, f"{f.name} missing from docs/web.md"


def test_every_serve_option_is_documented() -> None:
    text = DOC.read_text("utf-8")
    for param in serve.params:
        for opt in getattr(param, "opts", []):
            if opt.startswith("--") and opt != "--help":
                assert opt in text, f"spinscope serve {opt} missing from docs/web.md"
