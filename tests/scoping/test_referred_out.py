"""Issue 16, "both sides see it": after LAO A refers a case to LAO B, B holds it and acts on it;
A keeps *read* access — the queue's "referred out" list, a search, the ticket look-up and the case
view (status and timeline, no steps) — and any step A tries is refused as read only, changing
nothing. A third LAO still learns nothing. Each test runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from db.models import AuditLog, Case, CaseEvent
from kiosk.errors import NotFound, PermissionDenied
from kiosk.services import case_view, queue, scope, workflow
from kiosk.services.queue import QueueFilter
from kiosk.services.workflow import Step
from kiosk.thai.dates import now_bangkok

from .conftest import add_lao, new_case, person, staff_of

MOVED_PERSON = person("ทองดี", "1570900012344", "+66861112222")


def tickets(page) -> set[str]:
    return {r.ticket_no for r in page.rows}


def refer(actor, case_id: int, to: str) -> None:
    workflow.perform(actor, case_id, Step("refer", Case.get_by_id(case_id).version, refer_to=to,
                                          reason="เกินอำนาจหน้าที่", reply_due=now_bangkok().date() + timedelta(days=7)))


@pytest.fixture
def referred(centre):
    """WPK's officer has referred a second WPK case (WPK-69-00002) to NKL; a third LAO (HKR) and its officer exist. `c.moved`, `c.moved_ticket`."""
    add_lao("HKR")
    centre.staff["officer_c"] = staff_of("officer.c", "officer", "HKR")
    centre.moved, centre.moved_ticket, _person = new_case("WPK", MOVED_PERSON)
    refer(centre.staff["officer_a"], centre.moved, "lao:NKL")
    return centre


def test_the_receiving_lao_holds_it_the_sender_lists_it_as_referred_out(referred):
    c, s = referred, referred.staff
    assert Case.get_by_id(c.moved).organization.ticket_prefix == "NKL"
    # the plain queue: B has it among its own; A's own queue no longer lists it
    assert tickets(queue.list_cases(s["officer_b"])) == {c.moved_ticket, c.b_ticket}
    assert tickets(queue.list_cases(s["officer_a"])) == {c.a_ticket}
    # A's "referred out" list: the case, marked as held by NKL
    page = queue.list_cases(s["officer_a"], QueueFilter(referred_out=True))
    assert [(r.ticket_no, r.status, r.held_by) for r in page.rows] == [(c.moved_ticket, "awaiting_reply", "NKL")]
    # B sent nothing out; the third LAO sees nothing anywhere
    assert tickets(queue.list_cases(s["officer_b"], QueueFilter(referred_out=True))) == set()
    assert tickets(queue.list_cases(s["officer_c"], QueueFilter(referred_out=True, status=""))) == set()
    # in B's queue the row is B's own: no "held by" marker
    assert {r.held_by for r in queue.list_cases(s["officer_b"]).rows} == {""}
    # the whole centre's staff: every referred case
    assert tickets(queue.list_cases(s["joint"], QueueFilter(referred_out=True))) == {c.moved_ticket}


def test_search_and_ticket_lookup_find_it_for_the_sender_not_for_a_third_lao(referred):
    c, s = referred, referred.staff
    for query in (c.moved_ticket, "ทองดี", "0861112222"):
        assert tickets(queue.list_cases(s["officer_a"], QueueFilter(query=query, status=""))) == {c.moved_ticket}, query
        assert tickets(queue.list_cases(s["officer_b"], QueueFilter(query=query, status=""))) == {c.moved_ticket}, query
        assert tickets(queue.list_cases(s["officer_c"], QueueFilter(query=query, status=""))) == set(), query
    # a search still never finds B's own case for A, and finds A's own as before
    assert tickets(queue.list_cases(s["officer_a"], QueueFilter(query=c.b_ticket, status=""))) == set()
    assert tickets(queue.list_cases(s["officer_a"], QueueFilter(query="ใจดี", status=""))) == {c.a_ticket, c.moved_ticket}
    assert case_view.case_id_for_ticket(s["officer_a"], c.moved_ticket) == c.moved
    assert case_view.case_id_for_ticket(s["officer_b"], c.moved_ticket) == c.moved
    with pytest.raises(NotFound):
        case_view.case_id_for_ticket(s["officer_c"], c.moved_ticket)
    with pytest.raises(NotFound):
        case_view.case_id_for_ticket(s["officer_a"], c.b_ticket)


