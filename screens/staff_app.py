"""The staff console: the same app over SSH or at a desk. Keeps the command palette."""

from __future__ import annotations

import os

from kiosk.config import Settings
from kiosk.services import audit
from kiosk.services.staff import Actor

from .app import KioskApp
from .login import LoginScreen


class StaffApp(KioskApp):
    BINDINGS = [("ctrl+l", "toggle_language", "ไทย/EN")]

    def __init__(self, settings: Settings, *, lang: str | None = None) -> None:
        super().__init__(settings, lang=lang)
        self.actor: Actor | None = None
        ssh = os.environ.get("SSH_CONNECTION", "").split()
        self.client = f"ssh:{ssh[0]}" if ssh else "console"

    def on_mount(self) -> None:
        self.push_screen(LoginScreen())
        self.check_size()

    def logged_in(self, actor: Actor) -> None:
        from .staff_home import StaffHomeScreen

        self.actor = actor
        self.switch_screen(StaffHomeScreen())

    def action_logout(self) -> None:
        if self.actor is not None:
            audit.record("logout", actor=self.actor.username, client=self.client)
        self.actor = None
        self.switch_screen(LoginScreen())
