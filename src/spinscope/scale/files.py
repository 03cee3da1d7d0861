"""Input and output files of ``analyze-files``: Parquet/JSONL in, partitioned Parquet out.

Paths are local paths or URIs that pyarrow's filesystems understand (``s3://``, ``gs://``,
``hdfs://``, ``file://``). Inputs are cut into partitions that can be read independently by
any worker: Parquet files by row ranges, JSONL files by byte ranges (a line belongs to the
partition its first byte falls in). Each partition's results go to one Parquet file whose name
is derived from the partition, written under a temporary name and renamed when complete, so a
present file means a finished partition and an interrupted run resumes by skipping them.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from spinscope.errors import ConfigError, CorpusError

__all__ = [
    "FilesOptions",
    "InputRecord",
    "Partition",
    "done_keys",
    "list_inputs",
    "make_partitions",
    "open_fs",
    "output_dir",
    "read_partition",
    "write_partition",
]

log = logging.getLogger(__name__)

PARQUET_SUFFIXES = (".parquet", ".pq")
JSONL_SUFFIXES = (".jsonl", ".ndjson")


@dataclass(frozen=True)
class FilesOptions:
    """Field names, partition sizes and task sizes of an ``analyze-files`` run."""

    id_field: str = "id"
    text_field: str = "text"
    partition_rows: int = 2_000  # Parquet rows per partition
    partition_bytes: int = 8 << 20  # JSONL bytes per partition
    chunk_size: int = 16  # documents per model call
    max_chunk_chars: int = 100_000

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Partition:
    """A slice of one input file: rows ``[start, stop)`` (Parquet) or bytes (JSONL)."""

    uri: str
    kind: str  # "parquet" or "jsonl"
    start: int
    stop: int

    @property
    def key(self) -> str:
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", self.uri.rstrip("/").rsplit("/", 1)[-1])[:60]
        digest = hashlib.sha1(f"{self.uri}\0{self.kind}\0{self.start}".encode()).hexdigest()[:10]
        return f"{stem}-{self.start:012d}-{digest}"

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, data: str) -> Partition:
        return cls(**json.loads(data))


@dataclass(frozen=True, slots=True)
class InputRecord:
    """One input document, or the reason it could not be read (``text`` is then None)."""

    id: str
    text: str | None
    error: str | None = None


def open_fs(uri: str) -> tuple[pafs.FileSystem, str]:
    """The filesystem and path for a local path or a URI."""
    if "://" in uri:
        try:
            return pafs.FileSystem.from_uri(uri)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OSError) as e:
            raise ConfigError(f"cannot open {uri}: {e}; use a local path or a URI pyarrow "
                              "supports (s3://, gs://, hdfs://, file://)") from e
    return pafs.LocalFileSystem(), os.path.abspath(uri)


def _kind(path: str) -> str | None:
    low = path.lower()
    if low.endswith(PARQUET_SUFFIXES):
        return "parquet"
    if low.endswith(JSONL_SUFFIXES):
        return "jsonl"
    return None


def _child_uri(uri: str, path: str) -> str:
    return uri.split("://", 1)[0] + "://" + path if "://" in uri else path


def list_inputs(inputs: Sequence[str]) -> list[tuple[str, str, int]]:
    """(uri, kind, size) of every input file; folders are searched recursively."""
    found: list[tuple[str, str, int]] = []
    for given in inputs:
        # file:// and plain paths name the same partitions (resume works with either).
        uri = given[len("file://"):] if given.startswith("file://") else given
        fs, path = open_fs(uri)
        info = fs.get_file_info(path)
        if info.type == pafs.FileType.NotFound:
            raise ConfigError(f"input {uri} does not exist")
        if info.type == pafs.FileType.Directory:
            children = sorted(fs.get_file_info(pafs.FileSelector(path, recursive=True)),
                              key=lambda i: i.path)
            files = [c for c in children
                     if c.type == pafs.FileType.File and _kind(c.path)
                     and not os.path.basename(c.path).startswith((".", "_"))]
            if not files:
                raise ConfigError(f"input folder {uri} has no .parquet or .jsonl files")
            found += [(_child_uri(uri, c.path), str(_kind(c.path)), c.size or 0)
                      for c in files]
            continue
        kind = _kind(path)
        if kind is None:
            raise ConfigError(f"input {uri}: expected a .parquet, .jsonl or .ndjson file")
        found.append((uri, kind, info.size or 0))
    return found


def make_partitions(inputs: Sequence[str], options: FilesOptions) -> list[Partition]:
    """Cut every input file into partitions (reads Parquet footers, nothing else)."""
    parts: list[Partition] = []
    for uri, kind, size in list_inputs(inputs):
        if kind == "parquet":
            fs, path = open_fs(uri)
            with fs.open_input_file(path) as f:
                pf = pq.ParquetFile(f)
                rows = pf.metadata.num_rows
                if options.text_field not in pf.schema_arrow.names:
                    raise ConfigError(
                        f"{uri} has no column {options.text_field!r}; name the text column "
                        f"with --text-field (columns: {', '.join(pf.schema_arrow.names)})")
            step = max(1, options.partition_rows)
            parts += [Partition(uri, kind, s, min(s + step, rows)) for s in range(0, rows, step)]
        else:
            step = max(1, options.partition_bytes)
            parts += [Partition(uri, kind, s, min(s + step, size)) for s in range(0, size, step)]
    return parts


def _name(uri: str) -> str:
    return uri.rstrip("/").rsplit("/", 1)[-1]


def _record(obj: Any, fallback_id: str, options: FilesOptions, where: str) -> InputRecord:
    if not isinstance(obj, dict):
        return InputRecord(fallback_id, None, f"{where}: not a JSON object")
    raw_id = obj.get(options.id_field)
    doc_id = fallback_id if raw_id is None or raw_id == "" else str(raw_id)
    text = obj.get(options.text_field)
    if not isinstance(text, str):
        return InputRecord(doc_id, None,
                           f"{where}: no text in field {options.text_field!r} (--text-field)")
    return InputRecord(doc_id, text)


def _lines(f: Any, offset: int, block: int = 1 << 20) -> Iterator[tuple[int, bytes]]:
    """(start byte, line) from ``offset`` on, newline included (pyarrow files lack readline)."""
    f.seek(offset)
    pending = b""
    pos = offset
    while True:
        chunk = f.read(block)
        if not chunk:
            break
        pending += chunk
        *complete, pending = pending.split(b"\n")
        for line in complete:
            yield pos, line + b"\n"
            pos += len(line) + 1
    if pending:
        yield pos, pending


def _read_jsonl(p: Partition, options: FilesOptions) -> Iterator[InputRecord]:
    fs, path = open_fs(p.uri)
    name = _name(p.uri)
    with fs.open_input_file(path) as f:
        # A line belongs to the partition holding its first byte: start one byte early and
        # drop the line in progress there (if that byte is a newline, the dropped line is
        # empty and the first kept line starts exactly at p.start).
        lines = _lines(f, p.start - 1) if p.start > 0 else _lines(f, 0)
        if p.start > 0:
            next(lines, None)
        for line_start, line in lines:
            if line_start >= p.stop:
                break
            if not line.strip():
                continue
            where = f"{p.uri}, line at byte {line_start}"
            try:
                obj = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError) as e:
                log.warning("%s: not valid JSON (%s); skipped", where, e)
                yield InputRecord(f"{name}@{line_start}", None, f"{where}: invalid JSON: {e}")
                continue
            yield _record(obj, f"{name}@{line_start}", options, where)


def _read_parquet(p: Partition, options: FilesOptions) -> Iterator[InputRecord]:
    fs, path = open_fs(p.uri)
    name = _name(p.uri)
    with fs.open_input_file(path) as f:
        pf = pq.ParquetFile(f)
        names = set(pf.schema_arrow.names)
        if options.text_field not in names:
            raise CorpusError(f"{p.uri} has no column {options.text_field!r}; name the text "
                              f"column with --text-field (columns: {sorted(names)})")
        columns = [options.text_field] + ([options.id_field] if options.id_field in names else [])
        first = 0
        for g in range(pf.metadata.num_row_groups):
            n = pf.metadata.row_group(g).num_rows
            if first + n > p.start and first < p.stop:
                table = pf.read_row_group(g, columns=columns)
                lo, hi = max(p.start - first, 0), min(p.stop - first, n)
                texts = table.column(options.text_field).slice(lo, hi - lo).to_pylist()
                ids = (table.column(options.id_field).slice(lo, hi - lo).to_pylist()
                       if options.id_field in names else [None] * (hi - lo))
                for k, (doc_id, text) in enumerate(zip(ids, texts, strict=True)):
                    row = first + lo + k
                    obj = {options.id_field: doc_id, options.text_field: text}
                    yield _record(obj, f"{name}#{row}", options, f"{p.uri}, row {row}")
            first += n
            if first >= p.stop:
                break


def read_partition(p: Partition, options: FilesOptions) -> Iterator[InputRecord]:
    """The documents of one partition, in file order."""
    if p.kind == "parquet":
        return _read_parquet(p, options)
    return _read_jsonl(p, options)


def output_dir(outdir: str, model_version: str) -> str:
    """Results of one model version: ``OUTDIR/model_version=VERSION`` (Hive-style)."""
    safe = re.sub(r"[^A-Za-z0-9_.+-]+", "_", model_version)
    return outdir.rstrip("/") + f"/model_version={safe}"


def done_keys(version_dir: str) -> set[str]:
    """Keys of the partitions already written under ``version_dir``."""
    fs, path = open_fs(version_dir)
    info = fs.get_file_info(path)
    if info.type != pafs.FileType.Directory:
        return set()
    names = (os.path.basename(i.path) for i in fs.get_file_info(pafs.FileSelector(path)))
    return {n[len("part-"):-len(".parquet")] for n in names
            if n.startswith("part-") and n.endswith(".parquet")}


def write_partition(version_dir: str, key: str, table: pa.Table) -> str:
    """Write a partition's results atomically (temporary name, then rename)."""
    fs, path = open_fs(version_dir)
    fs.create_dir(path, recursive=True)
    final = f"{path}/part-{key}.parquet"
    tmp = f"{path}/.tmp-{uuid.uuid4().hex}-{key}.parquet"
    pq.write_table(table, tmp, filesystem=fs)
    fs.move(tmp, final)
    return final
