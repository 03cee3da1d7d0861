"""Readers and writers of the official submission formats (the evaluation contract).

=====================  ==============================================  =====================
format                 line                                            reader / writer
=====================  ==============================================  =====================
``ptc-si``             ``id  start  end``                              ``read_spans`` /
``ptc-tc``             ``id  technique  start  end`` (PTC names)       ``write_spans``
``semeval2023-spans``  ``id  technique  start  end`` (SemEval-2023)
``semeval2023-st3``    ``id  paragraph  label,label``                  ``read_paragraph_labels``
``semeval2023-st2``    ``id  frame,frame``                             ``read_article_labels``
``semeval2023-st1``    ``id  genre``
=====================  ==============================================  =====================

Readers take a combined file or a folder of per-article files, accept CRLF line ends and a
byte-order mark, and collect malformed lines as ``FormatIssue`` (file, line, message) instead
of stopping; they raise ``FormatError`` only when nothing usable is left.
"""

from spinscope.formats.base import FormatIssue
from spinscope.formats.labels import (
    FRAMES,
    ArticleLabels,
    ParagraphLabels,
    read_article_labels,
    read_paragraph_labels,
    write_article_labels,
    write_paragraph_labels,
)
from spinscope.formats.spans import (
    SPAN_FORMATS,
    SpanFile,
    read_spans,
    technique_names,
    write_spans,
)

__all__ = [
    "FRAMES",
    "SPAN_FORMATS",
    "ArticleLabels",
    "FormatIssue",
    "ParagraphLabels",
    "SpanFile",
    "read_article_labels",
    "read_paragraph_labels",
    "read_spans",
    "technique_names",
    "write_article_labels",
    "write_paragraph_labels",
    "write_spans",
]
