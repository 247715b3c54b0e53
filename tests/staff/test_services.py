"""Queue, case view, merge, accounts and the audit reader at the service level."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from db.models import AuditLog, Case, Person, Staff, utcnow
from kiosk.errors import Conflict, PermissionDenied, ValidationError
from kiosk.services import audit_view, case_view, merge, queue
from kiosk.services import staff as staff_service
from kiosk.services.demo import fake_people
from kiosk.services.queue import QueueFilter
from kiosk.services.workflow import Step, perform

from .conftest import new_case


def tickets(page) -> set[str]:
    return {r.ticket_no for r in page.rows}


@pytest.fixture
def mixed(db, actors):
    """Six cases that differ in one filterable thing each."""
    people = list(fake_people(6, seed=7))
    ids = {
        "flood": new_case("บ้านน้ำท่วม", people[0], "flood"),
        "elderly": new_case("ผู้สูงอายุอยู่ลำพัง", people[1], "elderly", urgency="urgent"),
        "old": new_case("เรื่องเก่ามาก", people[2], "low_income"),
        "mine": new_case("มอบหมายแล้ว", people[3], "fire"),
        "closed": new_case("ปิดแล้ว", people[4], "storm"),
        "moo7": new_case("หมู่เจ็ด", replace(people[5], moo=7), "drought"),
    }
    Person.update(moo=1).where(Person.id != Case.get_by_id(ids["moo7"]).subject_id).execute()
    Case.update(created_at=utcnow() - timedelta(days=45)).where(Case.id == ids["old"]).execute()
    perform(actors["officer"], ids["mine"], Step("assign", 1, assignee=actors["officer"].id))
    perform(actors["officer"], ids["closed"], Step("close", 1, public_note="จบ"))
    return {k: Case.get_by_id(v).ticket_no for k, v in ids.items()}


def test_queue_filters(mixed, actors):
    me = actors["officer"]
    everything = queue.list_cases(me, QueueFilter())
    assert everything.total == 6
    assert tickets(queue.list_cases(me, QueueFilter(status="open"))) == set(mixed.values()) - {mixed["closed"]}
    assert tickets(queue.list_cases(me, QueueFilter(status="closed"))) == {mixed["closed"]}
    assert tickets(queue.list_cases(me, QueueFilter(subtype="elderly"))) == {mixed["elderly"]}
    assert tickets(queue.list_cases(me, QueueFilter(area="quality_of_life"))) == {mixed["elderly"], mixed["old"]}
    assert tickets(queue.list_cases(me, QueueFilter(moo=7))) == {mixed["moo7"]}
    assert tickets(queue.list_cases(me, QueueFilter(urgency="urgent"))) == {mixed["elderly"]}
    assert tickets(queue.list_cases(me, QueueFilter(mine=True))) == {mixed["mine"]}
    assert tickets(queue.list_cases(actors["officer2"], QueueFilter(mine=True))) == set()
    assert tickets(queue.list_cases(me, QueueFilter(older_than_days=30))) == {mixed["old"]}
    assert tickets(queue.list_cases(me, QueueFilter(query="ลำพัง"))) == {mixed["elderly"]}
    assert tickets(queue.list_cases(me, QueueFilter(query=mixed["mine"]))) == {mixed["mine"]}
    assert tickets(queue.list_cases(me, QueueFilter(query="ลำพัง", status="closed"))) == set()


def test_queue_query_uses_the_search(db, actors):
    """Through whichever search is installed: phone typed as people say it, national ID with dashes."""
    from dataclasses import replace

    person = replace(next(fake_people(1, seed=9)), phone="+66812345678", doc_number="1101700203451",
                     doc_type="national_id")
    ticket = Case.get_by_id(new_case("เรื่องทดสอบ", person)).ticket_no
    new_case("อื่น ๆ")
    for q in ("081-234-5678", "1-1017-00203-45-1", ticket):
        assert tickets(queue.list_cases(actors["officer"], QueueFilter(query=q))) == {ticket}, q


def test_queue_query_filters_and_pages_over_every_match(any_db):
    """More matches than case_ids_matching's default limit: the filters still see the old ones."""
    from db.models import Staff

    s = Staff.create(username="officer", full_name="officer", role="officer", password_hash="x")
    me = staff_service.Actor(s.id, s.username, s.full_name, "officer", "test")
    people = fake_people(255, seed=21)
    ids = [new_case("หลังคารั่วซึม", next(people)) for _ in range(255)]
    Case.update(status="closed").where(Case.id.in_(ids[:5])).execute()
    closed = queue.list_cases(me, QueueFilter(status="closed", query="หลังคา"))
    assert sorted(r.id for r in closed.rows) == ids[:5] and closed.total == 5
    everything = queue.list_cases(me, QueueFilter(query="หลังคา"), page=5, page_size=50)
    assert everything.total == 255 and [r.id for r in everything.rows] == ids[4::-1]


def test_queue_sorts_and_pages(db, actors):
    for _ in range(7):
        new_case()
    Case.update(urgency="emergency").where(Case.id == 3).execute()
    me = actors["officer"]
    first = queue.list_cases(me, QueueFilter(), page=0, page_size=3)
    last = queue.list_cases(me, QueueFilter(), page=2, page_size=3)
    assert (first.total, first.pages, len(first.rows), len(last.rows)) == (7, 3, 3, 1)
    assert [r.id for r in first.rows] == [7, 6, 5] and [r.id for r in last.rows] == [1]
    assert queue.list_cases(me, QueueFilter(), page=99, page_size=3).page == 2
    assert queue.list_cases(me, QueueFilter(sort="urgency")).rows[0].id == 3
    assert [r.id for r in queue.list_cases(me, QueueFilter(sort="oldest")).rows][:2] == [1, 2]


