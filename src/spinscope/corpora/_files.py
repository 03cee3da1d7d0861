"""File helpers shared by the corpus readers: tolerant decoding and span checks.

Every helper records what it could not read in the ``ReadReport`` (file and line) and
returns what it could, so that one bad file or line never stops a whole corpus.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Iterator
from pathlib import Path

from spinscope.core.span import Span
from spinscope.corpora.base import ReadReport

log = logging.getLogger("spinscope.corpora")


def _bad_line(data: bytes, err: UnicodeDecodeError) -> int:
    return data.count(b"\n", 0, err.start) + 1


def read_text(path: Path, report: ReadReport) -> str | None:
    """The file decoded as strict UTF-8 with ``newline=""`` semantics (BOM and CR kept).

    Returns ``None`` (and records a problem naming the line) when the file is not UTF-8
    or cannot be read: offsets into a mis-decoded text would be meaningless.
    """
    try:
        data = path.read_bytes()
    except OSError as e:
        report.problem(str(path), None, f"cannot read file ({e.strerror}); skipped")
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        report.problem(
            str(path), _bad_line(data, e),
            f"not valid UTF-8 (byte 0x{data[e.start]:02x} at byte {e.start}); file skipped, "
            "re-save it as UTF-8",
        )
        return None


def read_lines(path: Path, report: ReadReport) -> Iterator[tuple[int, str]]:
    """Yield ``(line number, line)`` of a text file, line ends (``\\n``, ``\\r\\n``) stripped.

    A line that is not UTF-8 is reported and skipped; the other lines are still yielded.
    A missing file is reported once and yields nothing.
    """
    try:
        data = path.read_bytes()
    except OSError as e:
        report.problem(str(path), None, f"cannot read file ({e.strerror}); no labels read")
        return
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for n, raw in enumerate(data.split(b"\n"), start=1):
        raw = raw.rstrip(b"\r")
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            report.problem(str(path), n, f"not valid UTF-8 (byte 0x{raw[e.start]:02x}); "
                           "line skipped, re-save the file as UTF-8")
            continue
        yield n, line


def read_rows(path: Path, report: ReadReport, ncols: int) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line number, columns)`` of the non-blank rows of a tab-separated file.

    A row with another number of columns than ``ncols`` is reported and skipped.
    """
    for n, line in read_lines(path, report):
        if not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) != ncols:
            report.problem(str(path), n, f"expected {ncols} tab-separated columns, got "
                           f"{len(cols)}; line skipped")
            continue
        yield n, cols


def parse_offsets(start: str, end: str, path: Path, line: int,
                  report: ReadReport) -> tuple[int, int] | None:
    """Two integer offsets with ``0 <= start <= end``, or ``None`` after reporting why not."""
    try:
        s, e = int(start), int(end)
    except ValueError:
        report.problem(str(path), line, f"offsets {start!r}, {end!r} are not integers; "
                       "line skipped")
        return None
    if s < 0 or e < s:
        report.problem(str(path), line, f"bad offsets [{s}, {e}) (negative or reversed); "
                       "line skipped")
        return None
    return s, e


def fit_span(start: int, end: int, label: str | None, text_len: int, path: Path | str,
             line: int | None, report: ReadReport, *, known_quirk: bool = False) -> Span | None:
    """A span clipped to the text, or ``None`` when nothing of it is left.

    A span that runs past the end is clipped (repair ``span end past text: clipped``); one
    that becomes empty is dropped (``span past text: dropped``). Unless ``known_quirk`` (a
    documented defect of the corpus), each case is also recorded as a problem.
    """
    if end <= text_len:
        if start == end:
            report.problem(str(path), line, f"empty span [{start}, {end}); dropped")
            return None
        return Span(start, end, label)
    where = f"span [{start}, {end}) runs past the end of the text ({text_len} characters)"
    if start >= text_len:
        report.repaired("span past end of text: dropped")
        if not known_quirk:
            report.problem(str(path), line, where + "; dropped")
        return None
    report.repaired("span end past end of text: clipped")
    if not known_quirk:
        report.problem(str(path), line, where + f"; clipped to {text_len}")
    return Span(start, text_len, label)


def check_label(label: str, known: frozenset[str], path: Path | str, line: int | None,
                report: ReadReport) -> str | None:
    """``label`` itself when known; else its one close spelling (a typo, repaired and counted);
    else ``None`` after reporting it (the caller drops the label)."""
    if label in known:
        return label
    close = difflib.get_close_matches(label, sorted(known), n=2, cutoff=0.85)
    if len(close) == 1:
        report.repaired("misspelt label mapped to its close match")
        report.problem(str(path), line, f"unknown label {label!r} read as {close[0]!r}")
        return close[0]
    report.problem(str(path), line, f"unknown label {label!r}; dropped (check the spelling "
                   "against the corpus's label list)")
    return None


def span_key(span: Span) -> tuple[int, int, str]:
    """Sort key of gold spans: by offsets, then label (``None`` first)."""
    return span.start, span.end, span.label or ""
