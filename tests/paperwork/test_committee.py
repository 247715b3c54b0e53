"""The committee's decisions for several cases at once, at the service (kiosk.services.committee),
on SQLite and PostgreSQL: all saved in one transaction or none, a stale version a Conflict naming
its ticket, officers refused, one audit row for the meeting beside each case's own."""

from __future__ import annotations

from datetime import date

import pytest

from db.models import AuditLog, Case, CaseEvent
from kiosk.errors import Conflict, KioskError, PermissionDenied, ValidationError
from kiosk.services import committee
from kiosk.services.committee import Decision
from kiosk.services.workflow import Step, perform
from tests.conftest import make_actors

from .conftest import new_case, person, version

MEETING = ("5/2569", date(2026, 11, 20))


@pytest.fixture
def cases(any_db):
    return [new_case(who=person(first), status="awaiting_committee") for first in ("บุญมี", "สมศรี", "ทองดี")]


@pytest.fixture
def staff(any_db):
    return make_actors()


def decide(actor, settings, decisions):
    return committee.record_decisions(actor, settings, *MEETING, decisions)


def test_the_list_is_oldest_first_with_the_family_and_the_field_check(cases, staff, settings):
    perform(staff["officer"], cases[0], Step("note", version(cases[0]), internal_note="x"))
    listed = committee.awaiting(staff["officer"], settings)
    assert [c.id for c in listed] == cases
    assert listed[0].person == "นางบุญมี ใจดี" and listed[0].house == "12/3 ม.3" and listed[0].limit_times == 3
    assert AuditLog.select().where(AuditLog.action == "committee_list").count() == 1


def test_decisions_are_saved_together(cases, staff, settings):
    n = decide(staff["supervisor"], settings, [Decision(cases[0], version(cases[0]), True, "3,000"),
                                               Decision(cases[1], version(cases[1]), False, reason="ไม่เข้าเกณฑ์")])
    assert n == 2
    assert [Case.get_by_id(c).status_id for c in cases] == ["approved", "not_approved", "awaiting_committee"]
    assert CaseEvent.select().where(CaseEvent.action << ["approve", "not_approve"]).count() == 2
    assert AuditLog.select().where(AuditLog.action == "committee_decisions").count() == 1
    assert AuditLog.select().where(AuditLog.action << ["case_approve", "case_not_approve"]).count() == 2


@pytest.mark.parametrize(("bad", "error", "key"), [
    (lambda c: Decision(c, version(c), False, reason=""), ValidationError, "workflow.public_note_required"),
    (lambda c: Decision(c, version(c), True, amount="สามพัน"), ValidationError, "workflow.amount_format"),
    (lambda c: Decision(c, version(c) - 1, True), Conflict, "workflow.conflict"),
])
def test_one_refused_decision_saves_none_and_names_its_ticket(cases, staff, settings, bad, error, key):
    before = (CaseEvent.select().count(), AuditLog.select().count())
    with pytest.raises(error) as err:
        decide(staff["supervisor"], settings, [Decision(cases[0], version(cases[0]), True), bad(cases[1])])
    assert err.value.key == key and err.value.params["ticket"] == Case.get_by_id(cases[1]).ticket_no
    assert [Case.get_by_id(c).status_id for c in cases] == ["awaiting_committee"] * 3
    assert (CaseEvent.select().count(), AuditLog.select().count()) == before


def test_officers_and_empty_meetings_are_refused(cases, staff, settings):
    with pytest.raises(PermissionDenied):
        decide(staff["officer"], settings, [Decision(cases[0], version(cases[0]), True)])
    with pytest.raises(KioskError) as err:
        decide(staff["supervisor"], settings, [])
    assert err.value.key == "committee.none_chosen"
    with pytest.raises(ValidationError) as err:
        committee.record_decisions(staff["supervisor"], settings, "", MEETING[1],
                                   [Decision(cases[0], version(cases[0]), True)])
    assert err.value.key == "workflow.meeting_no_required"
