"""The staff gate at the counter: a supervisor's or admin's PIN unlocks the way out of kiosk
mode. Checking runs off the UI thread (argon2 is deliberately slow)."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from kiosk.errors import KioskError
from kiosk.services import staff as staff_service

from .base import KioskModal


class GateScreen(KioskModal):
    BINDINGS = [("escape", "dismiss", "")]

    def compose(self) -> ComposeResult:
        with Vertical(id="gate", classes="dialog"):
            yield Static(self.t("gate.title"), classes="dialog-title", markup=False)
            if not staff_service.has_staff():
                yield Static(self.t("gate.no_staff"), classes="dialog-body", markup=False)
                yield Button(self.t("app.back"), id="gate-back")
                return
            yield Static(self.t("gate.pin_prompt"), classes="dialog-body", markup=False)
            yield Input(placeholder=self.t("gate.pin_placeholder"), password=True, restrict=r"[0-9]*",
                        max_length=8, id="gate-pin")
            yield Static("", id="gate-message", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.t("gate.unlock"), id="gate-unlock", variant="primary")
                yield Button(self.t("app.back"), id="gate-back")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "gate-unlock":
            self.check_pin(self.query_one("#gate-pin", Input).value)
        elif event.button.id == "gate-exit":
            self.app.exit_kiosk()
        elif event.button.id == "gate-intake":
            from .intake.wizard import start_intake

            actor = self.app.unlocked_by
            self.dismiss()
            self.app.push_screen(start_intake("staff", actor))
        else:
            self.dismiss()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.check_pin(event.value)

    @work(thread=True, exclusive=True)
    def check_pin(self, pin: str) -> None:
        try:
            actor = staff_service.unlock_with_pin(pin)
        except KioskError as exc:
            self.app.call_from_thread(self.show_message, self.app.error_text(exc))
            return
        self.app.call_from_thread(self.unlocked, actor)

    def show_message(self, text: str) -> None:
        self.query_one("#gate-message", Static).update(text)
        self.query_one("#gate-pin", Input).value = ""

    def unlocked(self, actor: staff_service.Actor) -> None:
        self.app.unlocked_by = actor
        self.query_one("#gate-pin", Input).display = False
        self.query_one("#gate-unlock", Button).display = False
        self.show_message(self.t("gate.unlocked", name=actor.full_name or actor.username))
        self.query_one(".dialog-buttons").mount(Button(self.t("gate.exit_kiosk"), id="gate-exit", variant="error"),
                                                before=0)
        self.query_one(".dialog-buttons").mount(Button(self.t("intake.staff_mode_button"), id="gate-intake",
                                                       variant="primary"), before=0)
