"""The counter kiosk through Textual's Pilot: the Thai home screen, the language toggle, the
lock-down (no key quits), the too-small notice, and the PIN-gated way out."""

from __future__ import annotations

from textual.widgets import Button, Input, Static

from kiosk.services import staff as staff_service
from screens.app import make_app
from screens.home import CHOICES, HomeScreen
from screens.notice import NoticeScreen, TooSmallScreen


def labels(app) -> list[str]:
    return [str(b.label) for b in app.screen.query(Button)]


async def test_home_screen_in_thai(db, settings):
    app = make_app(settings, "counter")
    async with app.run_test(size=(120, 40)):
        assert isinstance(app.screen, HomeScreen)
        text = " ".join(labels(app))
        for word in ("ขอความช่วยเหลือ", "ติดตามสถานะ", "ข้อมูลศูนย์และแผนที่", "เจ้าหน้าที่"):
            assert word in text
        assert "เทศบาลตำบลเวียงพางคำ" in str(app.screen.query_one("#centre-name", Static).render())
        assert app.screen.query_one("#sample-badge")  # the sample centre says so
        choices = [app.screen.query_one(f"#choice-{c}", Button) for c in CHOICES]
        assert all(b.size.height >= 5 and b.size.width >= 30 for b in choices)  # touch-sized


async def test_language_toggle_both_ways(db, settings):
    app = make_app(settings, "counter")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.click("#language-toggle")
        await pilot.pause()
        assert "Ask for help" in " ".join(labels(app)) and app.lang == "en"
        assert "Citizen Help Centre" in str(app.screen.query_one("#centre-name", Static).render())
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert "ขอความช่วยเหลือ" in " ".join(labels(app)) and app.lang == "th"


async def test_no_key_quits_the_counter(db, settings):
    app = make_app(settings, "counter")
    async with app.run_test(size=(120, 40)) as pilot:
        for key in ("ctrl+q", "ctrl+c", "escape", "ctrl+p", "ctrl+z", "q"):
            await pilot.press(key)
            await pilot.pause()
            assert app.is_running and isinstance(app.screen, HomeScreen), key
        await app.run_action("quit")  # even the action itself (e.g. injected markup) is refused
        await pilot.pause()
        assert app.is_running
        assert not app.ENABLE_COMMAND_PALETTE and not app.ALLOW_SELECT


