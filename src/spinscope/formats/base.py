"""Shared plumbing of the submission-format readers: line iteration, issues, file discovery.

Readers never stop at the first bad line: each problem becomes a ``FormatIssue`` (file, line,
message) and the line is skipped. A reader raises ``FormatError`` only when a file cannot be
read at all or when nothing usable came out of the input.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from spinscope.corpora.base import Problem
from spinscope.errors import FormatError

__all__ = ["ARTICLE_ID_RE", "FormatIssue", "article_sort_key", "collect_files", "iter_lines",
           "nothing_usable", "write_lines"]

ARTICLE_ID_RE = re.compile(r"article(\d+)")
_BOM = "\ufeff"


# One problem in an input file (file, 1-based line or None, message): the same value the
# corpus readers report, so both kinds of problem print and serialise alike.
FormatIssue = Problem


def iter_lines(path: Path, issues: list[FormatIssue]) -> Iterator[tuple[int, str]]:
    """Non-empty lines of a UTF-8 file with ``\\n``/``\\r\\n`` ends removed, numbered from 1.

    A leading byte-order mark is dropped (submission files carry no text offsets). A file
    that is not UTF-8 is reported as one issue and yields nothing.
    """
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise FormatError(f"cannot read {path}: {e.strerror or e}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        issues.append(FormatIssue(str(path), None,
                                  f"not UTF-8 (byte {e.start}); save the file as UTF-8"))
        return
    if text.startswith(_BOM):
        text = text[1:]
    for number, line in enumerate(text.split("\n"), 1):
        line = line.rstrip("\r")
        if line.strip():
            yield number, line


def collect_files(path: Path, patterns: Sequence[str], what: str) -> list[Path]:
    """``[path]`` for a file; for a folder, its files matching any pattern (no templates)."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise FormatError(f"{what}: {path} does not exist; give a file or a folder")
    found: set[Path] = set()
    for pattern in patterns:
        found.update(p for p in path.glob(pattern) if p.is_file())
    files = sorted(p for p in found if not p.name.endswith(".template"))
    if not files:
        raise FormatError(f"{what}: no files matching {', '.join(patterns)} in folder {path}")
    return files


def nothing_usable(what: str, sources: Sequence[Path], issues: Sequence[FormatIssue]) -> None:
    """Raise ``FormatError`` for input that had only bad lines."""
    shown = "\n  ".join(str(i) for i in issues[:5])
    more = f"\n  ... and {len(issues) - 5} more" if len(issues) > 5 else ""
    names = ", ".join(str(s) for s in sources[:3]) + (" ..." if len(sources) > 3 else "")
    raise FormatError(f"{what}: no usable line in {names}; check the format "
                      f"(`spinscope eval --help` describes it):\n  {shown}{more}")


def article_sort_key(article: str) -> tuple[int, int, str]:
    """Numeric ids in numeric order, then any others alphabetically."""
    return (0, int(article), "") if article.isdigit() else (1, 0, article)


def write_lines(lines: list[str], dest: Path | str | TextIO) -> int:
    """Write ``lines`` to a file path (UTF-8, ``\\n`` line ends) or an open text stream.

    Returns the number of lines written; a stream passed in is left open.
    """
    if isinstance(dest, Path | str):
        with open(dest, "w", encoding="utf-8", newline="\n") as stream:
            stream.writelines(lines)
    else:
        dest.writelines(lines)
    return len(lines)
