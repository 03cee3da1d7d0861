"""WARC/ARC archives (plain or gzip), streamed record by record with warcio.

Only successful (HTTP 200) ``response`` records and ``resource`` records holding HTML or text
become items. A truncated or corrupt archive yields the records before the damage and one
failure saying where reading stopped.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from spinscope.ingest.items import Failure, ItemKind, RawItem

__all__ = ["iter_warc"]

log = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TEXT_TYPES = ("text/plain",)


def iter_warc(path: Path, max_bytes: int) -> Iterator[RawItem | Failure]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    records = 0
    end = 0  # where the last complete record ended
    size = path.stat().st_size
    with path.open("rb") as fh:
        try:
            it = ArchiveIterator(fh, arc2warc=True)
            for record in it:
                # Read the content before asking for the offset: warcio's offset look-up
                # consumes the rest of the record.
                item = _record_item(record, max_bytes)
                offset, length = it.get_record_offset(), it.get_record_length()
                location = f"{path}#offset={offset}"
                missing = getattr(record.raw_stream, "limit", 0) or 0
                if missing > 0:
                    yield _truncated(location, records, f"record ends {missing} bytes early")
                    return
                records += 1
                end = offset + length
                if isinstance(item, tuple):
                    data, kind, url, mime, charset, fields = item
                    yield RawItem(location, data, kind, url=url, requested_url=url,
                                  content_type=mime, charset=charset, fields=fields)
                elif isinstance(item, str):
                    yield Failure(location, item)
        except (ArchiveLoadFailed, EOFError, zlib.error, OSError, ValueError) as e:
            reason = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            yield _truncated(f"{path}#offset={end}", records, reason)
            return
    # warcio stops quietly at a cut gzip member: bytes left over mean a lost record.
    if size - end > 4:
        yield _truncated(f"{path}#offset={end}", records,
                         f"{size - end} bytes after the last complete record")


def _truncated(location: str, records: int, reason: str) -> Failure:
    return Failure(location, f"truncated or corrupt archive after {records} complete "
                   f"record(s): {reason}; the records before were read")


_Item = tuple[bytes, ItemKind, str | None, str, str | None, dict[str, str | None]]


def _record_item(record: Any, max_bytes: int) -> _Item | str | None:
    """The record's content and metadata, a failure reason, or ``None`` to skip it."""
    rec_type = getattr(record, "rec_type", None)
    headers = record.rec_headers
    url = headers.get_header("WARC-Target-URI")
    if rec_type == "response":
        http = record.http_headers
        if http is None:
            return None
        status = http.get_statuscode()
        if status != "200":
            return None
        ctype = http.get_header("Content-Type") or ""
    elif rec_type == "resource":
        ctype = headers.get_header("Content-Type") or ""
    else:
        return None
    mime, _, params = ctype.partition(";")
    mime = mime.strip().lower()
    kind: ItemKind
    if mime in _HTML_TYPES:
        kind = "html"
    elif mime in _TEXT_TYPES:
        kind = "text"
    else:
        return None
    data = record.content_stream().read(max_bytes + 1)
    if len(data) > max_bytes:
        return (f"record larger than the size cap ({max_bytes:,} bytes); raise --max-bytes "
                "to read it")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"') or None
    return data, kind, url, mime, charset, {"fetched_at": headers.get_header("WARC-Date")}
