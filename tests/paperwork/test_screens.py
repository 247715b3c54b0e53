"""Printing from the case screen (`p`: the request form, and the voucher once help was handed
over), help over the limit through the step dialog, and the committee's meeting recorded for
several cases at once — driven with Pilot at 80×24 as an officer and a supervisor would."""

from __future__ import annotations

import json

from textual.widgets import DataTable, Input, OptionList, Static

from db.models import AuditLog, Case, CaseEvent
from kiosk.thai.dates import fiscal_year, now_bangkok
from tests.staff.pilot import login, settle, staff_app
from tests.staff.test_screens import SIZE, open_first_case, statics, take_step

from .conftest import new_case, person
from .pdf import pdf_text


def notices(app) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


async def pick(pilot, list_id: str, value: str) -> None:
    menu = pilot.app.screen.query_one(f"#{list_id}", OptionList)
    menu.highlighted = [o.id for o in menu.options].index(value)
    await pilot.press("enter")
    await settle(pilot)


async def test_print_the_request_form_then_the_voucher_from_the_case_screen(db, settings, actors):
    new_case(status="approved")
    app = staff_app(settings, "th")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "officer")
        await open_first_case(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert [o.id for o in app.screen.query_one("#form-list", OptionList).options] == ["request"]  # no help yet
        await pick(pilot, "form-list", "request")
        path = settings.home / "forms" / "request-WPK-69-00001.pdf"
        assert type(app.screen).__name__ == "CaseDetailScreen"
        assert f"บันทึกแบบฟอร์มแล้ว: {path}" in notices(app)
        assert "คำร้องขอรับความช่วยเหลือ" in pdf_text(path)
        assert (path.parent.stat().st_mode & 0o077) == 0
        await take_step(pilot, "deliver", amount="2,000", items="ข้าวสาร 5 กก.", public_note="มอบแล้ว")
        assert app.screen.detail.status == "helped"
        await pilot.press("p")
        await settle(pilot)
        await pick(pilot, "form-list", "voucher")
    text = pdf_text(settings.home / "forms" / "voucher-WPK-69-00001.pdf")
    assert "(สองพันบาทถ้วน)" in text and "ข้าวสาร5กก." in text


async def test_over_the_limit_in_the_step_dialog_and_on_the_case_screen(db, settings, actors):
    new_case(status="approved")
    app = staff_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "officer")
        await open_first_case(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pick(pilot, "action-list", "deliver")
        limit = app.screen.query_one("#action-limit", Static)
        assert str(limit.render()) == "Regulation's limit: 3,000.00 baht a time, 3 times in fiscal year " \
            f"{fiscal_year(now_bangkok().date())} (0 before this one)"
        app.screen.query_one("#f-amount", Input).value = "4,000"
        await settle(pilot)
        assert "over the limit: a supervisor or above must save it" in str(limit.render())
        app.screen.query_one("#f-public_note", Input).value = "มอบแล้ว"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseActionScreen"  # refused: over 3,000 takes a supervisor
        error = str(app.screen.query_one("#action-error", Static).render())
        assert "3,000.00 baht a time" in error and "supervisor" in error
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        await login(pilot, "supervisor")
        await open_first_case(pilot)
        await take_step(pilot, "deliver", amount="4,000", public_note="มอบแล้ว")
        assert "give the reason" in str(app.screen.query_one("#action-error", Static).render())
        app.screen.query_one("#f-over_limit_reason", Input).value = "บ้านเสียหายทั้งหลัง"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseDetailScreen" and app.screen.detail.status == "helped"
        shown = statics(app)
        assert "Reason for going over the regulation's limit (supervisor): บ้านเสียหายทั้งหลัง" in shown
        assert "Regulation's limit: 3,000.00 baht a time, 3 times" in shown and "over the limit" in shown


async def open_committee(pilot) -> None:
    pilot.app.open_committee()
    await settle(pilot)


async def test_the_committee_decides_several_cases_at_once(db, settings, actors):
    ids = [new_case(who=person(first), status="awaiting_committee") for first in ("บุญมี", "สมศรี", "ทองดี")]
    new_case(who=person("มาลี"), status="received")  # not before the committee
    app = staff_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "supervisor")
        await open_committee(pilot)
        table = app.screen.query_one("#committee-table", DataTable)
        assert table.row_count == 3
        await pilot.press("space")  # first: approve
        await pilot.press("down", "space", "space")  # second: not approved
        await pilot.press("enter")  # ... with its reason
        await settle(pilot)
        assert type(app.screen).__name__ == "DecisionDialog"
        app.screen.query_one("#decision-reason", Input).value = "มีรายได้เกินเกณฑ์"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("up", "enter")  # the first: an amount
        await settle(pilot)
        app.screen.query_one("#decision-amount", Input).value = "2,500"
        await pilot.press("enter")
        await settle(pilot)
        rows = [[str(getattr(c, "plain", c)) for c in table.get_row_at(i)] for i in range(3)]
        assert rows[0][0] == "Approve" and rows[0][3] == "2,500"
        assert rows[1][0] == "Not approve" and rows[1][4] == "มีรายได้เกินเกณฑ์" and rows[2][0] == "—"
        app.screen.query_one("#meeting-no", Input).value = "5/2569"
        app.screen.query_one("#meeting-date", Input).value = "20/11/2569"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Decisions saved: 2" in statics(app)
        assert table.row_count == 1  # the third still waits
    assert [Case.get_by_id(i).status_id for i in ids] == ["approved", "not_approved", "awaiting_committee"]
    approve = CaseEvent.get(CaseEvent.case == ids[0], CaseEvent.action == "approve")
    data = json.loads(approve.data)
    assert (data["meeting_no"], data["meeting_date"], data["approved_amount"]) == ("5/2569", "2026-11-20", "2500")
    assert approve.public_note.startswith("คณะกรรมการอนุมัติ")
    assert CaseEvent.get(CaseEvent.case == ids[1], CaseEvent.action == "not_approve").public_note == "มีรายได้เกินเกณฑ์"
    assert AuditLog.select().where(AuditLog.action == "committee_decisions", AuditLog.target_id == "5/2569").count() == 1


async def test_one_refused_decision_saves_none_and_names_its_case(db, settings, actors):
    ids = [new_case(who=person(first), status="awaiting_committee") for first in ("บุญมี", "สมศรี")]
    app = staff_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "supervisor")
        await open_committee(pilot)
        await pilot.press("space", "down", "space", "space")  # approve; not approved without a reason
        app.screen.query_one("#meeting-no", Input).value = "5/2569"
        app.screen.query_one("#meeting-date", Input).value = "20/11/2569"
        await pilot.press("ctrl+s")
        await settle(pilot)
        message = str(app.screen.query_one("#committee-message", Static).render())
        assert message.startswith("WPK-69-00002: ") and "note" in message
    assert [Case.get_by_id(i).status_id for i in ids] == ["awaiting_committee"] * 2


async def test_an_officer_lists_and_prints_the_agenda_but_cannot_decide(db, settings, actors):
    new_case(status="awaiting_committee")
    app = staff_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "officer")
        await open_committee(pilot)
        await pilot.press("p")
        await settle(pilot)
        [agenda] = (settings.home / "forms").glob("agenda-*.pdf")
        assert "WPK-69-00001" in pdf_text(agenda)
        await pilot.press("space")
        app.screen.query_one("#meeting-no", Input).value = "5/2569"
        app.screen.query_one("#meeting-date", Input).value = "20/11/2569"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Your role does not allow this" in str(app.screen.query_one("#committee-message", Static).render())
    assert Case.get_by_id(1).status_id == "awaiting_committee"
