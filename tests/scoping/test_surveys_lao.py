"""Issue 16: survey writes belong to an LAO. An LAO's officer enters and imports under their own
LAO — another LAO asked for is not found, a team of another LAO is an unknown team (nothing is
stored) — and manages only their LAO's teams and surveyors; for the whole centre's staff the LAO
asked for counts, or, when none was chosen (the form, the console's import, `import-survey`
without --lao), the LAO of the teams the rows name. SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from db.models import Household, Person, SurveyRecord, SurveyTeam
from kiosk.errors import NotFound
from kiosk.services import scope, survey_entry, surveys
from tests.survey import sheet_rows
from tests.survey.test_import import CLI, KAEW, SOMSRI, TODAY


def rows(team: str, doc: str = KAEW, first: str = "แก้ว") -> list[tuple[int, dict]]:
    return sheet_rows([{"first_name": first, "last_name": "มณี", "doc_number": doc}], household_no="1",
                      house_no="8", moo="2", surveyed_on="20/11/2569", team=team, subdistrict_code="570906")


@pytest.fixture
def teams(centre):
    """A team in each LAO: WPK's "อสม. หมู่ 2", NKL's "อปพร. หนองแก้ว"."""
    centre.wpk_team = surveys.create_team(CLI, "WPK", "อสม. หมู่ 2", "health_volunteer", "2")
    centre.nkl_team = surveys.create_team(CLI, "NKL", "อปพร. หนองแก้ว", "civil_defence", "2")
    return centre


def prefix_of_records() -> set[str]:
    return {r.organization.ticket_prefix for r in SurveyRecord.select()}


def test_an_officer_imports_under_their_own_lao(teams):
    officer_b = teams.staff["officer_b"]
    report = surveys.import_rows(officer_b, "NKL", rows("อปพร. หนองแก้ว"), today=TODAY)
    assert report.imported and report.records_added == 1
    record = SurveyRecord.get()
    assert (record.organization.ticket_prefix, record.survey_team_id) == ("NKL", teams.nkl_team)
    assert Person.get_by_id(record.person_id).organization.ticket_prefix == "NKL"
    assert Household.get_by_id(record.household_id).organization.ticket_prefix == "NKL"
    # what they wrote, they read; the other LAO's officer does not
    assert surveys.visible_records(officer_b).count() == 1
    assert surveys.visible_records(teams.staff["officer_a"]).count() == 0


def test_another_laos_lao_or_team_is_refused_and_nothing_is_stored(teams):
    officer_b = teams.staff["officer_b"]
    with pytest.raises(NotFound):
        surveys.import_rows(officer_b, "WPK", rows("อสม. หมู่ 2"), today=TODAY)
    report = surveys.import_rows(officer_b, "NKL", rows("อสม. หมู่ 2"), today=TODAY)  # WPK's team
    assert not report.imported and [i.key for i in report.errors] == ["survey.unknown_team"]
    # the form: the team named decides nothing for an LAO's officer
    report = survey_entry.save(officer_b, "NKL", {**survey_entry.blank_household(TODAY), "house_no": "8", "moo": "2",
                                                  "team": "อสม. หมู่ 2"},
                               [{**survey_entry.blank_member(), "first_name": "แก้ว", "doc_number": KAEW}], today=TODAY)
    assert not report.imported
    assert SurveyRecord.select().count() == 0 and Household.select().count() == 0


def test_an_officer_manages_only_their_laos_teams(teams):
    sup_a = teams.staff["supervisor_a"]
    assert [t.name for t in surveys.list_teams(sup_a, "WPK")] == ["อสม. หมู่ 2"]
    with pytest.raises(NotFound):
        surveys.list_teams(sup_a, "NKL")
    with pytest.raises(NotFound):
        surveys.create_team(sup_a, "NKL", "แอบตั้งทีม", "other")
    for change in (lambda: surveys.update_team(sup_a, teams.nkl_team, name="เปลี่ยนชื่อ"),
                   lambda: surveys.set_team_active(sup_a, teams.nkl_team, False),
                   lambda: surveys.add_member(sup_a, teams.nkl_team, "สมหมาย")):
        with pytest.raises(NotFound):
            change()
    nkl = SurveyTeam.get_by_id(teams.nkl_team)
    assert (nkl.name, nkl.active, nkl.members.count()) == ("อปพร. หนองแก้ว", True, 0)
    member = surveys.add_member(CLI, teams.nkl_team, "สมหมาย")
    with pytest.raises(NotFound):
        surveys.update_member(sup_a, member, name="x")
    with pytest.raises(NotFound):
        surveys.set_member_active(sup_a, member, False)
    # their own team, yes
    assert surveys.update_team(sup_a, teams.wpk_team, villages="2, 3") == ("villages",)
    assert surveys.create_team(sup_a, "WPK", "อถล. หมู่ 3", "other") > 0


def test_the_whole_centres_staff_write_where_the_team_belongs(teams):
    joint = teams.staff["joint"]
    # no LAO chosen (the host's is the default): the team's LAO decides
    report = surveys.import_rows(joint, "WPK", rows("อปพร. หนองแก้ว"), today=TODAY, lao_from_teams=True)
    assert report.imported and prefix_of_records() == {"NKL"}
    report = surveys.import_rows(joint, "WPK", rows("อสม. หมู่ 2", SOMSRI, "สมศรี"), today=TODAY, lao_from_teams=True)
    assert report.imported and prefix_of_records() == {"NKL", "WPK"}
    # an LAO chosen: that LAO's teams only
    report = surveys.import_rows(joint, "WPK", rows("อปพร. หนองแก้ว", SOMSRI, "สมศรี"), today=TODAY)
    assert [i.key for i in report.errors] == ["survey.unknown_team"]


def test_screens_work_for_the_officers_lao(teams):
    s = teams.staff
    assert scope.own_prefix(s["officer_b"], "WPK") == "NKL"  # known since sign-in
    assert s["officer_b"].lao_prefixes == ("NKL",)
    assert scope.own_prefix(s["joint"], "WPK") == "WPK"
    assert surveys.working_lao(s["officer_a"], "WPK") == "WPK"


def test_the_register_narrows_to_one_lao_for_the_whole_centre_and_refuses_another_to_an_officer(teams):
    from kiosk.services import survey_register
    from kiosk.services.survey_register import RegisterFilter

    s = teams.staff
    assert surveys.import_rows(s["joint"], "WPK", rows("อสม. หมู่ 2"), today=TODAY).imported
    assert surveys.import_rows(s["joint"], "NKL", rows("อปพร. หนองแก้ว", SOMSRI, "สมศรี"), today=TODAY).imported

    def names(actor, lao=None):
        return {r.first_name for r in survey_register.people(actor, RegisterFilter(lao=lao)).rows}

    assert names(s["joint"]) == {"แก้ว", "สมศรี"}
    assert names(s["joint"], "WPK") == {"แก้ว"} and names(s["joint"], "NKL") == {"สมศรี"}
    assert survey_register.count(s["joint"], RegisterFilter(lao="NKL")) == 1
    assert names(s["officer_a"]) == names(s["officer_a"], "WPK") == {"แก้ว"}
    with pytest.raises(NotFound):
        names(s["officer_a"], "NKL")
    assert RegisterFilter(lao="NKL").describe() == "lao=NKL"
    # what the screen's filter line and the exports print: the LAO's name, not its prefix alone
    assert RegisterFilter(lao="NKL", moo=3).label("th") == "หมู่ 3 · NKL องค์การบริหารส่วนตำบลหนองแก้ว"
