"""spinscope: find persuasion techniques in news, measured the same way for every side."""

import importlib
from typing import Any

from spinscope.core import Analysis, Document, Span, Taxonomy, Technique, load_taxonomy
from spinscope.errors import SpinscopeError

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # Lazy, so that `import spinscope` loads no model runtime. `spinscope.analyze` is the
    # (callable) analysis package: spinscope.analyze(text) -> Analysis.
    if name in ("analyze", "analyze_many"):
        module = importlib.import_module("spinscope.analyze")
        return module if name == "analyze" else module.analyze_many
    raise AttributeError(f"module 'spinscope' has no attribute {name!r}")


__all__ = [
    "Analysis",
    "Document",
    "Span",
    "SpinscopeError",
    "Taxonomy",
    "Technique",
    "__version__",
    "analyze",
    "analyze_many",
    "load_taxonomy",
]
