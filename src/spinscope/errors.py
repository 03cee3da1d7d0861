"""The exception tree of spinscope.

Every error the library raises on purpose derives from ``SpinscopeError``::

    SpinscopeError
    ├── ConfigError          bad settings, unknown option values
    ├── TaxonomyError        unknown technique or label set, broken taxonomy file
    ├── CorpusError          a research corpus folder or file cannot be read
    │   └── CorpusFormatError    one line or record is malformed (carries file and line)
    ├── SpanError            offsets outside the text, empty or reversed spans
    ├── FormatError          a submission file (predictions or gold) is malformed
    ├── ModelError           a model bundle is missing, incomplete or inconsistent
    ├── PipelineError        a pipeline stage failed for a reason the user can fix
    ├── IngestError          one source or item cannot be ingested (carries the source)
    │   ├── FetchError           a URL could not be fetched (timeout, status, size cap, type)
    │   └── UnsafeURLError       a URL points at a private/loopback/link-local address
    └── StoreError           the corpus store cannot be opened, migrated or written

Messages say what went wrong and what to do about it.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "CorpusError",
    "CorpusFormatError",
    "FetchError",
    "FormatError",
    "IngestError",
    "ModelError",
    "PipelineError",
    "SpanError",
    "SpinscopeError",
    "StoreError",
    "TaxonomyError",
    "UnsafeURLError",
]


class SpinscopeError(Exception):
    """Root of all errors raised by spinscope on purpose."""


class ConfigError(SpinscopeError):
    """A setting has an invalid value."""


class TaxonomyError(SpinscopeError):
    """A technique name or label set is unknown, or the taxonomy file is broken."""


class CorpusError(SpinscopeError):
    """A corpus folder or file cannot be read at all."""


class CorpusFormatError(CorpusError):
    """One record of a corpus file is malformed; the rest of the file is still usable."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        self.path = path
        self.line = line
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(where + message)


class SpanError(SpinscopeError):
    """A span's offsets are invalid for its text."""


class FormatError(SpinscopeError):
    """A submission or gold file does not follow its format."""


class ModelError(SpinscopeError):
    """A model bundle is missing, incomplete or inconsistent."""


class PipelineError(SpinscopeError):
    """A pipeline stage failed."""


class IngestError(SpinscopeError):
    """One source or item could not be ingested; the rest of the batch goes on."""

    def __init__(self, message: str, source: str | None = None):
        self.source = source
        super().__init__(f"{source}: {message}" if source else message)


class FetchError(IngestError):
    """A URL could not be fetched: network error, timeout, HTTP status, size cap, content type."""


class UnsafeURLError(FetchError):
    """A URL resolves to a private, loopback or link-local address and that is not allowed."""


class StoreError(SpinscopeError):
    """The corpus store cannot be opened, migrated, read or written."""
