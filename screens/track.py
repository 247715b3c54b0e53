"""The kiosk's track screen: ticket number + last four phone digits, or the 8-character tracking
code, or a scanned receipt link → the same public view as the status web page: one lookup and one
presentation, kiosk.services.public_case (never any person's data: the service returns none).
The app's idle reset takes it back home."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Static

from kiosk.errors import KioskError
from kiosk.services import centre, public_case

from .base import KioskScreen
from .faults import service_work
from .widgets.top_bar import TopBar


class TrackScreen(KioskScreen):
    CSS_PATH = "track.tcss"
    BINDINGS = [("escape", "go_home", "")]
    AUTO_FOCUS = "#track-ticket, #track-again"  # typing (or a scanner) goes straight to the ticket

    def __init__(self, token: str | None = None) -> None:
        super().__init__()
        self.token = token
        self.case: public_case.PublicCase | None = None
        self.error: KioskError | None = None
        self.ticket_text = self.last4_text = ""

    # -- drawing (from state: the language toggle recomposes) ---------------------------------
    def compose(self) -> ComposeResult:
        yield TopBar()
        with VerticalScroll(id="track"):
            yield Static(self.t("public_case.title"), id="track-title", markup=False)
            if self.case is not None:
                yield from self.case_view(self.case)
                with Horizontal(classes="track-buttons"):
                    yield Button(self.t("track.again"), id="track-again", variant="primary")
                    yield Button(self.t("track.home"), id="track-home")
                return
            yield Static(self.t("track.intro"), classes="track-intro", markup=False)
            yield Static(self.t("public_case.ticket_label"), classes="track-label", markup=False)
            yield Input(self.ticket_text, placeholder="WPK-69-00123", max_length=80, id="track-ticket")
            yield Static(self.t("public_case.last4_label"), classes="track-label", markup=False)
            yield Input(self.last4_text, placeholder="0000", restrict=r"[0-9๐-๙]*", max_length=4, id="track-last4")
            message = self.app.error_text(self.error) if self.error else ""
            yield Static(message, id="track-message", markup=False)
            with Horizontal(classes="track-buttons"):
                yield Button(self.t("public_case.submit"), id="track-submit", variant="primary")
                yield Button(self.t("track.home"), id="track-home")

    def case_view(self, case: public_case.PublicCase) -> ComposeResult:
        """The presented lines (the status page shows the same), the newest step first."""
        lang = self.app.lang  # a joint centre: the LAO that has the case now, and its contacts
        view = public_case.present(case, lang, centre.lao_contact(self.app.settings, case.agency_prefix, lang))
        for line in view.lines:
            if line.label:
                yield Static(line.label, classes="track-label", markup=False)
            if line.value:
                kind = f"kind-{view.status_kind}" if line.name == "status" else ""
                yield Static(line.value, id=f"track-case-{line.name}", classes=kind, markup=False)
        for step in view.steps:
            text = f"{step.when}  {step.status}" if step.status else step.when
            yield Static(text + (f"\n    {step.note}" if step.note else ""), classes="track-event", markup=False)

    # -- behaviour ------------------------------------------------------------------------------
    def on_mount(self) -> None:
        if self.token:
            self.lookup(token=self.token)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "track-ticket":
            self.ticket_text = event.value
        elif event.input.id == "track-last4":
            self.last4_text = event.value

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "track-ticket" and public_case.needs_last4(self.ticket_text):
            self.query_one("#track-last4", Input).focus()
            return
        self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "track-submit":
            self.submit()
        elif event.button.id == "track-again":
            self.case, self.error, self.ticket_text, self.last4_text = None, None, "", ""
            self.refresh(recompose=True)
        elif event.button.id == "track-home":
            self.action_go_home()

    def submit(self) -> None:
        self.lookup(typed=self.ticket_text, last4=self.last4_text)

    @service_work(done="show", failed="refused")
    def lookup(self, *, token: str = "", typed: str = "", last4: str = "") -> public_case.PublicCase:
        """Off the UI thread: the service reads the database."""
        return public_case.lookup(token=token, typed=typed, last4=last4)

    def refused(self, error: KioskError) -> None:
        self.error = error  # what was typed stays in the fields, to try again
        self.refresh(recompose=True)

    def show(self, case: public_case.PublicCase) -> None:
        self.case, self.error = case, None
        self.ticket_text = self.last4_text = ""  # nothing typed is kept once the case shows
        self.refresh(recompose=True)

    def action_go_home(self) -> None:
        if self.app.screen is self:
            self.app.pop_screen()
