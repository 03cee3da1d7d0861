"""HTML pages (server-rendered, readable without JavaScript), each with a ``.json`` twin."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from spinscope.core.analysis import Analysis
from spinscope.errors import FetchError, IngestError, ModelError, PipelineError, UnsafeURLError
from spinscope.web.analysis import InputError, NotFound, SourceInfo
from spinscope.web.app import get_context
from spinscope.web.corpus import DocQuery, NoStore, article_source, listing_row
from spinscope.web.dashboard import CHART_NAMES, chart_svg
from spinscope.web.stories import event_view
from spinscope.web.twins import Page, twin_routes
from spinscope.web.views import Selection, analysis_view, group_class

__all__ = ["EXAMPLE", "router"]

router = APIRouter()

# A made-up example (fictional places and people) for the "fill in an example" link.
EXAMPLE = """Harbour council caves in again

The so-called reformers of the Marlow harbour council have once again betrayed the fishermen \
who elected them. Everyone knows the new pier fees are a disaster, yet the council pretends \
nothing is wrong.

Councillor Edda Brann, a puppet of the shipping lobby, voted for the fees on Tuesday. What about \
her own family's yacht, moored free of charge for years?

Either we scrap the fees now, or the last independent boats will leave Marlow for good. Stand \
with the fishermen!"""


Techniques = Annotated[list[str] | None, Query(description="Techniques to highlight")]
Groups = Annotated[list[str] | None, Query(description="Technique groups to highlight")]


def _selection(technique: list[str] | None, group: list[str] | None) -> Selection:
    return Selection.of(technique or (), group or ())


@twin_routes(router, "/", active="analyse")
def index(request: Request, example: bool = False) -> Page:
    return Page("index.html", _form_data(request), extra={
        "text": EXAMPLE if example else "", "url": "", "error": None})


def _form_data(request: Request) -> dict[str, Any]:
    ctx = get_context(request)
    return {"model": ctx.analysis.model, "technique_count": len(ctx.taxonomy),
            "limits": {"max_text_chars": ctx.web.max_text_chars,
                       "analyse_urls": ctx.web.analyse_urls}}


@router.post("/analyse", include_in_schema=False)
def analyse_form(request: Request, text: Annotated[str, Form()] = "",
                 url: Annotated[str, Form()] = "") -> Response:
    """The form on ``/``: analyse, keep the result, and redirect to its page."""
    ctx = get_context(request)
    try:
        if url.strip():
            analysis, source = ctx.analysis.analyse_url(url)
        else:
            analysis, source = ctx.analysis.analyse(text), SourceInfo(title=_title_of(text))
    except (InputError, FetchError, IngestError, PipelineError, ModelError) as e:
        status = form_error_status(e)
        return ctx.templates.TemplateResponse(request, "index.html", {
            **_form_data(request), "text": text, "url": url, "error": str(e),
            "web": ctx.web, "active": "analyse"}, status_code=status)
    result = ctx.analysis.remember(analysis, source)
    return RedirectResponse(f"/analysis/{result.key}", status_code=303)


def form_error_status(e: Exception) -> int:
    if isinstance(e, ModelError):
        return 503
    if isinstance(e, UnsafeURLError):
        return 422
    if isinstance(e, FetchError):
        return 422
    return int(getattr(e, "status", 422))


def _title_of(text: str) -> str | None:
    """The first line of a pasted text when it looks like a headline."""
    first = text.strip().split("\n", 1)[0].strip()
    return first if 0 < len(first) <= 200 and "\n" in text.strip() else None


@twin_routes(router, "/analysis/{key}", active="analyse")
def analysis_page(request: Request, key: str, technique: Techniques = None,
                  group: Groups = None) -> Page:
    ctx = get_context(request)
    result = ctx.analysis.recall(key)
    view = analysis_view(result.analysis, ctx.taxonomy, _selection(technique, group),
                         result.source)
    return Page("analysis.html", view, extra={
        "view": view, "page_url": f"/analysis/{key}",
        "csv_url": f"/analysis/{key}/findings.csv"})


@router.get("/analysis/{key}/findings.csv", include_in_schema=False)
def analysis_csv(request: Request, key: str) -> Response:
    ctx = get_context(request)
    result = ctx.analysis.recall(key)
    view = analysis_view(result.analysis, ctx.taxonomy, None, result.source)
    return csv_response(findings_rows(view), f"spinscope-findings-{key[:8]}.csv")


FINDING_COLUMNS = ["index", "start", "end", "technique", "group", "score", "paragraph", "text"]


def findings_rows(view: dict[str, Any]) -> list[list[Any]]:
    return [[f[c] for c in FINDING_COLUMNS] for f in view["findings"]]


def csv_safe(value: Any) -> Any:
    """Neutralise spreadsheet formulas: a cell starting with = + - @ gets a leading quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_response(rows: list[list[Any]], filename: str,
                 columns: list[str] = FINDING_COLUMNS) -> Response:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_safe(v) for v in row])
    return Response(buf.getvalue(), media_type="text/csv; charset=utf-8", headers={
        "content-disposition": f'attachment; filename="{filename}"'})


