"""Readers for the research corpora (PTC, SemEval-2021 task 6, SemEval-2023 task 3, UNLP-2025).

Every reader returns a ``CorpusSplit`` (gold documents in the corpus's own label set plus a
``ReadReport`` of repairs and problems). See each module's docstring for its quirks.
SemEval-2023 task 3 is for evaluation only: never train on it.
"""

from spinscope.corpora.base import CorpusSplit, GoldDocument, GoldParagraph, Problem, ReadReport
from spinscope.corpora.detect import CORPUS_KINDS, CorpusKind, open_corpus
from spinscope.corpora.ptc import read_ptc, read_ptc_si, read_ptc_template
from spinscope.corpora.semeval2021 import read_semeval2021
from spinscope.corpora.semeval2023 import read_semeval2023
from spinscope.corpora.semeval2023_offsets import TemplateRow, read_st3_template
from spinscope.corpora.unlp2025 import is_heldout, read_unlp2025

__all__ = [
    "CORPUS_KINDS",
    "CorpusKind",
    "CorpusSplit",
    "GoldDocument",
    "GoldParagraph",
    "Problem",
    "ReadReport",
    "TemplateRow",
    "is_heldout",
    "open_corpus",
    "read_ptc",
    "read_ptc_si",
    "read_ptc_template",
    "read_semeval2021",
    "read_semeval2023",
    "read_st3_template",
    "read_unlp2025",
]
