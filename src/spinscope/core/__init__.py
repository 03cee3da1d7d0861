"""Core value types shared by every pipeline stage."""

from spinscope.core.analysis import Analysis, ParagraphResult
from spinscope.core.document import Document, content_hash
from spinscope.core.span import Span
from spinscope.core.taxonomy import Group, Taxonomy, Technique, load_taxonomy

__all__ = [
    "Analysis",
    "Document",
    "Group",
    "ParagraphResult",
    "Span",
    "Taxonomy",
    "Technique",
    "content_hash",
    "load_taxonomy",
]
