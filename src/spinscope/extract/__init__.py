"""Extraction: text exactly decoded, HTML main text and metadata, dates, language."""

from spinscope.extract.dates import normalise_date
from spinscope.extract.html import Extracted, decode_html, extract_html
from spinscope.extract.lang import LanguageDetector, detect_language
from spinscope.extract.text import decode_text

__all__ = [
    "Extracted",
    "LanguageDetector",
    "decode_html",
    "decode_text",
    "detect_language",
    "extract_html",
    "normalise_date",
]
