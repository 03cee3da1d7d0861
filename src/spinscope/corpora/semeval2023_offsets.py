"""Offset repairs for SemEval-2023 Task 3 spans, and the subtask 3 template reader.

Two quirks of the bundle (see the corpus PROVENANCE):

* **LF vs CRLF**: the organisers' files had ``\\r\\n`` line ends and their offsets count it as
  two characters. Where a copy lost the ``\\r``, an offset ``o`` into the CRLF text maps onto
  the stored LF text as ``o`` minus the newlines before it (``crlf_to_stored``).
* **One character short**: many non-English spans stop one character before the end of
  their last word, right before a full stop (``repair_short_end``).
"""

from __future__ import annotations

import bisect
import csv
import re
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from spinscope.corpora._files import read_lines
from spinscope.corpora.base import ReadReport

__all__ = [
    "TemplateRow",
    "crlf_to_stored",
    "fit_score",
    "line_bounds",
    "read_offset_conventions",
    "read_st3_template",
    "repair_short_end",
]

EXPAND = "expand_LF_to_CRLF"
_ID_TAIL = re.compile(r"(\d+)$")


class TemplateRow(NamedTuple):
    """One row of a subtask 3 template: the paragraph's article, 1-based number and text."""

    article_id: str
    paragraph: int
    text: str


def line_bounds(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of every line (1-based line N is item N-1), without ``\\r\\n``/``\\n``."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        out.append((pos, end - 1 if line.endswith("\r") else end))
        pos = end + 1
    return out


def crlf_to_stored(offset: int, newlines: Sequence[int]) -> int:
    """Map an offset into the CRLF form of an LF text onto the LF text.

    ``newlines`` are the sorted positions of ``\\n`` in the stored text. Stored position
    ``p`` sits at ``p + (newlines before p)`` in the CRLF form; an offset landing on an
    inserted ``\\r`` maps to the ``\\n`` after it.
    """
    lo, hi = 0, offset
    while lo < hi:  # smallest p with p + newlines_before(p) >= offset
        mid = (lo + hi) // 2
        if mid + bisect.bisect_left(newlines, mid) >= offset:
            hi = mid
        else:
            lo = mid + 1
    return lo


def repair_short_end(text: str, end: int) -> int:
    """``end + 1`` when the span stops one character inside a word that ends before ``.``."""
    if end > 0 and end + 1 < len(text) and text[end - 1].isalnum() and text[end].isalnum() \
            and text[end + 1] == ".":
        return end + 1
    return end


def fit_score(text: str, spans: Sequence[tuple[int, int, str]],
              paragraphs: dict[int, tuple[int, int, frozenset[str]]]) -> int:
    """How well spans fit a text: starts on a word start, plus spans lying inside one
    paragraph whose gold labels include the span's technique. Used to detect the CRLF case."""
    score = 0
    for s, e, label in spans:
        if s < len(text) and text[s].isalnum() and (s == 0 or not text[s - 1].isalnum()):
            score += 1
        for ps, pe, labels in paragraphs.values():
            if ps <= s and e <= pe and label in labels:
                score += 1
                break
    return score


def read_offset_conventions(path: Path, report: ReadReport) -> dict[tuple[str, str, str], str]:
    """``derived/span_offset_convention.tsv`` as ``{(lang, split, article id): convention}``."""
    out: dict[tuple[str, str, str], str] = {}
    lines = [line for _, line in read_lines(path, report)]
    for row in csv.DictReader(lines, delimiter="\t"):
        try:
            out[(row["lang"], row["split"], row["article_id"])] = row["convention"]
        except KeyError:
            report.problem(str(path), None, "lacks lang/split/article_id/convention columns; "
                           "offsets will be checked by detection instead")
            return {}
    return out


def _split_joined(cols: list[str], known_ids: set[str] | None) -> list[list[str]] | None:
    """Split a row that swallowed the next rows (a missing newline after an article's last
    paragraph): ``id, n, text+id2, n2, text2...``. The next id is the digit tail of the text
    column; with ``known_ids`` the longest tail that is a known article id wins."""
    rows: list[list[str]] = []
    cur = cols[:2]
    rest = cols[2:]
    while len(rest) >= 3:
        m = _ID_TAIL.search(rest[0])
        if not m:
            return None
        tail = m.group(1)
        cut = len(tail)
        if known_ids is not None:
            cands = [k for k in range(len(tail), 0, -1) if tail[-k:] in known_ids]
            if not cands:
                return None
            cut = cands[0]
        rows.append([*cur, rest[0][:-cut]])
        cur = [rest[0][-cut:], rest[1]]
        rest = rest[2:]
    if len(rest) != 1:
        return None
    rows.append([*cur, rest[0]])
    return rows


def read_st3_template(path: Path, report: ReadReport | None = None,
                      articles_dir: Path | None = None) -> list[TemplateRow]:
    """Rows ``(article id, paragraph number, text)`` of a subtask 3 ``.template`` file.

    Some templates lack the newline after an article's last paragraph, so one line holds
    several rows; they are split again (repair ``template rows joined: split``), using the
    article ids of ``articles_dir`` (``article<ID>.txt``) when given. ``\\r`` is stripped.
    """
    path = Path(path)
    rep = report if report is not None else ReadReport()
    known = None
    if articles_dir is not None and articles_dir.is_dir():
        known = {p.stem[len("article"):] for p in articles_dir.glob("article*.txt")}
    out: list[TemplateRow] = []
    for n, line in read_lines(path, rep):
        if not line.strip():
            continue
        cols = line.split("\t")
        rows = [cols]
        if len(cols) > 3:
            joined = _split_joined(cols, known)
            if joined is None:
                rep.problem(str(path), n, f"{len(cols)} tab-separated columns (expected 3) "
                            "and not a recognisable run of joined rows; line skipped")
                continue
            rep.repaired("template rows joined on one line: split", len(joined) - 1)
            rows = joined
        elif len(cols) < 3:
            rep.problem(str(path), n, f"expected 3 tab-separated columns, got {len(cols)}; "
                        "line skipped")
            continue
        for art, num, text in rows:
            try:
                out.append(TemplateRow(art.strip(), int(num), text))
            except ValueError:
                rep.problem(str(path), n, f"paragraph number {num!r} is not an integer; "
                            "row skipped")
    return out
