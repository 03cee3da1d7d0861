"""URL normalisation for exact deduplication.

``url_key`` maps the many spellings of one article address onto one key: scheme, ``www.``,
default ports, fragments, tracking parameters, parameter order, trailing slashes and needless
percent-escapes do not count. The key is for comparison only; the stored URL keeps its form.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

__all__ = ["TRACKING_PARAMS", "canonical_url", "registered_domain", "url_key"]

# Query parameters that never change the article, only who is counted as sending the reader.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "yclid", "msclkid", "mc_cid", "mc_eid", "igshid", "_ga", "_gl",
    "ref_src", "ref_url", "cmpid", "ito", "ocid", "smid", "at_medium", "at_campaign",
    "__twitter_impression", "utm",
})
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "oly_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = "-._~"
_SLASHES = re.compile(r"/{2,}")


def canonical_url(url: str) -> str:
    """``url`` with lower-case scheme and host, no default port, fragment or tracking params."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = _host(parts.hostname or "")
    port = parts.port if parts.port and parts.port != _DEFAULT_PORTS.get(scheme) else None
    # Credentials (user:pass@) are dropped: they never belong in a stored article address.
    netloc = f"{host}:{port}" if port else host
    path = _clean_path(parts.path) or "/"
    query = _clean_query(parts.query)
    return urlunsplit((scheme, netloc, path, query, ""))


def url_key(url: str) -> str:
    """The comparison key of ``url``: canonical form without scheme, ``www.`` or trailing slash."""
    canon = urlsplit(canonical_url(url))
    host = canon.netloc
    if host.startswith("www."):
        host = host[4:]
    path = canon.path.rstrip("/") if canon.path != "/" else ""
    key = host + path
    if canon.query:
        key += "?" + canon.query
    return key


def registered_domain(host: str) -> str:
    """A best-effort site domain for ``host``: drops ``www.``, ``m.`` and ``amp.`` prefixes."""
    host = _host(host)
    for prefix in ("www.", "m.", "amp.", "mobile."):
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix):]
    return host


def _host(host: str) -> str:
    host = host.strip().rstrip(".").lower()
    try:
        return host.encode("idna").decode("ascii") if host and not host.isascii() else host
    except UnicodeError:
        return host


def _clean_path(path: str) -> str:
    path = _SLASHES.sub("/", path)
    # Decode escapes of unreserved characters and re-encode the rest one way.
    return quote(unquote(path), safe="/:@!$&'()*+,;=" + _UNRESERVED + "%")


def _clean_query(query: str) -> str:
    if not query:
        return ""
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True)
             if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(_TRACKING_PREFIXES)]
    pairs.sort()
    return urlencode(pairs, quote_via=quote, safe=_UNRESERVED)
