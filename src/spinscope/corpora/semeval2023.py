"""Reader for SemEval-2023 Task 3 (news genre, frames and persuasion techniques).

**Evaluation only**: this corpus must never be used to train a shipped model.

``root`` is the bundle folder (holding ``data/``) or ``data/``. Per language code as
shipped (en fr ge it po ru es gr ka; ISO codes de pl el are accepted too) and split::

    data/<lang>/<split>-articles-subtask-{1,2,3}/article<ID>.txt
    data/<lang>/<split>-labels-subtask-{1,2}.txt            id, genre | frames (comma-separated)
    data/<lang>/<split>-labels-subtask-3.txt                id, paragraph, techniques
    data/<lang>/<split>-labels-subtask-3-spans/article<ID>-labels-subtask-3.txt
                                                            id, technique, start, end

Texts are read with ``newline=""`` (``\\r\\n`` and a BOM are kept). Subtask 3 paragraph N is
line N of the article (1-based, split on ``\\n``, the ``\\r`` excluded from the paragraph);
only non-empty lines are paragraphs. ``subtask=3`` gives spans and paragraphs, ``subtask`` 1
or 2 the document labels of that subtask. **The splits differ between subtask 1 and subtasks
2/3** (e.g. 35-57 articles per language move between train and dev), so never mix the
train of one subtask with the dev of another.

Quirks handled and counted in the ``ReadReport``:

(a) offsets that count ``\\r\\n`` as two characters on a text stored with ``\\n``: the
    convention per article comes from ``derived/span_offset_convention.tsv`` when present,
    otherwise it is detected (all-LF text whose spans fit better after expansion); such
    offsets are mapped back onto the stored text;
(b) spans one character short before a full stop (``repair_short_ends``);
(c) spans past the end of the text (clipped, or dropped when nothing is left).

Splits without gold in this copy (dev, test) have ``has_gold = False``; their paragraphs are
the non-empty lines, with no labels.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from spinscope.core.document import Document
from spinscope.core.span import Span
from spinscope.core.taxonomy import load_taxonomy
from spinscope.corpora._files import (
    check_label,
    fit_span,
    parse_offsets,
    read_lines,
    read_rows,
    read_text,
    span_key,
)
from spinscope.corpora.base import CorpusSplit, GoldDocument, GoldParagraph, ReadReport
from spinscope.corpora.semeval2023_offsets import (
    EXPAND,
    crlf_to_stored,
    fit_score,
    line_bounds,
    read_offset_conventions,
    read_st3_template,
    repair_short_end,
)
from spinscope.errors import CorpusError

__all__ = ["SEMEVAL2023_LANGS", "read_semeval2023", "read_st3_template", "semeval2023_lang_dir"]

# Shipped code -> ISO 639-1 code.
SEMEVAL2023_LANGS = {"en": "en", "fr": "fr", "ge": "de", "it": "it", "po": "pl", "ru": "ru",
                     "es": "es", "gr": "el", "ka": "ka"}
_FROM_ISO = {iso: code for code, iso in SEMEVAL2023_LANGS.items()}
SPLITS = ("train", "dev", "test")
GENRES = frozenset({"opinion", "reporting", "satire"})


def _bundle_data(root: Path) -> Path:
    root = Path(root)
    for d in (root / "data", root):
        if (d / "en").is_dir() or (d / "ru").is_dir() or any(
                (d / c).is_dir() for c in SEMEVAL2023_LANGS):
            return d
    raise CorpusError(f"{root} is not a SemEval-2023 task 3 bundle: expected data/<lang>/")


def semeval2023_lang_dir(root: Path, lang: str) -> Path:
    """``data/<lang>`` of the bundle for a shipped or ISO language code."""
    code = _FROM_ISO.get(lang, lang) if lang not in SEMEVAL2023_LANGS else lang
    d = _bundle_data(root) / code
    if code not in SEMEVAL2023_LANGS or not d.is_dir():
        raise CorpusError(f"no SemEval-2023 language {lang!r} under {d.parent}; "
                          f"languages: {', '.join(SEMEVAL2023_LANGS)}")
    return d


def _articles(folder: Path, report: ReadReport) -> dict[str, tuple[Path, str]]:
    out: dict[str, tuple[Path, str]] = {}
    for p in sorted(folder.glob("article*.txt")):
        text = read_text(p, report)
        if text is not None:
            out[p.stem[len("article"):]] = (p, text)
    return out


def _doc_labels(path: Path, ids: set[str], known: frozenset[str] | None,
                report: ReadReport) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for n, cols in read_rows(path, report, 2):
        art = cols[0].strip()
        if art not in ids:
            report.problem(str(path), n, f"article {art} has no text file; line skipped")
            continue
        labels = [x.strip() for x in cols[1].split(",") if x.strip()]
        if known is not None:
            labels = [lab for x in labels
                      if (lab := check_label(x, known, path, n, report)) is not None]
        out[art] = tuple(labels)
    return out


def _paragraph_labels(path: Path, known: frozenset[str],
                      report: ReadReport) -> dict[str, dict[int, tuple[str, ...]]]:
    out: dict[str, dict[int, tuple[str, ...]]] = defaultdict(dict)
    for n, cols in read_rows(path, report, 3):
        try:
            num = int(cols[1])
        except ValueError:
            report.problem(str(path), n, f"paragraph number {cols[1]!r} is not an integer; "
                           "line skipped")
            continue
        labels = [x.strip() for x in cols[2].split(",") if x.strip()]
        out[cols[0].strip()][num] = tuple(
            lab for x in labels if (lab := check_label(x, known, path, n, report)) is not None)
    return out


def _paragraphs(art: str, path: Path, text: str, rows: dict[int, tuple[str, ...]] | None,
                report: ReadReport) -> list[GoldParagraph]:
    bounds = line_bounds(text)
    if rows is None:  # no gold: every non-empty line is a paragraph
        return [GoldParagraph(i + 1, s, e, ()) for i, (s, e) in enumerate(bounds)
                if text[s:e].strip()]
    out = []
    for num, labels in sorted(rows.items()):
        if not 1 <= num <= len(bounds) or not text[slice(*bounds[num - 1])].strip():
            report.problem(str(path), None, f"article {art}: labelled paragraph {num} is not a "
                           "non-empty line of the article; skipped")
            continue
        out.append(GoldParagraph(num, *bounds[num - 1], labels))
    return out


def _raw_spans(path: Path, art: str, known: frozenset[str],
               report: ReadReport) -> list[tuple[int, int, int, str]]:
    out = []
    for n, cols in read_rows(path, report, 4):
        if cols[0].strip() != art:
            report.problem(str(path), n, f"article id {cols[0]!r} does not match the file "
                           "name; line skipped")
            continue
        offs = parse_offsets(cols[2].strip(), cols[3].strip(), path, n, report)
        label = check_label(cols[1].strip(), known, path, n, report)
        if offs is not None and label is not None:
            out.append((n, offs[0], offs[1], label))
    return out


def _needs_expansion(key: tuple[str, str, str], text: str,
                     raw: list[tuple[int, int, int, str]], paras: list[GoldParagraph],
                     conventions: dict[tuple[str, str, str], str] | None,
                     report: ReadReport) -> bool:
    if "\r" in text or "\n" not in text or not raw:
        return False
    if conventions is not None and key in conventions:
        conv = conventions[key]
        if conv == "ambiguous":
            report.note("LF/CRLF convention ambiguous (offsets used as stored)")
        return conv == EXPAND
    nl = [i for i, c in enumerate(text) if c == "\n"]
    pmap = {p.number: (p.start, p.end, frozenset(p.labels)) for p in paras}
    as_is = [(s, e, lab) for _, s, e, lab in raw]
    expanded = [(crlf_to_stored(s, nl), crlf_to_stored(e, nl), lab) for _, s, e, lab in raw]
    return fit_score(text, expanded, pmap) > fit_score(text, as_is, pmap)


def _spans(art: str, key: tuple[str, str, str], path: Path, text: str,
           paras: list[GoldParagraph], conventions: dict[tuple[str, str, str], str] | None,
           repair_short_ends: bool, report: ReadReport) -> list[Span]:
    known = frozenset(load_taxonomy().names)
    raw = _raw_spans(path, art, known, report)
    expand = _needs_expansion(key, text, raw, paras, conventions, report)
    nl = [i for i, c in enumerate(text) if c == "\n"] if expand else []
    if expand:
        report.repaired("articles with CRLF-counted offsets mapped onto the LF text")
        report.repaired("spans mapped from CRLF to LF offsets", len(raw))
    out = []
    for n, s, e, label in raw:
        if expand:
            s, e = crlf_to_stored(s, nl), crlf_to_stored(e, nl)
        if repair_short_ends and e < len(text):
            fixed = repair_short_end(text, e)
            if fixed != e:
                report.repaired("span end one character short before '.': extended")
                e = fixed
        span = fit_span(s, e, label, len(text), path, n, report)
        if span is not None:
            out.append(span)
    return sorted(out, key=span_key)


def read_semeval2023(root: Path, lang: str, split: str, subtask: int = 3, *,
                     repair_short_ends: bool = True) -> CorpusSplit:
    """SemEval-2023 Task 3 articles of one language, split and subtask, with their gold.

    ``subtask=3``: spans (SemEval-2023 technique names) and paragraphs; 1: genre; 2: frames
    (as document labels). Evaluation only: never train on it.
    """
    if split not in SPLITS:
        raise CorpusError(f"unknown SemEval-2023 split {split!r}; use one of {SPLITS}")
    if subtask not in (1, 2, 3):
        raise CorpusError(f"subtask must be 1, 2 or 3, not {subtask!r}")
    ldir = semeval2023_lang_dir(root, lang)
    iso = SEMEVAL2023_LANGS[ldir.name]
    adir = ldir / f"{split}-articles-subtask-{subtask}"
    if not adir.is_dir():
        raise CorpusError(f"{adir} is missing: no {split} articles for subtask {subtask}")
    report = ReadReport()
    arts = _articles(adir, report)
    label_set = {1: "semeval2023-genre", 2: "semeval2023-frames", 3: "semeval2023"}[subtask]
    docs: list[GoldDocument] = []
    if subtask in (1, 2):
        lpath = ldir / f"{split}-labels-subtask-{subtask}.txt"
        known: frozenset[str] | None = GENRES if subtask == 1 else _frames(ldir)
        gold = _doc_labels(lpath, set(arts), known, report) if lpath.is_file() else None
        if gold is None:
            report.note(f"no gold labels for {split} (file {lpath.name} absent)")
        for art, (p, text) in arts.items():
            if gold is not None and art not in gold:
                report.problem(str(lpath), None, f"article {art} has no label row")
            docs.append(GoldDocument(_document(art, text, iso, split, subtask, p),
                                     labels=(gold or {}).get(art, ())))
        return CorpusSplit("semeval2023", split, iso, label_set, docs, report,
                           has_gold=gold is not None)
    ppath = ldir / f"{split}-labels-subtask-3.txt"
    sdir = ldir / f"{split}-labels-subtask-3-spans"
    has_gold = ppath.is_file()
    rows = _paragraph_labels(ppath, frozenset(load_taxonomy().names), report) if has_gold \
        else {}
    if not has_gold:
        report.note(f"no gold labels for {split} (file {ppath.name} absent)")
    for art in rows:
        if art not in arts:
            report.problem(str(ppath), None, f"article {art} has labels but no text file "
                           f"in {adir.name}; skipped")
    conv_path = ldir.parent.parent / "derived" / "span_offset_convention.tsv"
    conventions = read_offset_conventions(conv_path, report) if conv_path.is_file() else None
    for art, (p, text) in arts.items():
        if has_gold and art not in rows:
            report.problem(str(ppath), None, f"article {art} has no paragraph label rows; "
                           "read as unlabelled")
        paras = _paragraphs(art, ppath, text, rows.get(art) if has_gold else None, report)
        spans: list[Span] = []
        spath = sdir / f"article{art}-labels-subtask-3.txt"
        if spath.is_file():
            spans = _spans(art, (ldir.name, split, art), spath, text, paras, conventions,
                           repair_short_ends, report)
        elif has_gold and any(par.labels for par in paras):
            report.problem(str(spath), None, "span label file missing although paragraphs "
                           "carry techniques; article read without spans")
        docs.append(GoldDocument(_document(art, text, iso, split, 3, p), spans=tuple(spans),
                                 paragraphs=tuple(paras)))
    return CorpusSplit("semeval2023", split, iso, label_set, docs, report, has_gold=has_gold)


def _document(art: str, text: str, iso: str, split: str, subtask: int, path: Path) -> Document:
    first = text.lstrip("\ufeff").split("\n", 1)[0].strip()
    return Document(id=art, text=text, lang=iso, title=first or None,
                    metadata={"corpus": "semeval2023", "split": split, "subtask": subtask,
                              "path": str(path)})


def _frames(ldir: Path) -> frozenset[str] | None:
    p = ldir.parent.parent / "scorers" / "frames_subtask2.txt"
    if not p.is_file():
        return None
    return frozenset(line.strip() for _, line in read_lines(p, ReadReport()) if line.strip())
