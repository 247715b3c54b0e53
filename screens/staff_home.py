"""The staff console's first screen after login: who is logged in and what they can open."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Footer, Static

from .base import KioskScreen
from .widgets.top_bar import TopBar


class StaffHomeScreen(KioskScreen):
    BINDINGS = [("ctrl+o", "logout", "logout")]

    def compose(self) -> ComposeResult:
        actor = self.app.actor
        yield TopBar()
        with Vertical(id="staff-home"):
            yield Static(self.t("login.welcome", name=actor.full_name or actor.username,
                                role=self.t(f"role.{actor.role}")), id="staff-welcome", markup=False)
            yield Static(self.t("staff.not_ready"), id="staff-not-ready", markup=False)
            yield Button(self.t("login.logout"), id="staff-logout")
        yield Footer()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "staff-logout":
            event.stop()
            self.action_logout()

    def action_logout(self) -> None:
        self.app.action_logout()
