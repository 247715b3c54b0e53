"""The counter's staff gate driven with Pilot: an officer's PIN opens staff-assisted intake but
not the way out, an old short PIN still works and the gate says to change it, the staff member's
own username and password instead of a PIN, and the wait after wrong tries said in Thai and
English — never with what was typed left on screen."""

from __future__ import annotations

from textual.widgets import Input, Static

from db.models import AuditLog
from kiosk.services import audit
from kiosk.services import staff as staff_service
from screens.app import make_app
from screens.gate import GateScreen
from screens.home import HomeScreen
from screens.intake.wizard import StepScreen

from .test_gate_access import PASSWORD, add, give_old_pin

SIZE = (80, 24)  # the smallest terminal the counter supports: the gate must fit it


def text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def settle(pilot) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def open_gate(pilot) -> None:
    await pilot.click("#choice-staff")
    await settle(pilot)
    assert isinstance(pilot.app.screen, GateScreen)


async def enter_pin(pilot, pin: str) -> None:
    pilot.app.screen.query_one("#gate-pin", Input).focus()
    await pilot.press(*pin, "enter")
    await settle(pilot)


def fits(app, selector: str) -> bool:
    """The widget is fully inside the terminal (nothing cut off at 80×24)."""
    region = app.screen.query_one(selector).region
    return region.height > 0 and region.bottom <= app.size.height and region.right <= app.size.width


async def test_officer_pin_opens_intake_but_not_the_way_out(db, settings):
    add("somsri", "officer", pin="735124")
    app = make_app(settings, "counter", "th")
    async with app.run_test(size=SIZE) as pilot:
        await open_gate(pilot)
        assert "เจ้าหน้าที่" in text(app, ".dialog-body")
        await enter_pin(pilot, "735124")
        assert app.unlocked_by is not None and app.unlocked_by.role == "officer"
        assert app.screen.query("#gate-intake") and not app.screen.query("#gate-exit")
        assert "หัวหน้าหรือผู้ดูแลระบบ" in text(app, "#gate-exit-needs")
        assert fits(app, "#gate-back")
        app.exit_kiosk()  # even called directly (say, by injected markup), an officer cannot leave
        await app.run_action("quit")
        await settle(pilot)
        assert app.is_running and not AuditLog.select().where(AuditLog.action == "counter_exit").exists()
        await pilot.click("#gate-intake")
        await settle(pilot)
        assert isinstance(app.screen, StepScreen) and app.screen.state.actor.username == "somsri"


async def test_old_short_pin_unlocks_and_the_gate_says_to_change_it(db, settings):
    add("boss", "supervisor")
    give_old_pin("boss", "4321")
    app = make_app(settings, "counter", "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_gate(pilot)
        await enter_pin(pilot, "4321")
        assert app.unlocked_by is not None and app.unlocked_by.username == "boss"
        assert "fewer than 6 digits" in text(app, "#gate-pin-change")
        await pilot.press("ctrl+l")  # the notice survives a language toggle
        await settle(pilot)
        assert "ไม่ถึง 6 หลัก" in text(app, "#gate-pin-change")
        await pilot.click("#gate-exit")
        await settle(pilot)
    assert app.return_code == 0 and not app.is_running
    assert AuditLog.get(AuditLog.action == "counter_exit").actor == "boss"


async def test_own_username_and_password_instead_of_a_pin(db, settings):
    add("somsri", "officer")  # holds no PIN at all
    app = make_app(settings, "counter", "th")
    async with app.run_test(size=SIZE) as pilot:
        await open_gate(pilot)
        await pilot.click("#gate-mode")
        await settle(pilot)
        assert fits(app, "#gate-unlock") and fits(app, "#gate-password")
        app.screen.query_one("#gate-username", Input).focus()
        await pilot.press(*"somsri")
        await pilot.press("ctrl+l")  # what was typed as the username stays across a toggle
        await settle(pilot)
        assert app.screen.query_one("#gate-username", Input).value == "somsri"
        app.screen.query_one("#gate-password", Input).focus()
        await pilot.press(*"not-my-password", "enter")
        await settle(pilot)
        assert text(app, "#gate-message") == "Wrong username or password"
        assert app.screen.query_one("#gate-password", Input).value == ""  # nothing typed stays
        await pilot.press(*PASSWORD, "enter")
        await settle(pilot)
        assert app.unlocked_by is not None and app.unlocked_by.username == "somsri"
        assert app.screen.query("#gate-intake") and not app.screen.query("#gate-exit")
        await pilot.click("#gate-back")  # leaving locks the gate again
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and app.unlocked_by is None


async def test_the_wait_is_said_in_thai_and_english(db, settings):
    add("boss", "supervisor", pin="602569")
    for _ in range(8):  # eight wrong tries were just made: the next waits 64 seconds
        audit.record("counter_unlock_try", client="counter")
    app = make_app(settings, "counter", "th")
    async with app.run_test(size=SIZE) as pilot:
        await open_gate(pilot)
        await enter_pin(pilot, "602569")
        assert app.unlocked_by is None
        message = text(app, "#gate-message")
        assert message.startswith("ลองผิดหลายครั้งเกินไป กรุณารอ ") and message.endswith(" วินาทีแล้วลองใหม่")
        assert app.screen.query_one("#gate-pin", Input).value == ""
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert text(app, "#gate-message").startswith("Too many wrong tries. Please wait ")
        assert text(app, "#gate-message").endswith(" seconds and try again.")
        # the password path is the staff member's own account: the gate's PIN wait does not block it
        await pilot.click("#gate-mode")
        await settle(pilot)
        app.screen.query_one("#gate-username", Input).value = "boss"
        app.screen.query_one("#gate-password", Input).value = PASSWORD
        await pilot.click("#gate-unlock")
        await settle(pilot)
        assert app.unlocked_by is not None and app.unlocked_by.username == "boss"
    assert staff_service.unlock_with_pin("602569").username == "boss"  # the unlock ended the wait
