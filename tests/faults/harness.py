"""Fault injection for the UI boundary: one service function (patched where the screen looks it
up) raises a database fault or a bug until it is switched off, and the checks every scenario
shares — the app still runs, the calm `errors.unavailable` message shows in the app's language,
nothing typed leaks into a message or the fault log, the log is private and has the traceback.

The apps keep `reraise_faults` at its default, so under Pilot anything that gets past the
boundary re-raises and fails the scenario (screens/app.py)."""

from __future__ import annotations

import asyncio
import sqlite3
import stat
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import wraps
from pathlib import Path

import psycopg
from textual import events
from textual.widgets import Input, Static

from kiosk.i18n import translate
from tests.staff.pilot import workers_done


@dataclass(frozen=True)
class Fault:
    name: str
    make: Callable[[], BaseException]

    @property
    def signature(self) -> str:
        """How the traceback's last line names it, e.g. "OperationalError: database is locked"."""
        exc = self.make()
        return f"{type(exc).__qualname__}: {exc}"


FAULTS = (
    Fault("sqlite_locked", lambda: sqlite3.OperationalError("database is locked")),
    Fault("pg_gone", lambda: psycopg.OperationalError("server closed the connection unexpectedly")),
    Fault("bug", lambda: RuntimeError("boom")),
)


class Switch:
    """The patched service: raises the fault while on, and is the real function once off (the
    database came back). Counts its calls, so a scenario that never reached it cannot pass."""

    def __init__(self, original: Callable, fault: Fault) -> None:
        self.original, self.fault, self.on, self.calls = original, fault, True, 0

        @wraps(original)
        def service(*args, **kwargs):
            self.calls += 1
            if self.on:
                raise fault.make()
            return original(*args, **kwargs)

        self.service = service

    def off(self) -> None:
        self.on = False


@dataclass
class Trial:
    """One scenario run with one fault: the test's settings, its monkeypatch and fault log."""

    settings: object
    monkeypatch: object
    fault: Fault
    log: Path
    accounts: dict = field(default_factory=dict)  # role → Actor (the `actors` fixture, tests/conftest.py)

    @property
    def lang(self) -> str:
        """One run of the three is in English, so the message is checked in both languages."""
        return "en" if self.fault.name == "pg_gone" else "th"

    def inject(self, owner: object, name: str) -> Switch:
        """Make `owner.name` (a service module as the screen module imported it, or the screen
        module itself for a name it imported) raise this trial's fault."""
        switch = Switch(getattr(owner, name), self.fault)
        self.monkeypatch.setattr(owner, name, switch.service)
        return switch

    def assert_logged(self, secrets: tuple[str, ...] = ()) -> None:
        assert_fault_logged(self.log, self.fault.signature, secrets)


def assert_fault_logged(log: Path, signature: str, secrets: tuple[str, ...] = ()) -> None:
    """The fault log: private (0600), the exception (`signature`, as a traceback's last line
    names it) with its traceback, and none of `secrets` (tracebacks carry no local variables)."""
    assert log.exists(), "no fault log was written"
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and signature in text, text
    for secret in secrets:
        assert secret not in text, f"{secret!r} is in the fault log"


# -- what the screen shows --------------------------------------------------------------------

def notifications(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def statics(app) -> list[str]:
    return [str(w.render()) for w in app.screen.query(Static)]


def visible_text(app) -> str:
    """Everything the person can read now: the top screen's Static widgets and the toasts."""
    return "\n".join(statics(app) + notifications(app))


def unavailable(app) -> str:
    """The calm message in the app's language. The staff gate has its own: the general one says
    what was typed is kept, and a PIN or password never is (it is cleared on any refusal)."""
    key = "gate.unavailable" if type(app.screen).__name__ == "GateScreen" else "errors.unavailable"
    return translate(key, app.lang)


def messages(app) -> list[str]:
    """The texts that carry the fault message (a Static showing it, and every toast)."""
    calm = unavailable(app)
    return [text for text in statics(app) if calm in text] + notifications(app)


def input_value(app, selector: str) -> str:
    return app.screen.query_one(selector, Input).value


def assert_calm(app, trial: Trial, switch: Switch, *, screen: type | str, typed: tuple[str, ...] = (),
                shown: bool = True) -> None:
    """After the fault: the app runs on `screen`, the calm message in the app's language is on
    screen (`shown`), no typed value is in any message, the log has the fault and none of them."""
    assert switch.calls >= 1, "the scenario never reached the faulty service"
    assert app.is_running and app.return_code is None
    name = screen if isinstance(screen, str) else screen.__name__
    assert type(app.screen).__name__ == name, f"on {app.screen!r}, expected {name}"
    if shown:
        assert unavailable(app) in visible_text(app), visible_text(app)
    for value in typed:
        for text in messages(app):
            assert value not in text, f"{value!r} shown in {text!r}"
    trial.assert_logged(typed)


# -- driving ----------------------------------------------------------------------------------

async def settle(pilot, rounds: int = 3) -> None:
    """Let workers finish and the screen catch up (tests/staff/pilot.py: workers_done)."""
    for _ in range(rounds):
        await workers_done(pilot.app)
        if pilot.app.return_code is not None:
            return
        await pilot.pause()


async def wait_for(pilot, predicate: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting; screen is {pilot.app.screen!r}: {visible_text(pilot.app)}")
        await pilot.pause(0.02)
        await asyncio.sleep(0)


async def type_into(pilot, selector: str, text: str) -> None:
    """Focus a field, clear it and type `text` one key event per character (Pilot's `press`
    drops Thai tone marks)."""
    widget = pilot.app.screen.query_one(selector, Input)
    widget.focus()
    widget.value = ""
    await pilot.pause()
    for ch in text:
        widget.post_message(events.Key("space" if ch == " " else ch, ch))
    await pilot.pause()
    assert widget.value == text, (widget.value, text)


Scenario = Callable[[Trial], Awaitable[None]]


def registry() -> tuple[dict[str, Scenario], Callable[[str], Callable[[Scenario], Scenario]]]:
    """A SCENARIOS table and the decorator that fills it, keyed "module.Class.method"."""
    table: dict[str, Scenario] = {}

    def scenario(where: str) -> Callable[[Scenario], Scenario]:
        def register(fn: Scenario) -> Scenario:
            assert where not in table, where
            table[where] = fn
            return fn

        return register

    return table, scenario


async def click_again(pilot, selector: str) -> None:
    """Click a button a second time: a Button ignores clicks while its press effect (0.2 s) lasts,
    so wait for it to end (a fault answered within it would otherwise swallow the retry)."""
    await wait_for(pilot, lambda: not pilot.app.screen.query_one(selector).has_class("-active"))
    assert await pilot.click(selector), f"the click missed {selector}"
