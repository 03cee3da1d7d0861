"""Span submission formats: ``ptc-si``, ``ptc-tc`` and ``semeval2023-spans``.

One span per line, tab-separated, offsets are half-open code-point offsets into the article:

* ``ptc-si``             ``article_id  start  end`` (SemEval-2020 Task 11 SI)
* ``ptc-tc``             ``article_id  technique  start  end`` with a PTC class name
  (``Name_Calling,Labeling`` ...); the organisers' template has ``?`` as technique
* ``semeval2023-spans``  ``article_id  technique  start  end`` with a SemEval-2023 name

Readers accept one combined file or a folder of per-article files (PTC ``*.labels``,
SemEval-2023 ``article<ID>-labels-subtask-3.txt``). In a folder every file registers its
article, so an empty file means "no spans". The writers emit exactly the combined-file
format the official scorers read, sorted by article and offsets, ``\\n`` line ends.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TextIO

from spinscope.core.span import Span
from spinscope.core.taxonomy import DEFAULT_TAXONOMY, load_taxonomy
from spinscope.errors import FormatError
from spinscope.formats.base import (
    ARTICLE_ID_RE,
    FormatIssue,
    article_sort_key,
    collect_files,
    iter_lines,
    nothing_usable,
    write_lines,
)

__all__ = ["SPAN_FORMATS", "SpanFile", "SpanFormat", "read_spans", "technique_names",
           "write_spans"]

SpanFormat = Literal["ptc-si", "ptc-tc", "semeval2023-spans"]
SPAN_FORMATS: tuple[SpanFormat, ...] = ("ptc-si", "ptc-tc", "semeval2023-spans")
_PATTERNS = {
    "ptc-si": ("*.labels",),
    "ptc-tc": ("*.labels",),
    "semeval2023-spans": ("*-labels-subtask-3.txt", "*.labels"),
}


@dataclass(frozen=True)
class SpanFile:
    """The spans of a submission or gold file, per article, with the issues met reading it.

    Span labels are technique names of the format's own label set (PTC names for ``ptc-tc``,
    SemEval-2023 names for ``semeval2023-spans``), ``None`` for ``ptc-si`` and for the ``?``
    of a TC template.
    """

    fmt: SpanFormat
    articles: Mapping[str, tuple[Span, ...]]
    issues: tuple[FormatIssue, ...] = ()
    sources: tuple[str, ...] = ()

    @property
    def n_spans(self) -> int:
        return sum(len(v) for v in self.articles.values())


def technique_names(fmt: SpanFormat, taxonomy_id: str = DEFAULT_TAXONOMY) -> frozenset[str]:
    """The technique names a format allows (empty for ``ptc-si``)."""
    tax = load_taxonomy(taxonomy_id)
    if fmt == "ptc-tc":
        return frozenset(tax.mapping("ptc"))
    if fmt == "semeval2023-spans":
        return frozenset(tax.names)
    return frozenset()


def _check_fmt(fmt: str) -> SpanFormat:
    if fmt not in SPAN_FORMATS:
        raise FormatError(f"unknown span format {fmt!r}; use one of {', '.join(SPAN_FORMATS)}")
    return fmt


def read_spans(fmt: str, path: Path | str, *, template: bool = False,
               taxonomy_id: str = DEFAULT_TAXONOMY) -> SpanFile:
    """Read a span file or folder; bad lines become issues and are skipped.

    ``template=True`` accepts ``?`` in the technique column (the TC template) and reads it as
    an unlabelled span. Raises ``FormatError`` only when nothing usable was read.
    """
    kind = _check_fmt(fmt)
    path = Path(path)
    files = collect_files(path, _PATTERNS[kind], f"{kind} input")
    names = technique_names(kind, taxonomy_id)
    ncols = 3 if kind == "ptc-si" else 4
    issues: list[FormatIssue] = []
    articles: dict[str, list[Span]] = {}
    good_lines = 0
    for file in files:
        file_id = None
        if path.is_dir():
            m = ARTICLE_ID_RE.match(file.name)
            file_id = m.group(1) if m else None
            if file_id is None:
                issues.append(FormatIssue(str(file), None,
                                          "file name has no article<ID>; its lines still count"))
            else:
                articles.setdefault(file_id, [])
        for number, line in iter_lines(file, issues):
            def bad(msg: str, file: Path = file, number: int = number) -> None:
                issues.append(FormatIssue(str(file), number, msg))

            cols = [c.strip() for c in line.rstrip().split("\t")]
            if len(cols) != ncols:
                bad(f"expected {ncols} TAB-separated columns, found {len(cols)}")
                continue
            article = cols[0]
            if not article or any(ch.isspace() for ch in article):
                bad(f"bad article id {article!r}")
                continue
            if file_id is not None and article != file_id:
                bad(f"article id {article} differs from the file name's {file_id}; "
                    "the id column wins")
            label: str | None = None
            if ncols == 4:
                tech = cols[1]
                if tech == "?":
                    if not template:
                        bad("technique is still '?': fill in the template")
                        continue
                elif tech not in names:
                    bad(f"unknown technique {tech!r} for {kind} (expected one of "
                        f"{len(names)} names, e.g. {sorted(names)[0]})")
                    continue
                else:
                    label = tech
            try:
                start, end = int(cols[-2]), int(cols[-1])
            except ValueError:
                bad(f"offsets must be integers, got {cols[-2]!r} and {cols[-1]!r}")
                continue
            if start < 0 or end <= start:
                bad(f"span [{start}, {end}) is empty, reversed or negative")
                continue
            articles.setdefault(article, []).append(Span(start, end, label))
            good_lines += 1
    if good_lines == 0 and issues:
        nothing_usable(f"{kind} input", files, issues)
    frozen = {a: tuple(sorted(v, key=lambda s: (s.start, s.end, s.label or "")))
              for a, v in sorted(articles.items(), key=lambda kv: article_sort_key(kv[0]))}
    return SpanFile(kind, frozen, tuple(issues), tuple(str(f) for f in files))


def write_spans(fmt: str, articles: Mapping[str, Sequence[Span]], dest: Path | str | TextIO, *,
                taxonomy_id: str = DEFAULT_TAXONOMY) -> int:
    """Write spans in a submission format; returns the number of lines written.

    Labels must be names of the format's label set (map taxonomy techniques to PTC names
    with ``Taxonomy.to_source("ptc", name)`` first); ``ptc-si`` ignores labels. Raises
    ``FormatError`` before writing anything if a label or span is invalid.
    """
    kind = _check_fmt(fmt)
    names = technique_names(kind, taxonomy_id)
    lines: list[str] = []
    for article in sorted(articles, key=article_sort_key):
        if not article or any(ch.isspace() for ch in article):
            raise FormatError(f"bad article id {article!r}: ids cannot be empty or hold spaces")
        for s in sorted(articles[article], key=lambda s: (s.start, s.end, s.label or "")):
            if s.end <= s.start:
                raise FormatError(f"article {article}: span [{s.start}, {s.end}) is empty; "
                                  "the official scorers reject empty spans")
            if kind == "ptc-si":
                lines.append(f"{article}\t{s.start}\t{s.end}\n")
                continue
            if s.label not in names:
                raise FormatError(f"article {article}: technique {s.label!r} is not a {kind} "
                                  "name; map it to the format's label set first")
            lines.append(f"{article}\t{s.label}\t{s.start}\t{s.end}\n")
    return write_lines(lines, dest)
