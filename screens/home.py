"""The counter's home screen: four large, touch-friendly choices, the announcements while idle
(widgets/attract.py), and a scanned receipt link opening its case (widgets/scan_catcher.py)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.widgets import Button, Static

from .base import KioskScreen
from .notice import NoticeScreen
from .widgets.attract import AttractLoop
from .widgets.scan_catcher import ScanCatcher
from .widgets.top_bar import TopBar

CHOICES = ("ask_help", "track", "info", "staff")


class HomeScreen(ScanCatcher, KioskScreen):  # a scanned receipt QR opens its case
    def compose(self) -> ComposeResult:
        yield TopBar()
        with Vertical(id="home"):
            yield Static(self.t("home.welcome"), id="welcome", markup=False)
            with Grid(id="choices"):
                for key in CHOICES:
                    label = f"{self.t(f'home.{key}')}\n{self.t(f'home.{key}_hint')}"
                    yield Button(label, id=f"choice-{key}", classes="choice")
        yield AttractLoop()  # announcements while idle

    def on_button_pressed(self, event: Button.Pressed) -> None:
        choice = (event.button.id or "").removeprefix("choice-")
        if choice in CHOICES:
            event.stop()
            self.app.open_choice(choice)

    def not_ready(self, choice: str) -> None:
        self.app.push_screen(NoticeScreen(self.t("app.not_ready_title"),
                                          self.t("app.not_ready_body", name=self.t(f"home.{choice}"))))
