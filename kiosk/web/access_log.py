"""The web server's access log (<home>/logs/web-access.jsonl, kiosk.logs): one JSON line per
request with the method, the path, the status and the time taken. Not the query string (an
Open311 api_key or a search can travel in it), not the tracking token of /t/<token> (whoever
holds it reads the case: the path is logged as /t/-), and of the client only its network (IPv4
/24, IPv6 /48): enough to see a flood, not to name a phone."""

from __future__ import annotations

import logging
import re
import time
from ipaddress import ip_network

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..logs import ACCESS_LOGGER

log = logging.getLogger(ACCESS_LOGGER)
SECRET_PATHS = (re.compile(r"^/t/[^/]+"), "/t/-"),


def loggable_path(path: str) -> str:
    """The request path with secrets blanked (and at most 200 characters)."""
    for pattern, replacement in SECRET_PATHS:
        path = pattern.sub(replacement, path)
    return path[:200]


def client_network(scope: Scope) -> str:
    client = scope.get("client")
    if not client:
        return "-"
    try:
        host = client[0]
        prefix = 48 if ":" in host else 24
        return str(ip_network(f"{host}/{prefix}", strict=False))
    except ValueError:
        return "-"


class AccessLog:
    """Plain ASGI middleware (no body copying). Placed inside ProxyHeadersMiddleware, so the
    client is the one nginx saw."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not log.isEnabledFor(logging.INFO):
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        status = 500  # an answer that never started

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            log.info("request", extra={"event": "request", "method": scope.get("method", ""),
                                       "path": loggable_path(scope.get("path", "")), "code": status,
                                       "ms": round((time.perf_counter() - started) * 1000, 1),
                                       "net": client_network(scope)})
