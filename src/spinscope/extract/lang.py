"""Language identification with lingua (models ship with the package; works offline)."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from spinscope.errors import ConfigError

__all__ = ["LanguageDetector", "detect_language", "get_detector"]

log = logging.getLogger(__name__)

# Detection reads this much of the text: ~100 words, plenty in trigram mode, and the time is
# linear in it (1,200 characters cost twice as much for the same answers on news text).
SAMPLE_CHARS = 600
MIN_LETTERS = 20  # fewer letters than this: no language claimed
MIN_CONFIDENCE = 0.5
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


class LanguageDetector:
    """Chooses among ``languages`` (ISO 639-1 codes). The model loads on first use.

    Uses lingua's low-accuracy (trigram) mode: about 45 MB instead of ~1 GB for all models,
    and as good on article-length text; very short texts get ``None`` rather than a guess.
    """

    def __init__(self, languages: Sequence[str]):
        self.codes = tuple(dict.fromkeys(c.strip().lower() for c in languages if c.strip()))
        if len(self.codes) < 2:
            raise ConfigError("language detection needs at least two candidate languages "
                              "(setting 'languages')")
        self._detector: Any = None
        self._lock = threading.Lock()

    def _build(self) -> Any:
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

        langs = []
        for code in self.codes:
            try:
                langs.append(Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())))
            except (AttributeError, ValueError) as e:
                raise ConfigError(f"unknown language code {code!r} in setting 'languages'; "
                                  "use ISO 639-1 codes such as en, ru, uk") from e
        return LanguageDetectorBuilder.from_languages(*langs).with_low_accuracy_mode().build()

    def detect(self, text: str) -> tuple[str | None, float]:
        """``(iso code, confidence)``, or ``(None, 0.0)`` when too short or too unsure."""
        # From a fifth into long texts: past titles, datelines and bylines.
        start = len(text) // 5 if len(text) > 3 * SAMPLE_CHARS else 0
        sample = text[start:start + SAMPLE_CHARS]
        if len(_LETTER.findall(sample)) < MIN_LETTERS:
            return None, 0.0
        with self._lock:
            if self._detector is None:
                self._detector = self._build()
            values = self._detector.compute_language_confidence_values(sample)
        if not values:
            return None, 0.0
        top = values[0]
        if top.value < MIN_CONFIDENCE:
            return None, float(top.value)
        return top.language.iso_code_639_1.name.lower(), float(top.value)


@lru_cache(maxsize=4)
def get_detector(languages: tuple[str, ...]) -> LanguageDetector:
    """A shared detector per language set (the model is loaded once per process)."""
    return LanguageDetector(languages)


def detect_language(text: str, languages: Sequence[str] | None = None) -> str | None:
    """The ISO 639-1 code of ``text``'s language, or ``None``."""
    from spinscope.settings import DEFAULT_LANGUAGES

    return get_detector(tuple(languages or DEFAULT_LANGUAGES)).detect(text)[0]
