"""Readers for the research corpora (PTC, SemEval-2021 task 6, SemEval-2023 task 3, UNLP-2025).

Every reader returns a ``CorpusSplit`` (gold documents in the corpus's own label set plus a
``ReadReport`` of repairs and problems). See each module's docstring for its quirks.
"""

from spinscope.corpora.base import CorpusSplit, GoldDocument, GoldParagraph, Problem, ReadReport
from spinscope.corpora.ptc import read_ptc, read_ptc_si, read_ptc_template
from spinscope.corpora.semeval2021 import read_semeval2021
from spinscope.corpora.unlp2025 import is_heldout, read_unlp2025

__all__ = [
    "CorpusSplit",
    "GoldDocument",
    "GoldParagraph",
    "Problem",
    "ReadReport",
    "is_heldout",
    "read_ptc",
    "read_ptc_si",
    "read_ptc_template",
    "read_semeval2021",
    "read_unlp2025",
]
