"""The app factory: ``create_app(settings, analyser=None, store=None)`` builds one FastAPI app.

Nothing is global: the settings, the analyser, the store and the caches live in one
``WebContext`` on ``app.state``, so tests build as many independent apps as they like and
hand them a deterministic fake analyser and a temporary store.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from spinscope import __version__
from spinscope.core.analysis import Analysis
from spinscope.core.taxonomy import Taxonomy, load_taxonomy
from spinscope.errors import (
    FetchError,
    IngestError,
    ModelError,
    PipelineError,
    SpinscopeError,
    StoreError,
    UnsafeURLError,
)
from spinscope.ingest.fetch import Fetcher
from spinscope.settings import Settings
from spinscope.store.base import CorpusStore
from spinscope.web.analysis import Analyser, AnalysisService, InputError, NotFound
from spinscope.web.config import WebSettings, load_web_settings
from spinscope.web.corpus import CorpusService
from spinscope.web.ratelimit import RateLimiter, RateLimitMiddleware
from spinscope.web.security import BodyLimitMiddleware, SecurityHeadersMiddleware, WriteRefused
from spinscope.web.templating import make_templates

__all__ = ["WebContext", "create_app", "default_analyser", "get_context"]

log = logging.getLogger(__name__)


@dataclass
class WebContext:
    """Everything the routes need, built once per app."""

    settings: Settings
    web: WebSettings
    taxonomy: Taxonomy
    analysis: AnalysisService
    corpus: CorpusService
    templates: Jinja2Templates


def get_context(request: Request) -> WebContext:
    return cast(WebContext, request.app.state.ctx)


def default_analyser() -> Analyser:
    """The installed detector, loaded on first use (a clear ``ModelError`` if it is missing)."""
    state: dict[str, Analyser] = {}

    def analyse(text: str) -> Analysis:
        if "fn" not in state:
            try:
                from spinscope.analyze import analyze as run
            except ImportError as e:
                raise ModelError("the detector is not available in this installation "
                                 f"({e}); reinstall spinscope with its model bundle") from e
            state["fn"] = run
        return state["fn"](text)

    return analyse


def create_app(settings: Settings, analyser: Analyser | None = None,
               store: CorpusStore | None = None, web: WebSettings | None = None,
               fetcher: Fetcher | None = None) -> FastAPI:
    """Build the web app and REST API.

    ``analyser`` turns a text into an ``Analysis`` (default: the installed detector);
    ``store`` is the corpus store (default: opened from ``settings.store`` on first use,
    never created by a read-only server); ``web`` holds access control and limits (default:
    from ``SPINSCOPE_*`` variables); ``fetcher`` fetches URLs (default: the SSRF-safe one
    built from ``settings``). Events and comparisons come from the store and
    ``spinscope.compare`` (see ``spinscope.web.corpus``).
    """
    from spinscope.web import api, pages

    web = web if web is not None else load_web_settings()
    taxonomy = load_taxonomy()
    service = AnalysisService(analyser or default_analyser(), settings, web, fetcher)
    ctx = WebContext(settings=settings, web=web, taxonomy=taxonomy, analysis=service,
                     corpus=CorpusService(settings, web, service, store),
                     templates=make_templates())
    app = FastAPI(
        title="spinscope API",
        version=__version__,
        description=("Find persuasion techniques (SemEval-2023 taxonomy) in news text. "
                     "Write endpoints need `Authorization: Bearer <token>`."),
        openapi_url="/api/v1/openapi.json", docs_url=None, redoc_url=None,
    )
    app.state.ctx = ctx
    _install_error_handlers(app)
    app.include_router(api.router)
    app.include_router(pages.router)
    static = resources.files("spinscope.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    # Outermost last: headers go on every response, including 413 and 429 ones.
    app.add_middleware(RateLimitMiddleware, limiter=RateLimiter(web.rate_limit, web.rate_burst),
                       trust_proxy=web.trust_proxy)
    app.add_middleware(BodyLimitMiddleware, max_bytes=web.max_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware)
    app.router.add_event_handler("shutdown", ctx.corpus.close)
    return app


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path.endswith(".json")


def error_response(request: Request, status: int, code: str, detail: str) -> Response:
    """JSON for the API and ``.json`` twins, an HTML page otherwise (message escaped)."""
    if wants_json(request):
        return JSONResponse({"error": code, "detail": detail}, status_code=status)
    ctx = get_context(request)
    return ctx.templates.TemplateResponse(request, "error.html", {
        "status": status, "detail": detail, "web": ctx.web, "active": ""}, status_code=status)


def _install_error_handlers(app: FastAPI) -> None:
    def handler(status: int, code: str) -> Callable[[Request, Exception], Response]:
        def handle(request: Request, exc: Exception) -> Response:
            return error_response(request, getattr(exc, "status", status), code, str(exc))
        return handle

    app.add_exception_handler(InputError, handler(422, "bad_input"))
    app.add_exception_handler(NotFound, handler(404, "not_found"))
    app.add_exception_handler(UnsafeURLError, handler(422, "unsafe_url"))
    # A page that cannot be fetched is a problem with the input, not a server error (5xx
    # stays reserved for our own failures, which is what monitoring should page on).
    app.add_exception_handler(FetchError, handler(422, "fetch_failed"))
    app.add_exception_handler(IngestError, handler(422, "no_article_text"))
    app.add_exception_handler(ModelError, handler(503, "model_unavailable"))
    app.add_exception_handler(PipelineError, handler(422, "cannot_analyse"))
    app.add_exception_handler(StoreError, handler(404, "store"))
    app.add_exception_handler(SpinscopeError, handler(500, "error"))

    def refused(request: Request, exc: Exception) -> Response:
        e = cast(WriteRefused, exc)
        response = error_response(request, e.status, "forbidden" if e.status == 403
                                  else "unauthorized", e.detail)
        if e.status == 401:
            response.headers["www-authenticate"] = "Bearer"
        return response

    app.add_exception_handler(WriteRefused, refused)

    def http_error(request: Request, exc: Exception) -> Response:
        e = cast(StarletteHTTPException, exc)
        detail = e.detail if isinstance(e.detail, str) else "error"
        if e.status_code == 404:
            detail = "no such page"
        response = error_response(request, e.status_code, "http_error", detail)
        for k, v in (e.headers or {}).items():
            response.headers[k] = v
        return response

    app.add_exception_handler(StarletteHTTPException, http_error)

    def invalid(request: Request, exc: Exception) -> Response:
        e = cast(RequestValidationError, exc)
        if wants_json(request):
            errors = [{"loc": [str(x) for x in err.get("loc", ())], "msg": err.get("msg", "")}
                      for err in e.errors()]
            return JSONResponse({"error": "invalid_request", "detail": "the request is "
                                 "invalid; see errors", "errors": errors}, status_code=422)
        msgs = "; ".join(f"{'.'.join(str(x) for x in err.get('loc', ())[1:])}: {err.get('msg')}"
                         for err in e.errors())
        return error_response(request, 422, "invalid_request", msgs or "invalid request")

    app.add_exception_handler(RequestValidationError, invalid)
