"""The survey form's services and the defects around them: a person already on file (found by
their document number) takes what a later survey adds — blanks filled, a new phone number, history
kept — but keeps the name on file; teams and surveyors are edited and deactivated, audited; a
household is found again by house number and หมู่ and comes back as the form shows it; the backup
restore counts the survey tables as data; the access export holds the re-survey history."""

from __future__ import annotations

import json
from datetime import date

import pytest

from db.models import AuditLog, Household, Person, SurveyChange, SurveyRecord, SurveyTeam, SurveyTeamMember
from kiosk.errors import NotFound, PermissionDenied, ValidationError
from kiosk.services import access, survey_entry, surveys
from kiosk.services.backup import DATA_TABLES, _held, _pg_counts, _sqlite_held
from kiosk.services.cases import CaseData, create_case
from kiosk.services.people import PersonData
from tests.conftest import make_actors
from tests.survey import sheet_rows
from tests.survey.test_import import CLI, KAEW, ORG, SOMSRI, TODAY


def one(**cells) -> list[tuple[int, dict]]:
    return sheet_rows([cells], household_no="1", house_no="8", moo="2", surveyed_on="20/11/2569")


def test_a_person_on_file_is_completed_by_a_later_survey(any_db):
    """Someone who came to the counter with only a name and an ID card: the survey fills their
    birth date, phone and address, history kept; a different first name is reported, not written."""
    create_case(ORG, CaseData(category="flood", description="น้ำท่วมบ้าน"),
                PersonData(first_name="แก้ว", doc_type="national_id", doc_number=KAEW))
    report = surveys.import_rows(CLI, ORG, one(first_name="แก้ว", last_name="มณี", doc_number=KAEW,
                                               birth_date="5/3/2490", phone="081-234-5678"), today=TODAY)
    assert report.imported and (report.people_added, report.people_updated) == (0, 1), report.lines("en")
    kaew = Person.get(Person.doc_number == KAEW)
    assert (kaew.last_name, kaew.birth_date, kaew.phone, kaew.house_no, kaew.moo) == (
        "มณี", date(1947, 3, 5), "+66812345678", "8", 2)
    change = json.loads(SurveyChange.get().changes)
    assert change["person.phone"] == ["", "+66812345678"] and change["person.birth_date"] == [None, "1947-03-05"]
    assert SurveyChange.get().record_id == SurveyRecord.get().id  # purged with the record (retention)
    assert Person.select().count() == 1

    # a later survey: a new phone replaces the old; another first name is kept out and said
    report = surveys.import_rows(CLI, ORG, one(first_name="แก้วตา", doc_number=KAEW, phone="089-999-0000"),
                                 today=TODAY)
    assert report.imported and report.people_updated == 1
    kaew = Person.get_by_id(kaew.id)
    assert (kaew.first_name, kaew.last_name, kaew.phone) == ("แก้ว", "มณี", "+66899990000")
    [warning] = [i for i in report.issues if i.key == "survey_entry.person_differs"]
    assert warning.column == "first_name" and not warning.error
    assert "ชื่อ" in warning.text("th") and str(kaew.id) in warning.text("en")
    # the same again changes nothing
    report = surveys.import_rows(CLI, ORG, one(first_name="แก้ว", doc_number=KAEW, phone="089-999-0000"),
                                 today=TODAY)
    assert report.people_updated == 0 and report.unchanged == 1


@pytest.fixture
def town(any_db):
    actors = make_actors()
    north = surveys.create_team(actors["officer"], ORG, "ทีมเหนือ", "community_leader", "1,2")
    south = surveys.create_team(actors["officer"], ORG, "ทีมใต้", "otl", "3")
    kob = surveys.add_member(actors["officer"], north, "กบ ใจกล้า", phone="0812345678", moo="2", username="volunteer")
    surveys.add_member(actors["officer"], south, "อาสา ใต้")
    return actors, north, south, kob


def test_teams_and_surveyors_are_edited_and_deactivated(town):
    actors, north, south, kob = town
    officer = actors["officer"]
    assert surveys.update_team(officer, north, name="ทีมเหนือใหม่", villages="๑, 4") == ("name", "villages")
    assert surveys.update_team(officer, north, name="ทีมเหนือใหม่") == ()
    with pytest.raises(ValidationError) as err:
        surveys.update_team(officer, north, name=" ทีมใต้ ")
    assert err.value.key == "survey.team_exists"
    with pytest.raises(ValidationError):
        surveys.update_team(officer, north, villages="หนึ่ง")
    with pytest.raises(PermissionDenied):
        surveys.update_team(actors["volunteer"], north, name="ของฉัน")
    assert surveys.update_member(officer, kob, phone="089 111 2222", username="") == ("phone", "staff")
    assert SurveyTeamMember.get_by_id(kob).staff_id is None
    assert surveys.update_member(officer, kob, username="volunteer") == ("staff",)
    with pytest.raises(NotFound):
        surveys.update_member(officer, kob, username="nobody")

    teams = surveys.list_teams(officer, ORG)
    assert [(t.name, t.villages, [m.name for m in t.members]) for t in teams] == [
        ("ทีมเหนือใหม่", "1,4", ["กบ ใจกล้า"]), ("ทีมใต้", "3", ["อาสา ใต้"])]
    assert teams[0].members[0].username == "volunteer" and teams[0].members[0].phone == "+66891112222"
    assert [t.name for t in surveys.list_teams(actors["volunteer"], ORG)] == ["ทีมเหนือใหม่"]

    surveys.set_member_active(officer, kob, False)
    assert surveys.own_teams(actors["volunteer"]) == set()
    surveys.set_member_active(officer, kob, True)
    surveys.set_team_active(officer, south, False)
    assert surveys.team_names(ORG) == ["ทีมเหนือใหม่"]
    assert [t.active for t in surveys.list_teams(officer, ORG)] == [True, False]
    with pytest.raises(NotFound):
        surveys.set_team_active(officer, 999, True)
    actions = [a.action for a in AuditLog.select().order_by(AuditLog.id)]
    for action in ("survey_team_update", "survey_member_update", "survey_member_inactive", "survey_member_active",
                   "survey_team_inactive"):
        assert action in actions
    assert not any("ทีมเหนือใหม่" in a.detail or "089" in a.detail for a in AuditLog.select())


