""""Are you still there?": shown when the counter sits idle; any key or touch keeps the session,
else the countdown ends and the app discards every screen back to home."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Static

from .base import KioskModal


class IdleScreen(KioskModal):
    CSS_PATH = "idle.tcss"

    def __init__(self, seconds: int) -> None:
        super().__init__()
        self.remaining = seconds

    def compose(self) -> ComposeResult:
        with Vertical(id="idle", classes="dialog"):
            yield Static(self.t("idle.title"), classes="dialog-title", markup=False)
            yield Static(self.t("idle.body", seconds=self.remaining), id="idle-body", classes="dialog-body",
                         markup=False)
            yield Button(self.t("idle.still_here"), id="idle-stay", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#idle-stay").focus()
        self.set_interval(1, self.tick)

    def tick(self) -> None:
        self.remaining -= 1
        if self.remaining <= 0:
            self.app.reset_to_home()
        else:
            self.query_one("#idle-body", Static).update(self.t("idle.body", seconds=self.remaining))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss()

    def on_key(self, event: events.Key) -> None:
        event.stop()
        self.dismiss()