def query_string(**params: Any) -> str:
    """A query string without empty values (lists become repeated keys)."""
    pairs: list[tuple[str, str]] = []
    for k, v in params.items():
        for item in v if isinstance(v, list | tuple) else [v]:
            if item not in (None, "", False):
                pairs.append((k, "1" if item is True else str(item)))
    return urlencode(pairs)


# -- reference pages -------------------------------------------------------------------------
@twin_routes(router, "/techniques", active="techniques")
def techniques_page(request: Request) -> Page:
    ctx = get_context(request)
    data: dict[str, Any] = ctx.taxonomy.to_dict()
    groups = [{**g, "css": group_class(g["id"]),
               "techniques": [t for t in data["techniques"] if t["group"] == g["id"]]}
              for g in data["groups"]]
    return Page("techniques.html", data, extra={"grouped": groups})


@router.get("/api/v1/docs", include_in_schema=False)
def api_docs(request: Request) -> Response:
    """A plain HTML reference of the API, rendered from the OpenAPI spec (no CDN, no JS)."""
    ctx = get_context(request)
    spec = request.app.openapi()
    operations = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                       "description": p.get("description", "")}
                      for p in op.get("parameters", [])]
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            ref = body.get("schema", {}).get("$ref", "")
            operations.append({
                "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                "description": op.get("description", ""), "params": params,
                "body": ref.rsplit("/", 1)[-1] if ref else None,
                "secured": bool(op.get("security")),
                "responses": sorted(op.get("responses", {}))})
    schemas = spec.get("components", {}).get("schemas", {})
    return ctx.templates.TemplateResponse(request, "api_docs.html", {
        "operations": operations, "schemas": schemas, "info": spec.get("info", {}),
        "web": ctx.web, "active": "api", "json_url": "/api/v1/openapi.json"})


# -- documents -------------------------------------------------------------------------------
def _date(value: str, name: str) -> dt.date | None:
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"'{name}' must be a date like 2031-03-04, got {value!r}") from None


