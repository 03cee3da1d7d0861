"""spinscope: find persuasion techniques in news, measured the same way for every side."""

from spinscope.core import Analysis, Document, Span, Taxonomy, Technique, load_taxonomy
from spinscope.errors import SpinscopeError

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "Document",
    "Span",
    "SpinscopeError",
    "Taxonomy",
    "Technique",
    "__version__",
    "load_taxonomy",
]