def test_queue_and_case_refuse_volunteers(db, actors, case_id):
    with pytest.raises(PermissionDenied):
        queue.list_cases(actors["volunteer"])
    with pytest.raises(PermissionDenied):
        case_view.case_detail(actors["volunteer"], case_id)
    assert not AuditLog.select().where(AuditLog.action == "person_view").exists()


def test_viewing_a_case_audits_each_person(db, actors):
    people = list(fake_people(2, seed=3))
    from kiosk.services.cases import CaseData, create_case

    cid = create_case("WPK", CaseData(category="elderly", relationship="ลูก"), people[0], people[1]).id
    detail = case_view.case_detail(actors["officer"], cid)
    assert {p.role for p in detail.people} == {"requester", "subject"}
    views = AuditLog.select().where(AuditLog.action == "person_view", AuditLog.actor == "officer")
    assert sorted(int(v.target_id) for v in views) == sorted(p.id for p in detail.people)
    assert detail.actions == ["assign", "send_field", "ask_info", "refer", "mark_duplicate", "withdraw", "close",
                              "note"]


def test_merge_moves_cases_bumps_versions_and_is_for_supervisors(db, actors):
    a, b = list(fake_people(2, seed=11))
    c1, c2 = new_case(person=a), new_case(person=b)
    keep, drop = Case.get_by_id(c1).subject_id, Case.get_by_id(c2).subject_id
    Person.update(phone="").where(Person.id == keep).execute()
    with pytest.raises(PermissionDenied):
        merge.merge_people(actors["officer"], keep, drop)
    with pytest.raises(ValidationError):
        merge.merge_people(actors["supervisor"], keep, keep)
    assert merge.merge_people(actors["supervisor"], keep, drop) == 2  # subject and requester of c2
    moved = Case.get_by_id(c2)
    assert (moved.subject_id, moved.requester_id, moved.version) == (keep, keep, 3)
    assert Person.get_by_id(drop).merged_into_id == keep
    assert Person.get_by_id(keep).phone == Person.get_by_id(drop).phone
    from kiosk.services import search

    assert search.people_matching(Person.get_by_id(keep).phone) == [keep]  # the filled phone is indexed
    with pytest.raises(Conflict):  # a screen that loaded c2 before the merge is told
        perform(actors["officer"], c2, Step("note", 1, internal_note="x"))
    with pytest.raises(ValidationError):
        merge.merge_people(actors["supervisor"], keep, drop)
    assert AuditLog.select().where(AuditLog.action == "person_merge").count() == 1


def test_admins_manage_accounts(db, actors):
    admin, officer = actors["admin"], actors["officer"]
    with pytest.raises(PermissionDenied):
        staff_service.list_staff(officer)
    with pytest.raises(PermissionDenied):
        staff_service.set_role(officer, officer.id, "admin")
    staff_service.set_role(admin, officer.id, "supervisor")
    staff_service.set_active(admin, actors["officer2"].id, False)
    rows = {r.username: r for r in staff_service.list_staff(admin)}
    assert rows["officer"].role == "supervisor" and not rows["officer2"].active
    with pytest.raises(ValidationError):
        staff_service.set_active(admin, admin.id, False)  # the last admin
    with pytest.raises(ValidationError):
        staff_service.set_role(admin, admin.id, "officer")
    with pytest.raises(PermissionDenied):
        staff_service.login("officer2", "password-123")
    assert [u for _i, u, _n in staff_service.assignable_staff(admin)] == ["admin", "officer", "supervisor"]
    assert AuditLog.select().where(AuditLog.action.in_(("staff_role", "staff_deactivate"))).count() == 2


def test_audit_reader_filters_and_is_for_admins(db, actors, case_id):
    case_view.case_detail(actors["officer"], case_id)
    perform(actors["officer"], case_id, Step("note", 1, internal_note="x"))
    with pytest.raises(PermissionDenied):
        audit_view.list_entries(actors["supervisor"])
    rows, total = audit_view.list_entries(actors["admin"], action="case_")
    assert total == 1 and rows[0].action == "case_note" and rows[0].target == f"case:{case_id}"
    rows, total = audit_view.list_entries(actors["admin"], target=f"person:{Case.get_by_id(case_id).subject_id}")
    assert total == 1 and rows[0].action == "person_view"
    assert audit_view.list_entries(actors["admin"], who="nobody")[1] == 0


def test_login_wait_and_audit(db):
    system = staff_service.Actor(0, "t", "", "admin", "cli")
    staff_service.create_staff("somchai", "right-password", "officer", by=system)
    for _ in range(3):
        with pytest.raises(PermissionDenied) as err:
            staff_service.login("somchai", "wrong-password")
        assert err.value.key == "errors.login_failed"
    with pytest.raises(PermissionDenied) as err:
        staff_service.login("somchai", "right-password")
    assert err.value.key == "signin.wait_seconds"
    Staff.update(locked_until=utcnow() - timedelta(seconds=1)).where(Staff.username == "somchai").execute()
    assert staff_service.login("somchai", "right-password").role == "officer"
    actions = [a.action for a in AuditLog.select().where(AuditLog.actor == "somchai").order_by(AuditLog.id)]
    assert actions == ["login_failed"] * 3 + ["login"]  # the refusal while waiting checked nothing