@twin_routes(router, "/documents", active="documents")
def documents_page(request: Request, q: Annotated[str, Query(max_length=500)] = "",
                   outlet: Annotated[list[str] | None, Query()] = None,
                   lang: Annotated[list[str] | None, Query()] = None,
                   date_from: Annotated[str, Query(alias="from")] = "",
                   date_to: Annotated[str, Query(alias="to")] = "",
                   originals_only: bool = False,
                   page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> Page:
    ctx = get_context(request)
    size = ctx.web.page_size
    outlets = tuple(o for o in outlet or () if o)
    langs = tuple(x for x in lang or () if x)
    query = DocQuery(q=q, outlets=outlets, langs=langs,
                     date_from=_date(date_from, "from"), date_to=_date(date_to, "to"),
                     originals_only=originals_only, offset=(page - 1) * size, limit=size)
    try:
        data = ctx.corpus.documents(query)
        facets = ctx.corpus.facets()
    except NoStore as e:
        return Page("documents.html", {"no_store": str(e), "documents": [], "query":
                                       query.to_dict(), "total": 0, "has_more": False},
                    extra={"facets": {"outlets": [], "langs": []}, "page": page,
                           "prev_url": None, "next_url": None, "export": {}})
    base = dict(q=q, outlet=list(outlets), lang=list(langs), **{"from": date_from, "to": date_to},
                originals_only=originals_only)
    prev_url = f"/documents?{query_string(**base, page=page - 1)}" if page > 1 else None
    next_url = f"/documents?{query_string(**base, page=page + 1)}" if data["has_more"] else None
    filt = query_string(outlet=list(outlets), lang=list(langs), originals_only=originals_only,
                        **{"from": date_from, "to": date_to})
    export = {fmt: f"/api/v1/export/documents?format={fmt}" + (f"&{filt}" if filt else "")
              for fmt in ("csv", "jsonl")}
    return Page("documents.html", {**data, "no_store": None, "page": page},
                extra={"facets": facets, "prev_url": prev_url, "next_url": next_url,
                       "export": export})


@twin_routes(router, "/documents/{doc_id}", active="documents")
def document_page(request: Request, doc_id: str, technique: Techniques = None,
                  group: Groups = None) -> Page:
    ctx = get_context(request)
    article = ctx.corpus.document(doc_id)
    source = article_source(article)
    notice = None
    try:
        analysis = ctx.corpus.analysis_of(article)
    except (ModelError, PipelineError) as e:
        notice = f"This document could not be analysed: {e}"
        analysis = Analysis(article.text, (), (), "none", "none", article.id, article.lang)
    view = analysis_view(analysis, ctx.taxonomy, _selection(technique, group), source)
    copies = [listing_row(a) for a in ctx.corpus.call(lambda s: s.copies(article.id))]
    meta = article.to_row(with_text=False)
    return Page("document.html", {"document": meta, "copies": copies, "analysis": view,
                                  "notice": notice},
                extra={"view": view, "page_url": f"/documents/{article.id}",
                       "csv_url": f"/documents/{article.id}/findings.csv"})


@router.get("/documents/{doc_id}/findings.csv", include_in_schema=False)
def document_csv(request: Request, doc_id: str) -> Response:
    ctx = get_context(request)
    article = ctx.corpus.document(doc_id)
    view = analysis_view(ctx.corpus.analysis_of(article), ctx.taxonomy)
    return csv_response(findings_rows(view), f"spinscope-findings-{article.id}.csv")


# -- events and comparisons ------------------------------------------------------------------
def _no_store_page(template: str, message: str, **data: Any) -> Page:
    return Page(template, {"no_store": message, **data})


@twin_routes(router, "/events", active="events")
def events_page(request: Request) -> Page:
    ctx = get_context(request)
    try:
        events = [e.to_dict() for e in ctx.corpus.events()]
    except NoStore as e:
        return _no_store_page("events.html", str(e), events=[])
    return Page("events.html", {"no_store": None, "events": events})


@twin_routes(router, "/events/{event_id}", active="events")
def event_page(request: Request, event_id: str) -> Page:
    ctx = get_context(request)
    event = ctx.corpus.event(event_id)
    view = event_view(event, ctx.corpus.event_members(event), ctx.taxonomy,
                      ctx.corpus.registry)
    return Page("event.html", view)


@twin_routes(router, "/compare", active="compare")
def compare_page(request: Request,
                 by: Annotated[str, Query(pattern="^(outlet|bloc|lang)$")] = "outlet",
                 technique: Annotated[str, Query(max_length=100)] = "",
                 event: Annotated[str, Query(max_length=200)] = "") -> Page:
    ctx = get_context(request)
    try:
        data = ctx.corpus.comparison(by, technique or None, event or None)
    except NoStore as e:
        return _no_store_page("compare.html", str(e), by=by, groups=[], table=[],
                              technique=technique, event=event, techniques=[])
    params = query_string(by=by, technique=technique, event=event)
    return Page("compare.html", {"no_store": None, **data, "technique": technique,
                                 "event": event},
                extra={"techniques": [{"name": t.name, "title": t.title}
                                      for t in ctx.taxonomy],
                       "charts": ctx.corpus.charts(by, technique or None, event or None),
                       "events": [{"id": e.id, "name": e.name} for e in ctx.corpus.events()],
                       "csv_url": f"/api/v1/export/comparison?{params}"})


CHART_CSP = "default-src 'none'; style-src 'unsafe-inline'"


@router.get("/charts/{name}.svg", include_in_schema=False)
def chart(request: Request, name: str,
          by: Annotated[str, Query(pattern="^(outlet|bloc|lang)$")] = "outlet",
          technique: Annotated[str, Query(max_length=100)] = "",
          event: Annotated[str, Query(max_length=200)] = "") -> Response:
    """A dashboard chart. Shown through ``<img>`` (no script can run in it); its inline
    styles are allowed by this response's own CSP only."""
    ctx = get_context(request)
    if name not in CHART_NAMES:
        raise NotFound(f"no chart {name!r}")
    data = ctx.corpus.comparison(by, technique or None, event or None)
    if data.get("empty"):
        raise NotFound(data["empty"])
    return Response(chart_svg(name, data), media_type="image/svg+xml", headers={
        "content-security-policy": CHART_CSP, "cache-control": "private, max-age=60"})
