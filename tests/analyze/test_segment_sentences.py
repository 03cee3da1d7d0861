"""Language guess, paragraphs and sentences with offsets into the text."""

from __future__ import annotations

from spinscope.analyze.segment import MAX_SEGMENT_CHARS, guess_lang, paragraphs, sentences


def test_guess_lang_by_script() -> None:
    assert guess_lang("The cat sat on the mat.") == "en"
    assert guess_lang("Це їхня країна, і вона є вільною.") == "uk"
    assert guess_lang("Это их страна, и она свободна. Мы объявили.") == "ru"
    assert guess_lang("") == "en"


def test_paragraphs_are_trimmed_non_blank_lines() -> None:
    text = "  First line.  \r\n\r\nSecond\n   \nThird"
    got = [text[p.start:p.end] for p in paragraphs(text)]
    assert got == ["First line.", "Second", "Third"]


def test_sentences_per_language() -> None:
    en = "Mr. Smith went home. He was tired!\nNew paragraph here."
    got = [en[s.start:s.end] for s in sentences(en, "en")]
    assert got == ["Mr. Smith went home.", "He was tired!", "New paragraph here."]
    uk = "Він прийшов додому. Вона спала.\r\nДругий абзац."
    got = [uk[s.start:s.end] for s in sentences(uk, "uk")]
    assert got == ["Він прийшов додому.", "Вона спала.", "Другий абзац."]


def test_huge_paragraph_uses_the_bounded_rule() -> None:
    text = "word " * (MAX_SEGMENT_CHARS // 4) + "end. Next one"
    sents = sentences(text, "en")
    assert sents[-1].end == len(text)
    assert all(0 <= s.start < s.end <= len(text) for s in sents)
