"""A run continued from a shipped bundle (`train --init-from-bundle`) keeps its lineage:
the starting bundle's version, steps and commands reach the manifest and the model card."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spinscope.errors import ModelError
from spinscope.models.card import render_model_card
from spinscope.models.export import _lineage
from spinscope.models.runtime import load_bundle


def test_lineage_of_the_starting_bundle(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text(json.dumps({
        "version": "spinscope-me5s-semeval2023-v1-s1229",
        "training": {"steps": 1229, "commands": ["spinscope train A", "spinscope train B"]}}))
    lineage = _lineage(tmp_path)
    assert lineage == {"version": "spinscope-me5s-semeval2023-v1-s1229", "steps": 1229,
                       "commands": ["spinscope train A", "spinscope train B"]}
    manifest = dict(load_bundle(None).manifest)  # the packaged bundle's
    manifest["training"] = {**manifest["training"], "steps": 700, "total_steps": 700,
                            "continued_from": lineage,
                            "commands": [*lineage["commands"],
                                         "spinscope train --init-from-bundle X"]}
    card = render_model_card(manifest)
    assert "continued the training of `spinscope-me5s-semeval2023-v1-s1229` (1229 steps" in card
    assert "spinscope train --init-from-bundle X" in card and "spinscope train A" in card


def test_missing_starting_bundle_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="gone or is neither a bundle nor a run folder"):
        _lineage(tmp_path / "nowhere")
