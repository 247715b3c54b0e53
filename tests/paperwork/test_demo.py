"""`kiosk.py demo` leaves something to try the paperwork on: help delivered with amounts and
items (a voucher prints), cases awaiting the committee (an agenda prints), field checks and
the committee's approvals as the workflow's own steps."""

from __future__ import annotations

import json

from db.models import Case, CaseEvent
from kiosk.services import committee, demo, paperwork

from .pdf import pdf_text


def test_demo_records_help_with_amounts_and_items_and_leaves_cases_for_the_committee(db, settings, actors, tmp_path):
    demo.ensure_demo_staff()
    demo.fill("WPK", 30)
    delivered = list(CaseEvent.select().where(CaseEvent.action == "deliver"))
    assert delivered and all(e.amount is not None or json.loads(e.data).get("items") for e in delivered)
    assert any(e.amount is not None and json.loads(e.data).get("items") for e in delivered)
    waiting = Case.select().where(Case.status == "awaiting_committee").count()
    assert waiting >= 30 // 5
    assert CaseEvent.select().where(CaseEvent.action == "record_field_check").count() >= waiting
    assert CaseEvent.select().where(CaseEvent.action == "approve").exists()
    with_money = next(e for e in delivered if e.amount is not None)
    text = pdf_text(paperwork.voucher(actors["officer"], settings, with_money.case_id, tmp_path))
    assert f"{with_money.amount:,.2f}" in text and "บาทถ้วน" in text
    written = committee.agenda(actors["officer"], settings, tmp_path)
    assert written.cases == waiting and "ตรวจสอบแล้วเดือดร้อนจริง" in pdf_text(written.path)
