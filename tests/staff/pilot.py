"""Helpers for driving the staff console with Pilot."""

from __future__ import annotations

import asyncio

from textual.widgets import DataTable
from textual.worker import WorkerCancelled, WorkerFailed, WorkerState

from screens.app import make_app

from ..conftest import STAFF_PASSWORD


def staff_app(settings, lang="en"):
    return make_app(settings, "staff", lang)


async def workers_done(app) -> None:
    """Wait for the app's workers. A worker whose result closed its own dialog (`done="dismiss"`)
    is cancelled with the dialog when the dialog goes before the worker's task has finished — its
    work is done, and what it did is for the test to check. So are the workers of an app that is
    closing. A worker cancelled while its screen is still shown, or one that failed, is a fault."""
    workers = list(app.workers)
    await asyncio.gather(*(worker.wait() for worker in workers), return_exceptions=True)
    for worker in workers:
        if worker.state == WorkerState.ERROR:
            raise WorkerFailed(worker.error)
        if worker.state == WorkerState.CANCELLED and worker.node.is_attached and app.return_code is None:
            raise WorkerCancelled(f"{worker!r} was cancelled while its screen is shown")


async def settle(pilot, rounds: int = 3) -> None:
    """Let workers finish and the screen catch up."""
    for _ in range(rounds):
        await workers_done(pilot.app)
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
