"""The public API is what ``__all__`` re-exports, and each name really exists."""

from __future__ import annotations

import spinscope
import spinscope.core
import spinscope.errors


def test_all_names_exist() -> None:
    for module in (spinscope, spinscope.core, spinscope.errors):
        for name in module.__all__:
            assert hasattr(module, name), f"{module.__name__}.{name}"


def test_every_error_derives_from_the_root() -> None:
    for name in spinscope.errors.__all__:
        assert issubclass(getattr(spinscope.errors, name), spinscope.errors.SpinscopeError)
