"""Web security around every route: headers, cross-site request refusal, log redaction.

- Security headers (`SECURITY_HEADERS`, declared as data) on every response: a CSP that
  names no outside origin, X-Frame-Options DENY, nosniff, no referrer to other sites.
- CSRF: a state-changing request (POST, PUT, PATCH, DELETE) that rides on the session
  cookie must come from this site. Browsers send `Origin` with every cross-origin POST
  (and `Sec-Fetch-Site`); a request whose Origin/Referer names another host, or whose
  Sec-Fetch-Site is `cross-site`/`same-site`, is refused with 403. Requests with an
  `Authorization: Bearer` header cannot be forged by another site and pass. With the
  session cookie's SameSite=Lax this covers form posts and fetches alike.
- Access logs (`uvicorn.access`) never carry ids or search terms: the query string is
  dropped and the id after an entity path segment is replaced by `:id`.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]],
                   Awaitable[None]]

# the print button of the plan page (`onclick="window.print()"`) is the one inline handler
PRINT_HANDLER = "'sha256-MguIPR6qNR8D3B+eAlK+bIRTZe8t3wkOY4B/56Me9FU='"
CSP = "; ".join((
    "default-src 'self'",
    f"script-src 'self' 'unsafe-hashes' {PRINT_HANDLER}",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
SECURITY_HEADERS: dict[str, str] = {
    "content-security-policy": CSP,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


def cross_site_reason(scope: Scope) -> str | None:
    """Why this request looks forged by another site (None when it may pass)."""
    if scope.get("method") not in UNSAFE_METHODS:
        return None
    if (_header(scope, b"authorization") or "").lower().startswith("bearer "):
        return None
    fetch_site = _header(scope, b"sec-fetch-site")
    if fetch_site in ("cross-site", "same-site"):
        return f"Sec-Fetch-Site is {fetch_site}"
    host = (_header(scope, b"host") or "").lower()
    for name in (b"origin", b"referer"):
        value = _header(scope, name)
        if value:
            if value == "null":
                return f"{name.decode()} is null"
            if urlsplit(value).netloc.lower() != host:
                return f"{name.decode()} {urlsplit(value).netloc or value!r} is not this site"
            return None  # Origin wins over Referer
    return None


class SecurityMiddleware:
    """ASGI middleware: refuse cross-site writes, add SECURITY_HEADERS to every response."""

    def __init__(self, app: ASGIApp, headers: dict[str, str] | None = None) -> None:
        self.app = app
        self.headers = [(k.encode(), v.encode()) for k, v in (headers or SECURITY_HEADERS).items()]

    async def __call__(self, scope: Scope, receive, send) -> None:  # noqa: ANN001
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        reason = cross_site_reason(scope)
        if reason:
            body = json.dumps({"detail": f"cross-site request refused (CSRF): {reason}"}).encode()
            await send({"type": "http.response.start", "status": 403, "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()), *self.headers]})
            await send({"type": "http.response.body", "body": body})
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", ())}
                message["headers"] = list(message.get("headers", ())) + [
                    (k, v) for k, v in self.headers if k not in present
                ]
            await send(message)

        await self.app(scope, receive, with_headers)


ENTITY_SEGMENTS = ("properties", "property", "owners", "owner", "officials", "official",
                   "offices", "office", "networks", "network", "users")
_ID_AFTER = re.compile(r"/(" + "|".join(ENTITY_SEGMENTS) + r")/([^/?\s]+)")


def redact_path(path: str) -> str:
    """`path` without its query string and with entity ids replaced by `:id`."""
    path = path.split("?", 1)[0]
    return _ID_AFTER.sub(lambda m: f"/{m.group(1)}/:id", path)


class RedactAccessLog(logging.Filter):
    """Rewrite uvicorn access records so that no id or search term reaches the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], redact_path(args[2]), *args[3:])
        return True


def install_log_redaction() -> None:
    """Add RedactAccessLog to the uvicorn access logger once."""
    logger = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactAccessLog) for f in logger.filters):
        logger.addFilter(RedactAccessLog())
