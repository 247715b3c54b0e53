"""Staff login: username and password, checked off the UI thread (argon2 is slow on purpose)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Input, Static

from kiosk.errors import KioskError
from kiosk.services import staff as staff_service

from .faults import service_work
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
            yield Input(self.username, placeholder=self.t("login.username"), id="login-username", max_length=40)
            yield Input(placeholder=self.t("login.password"), id="login-password", password=True, max_length=200)
            yield Static(self.message, id="login-message", markup=False)
            yield Button(self.t("login.submit"), id="login-submit", variant="primary")
        yield StaffFooter()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "login-username":
            self.username = event.value

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "login-username":
            self.query_one("#login-password", Input).focus()
        else:
            self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "login-submit":
            event.stop()
            self.submit()

    def submit(self) -> None:
        self.attempt(self.query_one("#login-username", Input).value,
                     self.query_one("#login-password", Input).value)

    @service_work(done="succeeded", failed="failed")
    def attempt(self, username: str, password: str) -> staff_service.Actor:
        return staff_service.login(username, password, client=self.app.client)

    def succeeded(self, actor: staff_service.Actor) -> None:
        self.app.logged_in(actor)

    def failed(self, exc: KioskError) -> None:
        message = self.message = self.app.error_text(exc)
        self.query_one("#login-message", Static).update(message)
        password = self.query_one("#login-password", Input)
        password.value = ""
        password.focus()
