"""A surveyed person turned into a case in one action (issue 13, item 4): channel `survey`, the
person is the case's subject, the surveyor's team is named as who asked, the survey's flags are
carried over, the action is audited; a second open survey case is refused; only officers, and
only for records they may read. Then the same from the register screen with Pilot."""

from __future__ import annotations

import json

import pytest

from db.models import AuditLog, Case, CaseEvent, Person
from kiosk.errors import NotFound, PermissionDenied, ValidationError
from kiosk.i18n import translate
from kiosk.services import survey_case, survey_register
from kiosk.services.survey_register import RegisterFilter
from tests.survey import town
from tests.survey.test_import import ORG, TODAY


@pytest.fixture
def place(any_db) -> town.Town:
    """The town on SQLite and on PostgreSQL."""
    return town.build()


@pytest.fixture
def sqlite_place(db) -> town.Town:
    return town.build()


def bedridden_in_moo_3(actor):
    return survey_register.people(actor, RegisterFilter(moo=3, vulnerability="bedbound"), today=TODAY).rows[0]


def test_a_surveyed_person_becomes_a_case(place):
    officer = place.actors["officer"]
    row = bedridden_in_moo_3(officer)
    made = survey_case.open_case(officer, ORG, row.record_id)
    case = Case.get(Case.ticket_no == made.created.ticket_no)
    assert case.channel == "survey" and case.subject_id == row.person_id and case.requester_id is None
    assert case.category_id == ("survival_bag" if "survival_bag" in row.needs else "bedbound_patient")
    assert "bedbound" in case.vulnerabilities.split(",") and case.sensitive_consent
    assert case.legal_basis == "public_task+explicit_consent"
    assert row.team in case.description and "ผู้ป่วยติดเตียง" in case.description
    event = CaseEvent.get(CaseEvent.case == case)
    data = json.loads(event.data)
    assert (data["survey_record"], data["survey_team"], event.actor_id) == (row.record_id, row.team, officer.id)
    audit = AuditLog.get(AuditLog.action == "survey_case_create")
    assert (audit.actor, audit.target_id) == ("officer", str(case.id)) and made.created.ticket_no in audit.detail
    assert made.person == row.full_name
    assert translate("channel.survey", "th") == "การสำรวจภาคสนาม"

    with pytest.raises(ValidationError) as again:
        survey_case.open_case(officer, ORG, row.record_id)
    assert again.value.key == "register.case_exists" and again.value.params["ticket"] == case.ticket_no
    assert Case.select().count() == 1


def test_only_officers_and_only_visible_latest_records(place):
    officer, volunteer = place.actors["officer"], place.actors["volunteer"]
    row = bedridden_in_moo_3(officer)
    with pytest.raises(PermissionDenied):
        survey_case.open_case(volunteer, ORG, row.record_id)
    # the mover's old record (bedridden, หมู่ 1) is not their latest: no case from it
    mover = Person.get(Person.doc_number == place.mover)
    old = min(r.id for r in mover.surveys)
    with pytest.raises(NotFound):
        survey_case.open_case(officer, ORG, old)
    assert Case.select().count() == 0


def test_health_flags_need_the_surveys_consent(place):
    officer = place.actors["officer"]
    row = bedridden_in_moo_3(officer)
    Person.update(birth_date=None).where(Person.id == row.person_id).execute()
    from db.models import SurveyRecord
    SurveyRecord.update(consent=False, vulnerabilities="bedbound,child_no_caregiver,homeless").where(
        SurveyRecord.id == row.record_id).execute()
    made = survey_case.open_case(officer, ORG, row.record_id, category="homeless")
    case = Case.get_by_id(made.created.id)
    assert case.vulnerabilities == "child,no_caregiver" and not case.sensitive_consent
    assert case.category_id == "homeless" and case.legal_basis == "public_task"


async def test_survey_to_case_from_the_register_screen(sqlite_place, settings):
    from tests.snapshots.conftest import reach
    from tests.staff.pilot import settle, staff_app
    from tests.survey.test_register import open_register

    app = staff_app(settings, lang="th")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_register(pilot)
        await pilot.press("b", "3")
        await settle(pilot)
        row = app.screen.rows[0]
        await pilot.press("n")  # a new case from the highlighted person: the category is offered
        await reach(pilot, "CaseDialog")
        assert str(app.screen.query_one("#reg-case-person").render()) == row.full_name
        await pilot.press("enter")  # the suggested one
        await reach(pilot, "CaseDetailScreen")
        case = Case.get()
        assert case.channel == "survey" and case.subject_id == row.person_id
        assert case.category_id == survey_case.category_for(row)
        text = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert case.ticket_no in text and "การสำรวจภาคสนาม" in text and row.first_name in text
        # again: refused, naming the open case
        await pilot.press("escape")
        await reach(pilot, "RegisterScreen")
        await pilot.press("n")
        await reach(pilot, "CaseDialog")
        await pilot.press("enter")
        await settle(pilot)
        assert Case.select().count() == 1
        assert any(case.ticket_no in str(n.message) for n in app._notifications)
