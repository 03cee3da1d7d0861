"""``predict``: run any ``Predictor`` over a folder of ``article<ID>.txt`` files and build an
official submission (the evaluation contract; ``spinscope predict`` is its CLI).

========================  =================  ==================================================
format                    predictor call     output
========================  =================  ==================================================
``ptc-si``                ``identify``       ``id start end``; overlapping spans merged
``ptc-tc``                ``classify``       the ``--template`` rows with a PTC class each
``semeval2023-spans``     ``detect``         ``id technique start end`` (SemEval-2023 names)
``semeval2023-st3``       ``detect``         ``id paragraph labels``: techniques of the spans
                                             overlapping each line (paragraph = 1-based line);
                                             with a template exactly its rows, else every
                                             non-blank line
========================  =================  ==================================================

Articles are read as stored (UTF-8, BOM and ``\\r\\n`` kept) so offsets match the files.
A file that cannot be read, a template row for a missing article or past its end is
recorded in ``Prediction.problems`` (file and line) and the rest is processed.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TextIO, get_args

from spinscope.baselines.segments import line_labels, split_lines
from spinscope.core.span import Span, merge_overlapping
from spinscope.core.taxonomy import load_taxonomy
from spinscope.corpora._files import read_text
from spinscope.corpora.base import ReadReport
from spinscope.corpora.ptc import read_ptc_template
from spinscope.corpora.semeval2023_offsets import read_st3_template
from spinscope.errors import ConfigError, CorpusError, FormatError
from spinscope.formats import write_paragraph_labels, write_spans
from spinscope.models.predictor import Predictor

__all__ = ["FORMATS", "PTC_FALLBACK", "OutputFormat", "Prediction", "predict", "read_articles"]

log = logging.getLogger(__name__)

OutputFormat = Literal["ptc-si", "ptc-tc", "semeval2023-spans", "semeval2023-st3"]
FORMATS: tuple[OutputFormat, ...] = get_args(OutputFormat)
_NEEDS_TEMPLATE = ("ptc-tc",)
_ARTICLE = re.compile(r"^article(.+)\.txt$")
BATCH = 8
# ptc-tc needs a PTC class on every row; a technique with no PTC class falls back to the
# most frequent PTC class (counted in the problems).
PTC_FALLBACK = "Loaded_Language"

Progress = Callable[[int, int], None]


@dataclass
class Prediction:
    """A submission in memory: spans per article or labels per (article, paragraph)."""

    fmt: OutputFormat
    model: str
    spans: dict[str, list[Span]] = field(default_factory=dict)
    paragraphs: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    n_articles: int = 0
    report: ReadReport = field(default_factory=ReadReport)

    @property
    def problems(self) -> list[str]:
        return [str(p) for p in self.report.problems]

    def write(self, dest: Path | str | TextIO) -> int:
        """Write the official format; returns the number of lines written."""
        if self.fmt == "semeval2023-st3":
            return write_paragraph_labels(self.paragraphs, dest)
        return write_spans(self.fmt, self.spans, dest)

    def to_dict(self) -> dict[str, object]:
        n = len(self.paragraphs) if self.fmt == "semeval2023-st3" else sum(
            len(v) for v in self.spans.values())
        return {"format": self.fmt, "model": self.model, "articles": self.n_articles,
                "rows": n, **self.report.to_dict()}


def read_articles(articles_dir: Path | str, report: ReadReport,
                  only: set[str] | None = None) -> dict[str, str]:
    """``{id: text}`` of the ``article<ID>.txt`` files (as stored), sorted by id."""
    folder = Path(articles_dir)
    if not folder.is_dir():
        raise CorpusError(f"{folder} is not a folder of article<ID>.txt files")
    found: dict[str, Path] = {}
    for path in folder.iterdir():
        m = _ARTICLE.match(path.name)
        if m and path.is_file() and (only is None or m.group(1) in only):
            found[m.group(1)] = path
    if not found and only is None:
        raise CorpusError(f"{folder} holds no article<ID>.txt files")
    out: dict[str, str] = {}
    for art in sorted(found, key=lambda a: (not a.isdigit(), int(a) if a.isdigit() else 0, a)):
        text = read_text(found[art], report)
        if text is not None:
            out[art] = text
    return out


def _batches(ids: Sequence[str]) -> Iterator[list[str]]:
    for i in range(0, len(ids), BATCH):
        yield list(ids[i : i + BATCH])


def predict(predictor: Predictor, articles_dir: Path | str, fmt: str,
            template: Path | str | None = None, progress: Progress | None = None) -> Prediction:
    """Run ``predictor`` over the articles of ``articles_dir`` and build submission ``fmt``."""
    if fmt not in FORMATS:
        raise ConfigError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt in _NEEDS_TEMPLATE and template is None:
        raise ConfigError(f"format {fmt} needs --template (the spans to classify)")
    if fmt in ("ptc-si", "semeval2023-spans") and template is not None:
        raise ConfigError(f"format {fmt} takes no template")
    out = Prediction(fmt, predictor.version)
    if fmt == "ptc-tc":
        assert template is not None
        _predict_tc(predictor, Path(articles_dir), Path(template), out, progress)
    elif fmt == "semeval2023-st3":
        _predict_st3(predictor, Path(articles_dir), template, out, progress)
    else:
        texts = read_articles(articles_dir, out.report)
        out.n_articles = len(texts)
        ids = list(texts)
        done = 0
        for batch in _batches(ids):
            batch_texts = [texts[a] for a in batch]
            if fmt == "ptc-si":
                results = predictor.identify(batch_texts)
            else:
                results = predictor.detect(batch_texts)
            for art, text, spans in zip(batch, batch_texts, results, strict=True):
                out.spans[art] = _clean(art, text, spans, fmt == "ptc-si", out.report)
            done += len(batch)
            if progress:
                progress(done, len(ids))
    return out


def _clean(art: str, text: str, spans: Sequence[Span], unlabelled: bool,
           report: ReadReport) -> list[Span]:
    keep: list[Span] = []
    for s in spans:
        if s.end > len(text) or s.empty:
            report.problem(f"article{art}.txt", None,
                           f"model returned span [{s.start}, {s.end}) outside the text or empty;"
                           " dropped")
            continue
        keep.append(Span(s.start, s.end, None if unlabelled else s.label))
    if unlabelled:
        return merge_overlapping(keep) if keep else []
    return sorted(set(keep), key=lambda s: (s.start, s.end, s.label or ""))


def _predict_tc(predictor: Predictor, folder: Path, template: Path, out: Prediction,
                progress: Progress | None) -> None:
    rows = read_ptc_template(template, out.report)
    texts = read_articles(folder, out.report, only=set(rows))
    out.n_articles = len(texts)
    taxonomy = load_taxonomy()
    fallbacks: Counter[str] = Counter()
    for i, (art, spans) in enumerate(rows.items(), start=1):
        text = texts.get(art)
        if text is None:
            out.report.problem(str(template), None, f"article {art}: no readable "
                               f"{folder / f'article{art}.txt'}; its {len(spans)} rows skipped")
            continue
        ok = [s for s in spans if s.end <= len(text) and not s.empty]
        if len(ok) < len(spans):
            out.report.problem(str(template), None, f"article {art}: {len(spans) - len(ok)} "
                               "template span(s) empty or past the end of the text; skipped")
        labels = predictor.classify(text, ok)
        if len(labels) != len(ok):
            raise FormatError(f"model {predictor.name} returned {len(labels)} labels for "
                              f"{len(ok)} spans of article {art}")
        mapped = []
        for s, label in zip(ok, labels, strict=True):
            src = taxonomy.to_source("ptc", label)
            if src is None:
                fallbacks[label] += 1
                src = PTC_FALLBACK
            mapped.append(Span(s.start, s.end, src))
        out.spans[art] = mapped
        if progress:
            progress(i, len(rows))
    for label, n in fallbacks.items():
        out.report.note(f"technique {label} has no PTC class: written as {PTC_FALLBACK}", n)


def _predict_st3(predictor: Predictor, folder: Path, template: Path | str | None,
                 out: Prediction, progress: Progress | None) -> None:
    wanted: dict[str, list[int]] | None = None
    if template is not None:
        wanted = {}
        for row in read_st3_template(Path(template), out.report, folder):
            wanted.setdefault(row.article_id, []).append(row.paragraph)
    texts = read_articles(folder, out.report, only=set(wanted) if wanted is not None else None)
    out.n_articles = len(texts)
    ids = list(texts)
    allowed = set(load_taxonomy().names)
    done = 0
    for batch in _batches(ids):
        results = predictor.detect([texts[a] for a in batch])
        for art, spans in zip(batch, results, strict=True):
            text = texts[art]
            lines = split_lines(text)
            labels = line_labels(lines, [s for s in spans if s.label in allowed])
            numbers = (wanted[art] if wanted is not None
                       else [ln.number for ln in lines if not ln.is_blank(text)])
            for n in numbers:
                if not 1 <= n <= len(lines):
                    out.report.problem(str(template), None, f"article {art}: paragraph {n} "
                                       f"is past its {len(lines)} lines; written empty")
                    out.paragraphs[(art, n)] = []
                    continue
                out.paragraphs[(art, n)] = sorted(labels[n - 1])
        done += len(batch)
        if progress:
            progress(done, len(ids))
    if wanted is not None:
        for art in sorted(set(wanted) - set(texts)):
            out.report.problem(str(template), None, f"article {art}: no readable "
                               f"article{art}.txt in {folder}; its rows written empty")
            for n in wanted[art]:
                out.paragraphs[(art, n)] = []
