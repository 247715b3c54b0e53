"""The web's fault boundary: whatever a route raises that is not a deliberate KioskError (the
database locked past its busy timeout, PostgreSQL gone, a bug) becomes a calm 503 in Thai and
English — an HTML page for people, an Open311 error in JSON or XML for programs — and its
traceback goes to the error log (kiosk.faults), never to the client, never with local
variables. A full lane (base.Busy) is the same answer without a log entry: nothing broke, the
server only refuses work it could not do in time."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kiosk.faults import log_fault
from kiosk.i18n import translate

from .base import Busy, lang_of
from .pages import esc, page

RETRY_AFTER = {True: "1", False: "5"}  # busy: at once; a fault: give the database a moment


def unavailable(request: Request, *, busy: bool) -> Response:
    """The 503 answer for `request`, with nothing of what went wrong in it."""
    path = request.scope["path"]
    if path.startswith("/open311/"):
        from .open311 import error

        response = error("xml" if path.endswith(".xml") else "json", 503,
                         translate("open311.unavailable", lang_of(request)))
    else:
        body = "".join(f'<p lang="{lang}">{esc(translate("web.unavailable_body", lang))}</p>' for lang in ("th", "en"))
        title = " / ".join(translate("web.unavailable_title", lang) for lang in ("th", "en"))
        response = page(request, title=title, status_code=503,
                        main=f'<section class="unavailable" role="alert"><h1>{esc(title)}</h1>{body}</section>')
    response.headers["retry-after"] = RETRY_AFTER[busy]
    return response


class FaultBoundary:
    """Plain ASGI around the routes (inside the security headers, so a 503 carries them too)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:  # noqa: BLE001 - this is the boundary
            busy = isinstance(exc, Busy)
            if not busy:
                endpoint = getattr(scope.get("endpoint"), "__name__", "?")  # not the path: it may hold a token
                log_fault(exc, where=f"web {scope.get('method', '')} {endpoint}")
            if started:  # half an answer went out already: nothing better than to end it
                return
            await unavailable(Request(scope), busy=busy)(scope, receive, send)
