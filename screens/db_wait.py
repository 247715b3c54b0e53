"""The counter started while its database could not be reached (a PostgreSQL server down or out
of reach, a SQLite file held locked): a calm "temporarily out of service" screen instead of an
exit, trying again every few seconds and giving way to the home screen once the database answers.
It has nothing to press: nobody's data is on it, and a person who comes is told to wait or to
ask the staff."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from kiosk.errors import KioskError
from kiosk.services.setup import open_when_back

from .base import KioskScreen
from .faults import service_work
from .widgets.top_bar import TopBar


class DatabaseWaitScreen(KioskScreen):
    RETRY = 5.0  # seconds between tries (a PostgreSQL connection gives up after 5 s: db/connection.py)

    def __init__(self) -> None:
        super().__init__()
        self.tries = 0

    def compose(self) -> ComposeResult:
        yield TopBar()
        with Vertical(id="db-wait", classes="dialog"):
            yield Static(self.t("app.db_down_title"), classes="dialog-title", markup=False)
            yield Static(self.t("app.db_down_body", seconds=round(self.RETRY)), classes="dialog-body", markup=False)

    def on_mount(self) -> None:
        self.set_timer(self.RETRY, self.try_open)

    @service_work(done="opened", failed="still_down")
    def try_open(self) -> None:
        self.tries += 1
        open_when_back(self.app.settings)

    def opened(self, _: None) -> None:
        self.app.database_down = False
        self.dismiss()

    def still_down(self, exc: KioskError) -> None:
        self.set_timer(self.RETRY, self.try_open)
