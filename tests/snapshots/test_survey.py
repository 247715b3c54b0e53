"""The survey entry form of the staff console, reached by a volunteer from their home screen."""

from __future__ import annotations

import pytest

from kiosk.services import surveys
from tests.intake.helpers import type_text
from tests.staff.pilot import login, settle

from .conftest import reach


@pytest.fixture
def team(actors) -> None:
    """The volunteer's team "อสม. หมู่ 4" (หมู่ 4), the volunteer its surveyor "กบ ใจกล้า"."""
    team_id = surveys.create_team(actors["officer"], "WPK", "อสม. หมู่ 4", "health_volunteer", "4")
    surveys.add_member(actors["officer"], team_id, "กบ ใจกล้า", username="volunteer")


async def to_entry(pilot) -> None:
    await login(pilot, "volunteer")
    await reach(pilot, "StaffHomeScreen")
    await pilot.press("s")
    await reach(pilot, "SurveyEntryScreen")
    await type_text(pilot, "12/3")
    await pilot.press("tab")
    await type_text(pilot, "4")
    await pilot.press("tab")
    await type_text(pilot, "บ้านป่าแดง")
    await settle(pilot)


def test_survey_entry(picture, team):
    """The survey entry form: the title, house no 12/3, หมู่ 4, village บ้านป่าแดง typed; team
    "อสม. หมู่ 4" and surveyor "กบ ใจกล้า" already chosen (the volunteer's own), survey date
    02/12/2569; GPS fields and the consent box; the legal basis line (public task); member 1 with
    its fields (prefix, names, document, birth date, phone) and the vulnerability boxes below; the
    buttons (add member, save, find, back) and the footer keys (Esc, ctrl+s, ctrl+n, ctrl+r, ctrl+f)."""
    assert picture("staff", to_entry)


async def to_teams(pilot) -> None:
    await login(pilot, "officer")
    await reach(pilot, "QueueScreen")
    pilot.app.open_survey_teams()
    await reach(pilot, "SurveyTeamsScreen")


def test_survey_teams(picture, team):
    """The teams screen of an officer: the title, one team "อสม. หมู่ 4" (health volunteers, หมู่ 4,
    1 surveyor, active); below, its surveyors: "กบ ใจกล้า" with the volunteer login "volunteer",
    active, every column wide enough for its text; the footer keys (Esc, a, m, e, d)."""
    assert picture("staff", to_teams)
