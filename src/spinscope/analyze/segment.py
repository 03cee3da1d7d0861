"""Paragraphs, sentences and a script-based language guess, with offsets into the text.

Sentences: razdel for Russian and Ukrainian, pysbd for English (and other Latin-script
text). Both are run paragraph by paragraph, and paragraphs longer than ``MAX_SEGMENT_CHARS``
fall back to a punctuation rule, so time and memory stay bounded on huge inputs.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

log = logging.getLogger(__name__)

MAX_SEGMENT_CHARS = 20_000
_PARA = re.compile(r"[^\r\n]*\S[^\r\n]*")
_RULE_SENT = re.compile(r"[^.!?…]*(?:[.!?…]+[\"'»”)\]]*|$)")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_ASCII_LETTER = re.compile("[A-Za-z]")
_UK_ONLY = re.compile("[іїєґІЇЄҐ]")
_RU_ONLY = re.compile("[ыэъёЫЭЪЁ]")


@dataclass(frozen=True, slots=True)
class Segment:
    """``[start, end)`` of a paragraph or sentence in the stored text."""

    start: int
    end: int


def guess_lang(text: str, sample: int = 5000) -> str:
    """``uk``, ``ru`` or ``en`` from the letters of the first ``sample`` characters.

    Cyrillic text with Ukrainian-only letters (і ї є ґ) is ``uk``, with Russian-only
    letters (ы э ъ ё) ``ru``; the more frequent wins. Everything else is ``en``: the
    guess only picks a sentence splitter, it is not language identification.
    """
    head = text[:sample]
    if len(_CYRILLIC.findall(head)) <= len(_ASCII_LETTER.findall(head)):
        return "en"
    return "uk" if len(_UK_ONLY.findall(head)) > len(_RU_ONLY.findall(head)) else "ru"


def paragraphs(text: str) -> list[Segment]:
    """Non-blank lines, trimmed of surrounding whitespace (SemEval-2023 paragraph = line)."""
    out = []
    for m in _PARA.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        out.append(Segment(s, e))
    return out


def _rule_sentences(text: str, base: int) -> list[Segment]:
    out = []
    for m in _RULE_SENT.finditer(text):
        if m.group().strip():
            s, e = m.start(), m.end()
            while s < e and text[s].isspace():
                s += 1
            out.append(Segment(base + s, base + e))
    return out


def _razdel(text: str, base: int) -> list[Segment]:
    from razdel import sentenize

    return [Segment(base + s.start, base + s.stop) for s in sentenize(text)]


_PYSBD: dict[str, object] = {}


def _pysbd(text: str, base: int) -> list[Segment]:
    import pysbd

    seg = _PYSBD.get("en")
    if seg is None:
        seg = _PYSBD["en"] = pysbd.Segmenter(language="en", clean=False, char_span=True)
    out = []
    for s in seg.segment(text):  # type: ignore[attr-defined]
        start, end = int(s.start), int(s.end)
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append(Segment(base + start, base + end))
    return out


def sentences(text: str, lang: str | None = None) -> list[Segment]:
    """Sentences of ``text`` (never crossing a line break)."""
    lang = lang or guess_lang(text)
    out: list[Segment] = []
    for p in paragraphs(text):
        chunk = text[p.start:p.end]
        try:
            if len(chunk) > MAX_SEGMENT_CHARS:
                out.extend(_rule_sentences(chunk, p.start))
            elif lang in ("ru", "uk"):
                out.extend(_razdel(chunk, p.start))
            else:
                out.extend(_pysbd(chunk, p.start))
        except Exception as e:  # a splitter bug must not lose the paragraph
            log.warning("sentence splitter failed on a paragraph (%s); using the rule", e)
            out.extend(_rule_sentences(chunk, p.start))
    return out