def test_the_sender_reads_the_case_with_its_status_and_no_steps(referred):
    c, s = referred, referred.staff
    sent = case_view.case_detail(s["officer_a"], c.moved)
    assert (sent.read_only, sent.status, sent.actions) == (True, "awaiting_reply", [])
    assert sent.held_by[0] == "องค์การบริหารส่วนตำบลหนองแก้ว"
    assert [e.action for e in sent.events][-1] == "refer"
    # reading is a staff view of personal data: audited under the sender's name
    assert AuditLog.select().where(AuditLog.actor == "officer.a", AuditLog.action == "person_view").exists()
    held = case_view.case_detail(s["officer_b"], c.moved)
    assert (held.read_only, held.held_by) == (False, ("", ""))
    assert "referral_reply" in held.actions
    with pytest.raises(NotFound):
        case_view.case_detail(s["officer_c"], c.moved)


def test_the_sender_cannot_act_the_receiver_can_and_the_sender_sees_the_new_status(referred):
    c, s = referred, referred.staff
    version = Case.get_by_id(c.moved).version
    events = CaseEvent.select().where(CaseEvent.case == c.moved).count()
    for step in (Step("note", version, internal_note="ขอดูต่อ"), Step("referral_reply", version, reply="ตอบเอง")):
        with pytest.raises(PermissionDenied) as err:
            workflow.perform(s["officer_a"], c.moved, step)
        assert err.value.key == "case.referred_read_only"
    with pytest.raises(NotFound):  # a third LAO: not even told it exists
        workflow.perform(s["officer_c"], c.moved, Step("note", version, internal_note="x"))
    assert Case.get_by_id(c.moved).version == version
    assert CaseEvent.select().where(CaseEvent.case == c.moved).count() == events
    # B takes it on: back to "received" at B; A reads the new status
    workflow.perform(s["officer_b"], c.moved, Step("referral_reply", version, reply="รับเรื่องแล้ว"))
    assert case_view.case_detail(s["officer_a"], c.moved).status == "received"
    page = queue.list_cases(s["officer_a"], QueueFilter(referred_out=True))
    assert [(r.status, r.held_by) for r in page.rows] == [("received", "NKL")]


def test_passed_on_again_both_senders_read_and_only_the_holder_acts(referred):
    c, s = referred, referred.staff
    case = Case.get_by_id(c.moved)
    workflow.perform(s["officer_b"], c.moved, Step("referral_reply", case.version, reply="รับเรื่อง"))
    refer(s["officer_b"], c.moved, "lao:HKR")
    for sender in ("officer_a", "officer_b"):
        assert case_view.case_detail(s[sender], c.moved).read_only, sender
        assert c.moved_ticket in tickets(queue.list_cases(s[sender], QueueFilter(referred_out=True))), sender
        assert scope.referred_out_ids(s[sender]) == [c.moved]
    assert not case_view.case_detail(s["officer_c"], c.moved).read_only
    assert scope.referred_out_ids(s["officer_c"]) == []


def test_a_referral_to_an_agency_stays_with_the_sender_and_shows_as_referred_out(centre):
    s = centre.staff
    refer(s["officer_b"], centre.b_case, "agency:msdhs")
    page = queue.list_cases(s["officer_b"], QueueFilter(referred_out=True))
    assert [(r.ticket_no, r.held_by) for r in page.rows] == [(centre.b_ticket, "")]
    assert not case_view.case_detail(s["officer_b"], centre.b_case).read_only
    assert queue.list_cases(s["officer_a"], QueueFilter(referred_out=True)).rows == []


def test_referring_a_case_to_an_lao_that_has_the_same_number(centre):
    refer(centre.staff["officer_a"], centre.a_case, "lao:NKL")  # WPK-69-00001 → NKL, which has NKL-69-00001
    assert Case.get_by_id(centre.a_case).organization.ticket_prefix == "NKL"
