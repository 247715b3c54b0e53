"""Fault scenarios of the survey entry form, its find and import dialogs (screens/survey_entry.py)
and the survey teams screen (screens/survey_teams.py): WORKERS are added to
test_boundary_workers.SCENARIOS, HANDLERS to test_boundary_handlers.SCENARIOS. The screen stays,
the calm message shows, what was typed is kept and is in no message nor the log, and the same key
works once the database answers again."""

from __future__ import annotations

import csv

from textual.widgets import DataTable, OptionList, Select, Static

from db.models import SurveyRecord, SurveyTeam, SurveyTeamMember
from kiosk.services import surveys
from kiosk.services.survey_rows import COLUMNS
from screens import survey_entry, survey_teams
from tests.survey import town
from tests.survey.test_entry_form import field, put
from tests.survey.test_import import ORG

from .flows import NAME, PHONE, PHONE_E164, SURNAME, staff
from .harness import Trial, assert_calm, input_value, registry, settle, type_into, unavailable, visible_text

WORKERS, worker = registry()
HANDLERS, handler = registry()

NOTE = f"ฝากบอก {NAME} โทร {PHONE}"  # a member's note, with a name and a phone in it


def _message(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def _entry(app, pilot) -> None:
    """The survey entry form, as the volunteer of ทีมเหนือ (their team and surveyor chosen)."""
    app.open_survey_entry()
    await settle(pilot)
    assert type(app.screen).__name__ == "SurveyEntryScreen"


async def _type_member(pilot) -> None:
    app = pilot.app
    await put(pilot, field(app, "house_no"), "99/2")
    await put(pilot, field(app, "moo"), "2")
    await put(pilot, field(app, "first_name", 1), NAME)
    await put(pilot, field(app, "last_name", 1), SURNAME)
    await put(pilot, field(app, "phone", 1), PHONE)
    await put(pilot, field(app, "note", 1), NOTE)


def _kept(app) -> None:
    assert field(app, "house_no").value == "99/2" and field(app, "first_name", 1).value == NAME
    assert field(app, "phone", 1).value == PHONE and field(app, "note", 1).value == NOTE


# -- the entry form -----------------------------------------------------------------------------

@handler("screens.survey_entry.SurveyEntryScreen.load_teams")
async def entry_teams(t: Trial):
    """The code: the team list stays empty and the form says why; typing goes on, and the next
    redraw (ctrl+l) reads the teams again with everything typed kept."""
    town.build(people=3, actors=t.accounts)
    async with staff(t, "volunteer") as (app, pilot):
        switch = t.inject(survey_entry.surveys, "list_teams")
        await _entry(app, pilot)
        assert_calm(app, t, switch, screen="SurveyEntryScreen")
        assert unavailable(app) in _message(app, "#entry-message")
        assert [v for _label, v in field(app, "team")._options if v is not Select.NULL] == []
        await _type_member(pilot)
        switch.off()
        await pilot.press("ctrl+l")
        await settle(pilot)
        _kept(app)
        assert field(app, "team").value == town.NORTH and field(app, "surveyor").value == "อาสา เหนือ"
        assert unavailable(app) not in visible_text(app)
        t.assert_logged((NAME, PHONE, NOTE))


@worker("screens.survey_entry.SurveyEntryScreen.save")
async def entry_save(t: Trial):
    town.build(people=3, actors=t.accounts)
    before = SurveyRecord.select().count()
    async with staff(t, "volunteer") as (app, pilot):
        await _entry(app, pilot)
        switch = t.inject(survey_entry.survey_entry, "save")
        await _type_member(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert_calm(app, t, switch, screen="SurveyEntryScreen", typed=(NAME, SURNAME, PHONE, PHONE_E164, NOTE))
        assert unavailable(app) in _message(app, "#entry-message")
        _kept(app)
        assert SurveyRecord.select().count() == before
        switch.off()
        await pilot.press("ctrl+s")
        await settle(pilot)
        saved = app.t("survey_entry.entry_saved", people=1, added=1, changed=0)
        assert _message(app, "#entry-message").startswith(saved), _message(app, "#entry-message")
        assert SurveyRecord.select().count() == before + 1
        assert field(app, "first_name", 1).value == ""  # cleared for the next household


async def _find(pilot, house_no: str, moo: str) -> None:
    await pilot.press("ctrl+f")
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "FindHouseholdDialog"
    await type_into(pilot, "#f-house_no", house_no)
    await type_into(pilot, "#f-moo", moo)
    await pilot.press("enter")
    await settle(pilot)


@worker("screens.survey_entry.FindHouseholdDialog.find")
async def entry_find(t: Trial):
    town.build(people=3, actors=t.accounts)  # household 10/1 in หมู่ 1, ทีมเหนือ's
    async with staff(t, "volunteer") as (app, pilot):
        await _entry(app, pilot)
        switch = t.inject(survey_entry.survey_entry, "find_households")
        await _find(pilot, "10/1", "1")
        assert_calm(app, t, switch, screen="FindHouseholdDialog", typed=("10/1",))
        assert unavailable(app) in _message(app, "#find-note")
        assert input_value(app, "#f-house_no") == "10/1" and input_value(app, "#f-moo") == "1"
        switch.off()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#find-list", OptionList).option_count == 1
        assert unavailable(app) not in _message(app, "#find-note")


@worker("screens.survey_entry.SurveyEntryScreen.load_household")
async def entry_load_household(t: Trial):
    town.build(people=3, actors=t.accounts)
    async with staff(t, "volunteer") as (app, pilot):
        await _entry(app, pilot)
        await _type_member(pilot)
        switch = t.inject(survey_entry.survey_entry, "household_form")
        await _find(pilot, "10/1", "1")
        await pilot.press("enter")  # the household found
        await settle(pilot)
        assert_calm(app, t, switch, screen="SurveyEntryScreen", typed=(NAME, PHONE, NOTE))
        assert unavailable(app) in _message(app, "#entry-message")
        _kept(app)  # the form as typed: nothing replaced by a half-read household
        switch.off()
        await _find(pilot, "10/1", "1")
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "SurveyEntryScreen" and app.screen.resurvey is not None
        assert _message(app, "#entry-title") == app.t("survey_entry.entry_resurvey", no="10/1", moo="1")


@worker("screens.survey_entry.ImportSurveyDialog.run_import")
async def entry_import(t: Trial):
    town.build(people=3, actors=t.accounts)
    before = SurveyRecord.select().count()
    path = t.settings.home / "survey.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(COLUMNS)
        cells = {"household_no": "1", "house_no": "77", "moo": "2", "first_name": NAME, "last_name": SURNAME,
                 "phone": PHONE, "surveyed_on": "1/11/2569", "team": town.NORTH}
        out.writerow([cells.get(c, "") for c in COLUMNS])
    async with staff(t, "volunteer") as (app, pilot):
        app.open_survey_import()
        await settle(pilot)
        switch = t.inject(survey_entry.survey_entry, "import_file")
        await type_into(pilot, "#import-path", str(path))
        await pilot.press("enter")
        await settle(pilot)
        assert_calm(app, t, switch, screen="ImportSurveyDialog", typed=(NAME, PHONE))
        assert unavailable(app) in _message(app, "#import-lines")
        assert input_value(app, "#import-path") == str(path) and SurveyRecord.select().count() == before
        switch.off()
        await pilot.press("enter")
        await settle(pilot)
        assert unavailable(app) not in _message(app, "#import-lines")
        assert SurveyRecord.select().count() == before + 1


# -- the teams screen ---------------------------------------------------------------------------

async def _teams(app, pilot) -> None:
    app.open_survey_teams()
    await settle(pilot)
    assert type(app.screen).__name__ == "SurveyTeamsScreen"


def _team(t: Trial) -> int:
    return surveys.create_team(t.accounts["officer"], ORG, "อสม. หมู่ ๓", "health_volunteer", "3")


@handler("screens.survey_teams.SurveyTeamsScreen.fill")
async def teams_fill(t: Trial):
    _team(t)
    async with staff(t) as (app, pilot):
        switch = t.inject(survey_teams.surveys, "list_teams")
        await _teams(app, pilot)
        assert_calm(app, t, switch, screen="SurveyTeamsScreen")
        assert unavailable(app) in _message(app, "#teams-message")
        switch.off()
        await pilot.press("ctrl+l")  # any redraw reads the teams again
        await settle(pilot)
        assert app.screen.query_one("#teams-table", DataTable).row_count == 1


@handler("screens.survey_teams.SurveyTeamsScreen.action_toggle_active")
async def teams_deactivate(t: Trial):
    team = _team(t)
    async with staff(t) as (app, pilot):
        await _teams(app, pilot)
        switch = t.inject(survey_teams.surveys, "set_team_active")
        await pilot.press("d")
        await settle(pilot)
        assert_calm(app, t, switch, screen="SurveyTeamsScreen")
        assert unavailable(app) in _message(app, "#teams-message")
        assert SurveyTeam.get_by_id(team).active
        switch.off()
        await pilot.press("d")
        await settle(pilot)
        assert not SurveyTeam.get_by_id(team).active
        assert _message(app, "#teams-message") == app.t("survey_entry.teams_saved")


@worker("screens.survey_teams.TeamDialog.save")
async def team_save(t: Trial):
    name = f"ทีม {NAME} {PHONE}"
    async with staff(t) as (app, pilot):
        await _teams(app, pilot)
        await pilot.press("a")
        await settle(pilot)
        switch = t.inject(survey_teams.surveys, "create_team")
        await type_into(pilot, "#t-name", name)
        await type_into(pilot, "#t-villages", "3, 4")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert_calm(app, t, switch, screen="TeamDialog", typed=(name, NAME, PHONE))
        assert unavailable(app) in _message(app, "#team-error")
        assert input_value(app, "#t-name") == name and input_value(app, "#t-villages") == "3, 4"
        assert not SurveyTeam.select().exists()
        switch.off()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "SurveyTeamsScreen"
        assert SurveyTeam.get().name == name


@worker("screens.survey_teams.MemberDialog.save")
async def member_save(t: Trial):
    team = _team(t)
    full_name = f"{NAME} {SURNAME}"
    async with staff(t) as (app, pilot):
        await _teams(app, pilot)
        await pilot.press("m")
        await settle(pilot)
        switch = t.inject(survey_teams.surveys, "add_member")
        await type_into(pilot, "#m-name", full_name)
        await type_into(pilot, "#m-phone", PHONE)
        await type_into(pilot, "#m-moo", "3")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert_calm(app, t, switch, screen="MemberDialog", typed=(full_name, NAME, PHONE, PHONE_E164))
        assert unavailable(app) in _message(app, "#member-error")
        assert input_value(app, "#m-name") == full_name and input_value(app, "#m-phone") == PHONE
        assert not SurveyTeamMember.select().exists()
        switch.off()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "SurveyTeamsScreen"
        member = SurveyTeamMember.get()
        assert (member.team_id, member.name, member.phone) == (team, full_name, PHONE_E164)
