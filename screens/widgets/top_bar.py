"""The bar on top of every screen: the centre's name like a sign, a sample-data badge, in the
staff console a warning when the QR codes point at this machine, and the language toggle (Thai
first, English a touch away)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Label


class TopBar(Horizontal):
    def compose(self) -> ComposeResult:
        app = self.app
        yield Label(app.settings.centre_name(app.lang), id="centre-name", markup=False)
        if app.settings.sample:
            yield Label(app.t("app.sample_badge"), id="sample-badge", markup=False)
        if getattr(app, "STAFF_WARNINGS", False) and app.settings.public_url_is_local:  # never at the counter
            yield Label(app.t("app.local_url_badge"), id="local-url-badge", markup=False)
        yield Button(app.t("app.language_toggle"), id="language-toggle", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "language-toggle":
            event.stop()
            self.app.switch_language()  # a touch: no keys typed ahead to wait for
