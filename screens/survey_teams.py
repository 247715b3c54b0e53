"""Field survey teams and their surveyors, for officers and above: the teams (name, kind, the หมู่
they cover) in one table, the highlighted team's surveyors (name, phone, หมู่, linked volunteer
login) in the other. `a` adds a team, `m` a surveyor to the highlighted team, `e` edits and `d`
deactivates (or brings back) the team or surveyor of the table in focus. The services check the
role and every field, and audit each change (the same as `kiosk.py survey-team`)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, DataTable, Input, Select, Static

from kiosk.errors import KioskError
from kiosk.services import surveys
from kiosk.services.survey_rows import TEAM_KINDS

from .faults import safely, service_work
from .widgets import lao_pick
from .widgets.staff_base import StaffFooter, StaffModal, StaffScreen, safe
from .widgets.thai_input import ThaiInput
from .widgets.top_bar import TopBar

TEAM_COLUMNS = ("name", "kind", "villages", "members", "state")  # labels: survey.teams_col_<key>
MEMBER_COLUMNS = ("name", "phone", "moo", "login", "state")  # labels: survey.members_col_<key>


class TeamDialog(StaffModal):
    """A new team, or one changed: name, kind, the หมู่ it covers. Dismisses with the team's id."""

    CSS_PATH = "./survey_teams.tcss"  # "./": not a catalogue key
    BINDINGS = [Binding("escape", "cancel", "app.cancel"), Binding("ctrl+s", "save", "users.save")]

    def __init__(self, team: surveys.TeamRow | None = None) -> None:
        super().__init__()
        self.team = team
        self.values = {"name": team.name if team else "", "kind": team.kind if team else "other",
                       "villages": team.villages if team else ""}
        self.error = ""

    def compose(self) -> ComposeResult:
        v = self.values
        with VerticalScroll(id="team-dialog", classes="dialog"):
            yield Static(self.t("survey_entry.teams_edit" if self.team else "survey_entry.teams_add"), classes="dialog-title",
                         markup=False)
            yield Static(self.t("survey_entry.teams_col_name"), markup=False)
            yield ThaiInput(v["name"], id="t-name", compact=True, max_length=120)
            yield Static(self.t("survey_entry.teams_col_kind"), markup=False)
            yield Select([(self.t(f"survey.team_kind_{k}"), k) for k in TEAM_KINDS], value=v["kind"], id="t-kind",
                         allow_blank=False, compact=True)
            yield Static(self.t("survey_entry.teams_villages_help"), markup=False)
            yield Input(v["villages"], id="t-villages", compact=True, max_length=200)
            yield Static(self.error, id="team-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.t("users.save"), id="team-save", variant="primary", compact=True)
                yield Button(self.t("app.cancel"), id="team-cancel", compact=True)
        yield StaffFooter()

    def on_mount(self) -> None:
        self.query_one("#t-name", Input).focus()

    @on(Input.Changed)
    def remember(self, event: Input.Changed) -> None:
        self.values[(event.input.id or "").removeprefix("t-")] = event.value

    @on(Select.Changed, "#t-kind")
    def remember_kind(self, event: Select.Changed) -> None:
        self.values["kind"] = str(event.value)

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save() if event.button.id == "team-save" else self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        self.save(dict(self.values))

    @service_work(done="dismiss", failed="failed", group="team-save")
    def save(self, v: dict[str, str]) -> int:
        actor, org = self.app.actor, self.lao()
        if self.team is None:
            return surveys.create_team(actor, org, v["name"], v["kind"], v["villages"])
        surveys.update_team(actor, self.team.id, name=v["name"], kind=v["kind"], villages=v["villages"])
        return self.team.id

    def failed(self, exc: KioskError) -> None:
        self.error = self.app.error_text(exc)
        self.query_one("#team-error", Static).update(self.error)


class MemberDialog(StaffModal):
    """A surveyor added to a team, or changed: name, phone, หมู่, their volunteer login (blank: none)."""

    CSS_PATH = "./survey_teams.tcss"  # "./": not a catalogue key
    BINDINGS = [Binding("escape", "cancel", "app.cancel"), Binding("ctrl+s", "save", "users.save")]
    FIELDS = ("name", "phone", "moo", "login")

    def __init__(self, team: surveys.TeamRow, member: surveys.MemberRow | None = None) -> None:
        super().__init__()
        self.team, self.member = team, member
        self.values = {"name": member.name if member else "", "phone": member.phone if member else "",
                       "moo": str(member.moo or "") if member else "", "login": member.username if member else ""}
        self.error = ""

    def compose(self) -> ComposeResult:
        v = self.values
        with VerticalScroll(id="member-dialog", classes="dialog"):
            title = "survey_entry.members_edit" if self.member else "survey_entry.members_add"
            yield Static(self.t(title, team=self.team.name), classes="dialog-title", markup=False)
            for name in self.FIELDS:
                yield Static(self.t(f"survey_entry.members_col_{name}"), markup=False)
                widget = ThaiInput if name == "name" else Input
                yield widget(v[name], id=f"m-{name}", compact=True, max_length=120)
            yield Static(self.error, id="member-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.t("users.save"), id="member-save", variant="primary", compact=True)
                yield Button(self.t("app.cancel"), id="member-cancel", compact=True)
        yield StaffFooter()

    def on_mount(self) -> None:
        self.query_one("#m-name", Input).focus()

    @on(Input.Changed)
    def remember(self, event: Input.Changed) -> None:
        self.values[(event.input.id or "").removeprefix("m-")] = event.value

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save() if event.button.id == "member-save" else self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        self.save(dict(self.values))

    @service_work(done="dismiss", failed="failed", group="member-save")
    def save(self, v: dict[str, str]) -> int:
        actor = self.app.actor
        if self.member is None:
            return surveys.add_member(actor, self.team.id, v["name"], phone=v["phone"], moo=v["moo"],
                                      username=v["login"])
        surveys.update_member(actor, self.member.id, name=v["name"], phone=v["phone"], moo=v["moo"],
                              username=v["login"])
        return self.member.id

    def failed(self, exc: KioskError) -> None:
        self.error = self.app.error_text(exc)
        self.query_one("#member-error", Static).update(self.error)


class SurveyTeamsScreen(StaffScreen):
    CSS_PATH = "survey_teams.tcss"
    BINDINGS = [Binding("escape", "back", "case.key_back"), Binding("a", "add_team", "survey_entry.teams_key_add"),
                Binding("m", "add_member", "survey_entry.teams_key_member"), Binding("e", "edit", "survey_entry.teams_key_edit"),
                Binding("d", "toggle_active", "survey_entry.teams_key_active"), Binding("l", "lao", "staff.key_lao")]

    def __init__(self) -> None:
        super().__init__()
        self.teams: list[surveys.TeamRow] = []
        self.team_row, self.message = 0, ""

    def compose(self) -> ComposeResult:
        yield TopBar()
        yield Static(self.t("survey_entry.teams_title"), id="teams-title", markup=False)
        if lao_pick.may_pick(self.app):  # a joint centre's own staff: whose teams these are (l changes it)
            yield Static(self.t("staff.working_for", lao=lao_pick.lao_name(self.app, self.lao())), id="teams-lao",
                         markup=False)
        yield DataTable(id="teams-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="members-title", markup=False)
        yield DataTable(id="members-table", cursor_type="row", zebra_stripes=True)
        yield Static(self.message, id="teams-message", markup=False)
        yield StaffFooter()

    def on_mount(self) -> None:
        self.fill()

    async def recompose(self) -> None:
        await super().recompose()
        self.fill()

    def fill(self, team_id: int | None = None) -> None:
        try:
            self.teams = safely(surveys.list_teams, self.app.actor, self.lao())
        except KioskError as exc:
            self.say(self.app.error_text(exc))
            return
        table = self.query_one("#teams-table", DataTable)
        table.clear(columns=True)
        for key in TEAM_COLUMNS:
            table.add_column(self.t(f"survey_entry.teams_col_{key}"), key=key)
        for t in self.teams:
            table.add_row(safe(t.name, one_line=True), safe(self.t(f"survey.team_kind_{t.kind}")),
                          safe(t.villages or "—"), safe(str(sum(m.active for m in t.members))),
                          safe(self.t("users.active" if t.active else "users.inactive")), key=str(t.id))
        if team_id is not None:
            self.team_row = next((i for i, t in enumerate(self.teams) if t.id == team_id), self.team_row)
        if self.teams:
            table.move_cursor(row=min(self.team_row, len(self.teams) - 1))
        if not self.query_one("#members-table", DataTable).has_focus:
            table.focus()
        self.fill_members()
        if not self.teams:
            self.say(self.t("survey_entry.teams_none_screen"))

    def current_team(self) -> surveys.TeamRow | None:
        table = self.query_one("#teams-table", DataTable)
        if not self.teams or not table.row_count:
            return None
        return self.teams[min(table.cursor_row, len(self.teams) - 1)]

    def current_member(self) -> surveys.MemberRow | None:
        team, table = self.current_team(), self.query_one("#members-table", DataTable)
        if team is None or not team.members or not table.row_count:
            return None
        return team.members[min(table.cursor_row, len(team.members) - 1)]

    @on(DataTable.RowHighlighted, "#teams-table")
    def team_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.team_row = event.cursor_row
        self.fill_members()

    def fill_members(self) -> None:
        team = self.current_team()
        self.query_one("#members-title", Static).update(
            self.t("survey_entry.members_title", team=team.name) if team else "")
        table = self.query_one("#members-table", DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        for key in MEMBER_COLUMNS:
            table.add_column(self.t(f"survey_entry.members_col_{key}"), key=key)
        for m in team.members if team else ():
            table.add_row(safe(m.name, one_line=True), safe(m.phone or "—"), safe(str(m.moo or "—")),
                          safe(m.username or "—"), safe(self.t("users.active" if m.active else "users.inactive")),
                          key=str(m.id))
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))
        self.call_after_refresh(table.refresh, layout=True)  # drawn once its columns are measured

    def members_in_focus(self) -> bool:
        return self.query_one("#members-table", DataTable).has_focus

    def say(self, text: str) -> None:
        self.message = text
        self.query_one("#teams-message", Static).update(text)

    def action_back(self) -> None:
        self.dismiss()

    def action_lao(self) -> None:
        """A joint centre's own staff choose the LAO whose teams they list and add (the survey
        entry form then offers that LAO's teams too)."""
        lao_pick.pick(self, self.lao_chosen, current=self.lao())

    def lao_chosen(self, prefix: str | None) -> None:
        if prefix is not None and prefix != self.lao():
            self.app.working_lao, self.team_row, self.message = prefix, 0, ""
            self.refresh(recompose=True)

    def action_add_team(self) -> None:
        self.app.push_screen(TeamDialog(), self.team_saved)

    def action_add_member(self) -> None:
        team = self.current_team()
        if team is not None:
            self.app.push_screen(MemberDialog(team), self.member_saved)

    def action_edit(self) -> None:
        team = self.current_team()
        if team is None:
            return
        member = self.current_member() if self.members_in_focus() else None
        if self.members_in_focus() and member is None:
            return
        if member is not None:
            self.app.push_screen(MemberDialog(team, member), self.member_saved)
        else:
            self.app.push_screen(TeamDialog(team), self.team_saved)

    def team_saved(self, team_id: int | None) -> None:
        if team_id is not None:
            self.say(self.t("survey_entry.teams_saved"))
            self.fill(team_id)

    def member_saved(self, member_id: int | None) -> None:
        team = self.current_team()
        if member_id is not None and team is not None:
            self.say(self.t("survey_entry.teams_saved"))
            self.fill(team.id)

    def action_toggle_active(self) -> None:
        team = self.current_team()
        if team is None:
            return
        member = self.current_member() if self.members_in_focus() else None
        try:
            if self.members_in_focus():
                if member is None:
                    return
                safely(surveys.set_member_active, self.app.actor, member.id, not member.active)
            else:
                safely(surveys.set_team_active, self.app.actor, team.id, not team.active)
        except KioskError as exc:
            self.say(self.app.error_text(exc))
            return
        self.say(self.t("survey_entry.teams_saved"))
        self.fill(team.id)

    def palette_commands(self):
        return [(self.t("survey_entry.teams_key_add"), self.action_add_team, ""),
                (self.t("survey_entry.teams_key_member"), self.action_add_member, ""),
                (self.t("survey_entry.teams_key_edit"), self.action_edit, ""),
                (self.t("survey_entry.teams_key_active"), self.action_toggle_active, "")]
