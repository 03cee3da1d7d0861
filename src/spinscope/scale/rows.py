"""Results as plain rows: the Parquet schema of ``analyze-files`` and the wire format of Ray.

A result row carries what ``StoredAnalysis`` carries except its creation time (so two runs of
the same model on the same input write equal files), plus ``error`` for a failed document.
Scores are kept at full precision.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa

from spinscope.analyze.engine import TaskResult
from spinscope.analyze.records import StoredAnalysis
from spinscope.core.analysis import ParagraphResult
from spinscope.core.span import Span

__all__ = [
    "RESULT_SCHEMA",
    "decode_task_result",
    "encode_task_result",
    "failure_row",
    "row_to_stored",
    "rows_to_table",
    "stored_to_row",
]

_SPAN = pa.struct([("start", pa.int64()), ("end", pa.int64()), ("label", pa.string()),
                   ("score", pa.float64())])
_PARAGRAPH = pa.struct([("index", pa.int64()), ("start", pa.int64()), ("end", pa.int64()),
                        ("techniques", pa.list_(pa.string()))])

RESULT_SCHEMA = pa.schema([
    ("id", pa.string()),
    ("model", pa.string()),
    ("model_version", pa.string()),
    ("word_count", pa.int64()),
    ("n_chars", pa.int64()),
    ("spans", pa.list_(_SPAN)),
    ("paragraphs", pa.list_(_PARAGRAPH)),
    ("error", pa.string()),  # null when the document was analysed
])


def stored_to_row(a: StoredAnalysis) -> dict[str, Any]:
    """One analysed document as a row of ``RESULT_SCHEMA``."""
    return {
        "id": a.article_id, "model": a.model, "model_version": a.model_version,
        "word_count": a.word_count, "n_chars": a.n_chars,
        "spans": [{"start": s.start, "end": s.end, "label": s.label, "score": s.score}
                  for s in a.spans],
        "paragraphs": [{"index": p.index, "start": p.start, "end": p.end,
                        "techniques": list(p.techniques)} for p in a.paragraphs],
        "error": None,
    }


def failure_row(article_id: str, reason: str, model: str, model_version: str) -> dict[str, Any]:
    """A document that could not be analysed (its reason in ``error``)."""
    return {"id": article_id, "model": model, "model_version": model_version,
            "word_count": None, "n_chars": None, "spans": [], "paragraphs": [],
            "error": reason}


def row_to_stored(row: Mapping[str, Any], created_at: str | None = None) -> StoredAnalysis:
    """Back from a row (``error`` must be null) to a ``StoredAnalysis``."""
    version = row["model_version"]
    spans = tuple(Span(int(s["start"]), int(s["end"]), s["label"], s["score"], version)
                  for s in row["spans"] or ())
    paragraphs = tuple(ParagraphResult(int(p["index"]), int(p["start"]), int(p["end"]),
                                       tuple(p["techniques"])) for p in row["paragraphs"] or ())
    extra = {} if created_at is None else {"created_at": created_at}
    return StoredAnalysis(row["id"], row["model"], version, int(row["word_count"]),
                          int(row["n_chars"]), spans, paragraphs, **extra)


def rows_to_table(rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(list(rows), schema=RESULT_SCHEMA)


def encode_task_result(result: TaskResult) -> str:
    """A ``TaskResult`` as JSON (what a Ray actor hands back to the driver)."""
    return json.dumps({
        "results": [{**stored_to_row(a), "created_at": a.created_at} for a in result.results],
        "failures": [list(f) for f in result.failures],
        "seconds": result.seconds,
    }, ensure_ascii=False)


def decode_task_result(payload: str) -> TaskResult:
    data = json.loads(payload)
    return TaskResult(
        tuple(row_to_stored(r, r.get("created_at")) for r in data["results"]),
        tuple((str(i), str(r)) for i, r in data["failures"]),
        float(data["seconds"]))
