"""The state machine at the service level: every transition, its refusal from a wrong status or
by a lower role, optimistic locking, audit entries."""

from __future__ import annotations

import json
import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from db.models import AuditLog, Case, CaseEvent
from db.reference import STATUSES
from kiosk.errors import Conflict, PermissionDenied, ValidationError
from kiosk.services import workflow
from kiosk.services.workflow import ACTIONS, Step, perform
from kiosk.thai.dates import now_bangkok

from .conftest import new_case


def fields_for(action: str, actors, other_ticket: str) -> dict:
    """A complete, valid set of fields for `action`."""
    return {
        "assign": dict(assignee=actors["officer2"].id),
        "send_field": dict(team="หน่วยเคลื่อนที่เร็ว 1"),
        "ask_info": dict(public_note="กรุณานำสำเนาทะเบียนบ้าน"),
        "info_received": dict(internal_note="ได้รับเอกสารแล้ว"),
        "record_field_check": dict(visited_on=date(2026, 4, 2), internal_note="บ้านเสียหายจริง"),
        "approve": dict(meeting_no="3/2569", meeting_date=date(2026, 4, 10), public_note="อนุมัติ"),
        "not_approve": dict(meeting_no="3/2569", meeting_date=date(2026, 4, 10), public_note="ไม่เข้าหลักเกณฑ์"),
        "deliver": dict(amount="3,000", items="ข้าวสาร 5 กก.", public_note="มอบแล้ว"),
        "refer": dict(refer_to="agency:msdhs", reason="เกินอำนาจหน้าที่", reply_due=now_bangkok().date() + timedelta(days=7),
                      public_note="ส่งต่อ พม."),
        "referral_reply": dict(reply="พม. รับเรื่องแล้ว"),
        "mark_duplicate": dict(duplicate_of=other_ticket),
        "withdraw": dict(public_note="ผู้ยื่นขอยกเลิก"),
        "close": dict(public_note="ปิดเรื่อง"),
        "reopen": dict(internal_note="ยื่นเอกสารใหม่"),
        "note": dict(internal_note="โทรแล้วไม่รับสาย"),
    }[action]


def put_in(case_id: int, status: str) -> int:
    Case.update(status=status).where(Case.id == case_id).execute()
    return Case.get_by_id(case_id).version


TRANSITIONS = [(a.key, s) for a in ACTIONS.values() for s in a.sources]
REFUSED = [(a.key, s) for a in ACTIONS.values() for s in STATUSES if s not in a.sources]


@pytest.mark.parametrize(("action", "status"), TRANSITIONS)
def test_every_allowed_transition(db, actors, action, status):
    other = Case.get_by_id(new_case()).ticket_no
    cid = new_case()
    version = put_in(cid, status)
    spec = ACTIONS[action]
    new = perform(actors["admin"] if spec.role == "admin" else actors["supervisor"], cid,
                  Step(action, version, **fields_for(action, actors, other)))
    case = Case.get_by_id(cid)
    assert (new, case.version) == (version + 1, version + 1)
    assert case.status_id == (spec.to or status)
    event = CaseEvent.select().where(CaseEvent.case == cid).order_by(CaseEvent.id.desc()).get()
    moved = (status, spec.to) if spec.to else (None, None)  # a step that keeps the status records no move
    assert (event.action, event.from_status, event.to_status) == (action, *moved)
    assert json.loads(event.data)["version"] == new
    assert AuditLog.select().where(AuditLog.action == f"case_{action}", AuditLog.target_id == str(cid)).count() == 1


@pytest.mark.parametrize(("action", "status"), REFUSED)
def test_every_transition_refused_from_other_statuses(db, actors, action, status):
    other = Case.get_by_id(new_case()).ticket_no
    cid = new_case()
    version = put_in(cid, status)
    with pytest.raises(ValidationError) as err:
        perform(actors["admin"], cid, Step(action, version, **fields_for(action, actors, other)))
    assert err.value.key == "workflow.not_allowed"
    assert Case.get_by_id(cid).status_id == status and Case.get_by_id(cid).version == version


@pytest.mark.parametrize("action", list(ACTIONS))
def test_roles_below_the_action_are_refused(db, actors, action):
    other = Case.get_by_id(new_case()).ticket_no
    cid = new_case()
    version = put_in(cid, ACTIONS[action].sources[0])
    lower = {"officer": ["volunteer"], "supervisor": ["volunteer", "officer"]}[ACTIONS[action].role]
    for role in lower:
        with pytest.raises(PermissionDenied):
            perform(actors[role], cid, Step(action, version, **fields_for(action, actors, other)))
    assert Case.get_by_id(cid).version == version
    assert CaseEvent.select().where(CaseEvent.case == cid).count() == 1  # only "create"


def test_allowed_actions_depend_on_status_and_role(db, actors):
    assert workflow.allowed_actions(actors["volunteer"], "received") == []
    officer = workflow.allowed_actions(actors["officer"], "awaiting_committee")
    assert "approve" not in officer and "ask_info" in officer
    assert "approve" in workflow.allowed_actions(actors["supervisor"], "awaiting_committee")
    assert "reopen" not in workflow.allowed_actions(actors["officer"], "closed")
    assert "reopen" in workflow.allowed_actions(actors["supervisor"], "closed")


