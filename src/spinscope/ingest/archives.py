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

from spinscope.ingest.items import Failure, RawItem

__all__ = ["iter_warc"]

log = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TEXT_TYPES = ("text/plain",)


def iter_warc(path: Path, max_bytes: int) -> Iterator[RawItem | Failure]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    records = 0
    offset = 0
    with path.open("rb") as fh:
        try:
            it = ArchiveIterator(fh, arc2warc=True)
            for record in it:
                offset = it.get_record_offset()
                records += 1
                item = _record_item(record, path, offset, max_bytes)
                if item is not None:
                    yield item
        except (ArchiveLoadFailed, EOFError, zlib.error, OSError, ValueError) as e:
            reason = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            yield Failure(f"{path}#offset={offset}", f"truncated or corrupt archive after "
                          f"{records} record(s): {reason}; the records before were read")


def _record_item(record: object, path: Path, offset: int, max_bytes: int
                 ) -> RawItem | Failure | None:
    rec_type = getattr(record, "rec_type", None)
    headers = record.rec_headers  # type: ignore[attr-defined]
    url = headers.get_header("WARC-Target-URI")
    location = f"{path}#offset={offset}"
    if rec_type == "response":
        http = record.http_headers  # type: ignore[attr-defined]
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
    if mime in _HTML_TYPES:
        kind = "html"
    elif mime in _TEXT_TYPES:
        kind = "text"
    else:
        return None
    data = record.content_stream().read(max_bytes + 1)  # type: ignore[attr-defined]
    if len(data) > max_bytes:
        return Failure(location, f"record larger than the size cap ({max_bytes:,} bytes); "
                       "raise --max-bytes to read it")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"') or None
    fields = {"fetched_at": headers.get_header("WARC-Date")}
    return RawItem(location, data, "html" if kind == "html" else "text", url=url,
                   requested_url=url, content_type=mime, charset=charset, fields=fields)
