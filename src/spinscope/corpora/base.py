"""Shared types of the research-corpus readers.

Each reader returns a ``CorpusSplit``: gold documents whose span labels are kept in the
corpus's **own** label set (``label_set`` names it), plus a ``ReadReport`` that counts every
repair and every problem met while reading. Map labels onto the taxonomy with
``spinscope.core.taxonomy.Taxonomy.map_label``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from spinscope.core.document import Document
from spinscope.core.span import Span


@dataclass(frozen=True, slots=True)
class GoldParagraph:
    """A paragraph (1-based ``number`` as in SemEval-2023 subtask 3) and its gold labels."""

    number: int
    start: int
    end: int
    labels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GoldDocument:
    """A corpus document with its gold annotation.

    ``spans``: character spans, label = source technique name (``None`` when the corpus
    gives spans without technique, as UNLP-2025 and PTC SI do).
    ``labels``: document-level labels (SemEval-2021 subtask 1, UNLP-2025 techniques,
    SemEval-2023 subtask 1/2). ``paragraphs``: SemEval-2023 subtask 3 paragraph labels.
    """

    document: Document
    spans: tuple[Span, ...] = ()
    labels: tuple[str, ...] = ()
    paragraphs: tuple[GoldParagraph, ...] = ()

    @property
    def id(self) -> str:
        return self.document.id

    @property
    def text(self) -> str:
        return self.document.text


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong in a corpus file: where, and what."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "message": self.message}


@dataclass
class ReadReport:
    """What a reader repaired or skipped. Nothing is fixed or dropped without a count here.

    ``problems``: defects met (file, line, message). ``repairs``: counts of changes made to
    gold offsets or records. ``notes``: counts of expected, documented conditions that need
    no repair (e.g. articles without a label file, read as "no spans").
    """

    problems: list[Problem] = field(default_factory=list)
    repairs: Counter[str] = field(default_factory=Counter)
    notes: Counter[str] = field(default_factory=Counter)

    def problem(self, path: str, line: int | None, message: str) -> None:
        self.problems.append(Problem(str(path), line, message))

    def repaired(self, what: str, n: int = 1) -> None:
        self.repairs[what] += n

    def note(self, what: str, n: int = 1) -> None:
        self.notes[what] += n

    def extend(self, other: ReadReport) -> None:
        self.problems.extend(other.problems)
        self.repairs.update(other.repairs)
        self.notes.update(other.notes)

    def to_dict(self) -> dict[str, object]:
        return {"problems": [str(p) for p in self.problems], "repairs": dict(self.repairs),
                "notes": dict(self.notes)}


@dataclass
class CorpusSplit:
    """The documents of one corpus split (and language), with the read report.

    ``has_gold`` is false for splits whose gold labels are not available (PTC test,
    SemEval-2023 dev/test in this copy): their documents carry no spans or labels, which
    then means "unknown", not "none".
    """

    corpus: str
    split: str
    lang: str
    label_set: str
    documents: list[GoldDocument]
    report: ReadReport = field(default_factory=ReadReport)
    has_gold: bool = True

    def __len__(self) -> int:
        return len(self.documents)

    @property
    def n_spans(self) -> int:
        return sum(len(d.spans) for d in self.documents)
