"""Helpers for driving the staff console with Pilot."""

from __future__ import annotations

from textual.widgets import DataTable
from textual.worker import WorkerCancelled

from screens.app import make_app

from ..conftest import STAFF_PASSWORD


def staff_app(settings, lang="en"):
    return make_app(settings, "staff", lang)


async def settle(pilot, rounds: int = 3) -> None:
    """Let workers finish and the screen catch up. A worker whose result closes its own dialog
    (`done="dismiss"`) is cancelled with the dialog if the dialog goes before the worker's task
    has finished — its work is done; what it did is for the test's assertions to check."""
    for _ in range(rounds):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            pass
        await pilot.pause()


async def login(pilot, username: str = "officer", password: str = STAFF_PASSWORD) -> None:
    app = pilot.app
    app.screen.query_one("#login-username").value = username
    app.screen.query_one("#login-password").value = password
    app.screen.query_one("#login-password").focus()
    await pilot.press("enter")
    await settle(pilot)


def table_text(app, selector: str) -> list[list[str]]:
    table = app.screen.query_one(selector, DataTable)
    return [[str(getattr(c, "plain", c)) for c in table.get_row_at(i)] for i in range(table.row_count)]
