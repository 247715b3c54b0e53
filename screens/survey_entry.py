"""The survey entry form: a volunteer or a clerk types a household from a paper form (or re-surveys
one found by its house number and หมู่) — the household and all its members on one screen,
keyboard first. Saving builds the same rows a spreadsheet gives and goes through the one
validation and the one import (kiosk.services.survey_entry → surveys.import_rows); the issues
appear in the screen's language beside the member they belong to, and nothing typed is lost. A
saved household clears the form for the next one of the same walk (team, surveyor, date, หมู่ and
village stay). Volunteers pick only their own team (the service checks again).

Keys: ctrl+s save, ctrl+n add a member, ctrl+r remove the member being typed, ctrl+f find a
household to re-survey, Escape back. Also the spreadsheet import (ImportSurveyDialog)."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, OptionList, Select, SelectionList, Static

from kiosk.errors import KioskError
from kiosk.services import survey_entry, surveys
from kiosk.services.intake import DOC_TYPES, HEALTH
from kiosk.services.survey_rows import LIVING_SITUATIONS, VULNERABILITIES, Issue, code_label, needs_codes
from kiosk.thai.dates import format_be_date

from .faults import safely, service_work
from .widgets import lao_pick
from .widgets.staff_base import StaffFooter, StaffModal, StaffScreen, safe
from .widgets.thai_input import ThaiInput
from .widgets.top_bar import TopBar

KEEP_FOR_NEXT = ("moo", "village", "team", "surveyor", "surveyed_on")  # the same walk's next household


def _codes(text: str) -> list[str]:
    return [c for c in (text or "").split(",") if c]


class Field(Vertical):
    """A label over its input (the label a catalogue key)."""

    def __init__(self, label: str, widget: Widget, **kwargs) -> None:
        super().__init__(**kwargs)
        self.label, self.widget = label, widget

    def compose(self) -> ComposeResult:
        yield Static(self.label, classes="field-label", markup=False)
        yield self.widget


class MemberBlock(Vertical):
    """One household member's part of the form; `values` is the screen's own dict for them."""

    def __init__(self, values: dict[str, str], number: int) -> None:
        super().__init__(classes="member")
        self.values, self.number = values, number

    def t(self, key: str, **params) -> str:
        return self.app.t(key, **params)

    def compose(self) -> ComposeResult:
        v, t = self.values, self.t
        with Horizontal(classes="member-head"):
            yield Static(t("survey_entry.entry_member", n=self.number), classes="member-title", markup=False)
            remove = Button(t("survey_entry.entry_remove_member"), classes="member-remove", compact=True)
            remove.can_focus = False  # Tab goes from field to field; ctrl+r removes the member being typed
            yield remove
        yield Static("", classes="member-issues", markup=False)  # under the member's title: seen first
        with Grid(classes="row3"):
            yield Field(t("survey.col_prefix"), ThaiInput(v["prefix"], name="prefix", compact=True, max_length=40,
                                                                     classes="first-field"))
            yield Field(t("survey.col_first_name"), ThaiInput(v["first_name"], name="first_name", compact=True,
                                                             max_length=120, layout_hint=True))
            yield Field(t("survey.col_last_name"), ThaiInput(v["last_name"], name="last_name", compact=True,
                                                            max_length=120, layout_hint=True))
        with Grid(classes="row4"):
            yield Field(t("survey.col_doc_number"), Input(v["doc_number"], name="doc_number", compact=True,
                                                         max_length=40))
            yield Field(t("survey.col_doc_type"), Select(
                [(t(f"case.doc_{d}"), d) for d in DOC_TYPES], value=v["doc_type"] or Select.NULL, name="doc_type",
                compact=True, prompt=t("survey_entry.entry_doc_auto")))
            yield Field(t("survey_entry.entry_birth_date"), Input(v["birth_date"], name="birth_date", compact=True,
                                                          max_length=20, placeholder=t("survey_entry.entry_date_hint")))
            yield Field(t("survey.col_phone"), Input(v["phone"], name="phone", compact=True, max_length=30))
        yield Static(t("survey.col_vulnerabilities"), classes="field-label", markup=False)
        flags = set(_codes(v["vulnerabilities"]))
        with Grid(classes="flags"):
            for code in VULNERABILITIES:
                yield Checkbox(code_label("vulnerabilities", code, self.app.lang), code in flags, name=f"v:{code}",
                               compact=True)
        with Grid(classes="row2"):
            yield Field(t("survey.col_living_situation"), Select(
                [(code_label("living_situation", c, self.app.lang), c) for c in LIVING_SITUATIONS],
                value=v["living_situation"] or Select.NULL, name="living_situation", compact=True,
                prompt="—"))
            needs = set(_codes(v["needs"]))
            yield Field(t("survey.col_needs"), SelectionList[str](
                *((code_label("needs", c, self.app.lang), c, c in needs) for c in needs_codes()), name="needs",
                compact=True))
        yield Field(t("survey.col_note"), ThaiInput(v["note"], name="note", compact=True, max_length=2000))

    def show_issues(self, issues: list[Issue]) -> None:
        """The row's issues under the member, each field named in error marked."""
        lines = [issue_line(self.app, i) for i in issues]
        box = self.query_one(".member-issues", Static)
        box.update(Text("\n".join(lines)))
        box.display = bool(lines)
        bad = {i.column for i in issues if i.error}
        for widget in self.query("Input, Select, SelectionList"):
            widget.set_class(widget.name in bad, "-flagged")
        self.query_one(".flags").set_class("vulnerabilities" in bad, "-flagged")