@pytest.mark.parametrize(("action", "missing", "key"), [
    ("ask_info", {"public_note": ""}, "workflow.public_note_required"),
    ("record_field_check", {"internal_note": ""}, "workflow.internal_note_required"),
    ("record_field_check", {"visited_on": None}, "workflow.date_required"),
    ("approve", {"meeting_no": " "}, "workflow.meeting_no_required"),
    ("approve", {"meeting_date": None}, "workflow.date_required"),
    ("deliver", {"amount": "", "items": ""}, "workflow.help_required"),
    ("deliver", {"amount": "-5"}, "workflow.amount_format"),
    ("deliver", {"amount": "0"}, "workflow.amount_range"),
    ("refer", {"refer_to": ""}, "workflow.refer_to_invalid"),
    ("refer", {"refer_to": "agency:nowhere"}, "workflow.refer_to_invalid"),
    ("refer", {"reason": ""}, "workflow.reason_required"),
    ("refer", {"reply_due": None}, "workflow.due_date_required"),
    ("refer", {"reply_due": date(2020, 1, 1)}, "workflow.due_date_past"),
    ("referral_reply", {"reply": ""}, "workflow.reply_required"),
    ("mark_duplicate", {"duplicate_of": "WPK-00-99999"}, "workflow.duplicate_of_invalid"),
    ("send_field", {"team": "\x1b\x07"}, "workflow.team_required"),
    ("assign", {"assignee": None}, "workflow.assignee_invalid"),
    ("note", {"internal_note": "", "public_note": ""}, "workflow.note_required"),
])
def test_required_fields(db, actors, action, missing, key):
    other = Case.get_by_id(new_case()).ticket_no
    cid = new_case()
    version = put_in(cid, ACTIONS[action].sources[0])
    with pytest.raises(ValidationError) as err:
        perform(actors["supervisor"], cid, Step(action, version, **{**fields_for(action, actors, other), **missing}))
    assert err.value.key == key
    assert Case.get_by_id(cid).version == version


def test_duplicate_of_itself_is_refused(db, actors):
    cid = new_case()
    with pytest.raises(ValidationError):
        perform(actors["officer"], cid, Step("mark_duplicate", 1, duplicate_of=Case.get_by_id(cid).ticket_no))


def test_assigning_a_volunteer_is_refused(db, actors, case_id):
    with pytest.raises(ValidationError):
        perform(actors["officer"], case_id, Step("assign", 1, assignee=actors["volunteer"].id))


def test_delivered_amount_is_stored_exactly_and_reads_in_thai_words(db, actors, case_id):
    version = put_in(case_id, "approved")
    perform(actors["officer"], case_id, Step("deliver", version, amount="๒,๕๐๐.๕๐", public_note="มอบเงินแล้ว"))
    event = CaseEvent.select().where(CaseEvent.action == "deliver").get()
    assert Decimal(event.amount) == Decimal("2500.50")
    assert workflow.amount_words(Decimal("2500.50")) == "สองพันห้าร้อยบาทห้าสิบสตางค์"


def test_second_save_on_the_same_version_gets_conflict_naming_the_change(db, actors, case_id):
    first, second = actors["officer"], actors["officer2"]
    seen = Case.get_by_id(case_id).version  # both load version N
    perform(first, case_id, Step("send_field", seen, team="ทีม ก"))
    with pytest.raises(Conflict) as err:
        perform(second, case_id, Step("ask_info", seen, public_note="ขอเอกสาร"))
    changes = err.value.changes
    assert changes["status"] == "field_check" and changes["version"] == seen + 1
    assert changes["steps"] == [{"action": "send_field", "by": "officer", "to_status": "field_check"}]
    assert err.value.params["by"] == "officer"
    case = Case.get_by_id(case_id)
    assert (case.status_id, case.version) == ("field_check", seen + 1)
    assert not CaseEvent.select().where(CaseEvent.action == "ask_info").exists()


def test_concurrent_writers_one_wins(db, actors, case_id):
    """Two threads save on the same version at once: exactly one succeeds."""
    from db.models import database

    results: list[str] = []
    barrier = threading.Barrier(2)

    def save(actor):
        barrier.wait()
        try:
            perform(actor, case_id, Step("note", 1, internal_note=f"from {actor.username}"))
            results.append("ok")
        except Conflict:
            results.append("conflict")
        finally:
            database.close()

    threads = [threading.Thread(target=save, args=(actors[n],)) for n in ("officer", "officer2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["conflict", "ok"]
    assert Case.get_by_id(case_id).version == 2


@hsettings(max_examples=150, deadline=None)
@given(st.text(max_size=30))
def test_amount_parser_gives_a_clear_error_or_a_positive_decimal(text):
    try:
        value = workflow.parse_amount(text)
    except ValidationError as exc:
        assert exc.key.startswith("workflow.amount_")
    else:
        assert value > 0 and value == value.quantize(Decimal("0.01"))


def test_notes_lose_control_characters(db, actors, case_id):
    perform(actors["officer"], case_id, Step("note", 1, internal_note="a\x1b[2Jb\x07c\nd"))
    assert CaseEvent.select().where(CaseEvent.action == "note").get().internal_note == "a[2Jbc\nd"


def test_notes_lose_bidi_and_zero_width_characters(db, actors, case_id):
    perform(actors["officer"], case_id, Step("note", 1, public_note="ab\u202ecd\u200be", internal_note="x\u2066y"))
    event = CaseEvent.select().where(CaseEvent.action == "note").get()
    assert (event.public_note, event.internal_note) == ("abcde", "xy")
