"""What every route module shares: the language of a request, the client's address, the
database lanes, and the caches.

**No database work on the event loop.** One slow query on the loop stalls every other client: 10
connections on the Open311 list once raised the status page's latency from 1.3 ms to seconds, and
500 left the server answering in 25-32 s after the attack. So every route that touches the
database runs in a worker thread, through a `Lane`: at most `threads` such calls at a time, at
most `waiting` more queued, and past that a 503 at once (`Busy`) instead of a queue that grows
without bound. The citizen's pages (and partners with an API key) have one lane, the anonymous
Open311 API another, so a flood on the API cannot starve the page behind a receipt's QR.

Peewee keeps one connection per thread (`thread_safe`); a worker thread opens its own once and
keeps it. A call that fails with anything but a KioskError also drops its thread's connection,
so whatever state the fault left it in, the next call starts on a fresh one (PostgreSQL's own
reconnect-and-retry-a-read is in db/connection.py)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import wraps

import anyio
import anyio.to_thread
from starlette.requests import Request

from db.models import database
from kiosk.config import LANGUAGES, Settings
from kiosk.errors import KioskError
from kiosk.i18n import translate

from .ratelimit import client_key


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


def lang_of(request: Request) -> str:
    """?lang=en|th, else the centre's default language."""
    if not request.scope.get("query_string"):  # the QR's link: no need to parse a query
        return settings_of(request).default_language
    lang = request.query_params.get("lang", "")
    return lang if lang in LANGUAGES else settings_of(request).default_language


def client_of(request: Request) -> str:
    """The client's address (X-Forwarded-For applied only from `[web] trusted_proxies`, see app.py)."""
    return request.client.host if request.client else "-"


def limit_key_of(request: Request) -> str:
    """What rate limits count a client by: its IPv4 address or IPv6 /64."""
    return client_key(client_of(request))


class Busy(Exception):
    """A lane is full: the caller answers 503 at once."""


class Lane:
    """Database work of one kind of route, in worker threads: `threads` at a time, `waiting` more
    queued, anything beyond refused with Busy. Admission is counted on the event loop (one
    thread), so the counter needs no lock."""

    def __init__(self, name: str, threads: int, waiting: int) -> None:
        self.name, self.threads, self.capacity = name, threads, threads + waiting
        self.admitted = 0
        self._limiter: anyio.CapacityLimiter | None = None

    async def run(self, fn: Callable, *args: object):
        """`fn(*args)` in a worker thread with that thread's database connection."""
        if self.admitted >= self.capacity:
            raise Busy(self.name)
        if self._limiter is None:  # made inside the running loop
            self._limiter = anyio.CapacityLimiter(self.threads)
        self.admitted += 1
        try:
            return await anyio.to_thread.run_sync(_with_database, fn, args, limiter=self._limiter)
        finally:
            self.admitted -= 1


def _with_database(fn: Callable, args: tuple):
    """Runs in the worker thread."""
    database.connect(reuse_if_open=True)
    try:
        return fn(*args)
    except KioskError:
        raise
    except Exception:
        _drop_connection()
        raise


def _drop_connection() -> None:
    """Forget this thread's connection, so its next call opens a fresh one."""
    try:
        database.close()
    except Exception:  # noqa: BLE001 - a connection that cannot even close: forget it all the same
        state = getattr(database.obj, "_state", None)
        if state is not None:
            state.reset()


HOLD = 2.0  # seconds a client over its rate limit waits for its 429
HOLD_BUSY = 1.0  # seconds an anonymous API client waits for a 503 when its lane is full


async def hold_back(seconds: float = HOLD) -> None:
    """Hold a refusal (429, or the anonymous API's 503) before sending it. A browser or bot asks
    again only after its answer, so a held connection is a quiet one: 500 connections of one
    client held 2 s each are at most 250 requests a second for the event loop, where instant
    429s let them take it whole, and every other client's request waited its turn behind
    theirs (measured: /t/{token} at 0.8 s p50 under such a flood, 4 ms with the hold). The
    work itself is refused at once: a held answer costs a sleeping coroutine, nothing more."""
    await anyio.sleep(seconds)


def lane_of(request: Request, name: str) -> Lane:
    return request.app.state.lanes[name]


def uses_database(lane: str) -> Callable[[Callable], Callable]:
    """A read-only endpoint written as a plain function, run whole (query and rendering) in a
    worker thread of `lane`."""

    def decorate(endpoint: Callable) -> Callable:
        @wraps(endpoint)
        async def run(request: Request):
            return await lane_of(request, lane).run(endpoint, request)

        return run

    return decorate


async def run_with_database(request: Request, lane: str, fn: Callable, *args: object):
    """From an async endpoint (one that awaited the form body): `fn(*args)` in `lane`."""
    return await lane_of(request, lane).run(fn, *args)


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
        self._lock = threading.Lock()  # pages render in worker threads

    def get(self, key: Hashable, render: Callable[[], bytes]) -> bytes:
        body = self._bodies.get(key)
        if body is None:
            body = render()
            with self._lock:
                self._bodies[key] = body
                while len(self._bodies) > self.size:
                    self._bodies.popitem(last=False)
        return body


class AnswerCache:
    """Answers many clients ask alike (the anonymous Open311 list), kept `ttl` seconds: within
    that time a repeated question costs no database work at all. When one runs out, one request
    makes the new answer and the others asking the very same question meanwhile get that answer
    too (or a 503 if making it failed): no stampede of identical queries into the lane. Bounded: the oldest go
    first. Used on the event loop only (no lock)."""

    def __init__(self, ttl: float = 5.0, size: int = 512, clock=time.monotonic) -> None:
        self.ttl, self.size, self.clock = ttl, size, clock
        self._answers: OrderedDict[Hashable, tuple[float, object]] = OrderedDict()
        self._filling: dict[Hashable, tuple[anyio.Event, list]] = {}

    async def get_or_fill(self, key: Hashable, fill: Callable) -> object:
        """The kept answer for `key`, else `await fill()` → (answer, keep?) made once for all
        who ask meanwhile; only an answer with keep=True is kept for later."""
        kept = self.get(key)
        if kept is not None:
            return kept
        if key in self._filling:
            done, outcome = self._filling[key]
            await done.wait()
            if isinstance(outcome[0], BaseException):  # logged once, by the request that met it
                raise Busy("the shared answer failed")
            return outcome[0]
        done, outcome = self._filling[key] = (anyio.Event(), [None])
        try:
            answer, keep = await fill()
            outcome[0] = answer
            if keep:
                self.put(key, answer)
            return answer
        except BaseException as exc:
            outcome[0] = exc
            raise
        finally:
            del self._filling[key]
            done.set()

    def get(self, key: Hashable) -> object | None:
        found = self._answers.get(key)
        if found is None:
            return None
        if found[0] <= self.clock():
            del self._answers[key]
            return None
        return found[1]

    def put(self, key: Hashable, answer: object) -> None:
        self._answers[key] = (self.clock() + self.ttl, answer)
        self._answers.move_to_end(key)
        while len(self._answers) > self.size:
            self._answers.popitem(last=False)
