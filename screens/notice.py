"""Two plain modals: a message with one button (choices not built yet, errors), and the notice
shown over everything while the terminal is smaller than the kiosk needs."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Static

from .base import KioskModal


class NoticeScreen(KioskModal):
    BINDINGS = [("escape", "dismiss", "")]

    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        self.title_text, self.body_text = title, body

    def compose(self) -> ComposeResult:
        with Vertical(id="notice", classes="dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.body_text, classes="dialog-body", markup=False)
            yield Button(self.t("app.ok"), id="notice-ok", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss()


class TooSmallScreen(KioskModal):
    """Shown over everything while the terminal is smaller than the kiosk needs."""

    def compose(self) -> ComposeResult:
        yield Static(id="too-small", markup=False)

    def on_mount(self) -> None:
        self.update_size()

    def on_screen_resume(self) -> None:
        """Back on top after a screen that opened above it (a worker finished while the terminal
        was small) has closed: the terminal may have grown meanwhile, and nobody would pop it."""
        if not self.app.too_small() and self.app.screen is self:
            self.app.pop_screen()
        else:
            self.update_size()

    def update_size(self, size: tuple[int, int] | None = None) -> None:
        w, h = size or self.app.size
        self.query_one("#too-small", Static).update(
            self.t("app.too_small", min_w=self.app.MIN_WIDTH, min_h=self.app.MIN_HEIGHT, w=w, h=h))
