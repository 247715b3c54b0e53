"""The staff gate at the counter: a staff PIN (officer and up), or the staff member's own
username and password, unlocks what that role may do here: staff-assisted intake (officers and
up) and closing the kiosk program (supervisors and admins). Checking runs off the UI thread
(argon2 is deliberately slow); the services count wrong tries and say how long to wait.
Leaving the gate any way but into staff-assisted intake locks it again."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from kiosk.errors import KioskError, Unavailable
from kiosk.services import staff as staff_service

from .base import KioskModal
from .faults import safely, service_work
from .widgets.next_field import NextFieldInput


class GateScreen(KioskModal):
    CSS_PATH = "./gate.tcss"  # "./": not a catalogue key
    BINDINGS = [("escape", "leave", "")]

    def __init__(self) -> None:
        super().__init__()
        self.error: KioskError | None = None  # the last refusal, translated when drawn
        self.with_password = False  # username + password instead of a PIN
        self.username = ""
        self.pin_change = False  # unlocked with a PIN shorter than the rule: say so
        self.info_due = None  # kiosk.services.info_report.Reminder for whoever unlocked, when due

    def compose(self) -> ComposeResult:
        """Drawn from `app.unlocked_by` and the fields above, so a language toggle keeps the state."""
        actor = self.app.unlocked_by
        with Vertical(id="gate", classes="dialog"):
            yield Static(self.t("gate.title"), classes="dialog-title", markup=False)
            if not self.has_staff():
                yield Static(self.t("gate.no_staff"), classes="dialog-body", markup=False)
                yield Button(self.t("app.back"), id="gate-back")
                return
            if actor is None:
                yield from self.compose_locked()
            else:
                yield from self.compose_unlocked(actor)

    def compose_locked(self) -> ComposeResult:
        if self.with_password:
            yield Static(self.t("gate.password_prompt"), classes="dialog-body", markup=False)
            yield NextFieldInput(self.username, placeholder=self.t("login.username"), id="gate-username", max_length=40,
                                 next_field="gate-password")
            yield Input(placeholder=self.t("login.password"), password=True, id="gate-password", max_length=200)
        else:
            yield Static(self.t("gate.pin_prompt"), classes="dialog-body", markup=False)
            yield Input(placeholder=self.t("gate.pin_placeholder"), password=True, restrict=r"[0-9]*",
                        max_length=staff_service.MAX_PIN_DIGITS, id="gate-pin")
        yield Static(self.refusal_text(), id="gate-message", markup=False)
        with Horizontal(id="gate-row"):
            yield Button(self.t("gate.unlock"), id="gate-unlock", variant="primary")
            yield Button(self.t("gate.use_pin" if self.with_password else "gate.use_password"), id="gate-mode")
            yield Button(self.t("app.back"), id="gate-back")

    def compose_unlocked(self, actor: staff_service.Actor) -> ComposeResult:
        yield Static(self.t("gate.unlocked", name=actor.full_name or actor.username), id="gate-unlocked",
                     markup=False)
        if self.pin_change:
            yield Static(self.t("signin.pin_change_gate"), id="gate-pin-change", markup=False)
        settings = self.app.settings
        if settings.public_url_is_local:  # behind the staff gate only: citizens never see it
            yield Static(self.t("poster.local_url_warning", url=settings.public_base_url, path=settings.path),
                         id="gate-local-url", markup=False)
        yield Static(self.refusal_text(), id="gate-message", markup=False)
        yield Static(self.info_text(), id="gate-info", markup=False,  # INFO by the 5th, when due
                     classes="" if self.info_due else "hidden")
        may_exit = actor.at_least(staff_service.EXIT_ROLE)
        if not may_exit:
            yield Static(self.t("gate.exit_needs"), id="gate-exit-needs", markup=False)
        with Vertical(id="gate-buttons"):
            if actor.at_least(staff_service.INTAKE_ROLE):
                yield Button(self.t("intake.staff_mode_button"), id="gate-intake", variant="primary")
            if may_exit:
                yield Button(self.t("gate.exit_kiosk"), id="gate-exit", variant="error")
            yield Button(self.t("app.back"), id="gate-back")

    def has_staff(self) -> bool:
        """Whether anyone can unlock the gate; if the database cannot say, the PIN field shows
        (the PIN check then reports the fault)."""
        try:
            return safely(staff_service.has_staff)
        except KioskError:
            return True

    def refusal_text(self) -> str:
        """The last refusal in the current language (a toggle re-draws it)."""
        if isinstance(self.error, Unavailable):  # the general text says typing is kept: a secret is not
            return self.t("gate.unavailable")
        return self.app.error_text(self.error) if self.error is not None else ""

    def on_mount(self) -> None:
        self.focus_first()

    def focus_first(self) -> None:
        for selector in ("#gate-pin", "#gate-username", "#gate-intake", "#gate-back"):
            found = self.query(selector)
            if found:
                found.first().focus()
                return

    async def switch_mode(self) -> None:
        self.with_password = not self.with_password
        self.error = None
        await self.recompose()
        self.focus_first()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button = event.button.id
        if button == "gate-unlock":
            self.submit()
        elif button == "gate-mode":
            await self.switch_mode()
        elif button == "gate-exit":
            self.leave_kiosk(self.app.unlocked_by)
        elif button == "gate-intake":
            self.open_intake(self.app.unlocked_by)
        else:
            self.action_leave()

    def action_leave(self) -> None:
        self.app.unlocked_by = None
        self.dismiss()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "gate-username":
            self.username = event.value

    def on_input_submitted(self, event: Input.Submitted) -> None:  # the password's or PIN's Enter
        event.stop()
        self.submit()

    def submit(self) -> None:
        if self.with_password:
            username = self.query_one("#gate-username", Input).value
            password = self.query_one("#gate-password", Input).value
            if username.strip() and password:
                self.check_password(username, password)
        else:
            pin = self.query_one("#gate-pin", Input).value
            if pin:
                self.check_pin(pin)

    @service_work(done="unlocked", failed="refused", group="gate")
    def check_pin(self, pin: str) -> tuple[staff_service.Actor, bool]:
        actor = staff_service.unlock_with_pin(pin)
        return actor, staff_service.pin_needs_change(actor)

    @service_work(done="unlocked", failed="refused", group="gate")
    def check_password(self, username: str, password: str) -> tuple[staff_service.Actor, bool]:
        return staff_service.unlock_with_password(username, password), False

    def refused(self, error: KioskError) -> None:
        """Any refusal, a fault too, empties the PIN or password field: a secret left in a field on
        the public screen would unlock the gate for whoever pressed Enter once the fault cleared."""
        self.error = error
        if not self.is_attached:
            return
        self.query_one("#gate-message", Static).update(self.refusal_text())
        for selector in ("#gate-pin", "#gate-password"):
            for field in self.query(selector).results(Input):
                field.value = ""
                field.focus()

    def unlocked(self, result: tuple[staff_service.Actor, bool]) -> None:
        actor, pin_change = result
        if not self.is_attached:  # left while the PIN was being checked
            return
        self.app.unlocked_by = actor
        self.pin_change, self.error = pin_change, None
        self.refresh(recompose=True)
        self.call_after_refresh(self.focus_first)
        self.check_info_due(actor)

    @service_work(done="show_info_due", failed="info_unknown", group="gate-info")
    def check_info_due(self, actor: staff_service.Actor):
        from kiosk.services.info_report import reminder

        return reminder(actor)

    def show_info_due(self, due) -> None:
        self.info_due = due
        for line in self.query("#gate-info").results(Static):
            line.update(self.info_text())
            line.set_class(not due, "hidden")

    def info_text(self) -> str:
        from .info_report import reminder_text

        return reminder_text(self, self.info_due) if self.info_due else ""

    def info_unknown(self, _exc: KioskError) -> None:
        """A courtesy line: a fault reading it is logged (by service_work), the gate works on."""

    @service_work(done="start_intake", failed="refused", group="gate")
    def open_intake(self, actor: staff_service.Actor | None) -> staff_service.Actor:
        """The role is checked by the service again (a deactivation applies at once)."""
        return staff_service.authorize_intake(actor)

    def start_intake(self, actor: staff_service.Actor) -> None:
        from .intake.wizard import start_intake

        if not self.is_attached or self.app.unlocked_by is not actor:
            return
        self.dismiss()
        self.app.push_screen(start_intake("staff", actor))

    @service_work(done="close_kiosk", failed="refused", group="gate")
    def leave_kiosk(self, actor: staff_service.Actor | None) -> staff_service.Actor:
        return staff_service.authorize_exit(actor)

    def close_kiosk(self, _actor: staff_service.Actor) -> None:
        self.app.exit_kiosk()
