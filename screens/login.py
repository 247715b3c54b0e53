"""Staff login: username and password, checked off the UI thread (argon2 is slow on purpose)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Input, Static

from kiosk.errors import KioskError
from kiosk.services import staff as staff_service

from .faults import service_work
from .widgets.next_field import NextFieldInput
from .widgets.staff_base import StaffFooter, StaffScreen
from .widgets.top_bar import TopBar


class LoginScreen(StaffScreen):
    CSS_PATH = "./login.tcss"  # "./": not a catalogue key
    AUTO_FOCUS = "#login-username"

    def __init__(self, message: str = "") -> None:
        super().__init__()
        self.message = message
        self.username = ""

    def compose(self) -> ComposeResult:
        yield TopBar()
        with Vertical(id="login", classes="dialog"):
            yield Static(self.t("login.title"), classes="dialog-title", markup=False)
            yield NextFieldInput(self.username, placeholder=self.t("login.username"), id="login-username", max_length=40,
                                 next_field="login-password")
            yield Input(placeholder=self.t("login.password"), id="login-password", password=True, max_length=200)
            yield Static(self.message, id="login-message", markup=False)
            settings = self.app.settings
            if settings.public_url_is_local:  # staff only: the receipt's and poster's QR codes lead nowhere
                yield Static(self.t("poster.local_url_warning", url=settings.public_base_url, path=settings.path),
                             id="login-local-url", markup=False)
            yield Button(self.t("login.submit"), id="login-submit", variant="primary")
        yield StaffFooter()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "login-username":
            self.username = event.value

    def on_input_submitted(self, event: Input.Submitted) -> None:  # the password's Enter
        event.stop()
        self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "login-submit":
            event.stop()
            self.submit()

    def submit(self) -> None:
        self.attempt(self.query_one("#login-username", Input).value,
                     self.query_one("#login-password", Input).value)

    @service_work(done="succeeded", failed="failed")
    def attempt(self, username: str, password: str) -> tuple[staff_service.Actor, list]:
        actor = staff_service.login(username, password, client=self.app.client)
        return actor, staff_service.login_notices(actor)

    def succeeded(self, result: tuple[staff_service.Actor, list]) -> None:
        actor, notices = result
        self.app.logged_in(actor)
        for key, params in notices:  # an old short PIN to change, wrong tries at the counter
            self.app.notify(self.app.t(key, **params), severity="warning", timeout=20, markup=False)

    def failed(self, exc: KioskError) -> None:
        message = self.message = self.app.error_text(exc)
        self.query_one("#login-message", Static).update(message)
        password = self.query_one("#login-password", Input)
        password.value = ""
        password.focus()
