"""Referral round trips on both databases: to another member LAO (the case moves, its ticket
stays, the receiving LAO's reply puts it back to "received" there) and out to an agency (it waits
in "awaiting_reply", the reply ends it as "referred"); the public timeline names where it went and
never the reason; a referral past its due date with no reply is overdue."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from db.models import Case, CaseEvent, Organization
from kiosk.config import DEFAULT_AGENCIES
from kiosk.errors import ValidationError
from kiosk.services import public_case, referral
from kiosk.services.cases import CaseData, create_case
from kiosk.services.demo import fake_people
from kiosk.services.workflow import Step, perform
from kiosk.thai.dates import now_bangkok
from tests.conftest import make_actors

from .conftest import _settings

REASON = "ผู้ป่วยติดเตียง เกินอำนาจหน้าที่ [b"


def _case(prefix: str = "WPK") -> int:
    return create_case(prefix, CaseData(category="elderly", description="ดูแลผู้สูงอายุ"), next(fake_people(1))).id


def _refer(actor, cid: int, to: str, days: int = 7, agencies=None) -> None:
    perform(actor, cid, Step("refer", Case.get_by_id(cid).version, refer_to=to, reason=REASON,
                             reply_due=now_bangkok().date() + timedelta(days=days)), agencies=agencies)


def test_refer_to_another_lao_moves_the_case(joint):
    officer = make_actors()["officer"]
    cid = _case("WPK")
    ticket = Case.get_by_id(cid).ticket_no
    _refer(officer, cid, "lao:MSI")
    case = Case.get_by_id(cid)
    assert (case.organization.ticket_prefix, case.ticket_no, case.status_id) == ("MSI", ticket, "awaiting_reply")
    ev = CaseEvent.get(CaseEvent.case == cid, CaseEvent.action == "refer")
    data = json.loads(ev.data)
    assert (data["from_lao"], data["refer_to"], data["reason"]) == ("WPK", "lao:MSI", REASON)
    assert data["refer_to_name"] == "เทศบาลตำบลแม่สาย"
    # the receiving LAO takes it on: back to "received", now its own
    perform(officer, cid, Step("referral_reply", case.version, reply="รับเรื่องแล้ว"))
    case = Case.get_by_id(cid)
    assert (case.organization.ticket_prefix, case.status_id) == ("MSI", "received")
    # it can go on to its next LAO, but never to its own
    with pytest.raises(ValidationError) as err:
        _refer(officer, cid, "lao:MSI")
    assert err.value.key == "workflow.refer_to_invalid"


def test_refer_to_an_agency_waits_for_the_reply(joint):
    officer = make_actors()["officer"]
    cid = _case()
    _refer(officer, cid, "agency:damrongdhamma")
    case = Case.get_by_id(cid)
    assert (case.organization.ticket_prefix, case.status_id) == ("WPK", "awaiting_reply")
    assert referral.awaiting()[cid] == (now_bangkok().date() + timedelta(days=7), False)
    perform(officer, cid, Step("referral_reply", case.version, reply="ศูนย์ดำรงธรรมรับเรื่องแล้ว"))
    assert Case.get_by_id(cid).status_id == "referred"
    reply = CaseEvent.get(CaseEvent.case == cid, CaseEvent.action == "referral_reply")
    assert json.loads(reply.data)["answers"] == "agency:damrongdhamma"


def test_configured_agencies_replace_the_defaults(tmp_path, db):
    from .conftest import joint_config

    path = joint_config(tmp_path, extra='\n[[agency]]\nkey = "maesai_hospital"\nname_th = "โรงพยาบาลแม่สาย"\n'
                                          'phone = "053-731-300"\n')
    agencies = _settings(path).agencies
    assert [a.key for a in agencies] == ["msdhs", "damrongdhamma", "district_office", "hospital", "maesai_hospital"]
    assert agencies[-1].phone == "053-731-300"
    # without any [[agency]] table: the four defaults
    text = re.sub(r"(?m)^\[\[agency\]\]\n(?:[^\[\n].*\n|\n)*", "", path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    assert _settings(path).agencies == DEFAULT_AGENCIES
    agencies = agencies[-1:]
    officer = make_actors()["officer"]
    cid = _case()
    with pytest.raises(ValidationError):
        _refer(officer, cid, "agency:msdhs", agencies=agencies)
    _refer(officer, cid, "agency:maesai_hospital", agencies=agencies)
    assert Case.get_by_id(cid).status_id == "awaiting_reply"


def test_the_public_timeline_names_where_it_went_never_why(joint):
    officer = make_actors()["officer"]
    cid = _case()
    _refer(officer, cid, "lao:HKR")
    shown = public_case.by_token(Case.get_by_id(cid).token)
    for lang, words in (("th", "ส่งต่อให้ องค์การบริหารส่วนตำบลห้วยไคร้ แล้ว"), ("en", "Referred to Huai Khrai SAO")):
        presented = public_case.present(shown, lang)
        text = json.dumps([s.__dict__ for s in presented.steps] + [ln.__dict__ for ln in presented.lines],
                          ensure_ascii=False, default=str)
        assert words in text
        assert REASON not in text and "[b" not in text


def test_overdue_referrals(joint):
    officer = make_actors()["officer"]
    late, on_time = _case(), _case()
    _refer(officer, late, "agency:msdhs", days=0)  # due today: not yet late
    _refer(officer, on_time, "agency:hospital", days=30)
    today = now_bangkok().date()
    assert referral.overdue_ids(today) == []
    assert referral.overdue_ids(today + timedelta(days=1)) == [late]
    assert referral.overdue_ids(today + timedelta(days=31)) == sorted([late, on_time])
    perform(officer, late, Step("referral_reply", Case.get_by_id(late).version, reply="ตอบแล้ว"))
    assert referral.overdue_ids(today + timedelta(days=31)) == [on_time]


def test_refer_due_date_bounds(joint):
    officer = make_actors()["officer"]
    cid = _case()
    with pytest.raises(ValidationError) as err:
        _refer(officer, cid, "agency:msdhs", days=-1)
    assert err.value.key == "workflow.due_date_past"
    with pytest.raises(ValidationError) as err:
        _refer(officer, cid, "agency:msdhs", days=400)
    assert err.value.key == "workflow.date_too_far"
    assert Organization.select().count() == 3
