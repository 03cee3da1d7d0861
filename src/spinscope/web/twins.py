"""Every HTML page has a ``.json`` twin: one handler, two routes, two renderings.

A page handler returns a ``Page`` (template name and data). ``twin_routes`` registers it at
``path`` (HTML through the template) and at ``path + ".json"`` (the same data as JSON), the
JSON route first so that ``/documents/{id}`` never swallows ``/documents/abc.json``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from fastapi import APIRouter, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response

__all__ = ["Page", "twin_routes"]


@dataclass(frozen=True)
class Page:
    """What a page shows: ``data`` (also the JSON twin) plus template-only ``extra``."""

    template: str
    data: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)
    status: int = 200


def twin_routes(router: APIRouter, path: str,
                active: str = "") -> Callable[[Callable[..., Page]], Callable[..., Page]]:
    """Register a page handler at ``path`` and ``path.json``; ``active`` marks the nav item."""

    def decorate(handler: Callable[..., Page]) -> Callable[..., Page]:
        @functools.wraps(handler)
        def as_json(*args: Any, **kwargs: Any) -> Response:
            page = handler(*args, **kwargs)
            return JSONResponse(jsonable_encoder(page.data), status_code=page.status)

        @functools.wraps(handler)
        def as_html(*args: Any, **kwargs: Any) -> Response:
            page = handler(*args, **kwargs)
            request = cast(Request, kwargs["request"])
            ctx = request.app.state.ctx
            context = {**page.data, **page.extra, "web": ctx.web, "active": active,
                       "json_url": _json_url(request)}
            return cast(Response, ctx.templates.TemplateResponse(
                request, page.template, context, status_code=page.status))

        json_path = "/index.json" if path == "/" else path + ".json"
        router.add_api_route(json_path, as_json, methods=["GET"], include_in_schema=False)
        router.add_api_route(path, as_html, methods=["GET"], include_in_schema=False)
        return handler

    return decorate


def _json_url(request: Request) -> str:
    url = request.url
    path = url.path.rstrip("/") or ""
    return (path or "/index") + ".json" + (f"?{url.query}" if url.query else "")
