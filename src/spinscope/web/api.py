"""The REST API under ``/api/v1`` (OpenAPI spec at ``/api/v1/openapi.json``).

Reading and analysing are open (rate limited); writing (ingest) needs the API token and is
refused on a read-only server. Errors are JSON: ``{"error": code, "detail": message}``.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import json
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BeforeValidator

from spinscope import __version__
from spinscope.core.taxonomy import load_taxonomy
from spinscope.web.analysis import SourceInfo, check_url
from spinscope.web.app import get_context
from spinscope.web.corpus import MAX_LIMIT, DocQuery
from spinscope.web.pages import csv_safe
from spinscope.web.schemas import (
    AnalyseRequest,
    AnalyseUrlRequest,
    AnalysisOut,
    DocumentList,
    DocumentOut,
    ErrorOut,
    EventList,
    EventOut,
    HealthOut,
    IngestOut,
    IngestRequest,
    SourceOut,
    TaxonomyOut,
)
from spinscope.web.security import TokenChecker
from spinscope.web.views import technique_info

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["api"])
_bearer = HTTPBearer(auto_error=False, description="The server's SPINSCOPE_API_TOKEN")


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "Body is not valid JSON"},
    413: {"model": ErrorOut, "description": "Request or text too large"},
    422: {"model": ErrorOut, "description": "Invalid input"},
    429: {"model": ErrorOut, "description": "Rate limit exceeded (see Retry-After)"},
}


def require_token(request: Request,
                  _credentials: Annotated[HTTPAuthorizationCredentials | None,
                                          Depends(_bearer)] = None) -> None:
    """Dependency of write endpoints: the API token, and not a read-only server."""
    TokenChecker(get_context(request).web)(request)


# -- models ----------------------------------------------------------------------------------


def analysis_out(ctx: Any, analysis: Any, source: SourceInfo | None,
                 result_url: str | None) -> AnalysisOut:
    data = analysis.to_dict()
    for span in data["spans"]:
        span["group"] = technique_info(ctx.taxonomy, span["technique"])["group"] \
            if span["technique"] else None
    data.pop("extra", None)
    return AnalysisOut(**data, source=SourceOut(**source.to_dict()) if source else None,
                       result_url=result_url)


# -- analysis --------------------------------------------------------------------------------
@router.post("/analyse", response_model=AnalysisOut, responses={
    **ERRORS, 503: {"model": ErrorOut, "description": "Model not available"}})
def analyse(request: Request, body: AnalyseRequest) -> AnalysisOut:
    """Find persuasion-technique spans in a text."""
    ctx = get_context(request)
    analysis = ctx.analysis.analyse(body.text)
    result = ctx.analysis.remember(analysis)
    return analysis_out(ctx, analysis, None, f"/analysis/{result.key}")


@router.post("/analyse-url", response_model=AnalysisOut, responses={
    **ERRORS, 403: {"model": ErrorOut, "description": "URL analysis switched off"},
    503: {"model": ErrorOut, "description": "Model not available"}})
def analyse_url(request: Request, body: AnalyseUrlRequest) -> AnalysisOut:
    """Fetch an article page (public addresses only), extract its text and analyse it."""
    ctx = get_context(request)
    analysis, source = ctx.analysis.analyse_url(body.url)
    result = ctx.analysis.remember(analysis, source)
    return analysis_out(ctx, analysis, source, f"/analysis/{result.key}")


@router.get("/health", response_model=HealthOut, responses={429: ERRORS[429]})
def health(request: Request) -> HealthOut:
    """Liveness and configuration: model version, read-only mode, store presence."""
    ctx = get_context(request)
    return HealthOut(status="ok", version=__version__, model=ctx.analysis.model["model"],
                     model_version=ctx.analysis.model["version"], read_only=ctx.web.read_only,
                     writes_enabled=ctx.web.writes_enabled, store=ctx.corpus.available)


@router.get("/techniques", response_model=TaxonomyOut, responses={429: ERRORS[429]})
def techniques(request: Request) -> TaxonomyOut:
    """The taxonomy: 23 techniques in 6 groups, with definitions and examples."""
    return TaxonomyOut.model_validate(get_context(request).taxonomy.to_dict())


# -- shared query parameters -----------------------------------------------------------------
def iso_date(value: object) -> object:
    """Only ``YYYY-MM-DD`` is a date here (pydantic alone would read ``0`` as 1970-01-01)."""
    if value is None or isinstance(value, dt.date):
        return value
    text = str(value)
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        raise ValueError("expected a date like 2031-03-04")
    return dt.date.fromisoformat(text)


IsoDate = Annotated[dt.date, BeforeValidator(iso_date)]


def doc_query(
    *,
    q: Annotated[str, Query(max_length=500,
                            description="Full-text query: words, \"phrases\", OR, -word")] = "",
    outlet: Annotated[list[str], Query(default_factory=list,
                                       description="Outlet ids (repeatable)")],
    lang: Annotated[list[str], Query(default_factory=list,
                                     description="Language codes (repeatable)")],
    tag: Annotated[list[str], Query(default_factory=list, description="Tags (repeatable)")],
    date_from: Annotated[IsoDate | None, Query(alias="from",
                                               description="Published on or after")] = None,
    date_to: Annotated[IsoDate | None, Query(alias="to",
                                             description="Published on or before")] = None,
    originals_only: Annotated[bool, Query(
        description="Leave out syndicated and near copies")] = False,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
) -> DocQuery:
    return DocQuery(q=q, outlets=tuple(outlet or ()), langs=tuple(lang or ()),
                    tags=tuple(tag or ()),
                    date_from=date_from, date_to=date_to, originals_only=originals_only,
                    offset=offset, limit=limit)


# -- documents -------------------------------------------------------------------------------


NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "No such document or event, or no store yet"}}


@router.get("/documents", response_model=DocumentList, responses={**ERRORS, **NOT_FOUND})
def documents(request: Request, query: Annotated[DocQuery, Depends(doc_query)]) -> DocumentList:
    """List or search stored documents, newest store order first page by page."""
    data = get_context(request).corpus.documents(query)
    return DocumentList(**{k: data[k] for k in ("documents", "total", "offset", "limit",
                                                 "has_more")})


@router.get("/documents/{doc_id}", response_model=DocumentOut,
            responses={**ERRORS, **NOT_FOUND})
def document(request: Request, doc_id: str) -> DocumentOut:
    """One stored document with its text (an id or a unique prefix of at least 4 characters)."""
    article = get_context(request).corpus.document(doc_id)
    return DocumentOut(**article.to_row(with_text=True))


@router.get("/documents/{doc_id}/analysis", response_model=AnalysisOut,
            responses={**ERRORS, **NOT_FOUND,
                       503: {"model": ErrorOut, "description": "Model not available"}})
def document_analysis(request: Request, doc_id: str) -> AnalysisOut:
    """The analysis of a stored document (stored batch result, else computed now)."""
    ctx = get_context(request)
    article = ctx.corpus.document(doc_id)
    from spinscope.web.corpus import article_source

    return analysis_out(ctx, ctx.corpus.analysis_of(article), article_source(article),
                        f"/documents/{article.id}")


# -- writes ----------------------------------------------------------------------------------


@router.post("/ingest", response_model=IngestOut, dependencies=[Depends(require_token)],
             responses={**ERRORS, 401: {"model": ErrorOut, "description": "Missing token"},
                        403: {"model": ErrorOut, "description": "Read-only or writes off"}})
def ingest(request: Request, body: IngestRequest) -> IngestOut:
    """Fetch article URLs, feeds or sitemaps into the store (the SSRF rules apply)."""
    ctx = get_context(request)
    sources = [check_url(s) for s in body.sources]
    tags = tuple(t.strip() for t in body.tags if t.strip())
    report = ctx.corpus.ingest(sources, body.outlet, tags)
    data = report.to_dict()
    return IngestOut(**{k: data[k] for k in ("run_id", "added", "linked", "duplicates",
                                             "failed", "seconds", "failures")})


By = Annotated[str, Query(pattern="^(outlet|bloc|lang)$", description="outlet, bloc or lang")]
# The 23 technique names as an enum, so the spec lists them and clients can validate.
TechniqueName = enum.Enum(  # type: ignore[misc]
    "TechniqueName", {n: n for n in load_taxonomy().names}, type=str)
OptTechnique = Annotated[TechniqueName | None, Query(description="One technique name")]
OptEvent = Annotated[str | None, Query(max_length=200, description="Restrict to one event id")]


def _name(technique: Any) -> str | None:
    return None if technique is None else str(technique.value)


# -- events and comparisons ------------------------------------------------------------------


@router.get("/events", response_model=EventList, responses={**ERRORS, **NOT_FOUND})
def events(request: Request) -> EventList:
    """Events (stories across outlets), largest first."""
    found = get_context(request).corpus.events()
    return EventList(events=[EventOut(**e.to_dict()) for e in found])


@router.get("/events/{event_id}", responses={**ERRORS, **NOT_FOUND})
def event(request: Request, event_id: str) -> dict[str, Any]:
    """One event across outlets: per-outlet articles, rates, strongest findings, table."""
    from spinscope.web.stories import event_view

    ctx = get_context(request)
    found = ctx.corpus.event(event_id)
    return event_view(found, ctx.corpus.event_members(found), ctx.taxonomy, ctx.corpus.registry)


@router.get("/compare", responses={**ERRORS, **NOT_FOUND})
def compare(request: Request, by: By = "outlet", technique: OptTechnique = None,
            event: OptEvent = None) -> dict[str, Any]:
    """Technique use by outlet, bloc or language over the stored analyses."""
    return get_context(request).corpus.comparison(by, _name(technique), event or None)


# -- exports (streamed, no row cap) ----------------------------------------------------------
@router.get("/export/documents", responses={
    **ERRORS, **NOT_FOUND, 200: {"content": {"text/csv": {}, "application/x-ndjson": {}},
                                 "description": "The documents, streamed"}})
def export_documents(request: Request, query: Annotated[DocQuery, Depends(doc_query)],
                     format: Annotated[str, Query(pattern="^(csv|jsonl)$")] = "csv",
                     with_text: Annotated[bool, Query(description="Include the text")] = False,
                     ) -> StreamingResponse:
    """Every document matching the filters (the page parameters are ignored), streamed."""
    ctx = get_context(request)
    ctx.corpus.call(lambda s: None)  # 404 now (not mid-stream) when there is no store
    rows = ctx.corpus.export_rows(query, with_text)
    return stream_rows(rows, format, "spinscope-documents", EXPORT_COLUMNS +
                       (["text"] if with_text else []))


@router.get("/export/comparison", responses={
    **ERRORS, **NOT_FOUND, 200: {"content": {"text/csv": {}}, "description": "CSV table"}})
def export_comparison(request: Request, by: By = "outlet", technique: OptTechnique = None,
                      event: OptEvent = None) -> StreamingResponse:
    """The comparison table as CSV: one row per group and technique."""
    data = get_context(request).corpus.comparison(by, _name(technique), event or None)
    rows = ({"group": cell["key"], "technique": row["technique"],
             "rate_per_1000_words": round(cell["rate"], 4), "share_of_articles":
             round(cell["share"], 4),
             "ci_low": cell["ci"][0] if cell.get("ci") else None,
             "ci_high": cell["ci"][1] if cell.get("ci") else None}
            for row in data["table"] for cell in row["cells"])
    return stream_rows(rows, "csv", f"spinscope-compare-{by}",
                       ["group", "technique", "rate_per_1000_words", "share_of_articles",
                        "ci_low", "ci_high"])


EXPORT_COLUMNS = ["id", "url", "outlet", "lang", "published", "title", "author", "tags",
                  "dup_of", "dup_kind", "content_hash", "n_chars"]


def stream_rows(rows: Iterator[dict[str, Any]], fmt: str, name: str,
                columns: list[str]) -> StreamingResponse:
    """CSV (formula-safe) or JSON Lines, produced row by row."""
    if fmt == "jsonl":
        def jsonl() -> Iterator[bytes]:
            for row in rows:
                yield (json.dumps(row, ensure_ascii=False, default=str) + "\n").encode()
        return StreamingResponse(jsonl(), media_type="application/x-ndjson", headers={
            "content-disposition": f'attachment; filename="{name}.jsonl"'})

    def csv_lines() -> Iterator[bytes]:
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(columns)
        for n, row in enumerate(rows):
            writer.writerow([csv_safe(";".join(v) if isinstance(v, list) else v)
                             for v in (row.get(c) for c in columns)])
            if n % 200 == 0:
                yield buf.getvalue().encode()
                buf.seek(0)
                buf.truncate()
        yield buf.getvalue().encode()
    return StreamingResponse(csv_lines(), media_type="text/csv; charset=utf-8", headers={
        "content-disposition": f'attachment; filename="{name}.csv"'})
