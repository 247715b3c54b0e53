"""The centre's public information, for admins: names, phones, LINE, Facebook, directions,
coordinates and the week's hours. Saving goes through `centre_config.update_centre_info`, which
checks with the config file's own rules and writes the file; a refusal names the file, line,
field and problem (in the screen's language) and keeps everything typed."""

from __future__ import annotations

from datetime import time

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Static

from kiosk.config import DAYS, Settings
from kiosk.errors import ConfigError, KioskError
from kiosk.services import centre_config

from .faults import safely
from .widgets.staff_base import StaffFooter, StaffScreen
from .widgets.thai_input import ThaiInput
from .widgets.top_bar import TopBar

# form field → (config section, key); Thai free text gets a ThaiInput
FIELDS = {"name_th": ("centre", "name_th"), "name_en": ("centre", "name_en"), "phones": ("centre", "phones"),
          "line_id": ("centre", "line_id"), "facebook": ("centre", "facebook"),
          "directions_th": ("centre", "directions_th"), "directions_en": ("centre", "directions_en"),
          "latitude": ("centre", "latitude"), "longitude": ("centre", "longitude"),
          **{day: ("hours", day) for day in DAYS}}
THAI_FIELDS = {"name_th", "directions_th"}

# The config rules' problems (kiosk/config.py, in English) → catalogue keys
PROBLEMS = {
    'must be a list of phone numbers like ["053-731-000"]': "centre_edit.problem_phones",
    "must be inside Thailand (5–21)": "centre_edit.problem_latitude",
    "must be inside Thailand (97–106)": "centre_edit.problem_longitude",
    "must be a whole number or a number": "centre_edit.problem_number",
    "must be text": "centre_edit.problem_text",
    'must look like "08:30-16:30" or "closed"': "centre_edit.problem_hours",
    "closing time must be after opening time": "centre_edit.problem_closing",
    "must not be empty": "centre_edit.problem_empty",
}


def _hours_text(span: tuple[time, time] | None) -> str:
    return "closed" if span is None else f"{span[0]:%H:%M}-{span[1]:%H:%M}"


def form_values(s: Settings) -> dict[str, str]:
    """The settings as the form shows them (phones comma-separated, hours "08:30-16:30")."""
    return {"name_th": s.centre_name_th, "name_en": s.centre_name_en, "phones": ", ".join(s.phones),
            "line_id": s.line_id, "facebook": s.facebook, "directions_th": s.directions_th,
            "directions_en": s.directions_en, "latitude": str(s.latitude), "longitude": str(s.longitude),
            **{day: _hours_text(s.hours.get(day)) for day in DAYS}}


def config_value(name: str, typed: str) -> object:
    """What goes into the file: phones as a list, coordinates as numbers when they are numbers
    (anything else is written as text, which the config rules then refuse with their message)."""
    typed = typed.strip()
    if name == "phones":
        return [p.strip() for p in typed.split(",") if p.strip()]
    if name in ("latitude", "longitude"):
        try:
            return float(typed)
        except ValueError:
            return typed
    return typed


class CentreEditScreen(StaffScreen):
    CSS_PATH = "centre_edit.tcss"
    BINDINGS = [Binding("escape", "back", "case.key_back"), Binding("ctrl+s", "save", "centre_edit.save")]

    def __init__(self) -> None:
        super().__init__()
        self.saved: dict[str, str] = {}
        self.values: dict[str, str] = {}
        self.message, self.failed = "", False

    def compose(self) -> ComposeResult:
        if not self.values:
            self.saved = form_values(self.app.settings)
            self.values = dict(self.saved)
        yield TopBar()
        yield Static(self.t("centre_edit.title"), id="centre-title", markup=False)
        with VerticalScroll(id="centre-form"):
            for name in FIELDS:
                if name == DAYS[0]:
                    yield Static(self.t("centre_edit.hours_hint"), classes="centre-hint", markup=False)
                with Horizontal(classes="centre-row"):
                    yield Static(self.t(f"centre_edit.field_{name}"), classes="centre-label", markup=False)
                    widget = ThaiInput if name in THAI_FIELDS else Input
                    yield widget(self.values[name], id=f"c-{name}", compact=True, max_length=300)
        yield Static(self.message, id="centre-message", markup=False, classes="-error" if self.failed else "")
        with Horizontal(classes="dialog-buttons"):
            yield Button(self.t("centre_edit.save"), id="centre-save", variant="primary", compact=True)
            yield Button(self.t("case.key_back"), id="centre-back", compact=True)
        yield StaffFooter()

    def on_mount(self) -> None:
        self.query_one("#c-name_th", Input).focus()

    @on(Input.Changed)
    def remember(self, event: Input.Changed) -> None:
        self.values[(event.input.id or "").removeprefix("c-")] = event.value

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save() if event.button.id == "centre-save" else self.action_back()

    def changes(self) -> dict[tuple[str, str], object]:
        return {FIELDS[name]: config_value(name, typed) for name, typed in self.values.items()
                if typed != self.saved.get(name)}

    def action_save(self) -> None:
        changes = self.changes()
        if not changes:
            self.say(self.t("centre_edit.unchanged"))
            return
        try:
            settings = safely(centre_config.update_centre_info, self.app.actor, self.app.settings, changes)
        except ConfigError as exc:
            self.say(self.config_problem(exc), failed=True)
            self.focus_field(str(exc.params.get("field", "")))
            return
        except KioskError as exc:
            self.say(self.app.error_text(exc), failed=True)
            return
        self.app.settings = settings  # this console shows it at once; the counter after a restart
        self.saved = form_values(settings)
        self.values = dict(self.saved)
        self.say(self.t("centre_edit.saved"))

    def config_problem(self, exc: ConfigError) -> str:
        params = dict(exc.params)
        if exc.key == "errors.config":
            problem = str(params.get("problem", ""))
            params["problem"] = self.t(PROBLEMS[problem]) if problem in PROBLEMS else problem
        return self.t(exc.key, **params)

    def focus_field(self, field: str) -> None:
        for name, where in FIELDS.items():
            if field == ".".join(where):
                self.query_one(f"#c-{name}", Input).focus()

    def say(self, text: str, *, failed: bool = False) -> None:
        self.message, self.failed = text, failed
        message = self.query_one("#centre-message", Static)
        message.update(text)
        message.set_class(failed, "-error")

    def action_back(self) -> None:
        self.dismiss()
