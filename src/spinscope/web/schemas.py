"""Request and response models of the REST API (they make up the OpenAPI spec)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "AnalyseRequest",
    "AnalyseUrlRequest",
    "AnalysisOut",
    "DocumentList",
    "DocumentOut",
    "DocumentRow",
    "ErrorOut",
    "EventList",
    "EventOut",
    "FailureOut",
    "GroupOut",
    "HealthOut",
    "IngestOut",
    "IngestRequest",
    "ParagraphOut",
    "SourceOut",
    "SpanOut",
    "TaxonomyOut",
    "TechniqueOut",
]


class ErrorOut(BaseModel):
    error: str
    detail: str


class AnalyseRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(pattern=r"\S", description=(
        "The text to analyse (not blank); offsets in the answer index it exactly as sent. "
        "Longer than the server's SPINSCOPE_MAX_TEXT_CHARS: 413."))


class AnalyseUrlRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(max_length=2048, pattern=r"^[Hh][Tt][Tt][Pp][Ss]?://",
                     description="An http(s) address of an article page on a public host.")


class SpanOut(BaseModel):
    start: int = Field(description="Offset of the first character (code points)")
    end: int = Field(description="Offset after the last character (half-open)")
    technique: str | None
    group: str | None
    score: float | None = Field(description="Confidence in [0, 1]")
    text: str


class ParagraphOut(BaseModel):
    index: int
    start: int
    end: int
    techniques: list[str]


class SourceOut(BaseModel):
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    lang: str | None = None
    document_id: str | None = None


class AnalysisOut(BaseModel):
    document_id: str | None
    lang: str | None
    model: str
    model_version: str
    length: int
    word_count: int
    spans: list[SpanOut]
    paragraphs: list[ParagraphOut]
    counts: dict[str, int]
    density_per_1000_words: dict[str, float]
    source: SourceOut | None = None
    result_url: str | None = Field(None, description="Page showing this result (kept a while)")


class HealthOut(BaseModel):
    status: str
    version: str
    model: str | None
    model_version: str | None
    read_only: bool
    writes_enabled: bool
    store: bool


class TechniqueOut(BaseModel):
    name: str
    title: str
    group: str
    group_name: str
    definition: str
    examples: list[str]


class GroupOut(BaseModel):
    id: str
    name: str
    definition: str


class TaxonomyOut(BaseModel):
    name: str
    version: str
    groups: list[GroupOut]
    techniques: list[TechniqueOut]


class DocumentRow(BaseModel):
    id: str
    url: str | None
    outlet: str | None
    lang: str | None
    published: str | None
    title: str | None
    author: str | None
    tags: list[str]
    dup_of: str | None
    dup_kind: str | None
    n_chars: int
    snippet: str | None = None


class DocumentList(BaseModel):
    documents: list[DocumentRow]
    total: int | None = Field(description="Number of matches (null for full-text searches)")
    offset: int
    limit: int
    has_more: bool


class DocumentOut(DocumentRow):
    text: str
    content_hash: str
    location: str


class IngestRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sources: list[str] = Field(min_length=1, max_length=100,
                               description="http(s) URLs of articles, RSS/Atom feeds or sitemaps")
    outlet: str | None = Field(None, max_length=200, description="Outlet for every item")
    tags: list[str] = Field([], max_length=20, description="Tags for every item")


class FailureOut(BaseModel):
    location: str
    reason: str


class IngestOut(BaseModel):
    run_id: int
    added: int
    linked: int
    duplicates: int
    failed: int
    seconds: float
    failures: list[FailureOut]


class EventOut(BaseModel):
    id: str
    name: str
    terms: list[str]
    articles: int
    first_published: str | None
    last_published: str | None
    outlets: list[str]
    langs: list[str]
    origin: str = Field(description="'clustering' (spinscope events) or 'tags' (event:NAME)")


class EventList(BaseModel):
    events: list[EventOut]
