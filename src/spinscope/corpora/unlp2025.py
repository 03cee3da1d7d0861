"""Reader for the UNLP-2025 shared task (Ukrainian/Russian Telegram posts).

``data/span_detection/train.parquet`` has one row per post: ``id``, ``content``, ``lang``
(uk/ru), ``manipulative``, ``techniques`` (post-level UNLP names) and ``trigger_words``
(``[start, end)`` code-point offsets, spans without technique). Spans get label ``None``;
the post's techniques become the document labels (label set ``unlp2025``).

Repairs (counted in the ``ReadReport``): 14 train spans end past the text; they are clipped
to the text length, and a span that would become empty is dropped.

Held-out part (fixed before any training, so that models can be compared on it):
a post is in ``train-heldout`` when ``int(sha1(id as UTF-8).hexdigest(), 16) % 100 < 15``,
i.e. about 15% of the posts chosen by a stable hash of the post id, not stratified;
``train-fit`` is the rest; ``train`` is everything. The test texts are not in the data
folder (``solution.csv`` holds only labels), so there is no test split.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from spinscope.core.document import Document
from spinscope.core.span import Span
from spinscope.core.taxonomy import load_taxonomy
from spinscope.corpora._files import check_label, fit_span, span_key
from spinscope.corpora.base import CorpusSplit, GoldDocument, ReadReport
from spinscope.errors import CorpusError

__all__ = ["HELDOUT_PERCENT", "UNLP_SPLITS", "is_heldout", "read_unlp2025", "unlp_parquet"]

UNLP_SPLITS = ("train", "train-fit", "train-heldout")
HELDOUT_PERCENT = 15
_COLUMNS = ("id", "content", "lang", "manipulative", "techniques", "trigger_words")


def is_heldout(post_id: str) -> bool:
    """Whether a post belongs to the fixed ``train-heldout`` part (sha1 of the id mod 100)."""
    return int(hashlib.sha1(post_id.encode("utf-8")).hexdigest(), 16) % 100 < HELDOUT_PERCENT


def unlp_parquet(root: Path) -> Path:
    """The train parquet under ``root`` (the corpus folder, its ``data/``, or the file)."""
    root = Path(root)
    for p in (root, root / "data" / "span_detection" / "train.parquet",
              root / "span_detection" / "train.parquet", root / "train.parquet"):
        if p.is_file():
            return p
    raise CorpusError(f"{root} is not a UNLP-2025 folder: expected "
                      "data/span_detection/train.parquet under it")


def _spans(raw: object, text_len: int, path: Path, row: int,
           report: ReadReport) -> list[Span]:
    out: list[Span] = []
    if raw is None:
        return out
    if not isinstance(raw, list):
        report.problem(str(path), row, "trigger_words is not a list; no spans read")
        return out
    for pair in raw:
        if not isinstance(pair, list | tuple) or len(pair) != 2 or not all(
                isinstance(x, int) for x in pair):
            report.problem(str(path), row, f"trigger_words item {pair!r} is not "
                           "[start, end]; skipped")
            continue
        s, e = pair
        if s < 0 or e < s:
            report.problem(str(path), row, f"bad offsets [{s}, {e}); skipped")
            continue
        span = fit_span(s, e, None, text_len, path, row, report)
        if span is not None:
            out.append(span)
    return sorted(out, key=span_key)


def read_unlp2025(root: Path, split: str = "train", lang: str | None = None) -> CorpusSplit:
    """UNLP-2025 train posts (``split`` in train / train-fit / train-heldout).

    ``lang`` ("uk" or "ru") keeps only posts of that language. Row numbers in problems are
    1-based rows of the parquet file.
    """
    if split not in UNLP_SPLITS:
        raise CorpusError(f"unknown UNLP-2025 split {split!r}; use one of "
                          f"{', '.join(UNLP_SPLITS)} (the test texts are not available)")
    import pyarrow.parquet as pq

    path = unlp_parquet(root)
    try:
        table = pq.read_table(path)
    except Exception as e:  # pyarrow raises several unrelated types for a broken file
        raise CorpusError(f"cannot read {path} as parquet ({e}); is the file complete?") from e
    missing = [c for c in _COLUMNS if c not in table.column_names]
    if missing:
        raise CorpusError(f"{path} lacks the column(s) {', '.join(missing)}; "
                          "is this the UNLP-2025 span_detection train file?")
    report = ReadReport()
    known = frozenset(load_taxonomy().mapping("unlp2025"))
    docs: list[GoldDocument] = []
    seen: set[str] = set()
    for row, rec in enumerate(table.select(list(_COLUMNS)).to_pylist(), start=1):
        pid, text = rec["id"], rec["content"]
        if not isinstance(pid, str) or not isinstance(text, str):
            report.problem(str(path), row, "id or content is missing; row skipped")
            continue
        if pid in seen:
            report.problem(str(path), row, f"duplicate post id {pid}; row skipped")
            continue
        seen.add(pid)
        if split != "train" and is_heldout(pid) != (split == "train-heldout"):
            continue
        if lang is not None and rec["lang"] != lang:
            continue
        labels = [lab for t in (rec["techniques"] or [])
                  if (lab := check_label(t, known, path, row, report)) is not None]
        spans = _spans(rec["trigger_words"], len(text), path, row, report)
        if bool(rec["manipulative"]) != bool(spans or labels):
            report.problem(str(path), row, "manipulative flag disagrees with the spans and "
                           "techniques; kept as given")
        doc = Document(id=pid, text=text, lang=rec["lang"],
                       metadata={"corpus": "unlp2025", "split": split,
                                 "manipulative": bool(rec["manipulative"])})
        docs.append(GoldDocument(document=doc, spans=tuple(spans), labels=tuple(labels)))
    return CorpusSplit(corpus="unlp2025", split=split, lang=lang or "uk,ru",
                       label_set="unlp2025", documents=docs, report=report)
