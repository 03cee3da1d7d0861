"""Decoding without alteration, dates, language, HTML extraction cascade."""

from __future__ import annotations

import codecs

import pytest

from spinscope.errors import IngestError
from spinscope.extract.dates import normalise_date
from spinscope.extract.html import decode_html, extract_html
from spinscope.extract.lang import LanguageDetector
from spinscope.extract.text import decode_text


def test_decode_keeps_bom_and_crlf() -> None:
    text, enc = decode_text("\ufeffa\r\nb".encode())
    assert (text, enc) == ("\ufeffa\r\nb", "utf-8")
    utf16 = codecs.BOM_UTF16_LE + "при\r\n".encode("utf-16-le")
    text, enc = decode_text(utf16)
    assert text == "\ufeffпри\r\n" and enc == "utf-16-le"


@pytest.mark.parametrize("data,kind", [
    (b"%PDF-1.7 ...", "PDF"), (b"PK\x03\x04rest", "ZIP"), (b"\x89PNG\r\n", "PNG"),
    (b"text\x00with nul", "NUL"), (b"\x01\x02\x03\x04\x05" * 50, "control characters"),
])
def test_binary_content_is_refused_with_its_kind(data: bytes, kind: str) -> None:
    with pytest.raises(IngestError, match=kind):
        decode_text(data, source="f.txt")


def test_other_encodings_only_when_named() -> None:
    data = "Привет, мир. Это текст в кодировке Windows-1251.".encode("cp1251")
    with pytest.raises(IngestError, match=r"not valid utf-8.*--encoding"):
        decode_text(data)
    assert decode_text(data, "cp1251")[0].startswith("Привет")
    with pytest.raises(IngestError, match="unknown encoding"):
        decode_text(b"x", "no-such-codec")


@pytest.mark.parametrize("value,expected", [
    ("2031-03-05", "2031-03-05"),
    ("2031-03-05T10:00:00Z", "2031-03-05T10:00:00+00:00"),
    ("2031-03-05T12:00:00+02:00", "2031-03-05T10:00:00+00:00"),
    ("Tue, 04 Mar 2031 09:00:00 GMT", "2031-03-04T09:00:00+00:00"),
    ("20310305101500", "2031-03-05T10:15:00+00:00"),
    ("20310305", "2031-03-05"),
    ("2031-03-01 08:00:00", "2031-03-01T08:00:00"),
    ("not a date", None), ("", None), (None, None), ("1700-01-01", None),
])
def test_normalise_date(value: object, expected: str | None) -> None:
    assert normalise_date(value) == expected


def test_language_detection() -> None:
    det = LanguageDetector(["en", "ru", "uk"])
    assert det.detect("The council voted to repair the old pier after a long debate.")[0] == "en"
    assert det.detect("Совет проголосовал за ремонт старого причала после споров.")[0] == "ru"
    assert det.detect("Рада проголосувала за ремонт старого причалу після суперечок.")[0] == "uk"
    assert det.detect("ok")[0] is None


def test_html_charset_and_fallback_cascade() -> None:
    html = ("<html><head><meta charset='windows-1251'><title>Т</title></head><body>"
            "<p>Короткий текст.</p></body></html>").encode("cp1251")
    assert "Короткий текст." in decode_html(html)
    # Too little for trafilatura: the cleaned body text is used, scripts never kept.
    short = extract_html("<html><body><script>alert(1)</script><div>Short note.</div>"
                         "</body></html>")
    assert "Short note." in short.text and "alert" not in short.text
    with pytest.raises(IngestError, match="no article text"):
        extract_html("<html><body><script>x()</script></body></html>")
