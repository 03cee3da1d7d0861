"""Small fictional input files for analyze-files (JSONL with awkward lines, Parquet)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from spinscope.analyze.testing import FAIL_MARKER

SENTENCES = [
    "The harbour council met on Tuesday.",
    "Critics called the plan shameful and the mayor a puppet.",
    "Everyone knows the so-called reform will fail.",
    "Рада обговорила бюджет порту, а критики назвали план ганебним.",
    "Совет обсудил так называемую реформу моста 🌉 в четверг.",
]


def text(i: int) -> str:
    return f"Item {i}\r\n" + "\n\n".join(SENTENCES[(i + k) % 5] for k in range(1 + i % 3))


def write_jsonl(path: Path, n: int = 40) -> Path:
    """``n`` documents plus one broken line, one blank line, one without text, one failing."""
    lines = []
    for i in range(n):
        extra = FAIL_MARKER if i == 7 else ""
        lines.append(json.dumps({"id": f"j{i:03d}", "text": text(i) + extra},
                                ensure_ascii=i % 2 == 0))
        if i == 11:
            lines.append("{not json")
        if i == 12:
            lines.append("")
        if i == 13:
            lines.append(json.dumps({"id": "no-text", "body": "x"}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_parquet(path: Path, n: int = 23, with_ids: bool = False) -> Path:
    data = {"text": [text(100 + i) for i in range(n)]}
    if with_ids:
        data["id"] = [f"p{i:03d}" for i in range(n)]
    pq.write_table(pa.table(data), path, row_group_size=7)
    return path
