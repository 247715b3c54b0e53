"""The staff console: the same app over SSH or at a desk. Keeps the command palette (with the
current screen's actions in it), locks itself back to the login after a while without input."""

from __future__ import annotations

import os
from time import monotonic

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from kiosk.config import Settings
from kiosk.errors import KioskError
from kiosk.services import audit, case_view
from kiosk.services.staff import Actor

from .app import FOCUS_KEYS, KioskApp
from .faults import safely, service_work
from .login import LoginScreen

DEFAULT_IDLE_LOCK = 600  # seconds; KIOSK_STAFF_IDLE_LOCK overrides


class ScreenCommands(Provider):
    """The actions of the screen on top (queue filters, the case's allowed steps…)."""

    def _commands(self):
        screen = self.app.screen_stack[-1] if self.app.screen_stack else None
        # The palette itself is on top while it is open: look one below it.
        for candidate in reversed(self.app.screen_stack):
            if hasattr(candidate, "palette_commands"):
                screen = candidate
                break
        return screen.palette_commands() if screen is not None and hasattr(screen, "palette_commands") else []

    async def discover(self) -> Hits:
        for label, callback, help_text in self._commands():
            yield DiscoveryHit(label, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, callback, help_text in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), callback, help=help_text)


class StaffCommands(Provider):
    """The console's own places, whatever screen is on top, for the roles that may use them."""

    def _commands(self):
        app = self.app
        return app.staff_places() if isinstance(app, StaffApp) else []

    async def discover(self) -> Hits:
        for label, callback in self._commands():
            yield DiscoveryHit(label, callback)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, callback in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), callback)


