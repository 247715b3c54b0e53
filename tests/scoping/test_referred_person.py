"""Issue 16: the person of a case referred to another LAO. The rule (kiosk/services/scope.py,
"the person of a referred case"): the register entry stays the sending LAO's — it stays in that
LAO's register, only that LAO changes, merges or exports it; the LAO that holds the case now sees
the case's people with their contact details on that case (each view audited), and nowhere else;
a third LAO sees nothing, and an LAO that passed the case on (A → B → C: B) keeps reading the
case but no longer its people. SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import pytest

from db.models import AuditLog, Case, Person
from kiosk.errors import NotFound, PermissionDenied
from kiosk.services import access, case_view, merge_view, people, person_view

from .conftest import org_id, staff_of
from .test_referred_out import MOVED_PERSON, refer
from .test_referred_out import referred as referred  # noqa: F401 — the fixture, used by moved_person


def views_of(username: str, person_id: int) -> int:
    return AuditLog.select().where(AuditLog.action == "person_view", AuditLog.actor == username,
                                   AuditLog.target_id == str(person_id)).count()


@pytest.fixture
def moved_person(referred):
    referred.person = Person.get(Person.doc_number == MOVED_PERSON.doc_number).id
    return referred


def test_the_receiving_lao_sees_the_contact_on_the_case_audited(moved_person):
    c, s = moved_person, moved_person.staff
    detail = case_view.case_detail(s["officer_b"], c.moved)
    assert [(p.id, p.phone_text, p.house_no) for p in detail.people] == [(c.person, "086-111-2222", "12/3")]
    assert not detail.read_only and views_of("officer.b", c.person) == 1
    # the register entry stays the sending LAO's
    assert Person.get_by_id(c.person).organization_id == org_id("WPK")
    # and the sender still reads its own person on the case it sent
    assert [p.id for p in case_view.case_detail(s["officer_a"], c.moved).people] == [c.person]


def test_a_third_lao_sees_nothing_of_the_person(moved_person):
    c, s = moved_person, moved_person.staff
    with pytest.raises(NotFound):
        case_view.case_detail(s["officer_c"], c.moved)
    assert views_of("officer.c", c.person) == 0
    assert person_view.find_returning_person(s["officer_c"], MOVED_PERSON.doc_number) is None


def test_the_register_entry_stays_with_the_sending_lao(moved_person, tmp_path):
    c, s = moved_person, moved_person.staff
    # the receiving LAO does not find the person at its counter, change them nor export them
    assert person_view.find_returning_person(s["officer_b"], MOVED_PERSON.doc_number) is None
    with pytest.raises(NotFound):
        people.update(s["officer_b"], c.person, replace(MOVED_PERSON, phone="+66800000000"))
    assert Person.get_by_id(c.person).phone == MOVED_PERSON.phone
    admin_b = staff_of("admin.b", "admin", "NKL")
    with pytest.raises(NotFound):
        access.export(admin_b, MOVED_PERSON.doc_number, tmp_path / "b.json")
    # the sending LAO still does all three, and its export holds the referred case
    assert person_view.find_returning_person(s["officer_a"], MOVED_PERSON.doc_number).id == c.person
    assert access.export(s["admin_a"], MOVED_PERSON.doc_number, tmp_path / "a.json").cases == 1


def test_merging_is_for_the_register_s_lao_and_says_so_to_the_receiving_one(moved_person):
    c = moved_person
    supervisor_b = staff_of("supervisor.b", "supervisor", "NKL")
    with pytest.raises(PermissionDenied) as refused:
        merge_view.duplicates_for(supervisor_b, [c.person], c.moved_ticket)
    assert refused.value.key == "case.merge_other_lao"
    assert views_of("supervisor.b", c.person) == 0
    supervisor_c = staff_of("supervisor.c", "supervisor", "HKR")
    with pytest.raises(NotFound):  # a third LAO: nothing to say
        merge_view.duplicates_for(supervisor_c, [c.person], c.moved_ticket)
    assert merge_view.duplicates_for(c.staff["supervisor_a"], [c.person], c.moved_ticket) == []


def test_an_lao_that_passed_the_case_on_keeps_the_case_not_the_person(moved_person):
    c, s = moved_person, moved_person.staff
    Case.update(status="received").where(Case.id == c.moved).execute()  # B took it on (the reply step)
    refer(s["officer_b"], c.moved, "lao:HKR")
    passed = case_view.case_detail(s["officer_b"], c.moved)
    assert passed.read_only and passed.people == [] and views_of("officer.b", c.person) == 0
    held = case_view.case_detail(s["officer_c"], c.moved)
    assert [p.id for p in held.people] == [c.person] and views_of("officer.c", c.person) == 1
    assert [p.id for p in case_view.case_detail(s["officer_a"], c.moved).people] == [c.person]
