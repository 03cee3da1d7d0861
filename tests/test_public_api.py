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


def test_cli_start_up_does_not_import_heavy_libraries() -> None:
    """Every `spinscope` call imports the CLI; model libraries load only when a command runs."""
    import subprocess
    import sys

    code = ("import sys, spinscope.cli.main; "
            "print(','.join(m for m in ('torch', 'sklearn', 'fastapi', 'ray', 'transformers') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == ""


def test_lazy_baseline_exports_resolve() -> None:
    import spinscope.baselines as baselines

    for name in baselines.__all__:
        assert getattr(baselines, name) is not None
