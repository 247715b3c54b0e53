"""Counter PINs and failed tries in the staff console, driven with Pilot: the notice after login
for an old PIN, setting one's own PIN, an admin setting anyone's on the Users screen, and the
recent wrong tries at the counter's gate shown to officers and up."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static

from kiosk.errors import PermissionDenied
from kiosk.services import staff as staff_service

from .pilot import login, settle, staff_app, table_text

SIZE = (80, 24)


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def give_old_pin(actor, pin: str) -> None:
    from db.models import Staff

    Staff.update(pin_hash=staff_service._hasher.hash(pin)).where(Staff.id == actor.id).execute()


async def type_pins(pilot, first: str, second: str) -> None:
    screen = pilot.app.screen
    screen.query_one("#p-pin", Input).focus()
    await pilot.press(*first, "enter")  # Enter moves to the second field
    await pilot.press(*second, "enter")  # and there saves
    await settle(pilot)


async def test_old_pin_notice_and_setting_my_own(db, settings, actors):
    give_old_pin(actors["supervisor"], "4321")
    app = staff_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "supervisor")
        assert any("fewer than 6 digits" in n for n in notices(app))
        app.open_home()
        await settle(pilot)
        await pilot.click("#staff-my-pin")
        await settle(pilot)
        assert type(app.screen).__name__ == "SetPinDialog"
        await type_pins(pilot, "735124", "735125")
        assert text_of(app, "#set-pin-error") == "The two PINs are not the same"
        await type_pins(pilot, "123456", "123456")
        assert "too easy to guess" in text_of(app, "#set-pin-error")
        assert [i.value for i in app.screen.query(Input)] == ["", ""]  # a refused PIN is not kept
        await type_pins(pilot, "4321", "4321")
        assert text_of(app, "#set-pin-error") == "The PIN must be 6–12 digits"
        await type_pins(pilot, "735124", "735124")
        assert type(app.screen).__name__ == "StaffHomeScreen"
        assert any("Counter PIN saved: supervisor" in n for n in notices(app))
    assert not staff_service.pin_needs_change(actors["supervisor"])
    assert staff_service.unlock_with_pin("735124").username == "supervisor"


async def test_volunteers_are_offered_no_pin(db, settings, actors):
    app = staff_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "volunteer")
        assert not app.screen.query("#staff-my-pin") and not app.screen.query("#staff-failed")
        assert staff_service.login_notices(actors["volunteer"]) == []
        app.open_my_pin()
        await settle(pilot)
        assert type(app.screen).__name__ == "StaffHomeScreen"
    with pytest.raises(PermissionDenied):
        staff_service.set_pin("volunteer", "735124", by=actors["volunteer"])


async def test_recent_wrong_tries_are_shown_to_officers(db, settings, actors):
    staff_service.set_pin("supervisor", "602569")
    for pin in ("111222", "918273"):
        with pytest.raises(PermissionDenied):
            staff_service.unlock_with_pin(pin)
    with pytest.raises(PermissionDenied):
        staff_service.login("officer", "wrong-password")
    app = staff_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "officer")
        assert any("2 wrong PIN or password tries at the counter" in n for n in notices(app))
        app.open_home()
        await settle(pilot)
        shown = text_of(app, "#staff-failed")
        assert "counter staff gate 2, console login 1" in shown and "audit" not in shown
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert "ที่ตู้บริการ 2 ครั้ง เข้าระบบเจ้าหน้าที่ 1 ครั้ง" in text_of(app, "#staff-failed")
    app = staff_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "admin")
        app.open_home()
        await settle(pilot)
        assert "counter_unlock" in text_of(app, "#staff-failed")  # where admins find each try


async def test_admin_sets_a_pin_on_the_users_screen(db, settings, actors):
    app = staff_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "admin")
        app.open_users()
        await settle(pilot)
        rows = table_text(app, "#users-table")
        assert [r[0] for r in rows][:3] == ["admin", "officer", "officer2"] and {r[-1] for r in rows} == {"—"}
        await pilot.press("down")  # officer
        await pilot.press("i")
        await settle(pilot)
        assert "officer" in text_of(app, ".dialog-title")
        await type_pins(pilot, "481357", "481357")
        assert type(app.screen).__name__ == "UsersScreen"
        assert text_of(app, "#users-message") == "Counter PIN saved: officer"
        assert table_text(app, "#users-table")[1][-1] == "set"
    assert staff_service.unlock_with_pin("481357").username == "officer"