def issue_line(app, issue: Issue) -> str:
    """"ชื่อ: …" in the screen's language (the form has no file rows)."""
    label = app.t(f"survey.col_{issue.column}") if not issue.column.startswith("_") else ""
    text = app.t(issue.key, **issue.params)
    mark = "✗ " if issue.error else "ⓘ "
    return mark + (f"{label}: {text}" if label else text)


class SurveyEntryScreen(StaffScreen):
    CSS_PATH = "survey_entry.tcss"
    BINDINGS = [Binding("escape", "back", "case.key_back"), Binding("ctrl+s", "save", "survey_entry.entry_save"),
                Binding("ctrl+n", "add_member", "survey_entry.entry_add_member"),
                Binding("ctrl+r", "remove_member", "survey_entry.entry_remove_member"),
                Binding("ctrl+f", "find", "survey_entry.entry_find"),
                Binding("ctrl+g", "lao", "staff.key_lao")]

    def __init__(self) -> None:
        super().__init__()
        self.household = survey_entry.blank_household()
        self.members: list[dict[str, str]] = [survey_entry.blank_member()]
        self.import_key = ""
        self.resurvey: int | None = None  # the household re-surveyed, when found
        self.teams: list[surveys.TeamRow] | None = None  # None: not read yet (or the read failed)
        self.teams_error = ""
        self.message, self.failed, self.saving = "", False, False
        self.household_issues: list[Issue] = []
        self.member_issues: dict[int, list[Issue]] = {}

    # -- compose from state (a language switch re-draws everything typed) --------------------
    def compose(self) -> ComposeResult:
        if self.teams is None:
            self.load_teams()
        h, t = self.household, self.t
        yield TopBar()
        title = t("survey_entry.entry_resurvey", no=h["house_no"] or "-", moo=h["moo"] or "-") if self.resurvey else \
            t("survey_entry.entry_title")
        yield Static(title, id="entry-title", markup=False)
        if lao_pick.may_pick(self.app):  # a joint centre's own staff: whose survey this is, and how to change it
            yield Static(t("staff.working_for", lao=lao_pick.lao_name(self.app, self.lao())), id="entry-lao",
                         markup=False)
        with VerticalScroll(id="entry-form"):
            with Grid(classes="row3"):
                yield Field(t("survey.col_house_no"), Input(h["house_no"], name="house_no", id="e-house_no",
                                                           compact=True, max_length=20))
                yield Field(t("survey.col_moo"), Input(h["moo"], name="moo", compact=True, max_length=12))
                yield Field(t("survey.col_village"), ThaiInput(h["village"], name="village", compact=True,
                                                              max_length=120))
            with Grid(classes="row3"):
                yield Field(t("survey.col_team"), Select(self.team_options(), value=self.team_value(), name="team",
                                                        id="e-team", compact=True, prompt="—"))
                yield Field(t("survey.col_surveyor"), Select(self.surveyor_options(), value=self.surveyor_value(),
                                                            name="surveyor", id="e-surveyor", compact=True,
                                                            prompt="—"))
                yield Field(t("survey_entry.entry_surveyed_on"), Input(h["surveyed_on"], name="surveyed_on", compact=True,
                                                               max_length=20))
            with Grid(classes="row3"):
                yield Field(t("survey.col_latitude"), Input(h["latitude"], name="latitude", compact=True,
                                                           max_length=20))
                yield Field(t("survey.col_longitude"), Input(h["longitude"], name="longitude", compact=True,
                                                            max_length=20))
                yield Checkbox(t("survey_entry.entry_consent"), h["consent"] == "yes", name="consent", id="e-consent",
                               compact=True)
            yield Static(self.basis_text(), id="entry-basis", markup=False)
            yield Static("", id="household-issues", markup=False)
            with Vertical(id="members"):
                for n, values in enumerate(self.members, start=1):
                    yield MemberBlock(values, n)
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("survey_entry.entry_add_member"), id="entry-add", compact=True)
                yield Button(t("survey_entry.entry_save"), id="entry-save", variant="primary", compact=True)
                yield Button(t("survey_entry.entry_find"), id="entry-find", compact=True)
                yield Button(t("case.key_back"), id="entry-back", compact=True)
        yield Static(self.message, id="entry-message", markup=False, classes="-error" if self.failed else "")
        yield StaffFooter()

    def on_mount(self) -> None:
        self.after_compose()

    async def recompose(self) -> None:
        await super().recompose()
        self.after_compose()

    def after_compose(self) -> None:
        self.show_issues()
        self.query_one("#e-house_no", Input).focus()

    # -- teams ------------------------------------------------------------------------------
    def load_teams(self) -> None:
        """The teams the actor may pick (a volunteer: their own); a quick read on the UI thread.
        If the database cannot answer, the list stays unread (empty) and the next redraw (ctrl+l)
        reads it again, with everything typed kept; leaving the form would lose it."""
        try:
            self.teams = safely(surveys.list_teams, self.app.actor, self.lao(),
                                active_only=True)
        except KioskError as exc:
            self.teams = None
            self.teams_error = self.app.error_text(exc)
            self.message, self.failed = self.teams_error, True
            return
        if self.teams_error and self.message == self.teams_error:  # read now: that message is stale
            self.message, self.failed = "", False
        self.teams_error = ""
        if len(self.teams) == 1 and not self.household["team"]:
            self.household["team"] = self.teams[0].name
        if not self.household["surveyor"]:  # the volunteer's own name, when their login is a surveyor
            for m in self.team_members():
                if m.username and m.username == self.app.actor.username:
                    self.household["surveyor"] = m.name

    def team_options(self) -> list[tuple[Text, str]]:
        return [(safe(team.name, one_line=True), team.name) for team in self.teams or []]

    def team_value(self):
        return self.household["team"] if any(t.name == self.household["team"] for t in self.teams or []) \
            else Select.NULL

    def team_members(self) -> list[surveys.MemberRow]:
        for team in self.teams or []:
            if team.name == self.household["team"]:
                return list(team.members)
        return []

    def surveyor_options(self) -> list[tuple[Text, str]]:
        return [(safe(m.name, one_line=True), m.name) for m in self.team_members()]

    def surveyor_value(self):
        return self.household["surveyor"] if any(m.name == self.household["surveyor"] for m in self.team_members()) \
            else Select.NULL

    # -- what is typed ----------------------------------------------------------------------
    def block_of(self, widget: Widget) -> MemberBlock | None:
        for node in widget.ancestors:
            if isinstance(node, MemberBlock):
                return node
        return None

    def values_for(self, widget: Widget) -> dict[str, str]:
        block = self.block_of(widget)
        return block.values if block is not None else self.household

    @on(Input.Changed)
    def typed(self, event: Input.Changed) -> None:
        if event.input.name:
            self.values_for(event.input)[event.input.name] = event.value

    @on(Select.Changed)
    def chosen(self, event: Select.Changed) -> None:
        name = event.select.name or ""
        value = "" if event.value is Select.NULL else str(event.value)
        values = self.values_for(event.select)
        if values.get(name) == value:
            return
        values[name] = value
        if name == "team":
            self.household["surveyor"] = ""
            surveyor = self.query_one("#e-surveyor", Select)
            surveyor.set_options(self.surveyor_options())

    @on(Checkbox.Changed)
    def ticked(self, event: Checkbox.Changed) -> None:
        name = event.checkbox.name or ""
        if name == "consent":
            self.household["consent"] = "yes" if event.value else ""
        elif name.startswith("v:"):
            values = self.values_for(event.checkbox)
            flags = set(_codes(values["vulnerabilities"]))
            flags.add(name[2:]) if event.value else flags.discard(name[2:])
            values["vulnerabilities"] = ",".join(c for c in VULNERABILITIES if c in flags)
        self.query_one("#entry-basis", Static).update(self.basis_text())

    @on(SelectionList.SelectedChanged)
    def needs_changed(self, event: SelectionList.SelectedChanged) -> None:
        self.values_for(event.selection_list)["needs"] = ",".join(event.selection_list.selected)

    def basis_text(self) -> str:
        """The legal basis the record will carry, as the flags stand."""
        health = any(set(_codes(m["vulnerabilities"])) & set(HEALTH) for m in self.members)
        if not health:
            return self.t("survey_entry.entry_basis_public")
        return self.t("survey_entry.entry_basis_consent" if self.household["consent"] == "yes" else
                      "survey_entry.entry_basis_needs_consent")

    # -- members ----------------------------------------------------------------------------
    def current_block(self) -> MemberBlock | None:
        focused = self.focused
        return self.block_of(focused) if focused is not None else None

    async def action_add_member(self) -> None:
        values = survey_entry.blank_member()
        self.members.append(values)
        block = MemberBlock(values, len(self.members))
        await self.query_one("#members", Vertical).mount(block)
        self.call_after_refresh(self.focus_member, block)

    def focus_member(self, block: MemberBlock) -> None:
        if block.is_attached:
            block.query_one(".first-field", Input).focus()

    async def action_remove_member(self, block: MemberBlock | None = None) -> None:
        block = block or self.current_block()
        if block is None:
            return
        index = next(i for i, m in enumerate(self.members) if m is block.values)
        self.members.pop(index)
        self.member_issues = {}  # their numbers moved: the next save says them again
        if not self.members:
            self.members.append(survey_entry.blank_member())
        await self.recompose_members()
        blocks = list(self.query(MemberBlock))
        self.call_after_refresh(self.focus_member, blocks[min(index, len(blocks) - 1)])

    async def recompose_members(self) -> None:
        box = self.query_one("#members", Vertical)
        await box.remove_children()
        await box.mount_all([MemberBlock(values, n) for n, values in enumerate(self.members, start=1)])
        self.show_issues()
        self.query_one("#entry-basis", Static).update(self.basis_text())

    @on(Button.Pressed)
    async def pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button = event.button
        if button.has_class("member-remove"):
            await self.action_remove_member(self.block_of(button))
            return
        actions = {"entry-add": self.action_add_member, "entry-save": self.action_save,
                   "entry-find": self.action_find, "entry-back": self.action_back}
        result = actions[button.id or ""]()
        if result is not None:
            await result

    # -- save -------------------------------------------------------------------------------
    def action_save(self) -> None:
        if self.saving:
            return
        self.saving = True
        self.say(self.t("survey_entry.entry_saving"))
        self.save(dict(self.household), [dict(m) for m in self.members], self.import_key)

    @service_work(done="saved", failed="save_failed", group="survey-save")
    def save(self, household: dict, members: list[dict], import_key: str) -> surveys.ImportReport:
        return survey_entry.save(self.app.actor, self.lao(), household, members,
                                 import_key=import_key)

    def saved(self, report: surveys.ImportReport) -> None:
        self.saving = False
        if not report.imported:
            self.household_issues, self.member_issues = split_issues(report.issues)
            self.show_issues()
            self.say(self.t("survey_entry.entry_refused", errors=len(report.errors)), failed=True)
            self.focus_first_error()
            return
        _, warnings = split_issues(report.issues)
        notes = [f"{self.t('survey_entry.entry_member', n=n)} {issue_line(self.app, i)}"
                 for n, issues in sorted(warnings.items()) for i in issues]
        done = self.t("survey_entry.entry_saved", people=report.rows, added=report.records_added,
                      changed=report.records_changed + report.households_changed + report.people_updated)
        self.clear_for_next()
        self.refresh(recompose=True)
        self.say("\n".join([done, *notes]))

    def save_failed(self, exc: KioskError) -> None:
        self.saving = False
        self.say(self.app.error_text(exc), failed=True)

    def clear_for_next(self) -> None:
        keep = {k: self.household[k] for k in KEEP_FOR_NEXT}
        self.household = {**survey_entry.blank_household(), **keep}
        self.members = [survey_entry.blank_member()]
        self.import_key, self.resurvey = "", None
        self.household_issues, self.member_issues = [], {}

    def show_issues(self) -> None:
        box = self.query_one("#household-issues", Static)
        lines = [issue_line(self.app, i) for i in self.household_issues]
        box.update(Text("\n".join(lines)))
        box.display = bool(lines)
        bad = {i.column for i in self.household_issues if i.error}
        form = self.query_one("#entry-form")
        for widget in form.query("Input, Select, Checkbox"):
            if self.block_of(widget) is None:
                widget.set_class(widget.name in bad, "-flagged")
        for n, block in enumerate(self.query(MemberBlock), start=1):
            block.number = n
            block.show_issues(self.member_issues.get(n, []))

    def focus_first_error(self) -> None:
        for widget in self.query(".-flagged"):
            if widget.focusable:
                widget.focus()
                widget.scroll_visible()
                return
        for block in self.query(MemberBlock):
            if self.member_issues.get(block.number):
                block.scroll_visible()
                return

    def say(self, text: str, *, failed: bool = False) -> None:
        self.message, self.failed = text, failed
        if self.is_mounted:
            message = self.query_one("#entry-message", Static)
            message.update(Text(text))
            message.set_class(failed, "-error")

    # -- re-survey --------------------------------------------------------------------------
    def action_find(self) -> None:
        self.app.push_screen(FindHouseholdDialog(self.household["house_no"], self.household["moo"]), self.found)

    def found(self, household_id: int | None) -> None:
        if household_id is not None:
            self.say(self.t("survey_entry.entry_loading"))
            self.load_household(household_id)

    @service_work(done="loaded", failed="save_failed", group="survey-load")
    def load_household(self, household_id: int) -> survey_entry.HouseholdForm:
        return survey_entry.household_form(self.app.actor, self.lao(), household_id)

    def loaded(self, form: survey_entry.HouseholdForm) -> None:
        self.household, self.members = dict(form.household), [dict(m) for m in form.members] or [
            survey_entry.blank_member()]
        self.import_key, self.resurvey = form.import_key, form.household_id
        self.household_issues, self.member_issues = [], {}
        self.message, self.failed = self.t("survey_entry.entry_loaded", n=len(form.members)), False
        self.refresh(recompose=True)

    def action_back(self) -> None:
        self.dismiss()

    def action_lao(self) -> None:
        """A joint centre's own staff choose the LAO the household is surveyed for: its teams are
        offered, and it is saved under it. A household being re-surveyed keeps its LAO."""
        if self.resurvey:
            self.message, self.failed = self.t("survey_entry.lao_resurvey"), True
            self.refresh(recompose=True)
            return
        lao_pick.pick(self, self.lao_chosen, current=self.lao())

    def lao_chosen(self, prefix: str | None) -> None:
        if prefix is None or prefix == self.lao():
            return
        self.app.working_lao = prefix
        self.teams = None  # that LAO's teams, read again at the redraw
        self.household["team"] = self.household["surveyor"] = ""
        self.message, self.failed = "", False
        self.refresh(recompose=True)

    def palette_commands(self):
        return [(self.t("survey_entry.entry_save"), self.action_save, ""),
                (self.t("survey_entry.entry_add_member"), self.action_add_member, ""),
                (self.t("survey_entry.entry_find"), self.action_find, ""),
                (self.t("survey_entry.import_title"), lambda: self.app.push_screen(ImportSurveyDialog()), "")]


