"""The staff home: who is logged in and the places open to that role (the field survey's entry
form and file import for volunteers and above, its teams for officers and above, announcements
for officers and above, the centre's information for admins). Volunteers land here; officers and
above land on the queue and reach this screen from the command palette. Officers and above
also see how many wrong PINs and passwords were tried lately, and set their own counter PIN."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Static

from kiosk.errors import KioskError
from kiosk.services import staff as staff_service

from .faults import service_work
from .widgets.staff_base import StaffFooter, StaffScreen
from .widgets.top_bar import TopBar


class StaffHomeScreen(StaffScreen):
    CSS_PATH = "staff_home.tcss"
    BINDINGS = [Binding("s", "survey_entry", "staff.survey_entry"), Binding("u", "survey_import", "staff.survey_import"),
                Binding("r", "register", "register.key_open"), Binding("t", "survey_teams", "staff.survey_teams"),
                Binding("n", "announcements", "staff.announcements"), Binding("i", "centre_edit", "staff.centre_info")]
    NEEDS = {"announcements": "officer", "centre_edit": "admin", "my_pin": "officer", "survey_entry": "volunteer",
             "survey_import": "volunteer", "survey_teams": "officer", "register": "volunteer"}

    def allowed(self, action: str) -> bool:
        actor = self.app.actor
        return actor is not None and actor.at_least(self.NEEDS[action])

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        return self.allowed(action) if action in self.NEEDS else True

    def compose(self) -> ComposeResult:
        actor = self.app.actor
        yield TopBar()
        with VerticalScroll(id="staff-home"):
            yield Static(self.t("login.welcome", name=actor.full_name or actor.username,
                                role=self.t(f"role.{actor.role}")), id="staff-welcome", markup=False)
            if not actor.at_least("officer"):
                yield Static(self.t("staff.volunteer_home"), id="staff-not-ready", markup=False)
            if self.allowed("my_pin"):
                yield Static("", id="staff-failed", markup=False)
                yield Static("", id="staff-info-reminder", markup=False)  # INFO by the 5th (filled when due)
            with Horizontal(classes="staff-row"):  # the field survey
                yield Button(self.t("staff.survey_entry"), id="staff-survey-entry")
                yield Button(self.t("staff.survey_import"), id="staff-survey-import")
                yield Button(self.t("register.title"), id="staff-register")
                if self.allowed("survey_teams"):
                    yield Button(self.t("staff.survey_teams"), id="staff-survey-teams")
            if self.allowed("announcements"):
                with Horizontal(classes="staff-row"):
                    yield Button(self.t("staff.announcements"), id="staff-announcements")
                    if self.allowed("centre_edit"):
                        yield Button(self.t("staff.centre_info"), id="staff-centre")
                    if self.allowed("my_pin"):
                        yield Button(self.t("signin.set_my_pin"), id="staff-my-pin")
            yield Button(self.t("login.logout"), id="staff-logout")
        yield StaffFooter()

    def on_mount(self) -> None:
        self.fill()

    async def recompose(self) -> None:
        await super().recompose()
        self.fill()

    def fill(self) -> None:
        if self.allowed("my_pin"):
            self.count_failures()
            self.check_info_due()

    @service_work(done="show_info_due", failed="say_failures_quietly", group="staff-info")
    def check_info_due(self):
        from kiosk.services.info_report import reminder

        return reminder(self.app.actor)

    def show_info_due(self, due) -> None:
        from .info_report import reminder_text

        found = self.query("#staff-info-reminder")
        if found:
            found.first(Static).update(reminder_text(self, due) if due else "")

    def say_failures_quietly(self, exc: KioskError) -> None:
        """The reminder is a courtesy: a fault reading it is logged (by service_work), not shown."""

    @service_work(done="show_failures", failed="failures_unknown", group="staff-failed")
    def count_failures(self) -> staff_service.FailedAttempts:
        return staff_service.failed_attempts(self.app.actor)

    def show_failures(self, failed: staff_service.FailedAttempts) -> None:
        text = self.t("signin.failed_recent", hours=failed.hours, gate=failed.gate, login=failed.login)
        if self.app.actor is not None and self.app.actor.at_least("admin"):
            text += "\n" + self.t("signin.audit_hint")
        self.say_failures(text)

    def failures_unknown(self, exc: KioskError) -> None:
        self.say_failures(self.app.error_text(exc))

    def say_failures(self, text: str) -> None:
        if self.query("#staff-failed"):
            self.query_one("#staff-failed", Static).update(text)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        {"staff-logout": self.app.action_logout, "staff-announcements": self.action_announcements,
         "staff-centre": self.action_centre_edit, "staff-my-pin": self.action_my_pin,
         "staff-survey-entry": self.action_survey_entry, "staff-survey-import": self.action_survey_import,
         "staff-survey-teams": self.action_survey_teams, "staff-register": self.action_register}[event.button.id]()

    def action_survey_entry(self) -> None:
        self.app.open_survey_entry()

    def action_survey_import(self) -> None:
        self.app.open_survey_import()

    def action_survey_teams(self) -> None:
        self.app.open_survey_teams()

    def action_my_pin(self) -> None:
        self.app.open_my_pin()

    def action_register(self) -> None:
        self.app.open_register()

    def action_announcements(self) -> None:
        self.app.open_announcements()

    def action_centre_edit(self) -> None:
        self.app.open_centre_edit()

    def palette_commands(self):
        return [(self.t("login.logout"), self.app.action_logout, "")]
