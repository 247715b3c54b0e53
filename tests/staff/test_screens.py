"""The staff console driven with Pilot at 80×24: login and lockout, idle lock, queue filters,
case steps through the dialog, role refusals, the conflict message, audit entries."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import DataTable, Input, Static

from db.models import AuditLog, Case, CaseEvent
from kiosk.services.workflow import Step, perform
from kiosk.thai.dates import now_bangkok
from screens.queue import Choice
from screens.widgets.pick import PickDialog

from .conftest import new_case
from .pilot import login, settle, staff_app, table_text

SIZE = (80, 24)


def statics(app) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


async def test_login_wrong_password_then_right(db, settings, actors):
    app = staff_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "officer", "wrong-password")
        assert type(app.screen).__name__ == "LoginScreen"
        assert "Wrong username or password" in str(app.screen.query_one("#login-message", Static).render())
        await login(pilot, "officer")
        assert type(app.screen).__name__ == "QueueScreen" and app.actor.username == "officer"
    assert [a.action for a in AuditLog.select().order_by(AuditLog.id)][:2] == ["login_failed", "login"]


async def test_wrong_passwords_make_the_login_wait(db, settings, actors):
    from datetime import timedelta

    from db.models import Staff, utcnow
    from kiosk.services.staff import backoff_seconds

    app = staff_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(3):
            await login(pilot, "officer", "wrong-password")
            assert "Wrong username or password" in str(app.screen.query_one("#login-message", Static).render())
        # as after ten wrong passwords in a row: the next try waits 256 s
        Staff.update(failed_logins=10, locked_until=utcnow() + timedelta(seconds=backoff_seconds(10))).where(
            Staff.username == "officer").execute()
        await login(pilot, "officer")
        assert type(app.screen).__name__ == "LoginScreen" and app.actor is None
        assert "wait 5 minutes" in str(app.screen.query_one("#login-message", Static).render())


async def test_volunteer_lands_without_queue_and_idle_lock(db, settings, actors, monkeypatch):
    monkeypatch.setenv("KIOSK_STAFF_IDLE_LOCK", "5")
    app = staff_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "volunteer")
        assert type(app.screen).__name__ == "StaffHomeScreen"
        app.last_input -= 10
        app.lock_if_idle()
        await settle(pilot)
        assert type(app.screen).__name__ == "LoginScreen" and app.actor is None
        assert "Locked" in str(app.screen.query_one("#login-message", Static).render())
    assert AuditLog.select().where(AuditLog.action == "idle_lock").count() == 1


async def test_queue_filters_through_the_screen(db, settings, actors):
    flood = Case.get_by_id(new_case("น้ำท่วม", category="flood")).ticket_no
    elderly = Case.get_by_id(new_case("ผู้สูงอายุ", category="elderly", urgency="urgent")).ticket_no
    app = staff_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "officer")
        assert {r[0] for r in table_text(app, "#queue-table")} == {flood, elderly}
        app.screen.query_one("#q-urgency", Choice).value = "urgent"
        await settle(pilot)
        assert [r[0] for r in table_text(app, "#queue-table")] == [elderly]
        app.screen.query_one("#q-urgency", Choice).clear()
        app.screen.query_one("#q-category", Choice).value = "sub:flood"
        await settle(pilot)
        assert [r[0] for r in table_text(app, "#queue-table")] == [flood]
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("slash")
        app.screen.query_one("#q-query", Input).value = elderly
        await pilot.press("enter")
        await settle(pilot)
        assert [r[0] for r in table_text(app, "#queue-table")] == [elderly]
        await pilot.press("ctrl+l")  # Thai: same filter, same rows, Thai labels
        await settle(pilot)
        assert [r[0] for r in table_text(app, "#queue-table")] == [elderly]
        assert table_text(app, "#queue-table")[0][2] == "รับเรื่องแล้ว"


async def test_queue_filter_menu_by_keyboard(db, settings, actors):
    """A filter button opens its options only when asked; Escape keeps the filter, Enter on an
    option applies it and the button then names the choice."""
    new_case("น้ำท่วม", category="flood")
    elderly = Case.get_by_id(new_case("ผู้สูงอายุ", category="elderly", urgency="urgent")).ticket_no
    app = staff_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "officer")
        urgency = app.screen.query_one("#q-urgency", Choice)
        urgency.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PickDialog) and app.screen.query_one("#choice-list")
        await pilot.press("escape")
        await settle(pilot)
        assert urgency.value is None and len(table_text(app, "#queue-table")) == 2
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # any → normal → urgent
        await settle(pilot)
        assert type(app.screen).__name__ == "QueueScreen" and app.focused is urgency
        assert urgency.value == "urgent" and "Urgent" in str(urgency.label)
        for _ in range(100):  # the filtered page is loaded by a worker: allow a loaded machine time
            if [r[0] for r in table_text(app, "#queue-table")] == [elderly]:
                break
            await settle(pilot)
        assert [r[0] for r in table_text(app, "#queue-table")] == [elderly]


async def open_first_case(pilot) -> None:
    pilot.app.screen.query_one("#queue-table", DataTable).focus()
    await pilot.press("enter")
    await settle(pilot)


async def take_step(pilot, action: str, **fields) -> None:
    app = pilot.app
    await pilot.press("a")
    await settle(pilot)
    menu = app.screen.query_one("#action-list")
    menu.highlighted = [o.id for o in menu.options].index(action)
    await pilot.press("enter")
    await settle(pilot)
    for name, value in fields.items():
        widget = app.screen.query_one(f"#f-{name}")
        widget.value = value
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_steps_through_the_dialog_and_refusals(db, settings, actors):
    cid = new_case()
    app = staff_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "officer")
        await open_first_case(pilot)
        assert type(app.screen).__name__ == "CaseDetailScreen"
        assert "approve" not in app.screen.detail.actions  # officer: no committee decision
        await take_step(pilot, "send_field", team="")  # refused: the team is required
        assert type(app.screen).__name__ == "CaseActionScreen"
        assert "Name the field team" in str(app.screen.query_one("#action-error", Static).render())
        app.screen.query_one("#f-team", Input).value = "หน่วยเคลื่อนที่เร็ว"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseDetailScreen" and app.screen.detail.status == "field_check"
        await take_step(pilot, "record_field_check", visited_on="02/04/2026", internal_note="ตรวจแล้ว")
        assert "2569" in str(app.screen.query_one("#action-error", Static).render())  # CE year: suggests BE
        app.screen.query_one("#f-visited_on", Input).value = "02/04/2569"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.detail.status == "awaiting_committee"
    version = Case.get_by_id(cid).version
    perform(actors["supervisor"], cid, Step("approve", version, meeting_no="1/2569",
                                            meeting_date=__import__("datetime").date(2026, 4, 9), public_note="ok"))
    app = staff_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "officer")
        await open_first_case(pilot)
        await take_step(pilot, "deliver", amount="3,000", public_note="มอบเงินแล้ว")
        assert app.screen.detail.status == "helped"
        text = statics(app)
        assert "3,000.00" in text and "สามพันบาทถ้วน" in text
        assert "reopen" not in app.screen.detail.actions
    assert [e.action for e in CaseEvent.select().where(CaseEvent.case == cid).order_by(CaseEvent.id)] == [
        "create", "send_field", "record_field_check", "approve", "deliver"]
    assert AuditLog.select().where(AuditLog.action.startswith("case_")).count() == 4


async def test_conflict_is_shown_and_nothing_is_overwritten(db, settings, actors):
    cid = new_case()
    app = staff_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "officer")
        await open_first_case(pilot)
        assert app.screen.detail.version == 1
        perform(actors["officer2"], cid, Step("refer", 1, refer_to="agency:msdhs", reason="เกินอำนาจ",
                                                reply_due=now_bangkok().date() + timedelta(days=7)))  # someone else
        await take_step(pilot, "note", internal_note="ของฉัน")
        assert type(app.screen).__name__ == "CaseDetailScreen"
        messages = [str(n.message) for n in app._notifications]
        assert any("officer2" in m and "Referred" in m for m in messages), messages
        assert app.screen.detail.status == "awaiting_reply" and app.screen.detail.version == 2
    assert not CaseEvent.select().where(CaseEvent.action == "note").exists()


async def test_admin_screens_and_role_refusal(db, settings, actors):
    new_case()
    app = staff_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "officer")
        await pilot.press("u")  # not an admin: nothing opens
        await settle(pilot)
        assert type(app.screen).__name__ == "QueueScreen"
        await pilot.press("ctrl+o")
        await settle(pilot)
        await login(pilot, "admin")
        await pilot.press("u")
        await settle(pilot)
        assert type(app.screen).__name__ == "UsersScreen"
        rows = table_text(app, "#users-table")
        assert [r[0] for r in rows] == ["admin", "officer", "officer2", "supervisor", "volunteer"]
        table = app.screen.query_one("#users-table", DataTable)
        table.move_cursor(row=2)
        await pilot.press("d")
        await settle(pilot)
        assert table_text(app, "#users-table")[2][3] == "Deactivated"
        table.move_cursor(row=0)
        await pilot.press("d")  # the last admin: refused with a message
        await settle(pilot)
        assert "last active administrator" in str(app.screen.query_one("#users-message", Static).render())
        await pilot.press("escape", "g")
        await settle(pilot)
        assert type(app.screen).__name__ == "AuditScreen"
        app.screen.query_one("#a-action", Input).value = "staff_"
        app.screen.query_one("#a-action", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert [r[2] for r in table_text(app, "#audit-table")] == ["staff_deactivate"]