def split_issues(issues: list[Issue]) -> tuple[list[Issue], dict[int, list[Issue]]]:
    """The household's issues (once each: every row carries the household) and each member's."""
    household: list[Issue] = []
    seen: set[tuple] = set()
    members: dict[int, list[Issue]] = {}
    for issue in sorted(issues, key=lambda i: (i.line, not i.error)):
        if issue.column in survey_entry.HOUSEHOLD_KEYS or issue.column == "subdistrict_code":
            key = (issue.column, issue.key, tuple(sorted(issue.params.items())))
            if key not in seen:
                seen.add(key)
                household.append(issue)
        else:
            members.setdefault(issue.line, []).append(issue)
    return household, members


class FindHouseholdDialog(StaffModal):
    """House number and หมู่ → the households on file there (those the actor may see); Enter on
    one opens it in the form. Dismisses with the household's id, or None."""

    CSS_PATH = "./survey_entry.tcss"  # "./": not a catalogue key
    BINDINGS = [Binding("escape", "cancel", "app.cancel")]

    def __init__(self, house_no: str = "", moo: str = "") -> None:
        super().__init__()
        self.house_no, self.moo, self.note = house_no, moo, ""
        self.hits: list[survey_entry.HouseholdHit] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="find-household", classes="dialog"):
            yield Static(self.t("survey_entry.entry_find"), classes="dialog-title", markup=False)
            with Grid(classes="row2"):
                yield Field(self.t("survey.col_house_no"), Input(self.house_no, id="f-house_no", compact=True,
                                                                max_length=20))
                yield Field(self.t("survey.col_moo"), Input(self.moo, id="f-moo", compact=True, max_length=12))
            yield Static(self.note, id="find-note", markup=False)
            yield OptionList(id="find-list")
        yield StaffFooter()

    def on_mount(self) -> None:
        self.query_one("#f-house_no", Input).focus()

    @on(Input.Changed)
    def remember(self, event: Input.Changed) -> None:
        if event.input.id == "f-house_no":
            self.house_no = event.value
        else:
            self.moo = event.value

    @on(Input.Submitted)
    def search(self, event: Input.Submitted) -> None:
        event.stop()
        self.note = self.t("survey_entry.entry_searching")
        self.query_one("#find-note", Static).update(self.note)
        self.find(self.house_no, self.moo)

    @service_work(done="show", failed="not_found", group="survey-find")
    def find(self, house_no: str, moo: str) -> list[survey_entry.HouseholdHit]:
        return survey_entry.find_households(self.app.actor, self.lao(), house_no, moo)

    def show(self, hits: list[survey_entry.HouseholdHit]) -> None:
        self.hits = hits
        options = self.query_one("#find-list", OptionList)
        options.clear_options()
        for h in hits:
            when = format_be_date(h.last_surveyed) if h.last_surveyed else "-"
            options.add_option(Text(self.t("survey_entry.entry_hit", no=h.house_no or "-", moo=h.moo or "-",
                                           village=h.village or "-", members=h.members, when=when)))
        self.note = self.t("survey_entry.entry_found", n=len(hits)) if hits else self.t("survey_entry.entry_none_found")
        self.query_one("#find-note", Static).update(self.note)
        if hits:
            options.highlighted = 0
            options.focus()

    def not_found(self, exc: KioskError) -> None:
        self.note = self.app.error_text(exc)
        self.query_one("#find-note", Static).update(self.note)

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.hits[event.option_index].id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ImportSurveyDialog(StaffModal):
    """A filled survey spreadsheet (.xlsx or .csv) imported from the console: the path typed,
    Enter imports it all or nothing, the report shown row by row as `kiosk.py import-survey`
    prints it, in the screen's language."""

    CSS_PATH = "./survey_entry.tcss"  # "./": not a catalogue key
    BINDINGS = [Binding("escape", "cancel", "app.cancel")]

    def __init__(self, path: str = "") -> None:
        super().__init__()
        self.path, self.report_lines, self.busy = path, [], False

    def compose(self) -> ComposeResult:
        with Vertical(id="import-survey", classes="dialog"):
            yield Static(self.t("survey_entry.import_title"), classes="dialog-title", markup=False)
            yield Static(self.t("survey_entry.import_help"), markup=False)
            yield Input(self.path, id="import-path", compact=True, max_length=500, placeholder="/home/…/survey.xlsx")
            with VerticalScroll(id="import-report"):
                yield Static(Text("\n".join(self.report_lines)), id="import-lines")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.t("survey_entry.import_go"), id="import-go", variant="primary", compact=True)
                yield Button(self.t("app.cancel"), id="import-close", compact=True)
        yield StaffFooter()

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()

    @on(Input.Changed, "#import-path")
    def remember(self, event: Input.Changed) -> None:
        self.path = event.value

    @on(Input.Submitted, "#import-path")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.start()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.start() if event.button.id == "import-go" else self.action_cancel()

    def start(self) -> None:
        if self.busy or not self.path.strip():
            return
        self.busy = True
        self.show_lines([self.t("survey_entry.import_working")])
        self.run_import(self.path.strip())

    @service_work(done="imported", failed="import_failed", group="survey-import")
    def run_import(self, path: str) -> surveys.ImportReport:
        return survey_entry.import_file(self.app.actor, self.lao(), Path(path))

    def imported(self, report: surveys.ImportReport) -> None:
        self.busy = False
        self.show_lines(report.lines(self.app.lang))

    def import_failed(self, exc: KioskError) -> None:
        self.busy = False
        self.show_lines([self.app.error_text(exc)])

    def show_lines(self, lines: list[str]) -> None:
        self.report_lines = lines
        self.query_one("#import-lines", Static).update(Text("\n".join(lines)))

    def action_cancel(self) -> None:
        self.dismiss(None)