def test_a_household_is_found_and_comes_back_as_the_form_shows_it(town):
    actors, north, south, _ = town
    officer, volunteer = actors["officer"], actors["volunteer"]
    household = {**survey_entry.blank_household(TODAY), "house_no": "๑๒/๓", "moo": "2", "village": "บ้านสันทราย",
                 "surveyed_on": "20/11/2569", "team": "ทีมเหนือ", "surveyor": "กบ ใจกล้า", "consent": "ใช่"}
    members = [{**survey_entry.blank_member(), "prefix": "นาง", "first_name": "สมศรี", "last_name": "ใจดี",
                "doc_number": SOMSRI, "birth_date": "5/3/2480", "vulnerabilities": "bedbound,chronic_illness",
                "needs": "survival_bag", "note": "ติดเตียง"},
               {**survey_entry.blank_member(), "first_name": "มะลิ", "birth_date": "1/1/2558"}]
    report = survey_entry.save(volunteer, ORG, household, members, today=TODAY)
    assert report.imported and report.records_added == 2, report.lines("en")
    with pytest.raises(ValidationError):
        survey_entry.save(volunteer, ORG, household, [survey_entry.blank_member()], today=TODAY)

    [hit] = survey_entry.find_households(volunteer, ORG, "12/3", "๒")
    assert (hit.house_no, hit.moo, hit.members, hit.last_surveyed) == ("12/3", 2, 2, date(2026, 11, 20))
    assert survey_entry.find_households(officer, ORG, "12/3", "") == [hit]
    assert survey_entry.find_households(officer, ORG, "12/3", "5") == []
    form = survey_entry.household_form(volunteer, ORG, hit.id, today=TODAY)
    assert form.household["house_no"] == "12/3" and form.household["team"] == "ทีมเหนือ"
    assert form.household["surveyor"] == "กบ ใจกล้า" and form.household["consent"] == "yes" and form.household["surveyed_on"] == "26/11/2569"
    assert [m["first_name"] for m in form.members] == ["สมศรี", "มะลิ"]
    assert form.members[0]["vulnerabilities"] == "elderly,bedbound,chronic_illness"
    assert form.members[0]["birth_date"] == "05/03/2480" and form.members[0]["note"] == "ติดเตียง"
    assert AuditLog.select().where(AuditLog.action == "survey_household_view").count() == 1

    # a re-survey from the form as it came back, dated today: the note changes, history kept
    form.members[0]["note"] = "ย้ายไปอยู่กับลูก"
    report = survey_entry.save(volunteer, ORG, form.household, form.members, import_key=form.import_key,
                               today=TODAY)
    assert report.imported and (report.records_changed, report.households_added) == (2, 0), report.lines("en")
    changes = [json.loads(c.changes) for c in SurveyChange.select().order_by(SurveyChange.id)]
    assert changes[0]["notes"] == ["ติดเตียง", "ย้ายไปอยู่กับลูก"]
    assert all(c["surveyed_on"] == ["2026-11-20", "2026-11-26"] for c in changes)
    assert Household.select().count() == 1

    # the other team's volunteer does not see it
    surveys.update_member(officer, SurveyTeamMember.get(SurveyTeamMember.name == "กบ ใจกล้า").id, username="")
    surveys.add_member(officer, south, "อาสา", username="volunteer")
    assert survey_entry.find_households(volunteer, ORG, "12/3", "2") == []
    with pytest.raises(NotFound):
        survey_entry.household_form(volunteer, ORG, hit.id)


def test_the_access_export_holds_the_resurvey_history(db, tmp_path):
    for note in ("หลังคารั่ว", "ซ่อมแล้ว"):
        surveys.import_rows(CLI, ORG, one(first_name="แก้ว", doc_number=KAEW, note=note), today=TODAY)
    out = tmp_path / "kaew.json"
    access.export(make_actors()["admin"], KAEW, out)
    [record] = json.loads(out.read_text(encoding="utf-8"))["surveys"]
    assert [h["changes"]["notes"] for h in record["history"]] == [["หลังคารั่ว", "ซ่อมแล้ว"]]


def test_restore_counts_survey_tables_as_data(db, settings):
    from db.connection import sqlite_path
    from tests.conftest import config_database

    assert {"household", "household_member", "survey_change", "survey_team", "survey_team_member"} <= set(DATA_TABLES)
    surveys.create_team(make_actors()["officer"], ORG, "ทีมเดียว", "other")
    # no case and no person yet: a registered team alone is data a restore must not overwrite unasked
    if sqlite_path(settings.database_url) is not None:
        held = _sqlite_held(sqlite_path(settings.database_url))
    else:  # what restore counts on PostgreSQL
        conn = config_database(settings.database_url)
        held = _held(_pg_counts(conn.connection()))
        conn.close()
    assert held["survey_team"] == 1 and SurveyTeam.select().count() == 1
