"""The staff gate at the counter: a supervisor's or admin's PIN unlocks the way out of kiosk
mode and staff-assisted intake. Checking runs off the UI thread (argon2 is deliberately slow).
Leaving the gate any way but into staff-assisted intake locks it again."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Input, Static

from kiosk.errors import KioskError, Unavailable
from kiosk.services import staff as staff_service

from .base import KioskModal
from .faults import safely, service_work


class GateScreen(KioskModal):
    BINDINGS = [("escape", "leave", "")]

    def __init__(self) -> None:
        super().__init__()
        self.message = ""

    def compose(self) -> ComposeResult:
        """Drawn from `app.unlocked_by` and `message`, so a language toggle keeps the state."""
        actor = self.app.unlocked_by
        with Vertical(id="gate", classes="dialog"):
            yield Static(self.t("gate.title"), classes="dialog-title", markup=False)
            if not self.has_staff():
                yield Static(self.t("gate.no_staff"), classes="dialog-body", markup=False)
                yield Button(self.t("app.back"), id="gate-back")
                return
            if actor is None:
                yield Static(self.t("gate.pin_prompt"), classes="dialog-body", markup=False)
                yield Input(placeholder=self.t("gate.pin_placeholder"), password=True, restrict=r"[0-9]*",
                            max_length=8, id="gate-pin")
            message = self.t("gate.unlocked", name=actor.full_name or actor.username) if actor else self.message
            yield Static(message, id="gate-message", markup=False)
            with Vertical(id="gate-buttons"):
                if actor is None:
                    yield Button(self.t("gate.unlock"), id="gate-unlock", variant="primary")
                else:
                    yield Button(self.t("intake.staff_mode_button"), id="gate-intake", variant="primary")
                    yield Button(self.t("gate.exit_kiosk"), id="gate-exit", variant="error")
                yield Button(self.t("app.back"), id="gate-back")

    def has_staff(self) -> bool:
        """Whether anyone can unlock the gate; if the database cannot say, the PIN field shows
        (the PIN check then reports the fault)."""
        try:
            return safely(staff_service.has_staff)
        except KioskError:
            return True

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
            self.action_leave()

    def action_leave(self) -> None:
        self.app.unlocked_by = None
        self.dismiss()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.check_pin(event.value)

    @service_work(done="unlocked", failed="refused")
    def check_pin(self, pin: str) -> staff_service.Actor:
        return staff_service.unlock_with_pin(pin)

    def refused(self, exc: KioskError) -> None:
        text = self.message = self.app.error_text(exc)
        self.query_one("#gate-message", Static).update(text)
        if not isinstance(exc, Unavailable):  # a fault: the typed PIN stays, Enter tries again
            self.query_one("#gate-pin", Input).value = ""

    def unlocked(self, actor: staff_service.Actor) -> None:
        if not self.is_attached:  # left while the PIN was being checked
            return
        self.app.unlocked_by = actor
        self.refresh(recompose=True)
