"""A deterministic fake analyser for tests, benchmarks and offline dry runs.

``KeywordAnalyser`` marks every case-insensitive occurrence of a lexicon phrase (matched at
word starts) as a span of the phrase's technique. It is not a persuasion detector; it exists so
that batch runs, comparisons and reports can be tested without the neural model, and so that a
benchmark can measure pipeline overhead without model cost.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from spinscope.analyze.analyser import ModelInfo, paragraph_results
from spinscope.core.analysis import Analysis
from spinscope.core.span import Span
from spinscope.errors import ModelError

__all__ = ["DEFAULT_LEXICON", "FAIL_MARKER", "KeywordAnalyser", "KeywordFactory"]

FAIL_MARKER = "\u2063FAIL\u2063"  # texts containing this raise (to test failure handling)

DEFAULT_LEXICON: Mapping[str, str] = {
    "regime": "Name_Calling-Labeling",
    "puppet": "Name_Calling-Labeling",
    "traitor": "Name_Calling-Labeling",
    "so-called": "Doubt",
    "staged": "Doubt",
    "catastroph": "Loaded_Language",
    "shameful": "Loaded_Language",
    "monstrous": "Loaded_Language",
    "what about": "Whataboutism",
    "everyone knows": "Appeal_to_Popularity",
    "режим": "Name_Calling-Labeling",
    "марионет": "Name_Calling-Labeling",
    "так называем": "Doubt",
    "постановк": "Doubt",
    "чудовищн": "Loaded_Language",
    "катастроф": "Loaded_Language",
    "так зван": "Doubt",
    "окупант": "Name_Calling-Labeling",
    "жахлив": "Loaded_Language",
    "ганебн": "Loaded_Language",
}


class KeywordAnalyser:
    """Spans where lexicon phrases occur; ``delay`` seconds of fake model cost per text."""

    def __init__(self, lexicon: Mapping[str, str] | None = None, version: str = "keyword-1",
                 delay: float = 0.0):
        self.lexicon = dict(DEFAULT_LEXICON if lexicon is None else lexicon)
        self.delay = delay
        self._info = ModelInfo("keyword-fake", version, tuple(sorted(set(self.lexicon.values()))))
        alternatives = sorted(self.lexicon, key=len, reverse=True)
        self._pattern = re.compile(
            r"(?<!\w)(" + "|".join(re.escape(p) for p in alternatives) + r")\w*",
            re.IGNORECASE) if alternatives else None
        self._labels = {k.casefold(): v for k, v in self.lexicon.items()}

    @property
    def info(self) -> ModelInfo:
        return self._info

    def spans(self, text: str) -> list[Span]:
        if self._pattern is None:
            return []
        return [Span(m.start(), m.end(), self._labels[m.group(1).casefold()], 0.9,
                     self._info.version) for m in self._pattern.finditer(text)]

    def analyze_many(self, texts: Sequence[str]) -> list[Analysis]:
        out = []
        for text in texts:
            if FAIL_MARKER in text:
                raise ModelError("fake model failure (the text contains FAIL_MARKER)")
            if self.delay:
                time.sleep(self.delay)
            spans = self.spans(text)
            out.append(Analysis(text, tuple(spans), paragraph_results(text, spans),
                                self._info.model, self._info.version))
        return out


@dataclass(frozen=True)
class KeywordFactory:
    """Picklable factory for ``KeywordAnalyser`` (works with process pools)."""

    version: str = "keyword-1"
    lexicon: Mapping[str, str] | None = field(default=None)
    delay: float = 0.0

    def info(self) -> ModelInfo:
        return KeywordAnalyser(self.lexicon, self.version).info

    def __call__(self) -> KeywordAnalyser:
        return KeywordAnalyser(self.lexicon, self.version, self.delay)
