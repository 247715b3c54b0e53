"""The landing screen for accounts with no case work (volunteers): who is logged in, and that
survey entry lives elsewhere. Officers and above land on the queue instead."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Static

from .widgets.staff_base import StaffFooter, StaffScreen
from .widgets.top_bar import TopBar


class StaffHomeScreen(StaffScreen):
    CSS_PATH = "staff_home.tcss"

    def compose(self) -> ComposeResult:
        actor = self.app.actor
        yield TopBar()
        with Vertical(id="staff-home"):
            yield Static(self.t("login.welcome", name=actor.full_name or actor.username,
                                role=self.t(f"role.{actor.role}")), id="staff-welcome", markup=False)
            yield Static(self.t("staff.volunteer_home"), id="staff-not-ready", markup=False)
            yield Button(self.t("login.logout"), id="staff-logout")
        yield StaffFooter()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "staff-logout":
            event.stop()
            self.app.action_logout()

    def palette_commands(self):
        return [(self.t("login.logout"), self.app.action_logout, "")]