async def test_too_small_terminal_asks_to_enlarge(db, settings):
    app = make_app(settings, "counter")
    async with app.run_test(size=(70, 20)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        assert "70×20" in str(app.screen.query_one("#too-small", Static).render())
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_a_screen_that_opens_over_the_too_small_notice_does_not_leave_it_behind(db, settings):
    """A step whose worker finishes while the terminal is small opens above the notice; once the
    terminal is big again and that step is closed, the counter must not show "too small" (nor
    stop its idle reset, which waits while the notice is up)."""
    from screens.track import TrackScreen

    app = make_app(settings, "counter")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        app.push_screen(TrackScreen())  # what a worker's done-callback does while the notice is up
        await pilot.pause()
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        app.pop_screen()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert not any(isinstance(s, TooSmallScreen) for s in app.screen_stack)


async def test_a_resize_the_terminal_has_left_does_not_lay_a_screen_out(db, settings):
    """Under load a screen's queue can still hold a resize to a size the terminal has since left,
    behind callbacks, when the one to the latest size arrives: each laid the screen out at its
    own size and posted itself again (80×24, 120×40, 80×24…): the monkey test's counter spun there
    for ever, never reading a key nor coming home. Only the terminal's latest size counts."""
    from textual import events
    from textual.geometry import Size

    from screens.track import TrackScreen

    app = make_app(settings, "counter")
    async with app.run_test(size=(120, 40)) as pilot:
        home = app.screen
        app.push_screen(TrackScreen())  # home is now a background screen, as in the monkey run
        await pilot.pause()
        for _ in range(3):
            home.post_message(events.Resize(Size(80, 24), Size(80, 24)))  # the terminal has left 80×24
            home.call_later(lambda: None)
        await pilot.pause()
        assert home._compositor.size == Size(120, 40), home._compositor.size  # where it laid itself out


async def test_a_burst_of_resizes_ending_large_leaves_the_counter_usable(db, settings):
    """Small, large, small, large… as fast as a window manager sends them, ending large: the
    counter shows its own screen (not the too-small notice) and still answers keys."""
    from textual import events
    from textual.geometry import Size

    app = make_app(settings, "counter")
    async with app.run_test(size=(120, 40)) as pilot:
        for width, height in [(60, 20), (120, 40), (80, 24), (60, 20), (120, 40), (60, 20), (80, 24)] * 5 \
                + [(120, 40)]:
            app._driver._size = Size(width, height)
            app.post_message(events.Resize(Size(width, height), Size(width, height)))
        await pilot.pause()
        await pilot.pause(0.1)
        assert isinstance(app.screen, HomeScreen) and app.screen.size == Size(120, 40)
        assert not any(isinstance(s, TooSmallScreen) for s in app.screen_stack)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.lang == "en"


async def test_a_paste_reaches_a_field_without_its_escape_sequences(db, settings):
    """A pasted text is shown by the field as typed, so its control characters would be written to
    the terminal: `\x1b[6n` makes the terminal answer with keys, `\x1b]52;…` sets its clipboard.
    They are dropped from every paste; what a person could see as text stays."""
    from textual import events

    app = make_app(settings, "counter")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.click("#choice-track")
        await pilot.pause()
        field = app.screen.query_one("#track-ticket", Input)
        field.focus()
        app.post_message(events.Paste("WPK\x1b[6n-69\x1b]52;c;aGk=\x07\x9b2J\u200b-001\x7f23"))
        await pilot.pause()
        assert field.value == "WPK[6n-69]52;c;aGk=2J-00123"


async def test_staff_gate_needs_a_pin(db, settings):
    staff_service.create_staff("boss", "correct-horse", "supervisor", "หัวหน้า", pin="602569", first_admin=False,
                               by=staff_service.Actor(0, "t", "", "admin"))
    app = make_app(settings, "counter")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.click("#choice-staff")
        await pilot.pause()
        pin = app.screen.query_one("#gate-pin", Input)
        pin.value = "0000"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "PIN ไม่ถูกต้อง" in str(app.screen.query_one("#gate-message", Static).render())
        assert app.unlocked_by is None
        pin.value = "602569"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.unlocked_by is not None and app.unlocked_by.username == "boss"
        await pilot.press("ctrl+l")  # the unlocked view survives a language toggle
        await pilot.pause()
        assert app.screen.query("#gate-exit") and app.screen.query("#gate-intake")
        await pilot.click("#gate-back")  # leaving the gate locks it again
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen), app.screen
        assert app.unlocked_by is None
        await pilot.click("#choice-staff")
        await pilot.pause()
        app.screen.query_one("#gate-pin", Input).value = "602569"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.click("#gate-exit")
        await pilot.pause()
    assert app.return_code == 0 and not app.is_running


async def test_gate_without_staff_says_what_to_do(db, settings):
    app = make_app(settings, "counter")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.click("#choice-staff")
        await pilot.pause()
        body = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "kiosk.py init" in body


async def test_unbuilt_choice_says_so(db, settings):
    """A choice with no screen yet opens a plain notice, not a fake screen."""
    from screens import app as app_module

    app = make_app(settings, "counter")
    unbuilt = [c for c in CHOICES if c not in app_module.choice_screens()]
    async with app.run_test(size=(120, 40)) as pilot:
        for choice in unbuilt:
            await pilot.click(f"#choice-{choice}")
            await pilot.pause()
            assert isinstance(app.screen, NoticeScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)


async def test_the_idle_check_while_the_counter_closes_is_quiet(db, settings):
    """The idle timer can fire after the app has taken its screens down on the way out (seen under
    CI's load): the check finds no screen and does nothing, rather than raising on the way out."""
    app = make_app(settings, "counter")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.last_input -= app.idle_seconds + 1  # idle for longer than the timeout
    assert not app.screen_stack
    app.check_idle_timeout()
