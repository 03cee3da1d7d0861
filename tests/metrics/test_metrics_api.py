"""The metric, format and evaluation modules re-export exactly what they name in __all__."""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize("name", ["spinscope.metrics", "spinscope.formats",
                                  "spinscope.evaluation", "spinscope.metrics.spans",
                                  "spinscope.metrics.classification", "spinscope.metrics.unlp"])
def test_all_names_exist(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__doc__ and module.__all__
    for attr in module.__all__:
        assert hasattr(module, attr), f"{name}.{attr}"
