"""Issue 16: on the survey and announcement screens the joint centre's own staff choose the member
LAO they work for (the same PickDialog as the users screen's LAO): the survey teams screen (`l`)
lists and adds that LAO's teams, the survey entry form (ctrl+g) offers its teams and saves under
it, the announcements screen (ctrl+g) publishes for it or, by default, for the whole centre. The
choice is shown above the form. An LAO's officer has no such key and works for their own LAO; the
services refuse another LAO to them whatever a screen asks. SQLite (the backend is the services':
tests/scoping/test_surveys_lao.py, test_announcements_lao.py run both)."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import DataTable, Input, OptionList, Select, Static

from db.models import Announcement, SurveyRecord, SurveyTeam
from kiosk.errors import NotFound
from kiosk.services import announcements as ann
from kiosk.services import surveys
from screens.staff_announcements import AnnouncementsScreen
from screens.survey_entry import SurveyEntryScreen
from screens.survey_teams import SurveyTeamsScreen
from tests.staff.pilot import settle, staff_app, table_text
from tests.survey.test_import import CLI

from .conftest import org_id, staff_of

SIZE = (120, 40)


@pytest.fixture
def people(joint_settings):
    """A team in each LAO, the whole centre's supervisor and PPA's officer."""
    surveys.create_team(CLI, "WPK", "อสม. หมู่ 2", "health_volunteer", "2")
    surveys.create_team(CLI, "PPA", "อปพร. โป่งผา", "civil_defence", "1")
    return {"joint": staff_of("joint", "supervisor", None), "ppa": staff_of("officer.ppa", "officer", "PPA")}


async def choose(pilot, app, prefix: str) -> None:
    """In the open LAO PickDialog, the option `prefix`."""
    assert type(app.screen).__name__ == "PickDialog"
    options = app.screen.query_one("#lao-list", OptionList)
    options.highlighted = options.get_option_index(prefix)
    await pilot.press("enter")
    await settle(pilot)


def shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_the_joint_staff_choose_the_lao_of_teams_and_of_the_survey_form(joint_settings, people):
    app = staff_app(joint_settings)
    async with app.run_test(size=SIZE) as pilot:
        app.actor = people["joint"]
        await app.push_screen(SurveyTeamsScreen())
        await settle(pilot)
        assert "WPK" in shown(app, "#teams-lao")  # the default: the host LAO
        assert [r[0] for r in table_text(app, "#teams-table")] == ["อสม. หมู่ 2"]
        await pilot.press("l")
        await settle(pilot)
        await choose(pilot, app, "PPA")
        assert "PPA Pong Pha SAO" in shown(app, "#teams-lao")
        assert [r[0] for r in table_text(app, "#teams-table")] == ["อปพร. โป่งผา"]
        await pilot.press("escape")
        await settle(pilot)
        # the entry form follows the choice: PPA's teams, and ctrl+g goes back to WPK's
        await app.push_screen(SurveyEntryScreen())
        await settle(pilot)
        assert "PPA" in shown(app, "#entry-lao")
        assert [str(label) for label, _v in app.screen.team_options()] == ["อปพร. โป่งผา"]
        await pilot.press("ctrl+g")
        await settle(pilot)
        await choose(pilot, app, "WPK")
        assert "WPK" in shown(app, "#entry-lao")
        assert app.screen.query_one("#e-team", Select).value == "อสม. หมู่ 2"  # WPK's only team, chosen


async def test_the_survey_form_saves_under_the_chosen_lao(joint_settings, people):
    app = staff_app(joint_settings)
    async with app.run_test(size=SIZE) as pilot:
        app.actor = people["joint"]
        app.working_lao = "PPA"
        await app.push_screen(SurveyEntryScreen())
        await settle(pilot)
        screen = app.screen
        screen.household.update(house_no="8", moo="1", surveyed_on="20/11/2569")
        screen.members[0].update(first_name="แก้ว", last_name="มณี", doc_type="national_id",
                                 doc_number="1101700230708")
        await pilot.press("ctrl+s")
        await settle(pilot, 6)
    [team] = SurveyTeam.select().where(SurveyTeam.name == "อปพร. โป่งผา")
    [record] = SurveyRecord.select()
    assert (record.organization_id, record.survey_team_id) == (org_id("PPA"), team.id)


async def test_an_laos_officer_has_no_choice_and_the_service_refuses_another_lao(joint_settings, people):
    app = staff_app(joint_settings)
    async with app.run_test(size=SIZE) as pilot:
        app.actor = people["ppa"]
        await app.push_screen(SurveyTeamsScreen())
        await settle(pilot)
        assert not app.screen.query("#teams-lao")
        assert [r[0] for r in table_text(app, "#teams-table")] == ["อปพร. โป่งผา"]
        await pilot.press("l")
        await settle(pilot)
        assert type(app.screen).__name__ == "SurveyTeamsScreen"
        app.working_lao = "WPK"  # even if a screen asked for another LAO, their own is used
        assert app.screen.lao() == "PPA"
    with pytest.raises(NotFound):
        surveys.create_team(people["ppa"], "WPK", "ทีมแอบ", "other")
    with pytest.raises(NotFound):
        ann.create(people["ppa"], "แอบประกาศแทน", organization_id=org_id("WPK"))


async def test_the_joint_staff_publish_for_the_whole_centre_or_a_chosen_lao(joint_settings, people):
    app = staff_app(joint_settings)
    async with app.run_test(size=SIZE) as pilot:
        app.actor = people["joint"]
        await app.push_screen(AnnouncementsScreen())
        await settle(pilot)
        assert "Whole centre" in shown(app, "#ann-lao")
        title = app.screen.query_one("#ann-title", Input)
        title.focus()
        title.post_message(events.Paste("ประกาศทั้งศูนย์"))
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        await choose(pilot, app, "PPA")
        assert "PPA Pong Pha SAO" in shown(app, "#ann-lao")
        title = app.screen.query_one("#ann-title", Input)
        title.focus()
        title.post_message(events.Paste("ฉีดวัคซีนที่โป่งผา"))
        await pilot.press("ctrl+s")
        await settle(pilot)
        rows = {r[0]: r[-1] for r in table_text(app, "#ann-table")}
        # an existing one keeps its LAO: ctrl+g says so
        app.screen.query_one("#ann-table", DataTable).focus()
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert type(app.screen).__name__ == "AnnouncementsScreen"
        assert "keeps its LAO" in shown(app, "#ann-message")
    stored = {a.title: a.organization_id for a in Announcement.select()}
    assert stored == {"ประกาศทั้งศูนย์": None, "ฉีดวัคซีนที่โป่งผา": org_id("PPA")}
    assert rows == {"ประกาศทั้งศูนย์": "Whole centre (every LAO)", "ฉีดวัคซีนที่โป่งผา": "PPA"}


async def test_an_laos_officer_publishes_for_their_lao_without_a_choice(joint_settings, people):
    app = staff_app(joint_settings)
    async with app.run_test(size=SIZE) as pilot:
        app.actor = people["ppa"]
        await app.push_screen(AnnouncementsScreen())
        await settle(pilot)
        assert not app.screen.query("#ann-lao")
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert type(app.screen).__name__ == "AnnouncementsScreen"
        title = app.screen.query_one("#ann-title", Input)
        title.focus()
        title.post_message(events.Paste("ประกาศโป่งผา"))
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert [a.organization_id for a in Announcement.select()] == [org_id("PPA")]


async def test_the_joint_staff_narrow_the_register_to_one_lao(joint_settings, people):
    from screens.survey_register import RegisterScreen
    from tests.scoping.test_surveys_lao import rows
    from tests.survey.test_import import SOMSRI, TODAY

    assert surveys.import_rows(people["joint"], "WPK", rows("อสม. หมู่ 2"), today=TODAY).imported
    assert surveys.import_rows(people["joint"], "PPA", rows("อปพร. โป่งผา", SOMSRI, "สมศรี"), today=TODAY).imported
    app = staff_app(joint_settings)
    async with app.run_test(size=SIZE) as pilot:
        app.actor = people["joint"]
        await app.push_screen(RegisterScreen())
        await settle(pilot, 6)
        assert app.screen.query_one("#reg-people", DataTable).row_count == 2
        await pilot.press("ctrl+g")
        await settle(pilot)
        await choose(pilot, app, "PPA")
        await settle(pilot, 6)
        assert "PPA" in shown(app, "#reg-filter")
        assert any("สมศรี" in cell for cell in table_text(app, "#reg-people")[0])
        assert app.screen.query_one("#reg-people", DataTable).row_count == 1
