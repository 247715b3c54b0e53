"""Who may enter surveys: a volunteer only for their own team (their login linked to a team
member), and reads only their team's records; officers and above for any team, and they alone
manage teams. Team changes are audited."""

from __future__ import annotations

import pytest

from db.models import AuditLog, SurveyRecord
from kiosk.errors import PermissionDenied, ValidationError
from kiosk.services import surveys
from tests.conftest import make_actors
from tests.survey import sheet_rows
from tests.survey.test_import import ORG, TODAY


def rows(*cells: dict) -> list[tuple[int, dict]]:
    return sheet_rows(list(cells), house_no="1", moo="2", surveyed_on="20/11/2569")


@pytest.fixture
def town(db):
    actors = make_actors()
    officer = actors["officer"]
    north = surveys.create_team(officer, ORG, "ทีมเหนือ", "community_leader", "1,2")
    south = surveys.create_team(officer, ORG, "ทีมใต้", "otl", "3")
    surveys.add_member(officer, north, "อาสา เหนือ", username="volunteer")
    surveys.add_member(officer, south, "อาสา ใต้")
    return actors, north, south


def test_only_officers_manage_teams(town):
    actors, north, _ = town
    with pytest.raises(PermissionDenied):
        surveys.create_team(actors["volunteer"], ORG, "ทีมใหม่", "other")
    with pytest.raises(PermissionDenied):
        surveys.add_member(actors["volunteer"], north, "ใครสักคน")
    with pytest.raises(ValidationError) as err:
        surveys.create_team(actors["officer"], ORG, " ทีมเหนือ ", "other")
    assert err.value.key == "survey.team_exists"
    with pytest.raises(ValidationError) as err:
        surveys.create_team(actors["officer"], ORG, "ทีมใหม่", "police")
    assert err.value.key == "survey.team_kind_unknown"
    audited = AuditLog.select().where(AuditLog.action.in_(["survey_team_create", "survey_member_add"]))
    assert [a.actor for a in audited] == ["officer"] * 4


def test_a_volunteer_enters_and_reads_their_own_team_only(town):
    actors, north, south = town
    volunteer = actors["volunteer"]
    report = surveys.import_rows(volunteer, ORG, rows({"household_no": "1", "first_name": "ก้อย", "team": "ทีมใต้"}),
                                 today=TODAY)
    assert [i.key for i in report.errors] == ["survey.not_your_team"] and SurveyRecord.select().count() == 0

    report = surveys.import_rows(volunteer, ORG, rows({"household_no": "1", "first_name": "ก้อย"}), today=TODAY)
    assert report.imported and report.records_added == 1
    mine = SurveyRecord.get()
    assert (mine.survey_team_id, mine.team, mine.surveyor_id) == (north, "ทีมเหนือ", volunteer.id)

    report = surveys.import_rows(actors["officer"], ORG, rows(
        {"household_no": "2", "house_no": "5", "first_name": "ขวัญ", "team": "ทีมใต้", "surveyor": "อาสา ใต้"}),
        today=TODAY)
    assert report.imported
    assert [r.team for r in surveys.visible_records(volunteer)] == ["ทีมเหนือ"]
    assert sorted(r.team for r in surveys.visible_records(actors["officer"])) == ["ทีมเหนือ", "ทีมใต้"]

    report = surveys.import_rows(actors["officer"], ORG, rows(
        {"household_no": "3", "house_no": "6", "first_name": "ขวัญ", "team": "ทีมใต้", "surveyor": "อาสา เหนือ"}),
        today=TODAY)
    assert [i.key for i in report.errors] == ["survey.unknown_surveyor"]  # not a member of that team


def test_a_volunteer_without_a_team_enters_nothing(db):
    actors = make_actors()
    with pytest.raises(PermissionDenied) as err:
        surveys.import_rows(actors["volunteer"], ORG, rows({"household_no": "1", "first_name": "ก้อย"}), today=TODAY)
    assert err.value.key == "survey.no_team"
    with pytest.raises(PermissionDenied):
        surveys.import_rows(None, ORG, rows({"household_no": "1", "first_name": "ก้อย"}), today=TODAY)
    assert SurveyRecord.select().count() == 0
