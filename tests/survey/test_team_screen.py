"""The teams screen (officers and above, Pilot at 80×24): an officer adds a team and a surveyor
linked to a volunteer login, edits the team, deactivates a surveyor — every change stored and
audited; the volunteer home has no way in, and the teams stay text whatever their names hold."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Select, Static

from db.models import AuditLog, SurveyTeam, SurveyTeamMember
from kiosk.services import surveys
from tests.conftest import HOSTILE, make_actors
from tests.intake.helpers import type_text
from tests.staff.pilot import login, settle, staff_app, table_text
from tests.survey.test_import import ORG

SIZE = (80, 24)


async def open_teams(pilot) -> None:
    await login(pilot, "officer")
    pilot.app.open_home()
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "SurveyTeamsScreen"


async def test_an_officer_manages_teams_and_surveyors(db, settings):
    make_actors()
    app = staff_app(settings, lang="th")
    async with app.run_test(size=SIZE) as pilot:
        await open_teams(pilot)
        assert "ยังไม่มีทีมสำรวจ" in str(app.screen.query_one("#teams-message", Static).render())
        await pilot.press("a")
        await settle(pilot)
        assert type(app.screen).__name__ == "TeamDialog"
        await type_text(pilot, "อสม. หมู่ ๓")
        app.screen.query_one("#t-kind", Select).value = "health_volunteer"
        app.screen.query_one("#t-villages", Input).value = "๓, 4"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "SurveyTeamsScreen"
        assert table_text(app, "#teams-table") == [
            ["อสม. หมู่ ๓", "อสม. (อาสาสมัครสาธารณสุขประจำหมู่บ้าน)", "3,4", "0", "ใช้งาน"]]

        await pilot.press("m")
        await settle(pilot)
        await type_text(pilot, "กบ ใจกล้า")
        app.screen.query_one("#m-phone", Input).value = "081-234-5678"
        app.screen.query_one("#m-moo", Input).value = "3"
        app.screen.query_one("#m-login", Input).value = "nobody"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "MemberDialog"  # refused, kept open with what was typed
        assert 'ไม่พบบัญชีผู้ใช้ "nobody"' in str(app.screen.query_one("#member-error", Static).render())
        app.screen.query_one("#m-login", Input).value = "volunteer"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert table_text(app, "#members-table") == [["กบ ใจกล้า", "+66812345678", "3", "volunteer", "ใช้งาน"]]

        # edit the team (e on the teams table), then deactivate the surveyor (d on the members table)
        await pilot.press("e")
        await settle(pilot)
        name = app.screen.query_one("#t-name", Input)
        assert name.value == "อสม. หมู่ ๓"
        name.value = "อสม. หมู่ 3 และ 4"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert table_text(app, "#teams-table")[0][0] == "อสม. หมู่ 3 และ 4"
        app.screen.query_one("#members-table", DataTable).focus()
        await pilot.press("d")
        await settle(pilot)
        assert table_text(app, "#members-table")[0][-1] == "ระงับแล้ว"
        assert table_text(app, "#teams-table")[0][3] == "0"
    member = SurveyTeamMember.get()
    assert (SurveyTeam.get().name, member.staff.username, member.active) == ("อสม. หมู่ 3 และ 4", "volunteer", False)
    actions = [a.action for a in AuditLog.select().where(AuditLog.actor == "officer").order_by(AuditLog.id)]
    assert [a for a in actions if a.startswith("survey_")] == [
        "survey_team_create", "survey_member_add", "survey_team_update", "survey_member_inactive"]


async def test_team_names_stay_text(db, settings):
    officer = make_actors()["officer"]
    for n, text in enumerate(HOSTILE):
        team = surveys.create_team(officer, ORG, f"{text[:60]}{n}", "other")
        surveys.add_member(officer, team, f"{text[:60]}{n}")
    app = staff_app(settings, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_teams(pilot)
        assert len(table_text(app, "#teams-table")) == len(HOSTILE)
        for _ in HOSTILE:
            await pilot.press("down")
        await settle(pilot)
        assert app.is_running and type(app.screen).__name__ == "SurveyTeamsScreen"


async def test_volunteers_have_no_way_to_the_teams(db, settings):
    make_actors()
    app = staff_app(settings, lang="th")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "volunteer")
        await pilot.press("t")
        await settle(pilot)
        assert type(app.screen).__name__ == "StaffHomeScreen"
        app.open_survey_teams()
        await settle(pilot)
        assert type(app.screen).__name__ == "StaffHomeScreen"
