"""Referring from the case screen (Pilot, 80×24) and overdue referrals in the staff queue: the
service's filter and the marker the table shows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import Select

from db.models import Case, CaseEvent
from kiosk.services import queue
from kiosk.services.setup import open_kiosk
from kiosk.services.workflow import Step, perform
from kiosk.thai.dates import format_be_date, now_bangkok
from tests.conftest import make_actors
from tests.staff.pilot import login, settle, staff_app, table_text
from tests.staff.test_screens import open_first_case, take_step

from .conftest import _settings, joint_config
from .test_referral import _case

SIZE = (80, 24)


@pytest.fixture
def joint_settings(tmp_path):
    settings = _settings(joint_config(tmp_path))
    connection = open_kiosk(settings)
    yield settings
    connection.close()


async def test_refer_to_another_lao_from_the_case_screen(joint_settings):
    make_actors()
    cid = _case("WPK")
    due = now_bangkok().date() + timedelta(days=14)
    app = staff_app(joint_settings)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "officer")
        await open_first_case(pilot)
        assert "refer" in app.screen.detail.actions
        await take_step(pilot, "refer", reason="เกินอำนาจ", reply_due="")  # no target, no date: refused
        assert type(app.screen).__name__ == "CaseActionScreen"
        options = [str(getattr(label, "plain", label)) for label, _v in app.screen.query_one("#f-refer_to", Select)._options]
        assert "Mae Sai Subdistrict Municipality" in options and "Damrongdhamma Centre" in options
        assert "Wiang Phang Kham Subdistrict Municipality" not in options  # not to its own LAO
        app.screen.query_one("#f-refer_to", Select).value = "lao:MSI"
        app.screen.query_one("#f-reply_due").value = format_be_date(due)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseDetailScreen"
        assert app.screen.detail.status == "awaiting_reply"
    case = Case.get_by_id(cid)
    assert (case.organization.ticket_prefix, case.status_id) == ("MSI", "awaiting_reply")
    assert CaseEvent.get(CaseEvent.case == cid, CaseEvent.action == "refer").actor.username == "officer"


async def test_overdue_referrals_in_the_queue(joint_settings):
    officer = make_actors()["officer"]
    late, fresh = _case(), _case()
    for cid in (late, fresh):
        perform(officer, cid, Step("refer", 1, refer_to="agency:hospital", reason="ส่งโรงพยาบาล",
                                   reply_due=now_bangkok().date() + timedelta(days=7)))
    # the due date passed with no reply (written as it would be a week on)
    ev = CaseEvent.get(CaseEvent.case == late, CaseEvent.action == "refer")
    ev.data = ev.data.replace((now_bangkok().date() + timedelta(days=7)).isoformat(),
                              (now_bangkok().date() - timedelta(days=1)).isoformat())
    ev.save()
    page = queue.list_cases(officer, queue.QueueFilter(overdue=True))
    assert [r.id for r in page.rows] == [late] and page.rows[0].overdue
    assert {r.id: r.overdue for r in queue.list_cases(officer).rows} == {late: True, fresh: False}
    app = staff_app(joint_settings)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "officer")
        rows = {r[0]: r for r in table_text(app, "#queue-table")}
        late_ticket, fresh_ticket = Case.get_by_id(late).ticket_no, Case.get_by_id(fresh).ticket_no
        assert any("⚠ overdue" in cell for cell in rows[late_ticket])
        assert not any("overdue" in cell for cell in rows[fresh_ticket])
        app.screen.query_one("#q-status").value = "overdue"
        for _ in range(50):
            await settle(pilot)
            if [r[0] for r in table_text(app, "#queue-table")] == [late_ticket]:
                break
        assert [r[0] for r in table_text(app, "#queue-table")] == [late_ticket]


async def test_the_sending_laos_officer_reads_the_referred_case_and_takes_no_step(joint_settings):
    """After WPK's officer refers a case to MSI: the case screen reloads read only (who holds it
    now, no step, no paper, no merge), the timeline names the LAO and the due date in BE; the
    queue's "referred out" list shows it as held by MSI."""
    from db.models import Organization, Staff

    make_actors()
    Staff.update(organization=Organization.get(Organization.ticket_prefix == "WPK")).where(
        Staff.username == "officer").execute()
    _case("WPK")
    due = now_bangkok().date() + timedelta(days=14)
    app = staff_app(joint_settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "officer")
        await open_first_case(pilot)
        await take_step(pilot, "refer", refer_to="lao:MSI", reason="นอกเขต", reply_due=format_be_date(due))
        await settle(pilot)
        screen = app.screen
        assert type(screen).__name__ == "CaseDetailScreen" and screen.detail.read_only
        body = "\n".join(str(w.render()) for w in screen.query("Static"))
        assert "Referred to Mae Sai Subdistrict Municipality: read only" in body
        assert "Refer to: Mae Sai Subdistrict Municipality" in body and format_be_date(due) in body
        assert all(not screen.check_action(a, ()) for a in ("actions", "print_form", "duplicates"))
        assert screen.palette_commands() == []
        await pilot.press("escape")
        await settle(pilot)
        app.screen.apply(status="", referred_out=True)
        await settle(pilot)
        rows = table_text(app, "#queue-table")
    assert len(rows) == 1 and rows[0][2].startswith("→MSI ")
