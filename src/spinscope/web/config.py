"""Settings of the web app and REST API, on top of the shared ``Settings``.

Resolved like every spinscope setting: defaults, then ``SPINSCOPE_*`` environment variables,
then flags of ``spinscope serve``::

    SPINSCOPE_API_TOKEN=...            token for write endpoints (ingest); unset = no writes
    SPINSCOPE_READ_ONLY=1              public deployment: refuse every write, hide ingest
    SPINSCOPE_MAX_BODY_BYTES=2000000   largest request body accepted (413 beyond)
    SPINSCOPE_MAX_TEXT_CHARS=200000    longest text analysed in one request
    SPINSCOPE_RATE_LIMIT=120           requests per minute per client (0 = no limit)
    SPINSCOPE_RATE_BURST=30            requests a client may make at once
    SPINSCOPE_ANALYSIS_WORKERS=2       analyses run at the same time (CPU bound)
    SPINSCOPE_TRUST_PROXY=0            take the client address from X-Forwarded-For
    SPINSCOPE_ANALYSE_URLS=1           allow analysing a URL (fetched under the SSRF rules)
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from spinscope.errors import ConfigError

__all__ = ["WebSettings", "load_web_settings"]

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True, slots=True)
class WebSettings:
    """What the web layer adds to ``Settings``: access control, limits, concurrency."""

    api_token: str | None = None
    read_only: bool = False
    max_body_bytes: int = 2_000_000
    max_text_chars: int = 200_000
    rate_limit: float = 120.0  # requests per minute per client; 0 disables the limiter
    rate_burst: int = 30
    analysis_workers: int = 2
    trust_proxy: bool = False
    analyse_urls: bool = True
    result_cache: int = 200  # pasted-text analyses kept in memory for their result pages
    page_size: int = 50

    def replace(self, **changes: Any) -> WebSettings:
        """A copy with ``changes`` applied; ``None`` values mean "flag not given"."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    @property
    def writes_enabled(self) -> bool:
        return not self.read_only and bool(self.api_token)


def load_web_settings(env: Mapping[str, str] | None = None, **flags: Any) -> WebSettings:
    """Defaults, then ``SPINSCOPE_<FIELD>`` variables, then ``flags`` (``None`` = not given)."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    for f in fields(WebSettings):
        key = f"SPINSCOPE_{f.name.upper()}"
        if key in env:
            values[f.name] = _convert(key, f.type, env[key])
    ws = WebSettings(**values).replace(**flags)
    if ws.max_body_bytes < 1024:
        raise ConfigError("SPINSCOPE_MAX_BODY_BYTES must be at least 1024")
    if ws.analysis_workers < 1:
        raise ConfigError("SPINSCOPE_ANALYSIS_WORKERS must be at least 1")
    if ws.rate_limit > 0 and ws.rate_burst < 1:
        raise ConfigError("SPINSCOPE_RATE_BURST must be at least 1 when a rate limit is set")
    return ws


def _convert(key: str, hint: Any, raw: str) -> Any:
    kind = str(hint)
    text = raw.strip()
    try:
        if "bool" in kind:
            if text.lower() in _TRUE:
                return True
            if text.lower() in _FALSE:
                return False
            raise ValueError("expected true or false")
        if kind == "int":
            value: Any = int(text)
        elif kind == "float":
            value = float(text)
        else:
            return text or None
    except ValueError as e:
        raise ConfigError(f"environment variable {key}={raw!r}: {e}; fix or unset it") from e
    if value < 0:
        raise ConfigError(f"environment variable {key}={raw!r} must not be negative")
    return value
