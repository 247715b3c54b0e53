"""Step 1: the PDPA privacy notice. Refusing stores nothing and goes home."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Button, Markdown

from kiosk.services.privacy_notice import privacy_notice

from ..notice import NoticeScreen
from .wizard import StepScreen


class ConsentStep(StepScreen):
    FIRST_FOCUS = "consent-accept"

    def body(self) -> ComposeResult:
        yield Markdown(privacy_notice(self.app.lang), id="privacy-notice", open_links=False)  # no way out of the kiosk

    def nav_buttons(self) -> ComposeResult:
        yield Button(self.t("consent.accept"), id="consent-accept", variant="success")
        yield Button(self.t("consent.refuse"), id="consent-refuse", variant="error")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "consent-accept":
            event.prevent_default()
            self.form.consent = True
            self.action_next()
        elif event.button.id == "consent-refuse":
            event.prevent_default()
            self.refuse()

    def action_next(self) -> None:
        if self.form.consent is False:
            self.refuse()
        else:
            super().action_next()

    def refuse(self) -> None:
        """Nothing was stored: the state is dropped with this screen."""
        app = self.app
        app.reset_to_home()
        app.push_screen(NoticeScreen(app.t("consent.refused_title"), app.t("consent.refused_body")))
