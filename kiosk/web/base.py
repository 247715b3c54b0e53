"""What every route module shares: the language of a request, the client's address, and the
database connection of whichever thread runs the work.

Peewee keeps one connection per thread (`thread_safe`); each thread opens its own once and keeps
it (no per-request connect with its four PRAGMAs, no connection shared between threads).

Read-only lookups (`uses_database`) run on the event loop itself: they are two indexed queries
of a fraction of a millisecond, and SQLite in WAL mode (like PostgreSQL) never makes a reader wait
for a writer, so the hop to the thread pool would cost more than the query (measured: 0.45 → see
tests/bench/status_page.py). Writes, and anything that may wait, go through
`run_with_database`, which runs in the thread pool."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import wraps

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from db.models import database
from kiosk.config import LANGUAGES, Settings
from kiosk.i18n import translate


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


def lang_of(request: Request) -> str:
    """?lang=en|th, else the centre's default language."""
    if not request.scope.get("query_string"):  # the QR's link: no need to parse a query
        return settings_of(request).default_language
    lang = request.query_params.get("lang", "")
    return lang if lang in LANGUAGES else settings_of(request).default_language


def client_of(request: Request) -> str:
    """The client's address (uvicorn applies X-Forwarded-For from trusted proxies)."""
    return request.client.host if request.client else "-"


def uses_database(endpoint: Callable) -> Callable:
    """A read-only endpoint written as a plain function, run on the event loop with the loop
    thread's connection."""

    @wraps(endpoint)
    async def run(request: Request):
        database.connect(reuse_if_open=True)
        return endpoint(request)

    return run


async def run_with_database(fn: Callable, *args: object):
    """From an async endpoint (one that awaited the form body): run `fn(*args)` in the pool with
    a database connection."""

    def call():
        database.connect(reuse_if_open=True)
        return fn(*args)

    return await run_in_threadpool(call)


class Tr:
    """`t(key, **params)` bound to one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, key: str, **params: object) -> str:
        return translate(key, self.lang, **params)


class PageCache:
    """Rendered page bodies, keyed by EVERYTHING the page shows (the public case itself, the
    language, the path). The key is read fresh from the database on every request, so a change
    made through the services shows on the very next one: nothing here can serve a stale page,
    it only spares re-rendering identical HTML. Bounded: the oldest entries go first."""

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self._bodies: OrderedDict[Hashable, bytes] = OrderedDict()
        self._lock = threading.Lock()  # /track renders in the thread pool

    def get(self, key: Hashable, render: Callable[[], bytes]) -> bytes:
        body = self._bodies.get(key)
        if body is None:
            body = render()
            with self._lock:
                self._bodies[key] = body
                while len(self._bodies) > self.size:
                    self._bodies.popitem(last=False)
        return body
