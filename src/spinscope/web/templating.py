"""The Jinja2 environment: autoescaping everywhere, strict undefined, a few safe filters."""

from __future__ import annotations

from urllib.parse import urlsplit

import jinja2
from fastapi.templating import Jinja2Templates

from spinscope import __version__

__all__ = ["make_templates", "safe_href"]


def safe_href(url: object) -> str | None:
    """``url`` if it may be a link target (absolute http/https), else ``None``.

    Autoescaping stops a URL from breaking out of its attribute, but ``javascript:`` and
    ``data:`` URLs are dangerous even when escaped, so stored URLs are links only when their
    scheme is http(s); anything else is shown as text.
    """
    if not isinstance(url, str):
        return None
    text = url.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return text
    return None


def thousands(value: object) -> object:
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else value


def number(value: object, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, int | float):
        return f"{value:,.{digits}f}"
    return str(value)


def make_templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("spinscope.web", "templates"),
        autoescape=True,  # every template, whatever its suffix
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )
    env.globals["version"] = __version__
    env.filters["thousands"] = thousands
    env.filters["number"] = number
    env.filters["safe_href"] = safe_href
    return Jinja2Templates(env=env)
