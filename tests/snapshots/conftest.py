"""Snapshot tests: SVG pictures of the main screens (pytest-textual-snapshot), each taken at 80×24
and 120×40, in Thai and in English, of the real app driven by Pilot on the sample centre.

The pictures are made deterministic here: the wall clock stands still at `NOW` (time-machine;
Textual's timers run on the monotonic clock, which it leaves alone), the receipt's random token and
short code come from a seeded generator, animations are off and text cursors do not blink.

SVG draws Thai too wide (design.md, known traps): these pictures guard against regressions; they
are no proof that Thai lines up in a terminal (tests/e2e checks that in tmux).

A failed picture is shown beside the stored one in the HTML report whose path pytest prints. After
an intended change: `uv run pytest tests/snapshots --snapshot-update`, and look at every changed SVG."""

from __future__ import annotations

import base64
import random
import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import pytest
import time_machine
from textual.pilot import Pilot

from screens.app import make_app
from tests.intake.helpers import wait_for
from tests.staff.conftest import actors  # noqa: F401  (the staff fixture: one account per role)
from tests.staff.pilot import settle

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)  # a Wednesday, 10:00 in Bangkok: the centre is open
SIZES = ((80, 24), (120, 40))
LANGUAGES = ("th", "en")
VIEWS = [(size, lang) for size in SIZES for lang in LANGUAGES]


@pytest.fixture(autouse=True)
def clock():
    """Dates, ages, ticket years and "open now" read this clock; it stands still at NOW unless a
    test moves it (`clock.move_to(...)`) to make older cases."""
    with time_machine.travel(NOW, tick=False) as coordinates:
        yield coordinates


@pytest.fixture(autouse=True)
def seeded_secrets(monkeypatch):
    """The same case token (its QR code) and short code in every run."""
    rng = random.Random(2569)
    monkeypatch.setattr(secrets, "choice", rng.choice)
    monkeypatch.setattr(secrets, "token_urlsafe",
                        lambda nbytes=32: base64.urlsafe_b64encode(rng.randbytes(nbytes)).rstrip(b"=").decode())


@pytest.fixture(params=VIEWS, ids=[f"{w}x{h}-{lang}" for (w, h), lang in VIEWS])
def view(request) -> tuple[tuple[int, int], str]:
    """(terminal size, language) of the picture."""
    return request.param


def steady_cursors(app) -> None:
    """A blinking cursor would be in or out of the picture by chance: show it steadily."""
    for widget in app.screen.query("Input, TextArea"):
        widget.cursor_blink = False


async def reach(pilot: Pilot, screen: str) -> None:
    """Wait for the screen on top to be a `screen` (a class name: the tests never import the
    screens' modules, which may move) and for its workers to finish."""
    await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == screen)
    await settle(pilot)


Steps = Callable[[Pilot], Awaitable[None]]


@pytest.fixture
def picture(snap_compare, settings, db, view, monkeypatch):
    """`picture(mode, steps)`: start the app ("counter" or "staff") in the view's language and size
    on the `db` fixture's sample centre, let `steps` drive it with Pilot, and compare the screen
    with the stored SVG."""
    (size, lang) = view
    monkeypatch.delenv("NO_COLOR", raising=False)  # the pictures are in colour wherever they are taken

    def take(mode: str, steps: Steps) -> bool:
        app = make_app(settings, mode, lang)
        app.animation_level = "none"

        async def run_before(pilot: Pilot) -> None:
            await settle(pilot)  # the auto-pilot starts before the first screen is composed
            await steps(pilot)
            await settle(pilot)
            steady_cursors(pilot.app)

        return snap_compare(app, terminal_size=size, run_before=run_before)

    return take