class StaffApp(KioskApp):
    STAFF_WARNINGS = True  # the top bar may say what only staff should know (QR codes leading nowhere)
    COMMANDS = KioskApp.COMMANDS | {ScreenCommands, StaffCommands}
    BINDINGS = [Binding("ctrl+l", "toggle_language", "staff.key_language", priority=True),  # in dialogs too
                Binding("ctrl+o", "logout", "staff.key_logout"), *FOCUS_KEYS]

    def __init__(self, settings: Settings, *, lang: str | None = None) -> None:
        super().__init__(settings, lang=lang)
        self.actor: Actor | None = None
        self.working_lao: str | None = None  # the LAO a joint centre's own staff chose on the survey screens
        ssh = os.environ.get("SSH_CONNECTION", "").split()
        self.client = f"ssh:{ssh[0]}" if ssh else "console"
        raw = os.environ.get("KIOSK_STAFF_IDLE_LOCK", "")
        self.idle_lock = int(raw) if raw.isascii() and raw.isdigit() and int(raw) >= 5 else DEFAULT_IDLE_LOCK

    def on_mount(self) -> None:
        self.push_screen(LoginScreen())
        self.check_size()
        self.set_interval(1.0, self.lock_if_idle)
        self.collect_in_pauses()

    def lock_if_idle(self) -> None:
        """Back to the login after `idle_lock` seconds without a key or click (not while the app
        closes: its screens are gone before its timers)."""
        if self.screen_stack and self.actor is not None and monotonic() - self.last_input > self.idle_lock:
            actor, self.actor = self.actor, None  # locked first: a failed audit write must not keep it open
            self.audit_quietly("idle_lock", actor)
            self.reset_to(LoginScreen(message=self.t("staff.idle_locked")))

    def recover_from_fault(self, broken=None) -> None:
        """A broken screen and those above it are dropped; a broken base screen (the queue, the
        login) is drawn anew from the login. A fault in the app itself exits with code 3."""
        if broken is None:
            super().recover_from_fault(broken)
            return
        if broken in self.screen_stack:
            index = self.screen_stack.index(broken)
            if index >= 2:
                while len(self.screen_stack) > index:
                    self.pop_screen()
            else:
                self.actor = None
                self.reset_to(LoginScreen(message=self.t("errors.unavailable")))
                return
        self.notify_fault()

    def reset_to(self, screen) -> None:
        """Drop every screen (and the data they hold) and show `screen`."""
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(screen)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """Logging out is for someone logged in: not offered on the login screen."""
        if action == "logout":
            return self.actor is not None
        return True

    def logged_in(self, actor: Actor) -> None:
        self.actor = actor
        self.last_input = monotonic()
        if actor.at_least("officer"):
            from .queue import QueueScreen

            self.switch_screen(QueueScreen())
        else:
            from .staff_home import StaffHomeScreen

            self.switch_screen(StaffHomeScreen())
        self.call_after_refresh(self.freeze_long_lived)

    def action_logout(self) -> None:
        if self.actor is None:
            return
        actor, self.actor, self.working_lao = self.actor, None, None
        self.audit_quietly("logout", actor)
        self.reset_to(LoginScreen())

    def audit_quietly(self, action: str, actor: Actor) -> None:
        """Record a lock or logout; if the database cannot take it, the fault is logged and the
        console still locks."""
        try:
            safely(audit.record, action, actor=actor.username, client=self.client)
        except KioskError:
            pass

    def open_users(self) -> None:
        from .users import UsersScreen

        self.push_screen(UsersScreen())

    def staff_places(self) -> list[tuple[str, object]]:
        """(label, opener) of the places open to the logged-in role (the services check again)."""
        actor = self.actor
        if actor is None:
            return []
        places = [(self.t("staff.home"), self.open_home), (self.t("staff.survey_entry"), self.open_survey_entry),
                  (self.t("staff.survey_import"), self.open_survey_import), (self.t("register.title"), self.open_register),
                  (self.t("staff.about"), self.open_about)]
        if actor.at_least("officer"):
            places.append((self.t("staff.survey_teams"), self.open_survey_teams))
            places.append((self.t("staff.announcements"), self.open_announcements))
            places.append((self.t("signin.set_my_pin"), self.open_my_pin))
            places.append((self.t("inforeport.title"), self.open_info_report))
            places.append((self.t("committee.key_open"), self.open_committee))
        if actor.at_least("admin"):
            places += [(self.t("staff.centre_info"), self.open_centre_edit), (self.t("users.title"), self.open_users)]
        return places

    def open_my_pin(self) -> None:
        """The logged-in officer's (or above) own counter PIN; the service checks the role."""
        from .users import SetPinDialog

        if self.actor is not None and self.actor.at_least("officer"):
            self.push_screen(SetPinDialog(self.actor.username), self.my_pin_saved)

    def my_pin_saved(self, username: str | None) -> None:
        if username:
            self.notify(self.t("signin.pin_saved", username=username), markup=False)

    def open_about(self) -> None:
        """The program's version and its database's schema (no database call: see setup.about)."""
        from kiosk.services.setup import about

        from .notice import NoticeScreen

        facts = about(self.settings)
        self.push_screen(NoticeScreen(self.t("staff.about_title"), self.t(
            "staff.about_body", version=facts.version, schema=facts.schema, database=facts.database)))

    def open_committee(self) -> None:
        """The meeting's decisions (supervisors save them; officers list and print the agenda)."""
        from .committee import CommitteeScreen

        if self.actor is not None and self.actor.at_least("officer"):
            self.push_screen(CommitteeScreen())

    def open_home(self) -> None:
        from .staff_home import StaffHomeScreen

        if not isinstance(self.screen, StaffHomeScreen):
            self.push_screen(StaffHomeScreen())

    def open_survey_entry(self) -> None:
        from .survey_entry import SurveyEntryScreen

        if self.actor is not None and not isinstance(self.screen, SurveyEntryScreen):
            self.push_screen(SurveyEntryScreen())

    def open_survey_import(self) -> None:
        from .survey_entry import ImportSurveyDialog

        if self.actor is not None:
            self.push_screen(ImportSurveyDialog())

    def open_survey_teams(self) -> None:
        from .survey_teams import SurveyTeamsScreen

        if self.actor is not None and self.actor.at_least("officer") and not isinstance(self.screen, SurveyTeamsScreen):
            self.push_screen(SurveyTeamsScreen())

    def open_register(self) -> None:
        """The register of surveyed people; a volunteer sees their own team's (the service scopes)."""
        from .survey_register import RegisterScreen

        if self.actor is not None and not isinstance(self.screen, RegisterScreen):
            self.push_screen(RegisterScreen())

    def open_announcements(self) -> None:
        from .staff_announcements import AnnouncementsScreen

        if self.actor is not None and self.actor.at_least("officer"):
            self.push_screen(AnnouncementsScreen())

    def open_info_report(self) -> None:
        from .info_report import InfoReportScreen

        if self.actor is not None and self.actor.at_least("officer"):
            self.push_screen(InfoReportScreen())

    def open_centre_edit(self) -> None:
        from .centre_edit import CentreEditScreen

        if self.actor is not None and self.actor.at_least("admin"):
            self.push_screen(CentreEditScreen())

    def open_audit(self) -> None:
        from .audit_view import AuditScreen

        self.push_screen(AuditScreen())

    def open_case(self, case_id: int) -> None:
        """Load the case off the UI thread, then show its screen once, already filled in (a
        screen shown empty and re-drawn when the data arrives costs two layouts)."""
        self.opening_case = case_id
        self._load_case(case_id)

    @service_work(done="_show_case", failed="_case_failed", group="open-case")
    def _load_case(self, case_id: int):
        return case_view.case_detail(self.actor, case_id)

    def _show_case(self, detail, error: str = "") -> None:
        from .case_detail import CaseDetailScreen

        if self.actor is not None:  # not locked or logged out meanwhile
            self.push_screen(CaseDetailScreen(self.opening_case, detail, error))

    def _case_failed(self, exc: KioskError) -> None:
        self._show_case(None, self.error_text(exc))
