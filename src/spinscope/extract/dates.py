"""Publication dates from the many spellings feeds, exports and pages use, as ISO 8601."""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import time
from typing import Any

__all__ = ["normalise_date"]

_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?Z?$")
_EARLIEST = dt.date(1800, 1, 1)


def normalise_date(value: Any) -> str | None:
    """``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM:SS[+00:00]`` (aware times in UTC), else ``None``.

    Accepts ISO 8601, RFC 822 (RSS), compact GDELT stamps (``20240305101500``), ``time``
    structs (feedparser), ``datetime``/``date`` and epoch seconds.
    """
    if value is None or value == "":
        return None
    parsed: dt.datetime | dt.date | None = None
    if isinstance(value, dt.datetime | dt.date):
        parsed = value
    elif isinstance(value, time.struct_time):
        parsed = dt.datetime(*value[:6], tzinfo=dt.UTC)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        parsed = dt.datetime.fromtimestamp(value, dt.UTC)
    else:
        parsed = _parse_text(str(value).strip())
    if parsed is None:
        return None
    if isinstance(parsed, dt.datetime):
        if parsed.date() < _EARLIEST:
            return None
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(dt.UTC)
        if (parsed.hour, parsed.minute, parsed.second) == (0, 0, 0) and parsed.tzinfo is None:
            return parsed.date().isoformat()
        return parsed.replace(microsecond=0).isoformat()
    return parsed.isoformat() if parsed >= _EARLIEST else None


def _parse_text(text: str) -> dt.datetime | dt.date | None:
    if not text:
        return None
    m = _COMPACT.match(text)
    if m:
        try:
            y, mo, d = int(m[1]), int(m[2]), int(m[3])
            if m[4] is None:
                return dt.date(y, mo, d)
            return dt.datetime(y, mo, d, int(m[4]), int(m[5]), int(m[6] or 0), tzinfo=dt.UTC)
        except ValueError:
            return None
    iso = text.replace("Z", "+00:00") if text.endswith("Z") else text
    try:
        if len(iso) == 10:
            return dt.date.fromisoformat(iso)
        return dt.datetime.fromisoformat(iso)
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        pass
    try:
        from dateutil import parser as dateutil_parser

        return dateutil_parser.parse(text)
    except (ImportError, ValueError, OverflowError, TypeError):
        return None
