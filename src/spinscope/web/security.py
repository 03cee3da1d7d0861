"""Security headers, request size limits and the API token check.

Article text, titles, outlet names and URLs are hostile input: templates autoescape
everything, pages load scripts and styles only from ``/static/`` (the CSP forbids inline
script and style attributes), and no page embeds source HTML.
"""

from __future__ import annotations

import hmac
import json

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from spinscope.web.config import WebSettings

__all__ = ["CSP", "BodyLimitMiddleware", "SecurityHeadersMiddleware", "TokenChecker",
           "WriteRefused"]

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'none'")

HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]


class SecurityHeadersMiddleware:
    """Adds the CSP and related headers to every HTTP response (errors included)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in HEADERS if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _TooLarge(Exception):
    pass


class BodyLimitMiddleware:
    """Refuses request bodies over ``max_bytes`` with 413, by header or while streaming."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for key, value in scope.get("headers", []):
            if key == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await self._refuse(send, 400, "invalid Content-Length header")
                    return
                if declared > self.max_bytes:
                    await self._refuse(send, 413, self._message())
                    return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(send, 413, self._message())

    def _message(self) -> str:
        return (f"request body is larger than {self.max_bytes} bytes; send less text "
                "(split long documents) or raise SPINSCOPE_MAX_BODY_BYTES")

    @staticmethod
    async def _refuse(send: Send, status: int, detail: str) -> None:
        body = json.dumps({"error": "request_too_large" if status == 413 else "bad_request",
                           "detail": detail}).encode()
        await send({"type": "http.response.start", "status": status, "headers": [
            (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
            (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


class WriteRefused(Exception):
    """A write endpoint was called without permission; ``status`` is 401 or 403."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


class TokenChecker:
    """Checks ``Authorization: Bearer <token>`` (or ``X-API-Key``) for write endpoints."""

    def __init__(self, web: WebSettings) -> None:
        self.web = web

    def __call__(self, request: Request) -> None:
        if self.web.read_only:
            raise WriteRefused(403, "this server is read-only (started with --read-only); "
                                    "writes are disabled")
        if not self.web.api_token:
            raise WriteRefused(403, "writes are disabled because no API token is set; start "
                                    "the server with SPINSCOPE_API_TOKEN=<secret>")
        given = request.headers.get("authorization", "")
        token = given[7:].strip() if given.lower().startswith("bearer ") else \
            request.headers.get("x-api-key", "")
        if not token:
            raise WriteRefused(401, "this endpoint needs the API token: send "
                                    "'Authorization: Bearer <token>'")
        if not hmac.compare_digest(token.encode(), self.web.api_token.encode()):
            raise WriteRefused(401, "wrong API token")
