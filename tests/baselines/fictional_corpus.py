"""A tiny fictional PTC-like corpus for the baseline tests (all text written for the tests)."""

from __future__ import annotations

from spinscope.core.document import Document
from spinscope.core.span import Span, merge_overlapping
from spinscope.corpora.base import CorpusSplit, GoldDocument

# (sentence, [(phrase, PTC label), ...]) - every phrase occurs in its sentence.
SENTENCES: list[tuple[str, list[tuple[str, str]]]] = [
    ("The mayor opened a new library on Monday.", []),
    ("These corrupt traitors will destroy our town.",
     [("corrupt traitors", "Name_Calling,Labeling"), ("destroy", "Loaded_Language")]),
    ("Officials said the bridge will reopen next week.", []),
    ("Is the council really telling the truth?", [("Is the council really telling the truth?",
                                                   "Doubt")]),
    ("Stand with the flag, stand with the nation!", [("Stand with the flag", "Flag-Waving")]),
    ("Rain is expected in the afternoon.", []),
    ("A shameful, disgusting betrayal of every voter.", [("shameful, disgusting betrayal",
                                                          "Loaded_Language")]),
    ("The school board met for two hours.", []),
]


def fictional_article(seed: int) -> tuple[str, list[Span]]:
    """An article of rotated sentences, with a BOM on every third one and CRLF on every fifth."""
    order = SENTENCES[seed % len(SENTENCES):] + SENTENCES[: seed % len(SENTENCES)]
    newline = "\r\n" if seed % 5 == 0 else "\n"
    text = "\ufeff" if seed % 3 == 0 else ""
    text += f"Fictional headline {seed}{newline}{newline}"
    spans: list[Span] = []
    for sentence, phrases in order:
        base = len(text)
        for phrase, label in phrases:
            start = base + sentence.index(phrase)
            spans.append(Span(start, start + len(phrase), label))
        text += sentence + newline
    return text, spans


def fictional_split(n: int = 20, si: bool = False) -> CorpusSplit:
    docs = []
    for i in range(n):
        text, spans = fictional_article(i)
        if si:
            spans = merge_overlapping([s.with_label(None) for s in spans])
        docs.append(GoldDocument(Document(str(1000 + i), text, "en"), tuple(spans)))
    return CorpusSplit("ptc", "train", "en", "ptc-si" if si else "ptc", docs)
