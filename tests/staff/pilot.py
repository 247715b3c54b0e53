"""Helpers for driving the staff console with Pilot."""

from __future__ import annotations

from textual.widgets import DataTable

from screens.app import make_app

from ..conftest import STAFF_PASSWORD


def staff_app(settings, lang="en"):
    return make_app(settings, "staff", lang)


async def settle(pilot, rounds: int = 3) -> None:
    """Let workers finish and the screen catch up."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
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
