"""Announcements: who may change them, what the public sees when (pinned first, newest next,
never expired, retired or not yet started), and an audit row for every change."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from db.models import AuditLog, utcnow
from kiosk.errors import NotFound, PermissionDenied, ValidationError
from kiosk.services import announcements as ann


def test_volunteers_and_the_public_may_not_touch_announcements(actors):
    item = ann.create(actors["officer"], "น้ำประปาหยุดไหล", "พรุ่งนี้ 9:00-12:00")
    for actor in (actors["volunteer"], None):
        with pytest.raises(PermissionDenied):
            ann.create(actor, "x")
        with pytest.raises(PermissionDenied):
            ann.edit(actor, item.id, title="y", body="", starts_at=item.starts_at, ends_at=None)
        with pytest.raises(PermissionDenied):
            ann.set_pinned(actor, item.id)
        with pytest.raises(PermissionDenied):
            ann.retire(actor, item.id)
        with pytest.raises(PermissionDenied):
            ann.all_for_staff(actor)
    assert ann.get(item.id).title == "น้ำประปาหยุดไหล" and not ann.get(item.id).retired


def test_officers_supervisors_and_admins_may(actors):
    for role in ("officer", "supervisor", "admin"):
        item = ann.create(actors[role], f"by {role}")
        assert ann.set_pinned(actors[role], item.id).pinned
        assert ann.retire(actors[role], item.id).retired


def test_current_is_pinned_first_then_newest_and_hides_the_rest(actors):
    officer, now = actors["officer"], datetime(2026, 12, 2, 3, 0)
    old = ann.create(officer, "old", starts_at=now - timedelta(days=3))
    new = ann.create(officer, "new", starts_at=now - timedelta(hours=1))
    pinned_old = ann.create(officer, "pinned old", starts_at=now - timedelta(days=9), pinned=True)
    ann.create(officer, "expired", starts_at=now - timedelta(days=2), ends_at=now - timedelta(seconds=1))
    ann.create(officer, "scheduled", starts_at=now + timedelta(minutes=1))
    gone = ann.create(officer, "retired", starts_at=now - timedelta(hours=2), pinned=True)
    ann.retire(officer, gone.id)
    ending = ann.create(officer, "ends later", starts_at=now - timedelta(days=1), ends_at=now + timedelta(hours=1))
    assert [a.title for a in ann.current(now)] == ["pinned old", "new", "ends later", "old"]
    assert [a.id for a in ann.current(now, limit=2)] == [pinned_old.id, new.id]
    later = now + timedelta(hours=1)  # `ends later` ends exactly now; `scheduled` has started
    assert [a.title for a in ann.current(later)] == ["pinned old", "scheduled", "new", "old"]
    assert {a.state(now) for a in ann.all_for_staff(officer)} == {"current", "expired", "scheduled", "retired"}
    assert ann.get(old.id).state(now) == "current" and ann.get(ending.id).state(later) == "expired"


def test_edit_changes_text_and_schedule_and_every_change_is_audited(actors):
    officer = actors["officer"]
    item = ann.create(officer, "ปิดทำการ", "วันที่ 5")
    start = utcnow() + timedelta(days=1)
    edited = ann.edit(officer, item.id, title="ปิดทำการชั่วคราว", body="วันที่ 5 และ 6", starts_at=start,
                      ends_at=start + timedelta(days=2))
    assert (edited.title, edited.body, edited.starts_at) == ("ปิดทำการชั่วคราว", "วันที่ 5 และ 6", start)
    ann.set_pinned(officer, item.id)
    ann.set_pinned(officer, item.id, False)
    ann.retire(officer, item.id)
    rows = AuditLog.select().where(AuditLog.target_type == "announcement").order_by(AuditLog.id)
    assert [(r.action, r.actor, r.target_id) for r in rows] == [
        (action, "officer", str(item.id)) for action in
        ("announcement_create", "announcement_edit", "announcement_pin", "announcement_unpin", "announcement_retire")]


def test_validation(actors):
    officer, now = actors["officer"], utcnow()
    for title, key in (("", "announce.title_required"), ("  \x1b\x07 ", "announce.title_required"),
                       ("x" * 201, "announce.title_long")):
        with pytest.raises(ValidationError) as err:
            ann.create(officer, title)
        assert err.value.key == key and err.value.field == "title"
    with pytest.raises(ValidationError) as err:
        ann.create(officer, "t", starts_at=now, ends_at=now)
    assert err.value.field == "ends_at"
    with pytest.raises(ValidationError):
        ann.create(officer, "t", "y" * 4001)
    with pytest.raises(NotFound):
        ann.retire(officer, 999_999)


def test_control_characters_are_stripped_and_markup_is_kept_as_text(actors):
    item = ann.create(actors["officer"], "\x1b[2Jหัวข้อ\t[b", "บรรทัด 1\r\n[@click=app.quit]x[/]\x1b]0;t\x07")
    assert item.title == "[2Jหัวข้อ [b"
    assert item.body == "บรรทัด 1\n[@click=app.quit]x[/]]0;t"


def test_parse_when_reads_buddhist_era_in_bangkok_time():
    assert ann.parse_when("05/12/2569 09:30") == datetime(2026, 12, 5, 2, 30)
    assert ann.parse_when("๕/๑๒/๒๕๖๙") == datetime(2026, 12, 4, 17, 0)
    assert ann.parse_when("  ") is None
    with pytest.raises(ValidationError) as err:
        ann.parse_when("05/12/2569 25:00", field="ends_at")
    assert err.value.field == "ends_at"


@given(st.text(max_size=40))
def test_parse_when_garbage_is_a_clear_validation_error(text):
    try:
        result = ann.parse_when(text)
    except ValidationError as exc:
        assert exc.field == "starts_at"
    else:
        assert result is None or isinstance(result, datetime)


@hsettings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(title=st.text(max_size=250), body=st.text(max_size=300))
def test_create_accepts_or_refuses_clearly(actors, title, body):
    try:
        item = ann.create(actors["officer"], title, body)
    except ValidationError as exc:
        assert exc.field == "title"
    else:
        assert item.title and len(item.title) <= ann.TITLE_MAX
        assert not any(ord(c) < 32 for c in item.title) and "\x1b" not in item.body
