"""`make_web_app(settings)`: the Starlette application behind `kiosk.py serve`.

Why Starlette: small, ASGI, forces no ORM or template engine, and the routes call the very same
`kiosk.services` functions as the Textual screens. Routes live in one module each
(status, info, open311, openapi); this file only assembles them and adds what every answer needs:
the client's real address (X-Forwarded-For believed from `[web] trusted_proxies` only, by
uvicorn's own ProxyHeadersMiddleware, applied here so the app is the same however it is run),
security headers, the fault boundary (boundary.py), the database lanes (base.py), the rate
limits and the caches."""

from __future__ import annotations

import sys
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from db.models import database
from kiosk.config import Settings
from kiosk.services.setup import open_kiosk

from . import info, open311, openapi, status
from .access_log import AccessLog
from .base import AnswerCache, Lane, PageCache
from .boundary import FaultBoundary
from .ratelimit import RateLimiter

STATIC = Path(__file__).parent / "static"
TRACK_LIMIT = (10, 600.0)  # lookups per client address per 10 minutes
# Database lanes: (worker threads, calls allowed to wait); past that a 503 at once. The
# citizens' pages (and keyed partners) and the anonymous Open311 API never wait for each other.
LANES = {"citizen": (4, 128), "open": (2, 16)}
ANSWER_TTL = 5.0  # seconds an anonymous Open311 answer is reused
SWITCH_INTERVAL = 0.0005  # seconds; see lifespan

SECURITY_HEADERS = [
    (b"content-security-policy",
     b"default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    """Adds the security headers to every answer, and `Cache-Control: no-store` to everything
    but the versioned static files (a case's page is cached by no one). Plain ASGI: no
    per-request task or body copying as BaseHTTPMiddleware would add."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() != b"cache-control"]
                headers += SECURITY_HEADERS
                headers.append((b"cache-control", b"public, max-age=86400" if static else b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _not_found(request: Request, exc: Exception):
    return status.not_found_page(request)


async def _server_error(request: Request, exc: Exception):
    """Answered outside the middleware stack, so it carries its own headers; says nothing inside."""
    headers = {k.decode(): v.decode() for k, v in SECURITY_HEADERS} | {"cache-control": "no-store"}
    return PlainTextResponse("500", status_code=500, headers=headers)


def make_web_app(settings: Settings, *, track_limit: tuple[int, float] = TRACK_LIMIT, open_db: bool = True,
                 lanes: dict[str, tuple[int, int]] | None = None) -> Starlette:
    """The web app for `settings`. With `open_db` it opens (and migrates) the configured database at
    start-up, as the CLI does; pass False when the caller has bound one already."""

    @asynccontextmanager
    async def lifespan(app: Starlette):
        # Database work runs in worker threads; while one holds the GIL, the event loop waits up
        # to the switch interval (5 ms by default) after every socket call to get it back, so a
        # few busy workers slowed every answer. 0.5 ms: measured 905 → 1577 answers a second
        # under a flood of uncached Open311 questions (tests/bench/status_page.py --abuse).
        before = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL)
        if open_db:
            open_kiosk(settings)
        yield
        sys.setswitchinterval(before)
        if not database.is_closed():
            database.close()

    app = Starlette(
        routes=[*status.routes, *open311.routes, *openapi.routes, *info.routes,
                Mount("/static", StaticFiles(directory=STATIC), name="static")],
        exception_handlers={404: _not_found, 500: _server_error},
        lifespan=lifespan,
        middleware=[Middleware(ProxyHeadersMiddleware, trusted_hosts=list(settings.trusted_proxies)),
                    Middleware(AccessLog), Middleware(SecurityHeaders), Middleware(FaultBoundary)],
    )
    app.state.settings = settings
    app.state.track_limiter = RateLimiter(*track_limit)
    app.state.open311_limiter = RateLimiter(settings.open311_per_minute, 60.0)
    app.state.lanes = {name: Lane(name, *size) for name, size in (lanes or LANES).items()}
    app.state.pages = PageCache()
    app.state.answers = AnswerCache(ANSWER_TTL)
    return app
