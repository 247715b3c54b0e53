"""The kiosk's track screen (Pilot): typed ticket + four digits, a tracking code, a scanned
receipt link on the home screen; unknown → a clear message; never any person data on screen."""

from __future__ import annotations

from textual.widgets import Input, Static

from kiosk.i18n import translate
from kiosk.services.cases import CaseData, create_case
from kiosk.services.people import PersonData
from kiosk.services.public_case import by_token, present
from screens.app import make_app
from screens.track import TrackScreen
from screens.widgets import scan_catcher
from screens.widgets.scan_catcher import ScanBuffer, scanned_token

PERSON = PersonData(first_name="สมหญิง", last_name="ลับเฉพาะ", phone="+66891112233", doc_type="national_id",
                    doc_number="1101700230705", house_no="12/3", moo=4, village="บ้านทดสอบ", subdistrict_code="570906")


def made_case():
    return create_case("WPK", CaseData(category="elderly"), PERSON, public_note="รับเรื่องแล้ว รอเจ้าหน้าที่โทรกลับ")


def screen_text(app) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


def assert_no_person_data(text: str) -> None:
    for s in ("สมหญิง", "ลับเฉพาะ", "0891112233", "089-111-2233", "+66891112233", "1101700230705", "12/3",
              "บ้านทดสอบ"):
        assert s not in text


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch if ch.isalnum() else {"-": "minus", "/": "slash", ":": "colon", ".": "full_stop",
                                                   "_": "underscore"}[ch])


async def test_ticket_and_last4_show_the_public_view(db, settings):
    case = made_case()
    app = make_app(settings, "counter")
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_choice("track")
        await pilot.pause()
        assert isinstance(app.screen, TrackScreen)
        app.screen.query_one("#track-ticket", Input).focus()
        await type_text(pilot, case.ticket_no.lower())
        await pilot.press("enter")  # moves to the digits
        await type_text(pilot, "2233")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        assert case.ticket_no in text and translate("status.received", "th") in text
        assert "รอเจ้าหน้าที่โทรกลับ" in text and translate("category.elderly", "th") in text
        view = present(by_token(case.token), "th")  # the lines the status page shows too
        assert all(line.label in text and line.value in text for line in view.lines)
        assert_no_person_data(text)
        app.action_toggle_language()  # re-drawn from state, in English
        await pilot.pause()
        assert "Received" in screen_text(app) and case.ticket_no in screen_text(app)


async def test_wrong_digits_and_unknown_ticket_say_so_plainly(db, settings):
    case = made_case()
    app = make_app(settings, "counter")
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_choice("track")
        await pilot.pause()
        for ticket in (case.ticket_no, "WPK-69-99999"):
            screen = app.screen
            screen.ticket_text, screen.last4_text = ticket, "0000"
            screen.submit()
            await app.workers.wait_for_complete()
            await pilot.pause()
            message = str(app.screen.query_one("#track-message", Static).render())
            assert message == translate("public_case.not_found", "th")
        app.screen.ticket_text, app.screen.last4_text = "garbage", ""
        app.screen.submit()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert str(app.screen.query_one("#track-message", Static).render()) == translate("public_case.ticket_format", "th")


async def test_short_code_alone(db, settings):
    case = made_case()
    app = make_app(settings, "counter")
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_choice("track")
        await pilot.pause()
        app.screen.query_one("#track-ticket", Input).focus()
        await type_text(pilot, case.short_code.lower())
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert case.ticket_no in screen_text(app)


async def test_scanner_keystrokes_on_the_home_screen_open_the_case(db, settings, monkeypatch):
    """Pilot's key presses stand in for a scanner's burst. How fast a burst must be is
    test_scan_buffer_tells_a_scanner_from_a_person's (a clock of its own): here the gap allowed is
    wide, so a loaded machine (the suite on several processes) cannot make Pilot "a person"."""
    monkeypatch.setattr(scan_catcher, "MAX_GAP", 5.0)
    case = made_case()
    app = make_app(settings, "counter")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await type_text(pilot, f"{settings.public_base_url}/t/{case.token}")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TrackScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        assert case.ticket_no in text and translate("status.received", "th") in text
        assert_no_person_data(text)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, TrackScreen)


async def test_scanned_unknown_token_shows_the_form_with_a_message(db, settings):
    app = make_app(settings, "counter")
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(TrackScreen(token="AAAAAAAAAAAAAAAAAAAA"))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert str(app.screen.query_one("#track-message", Static).render()) == translate("public_case.not_found", "th")


def test_scan_buffer_tells_a_scanner_from_a_person():
    now = [0.0]
    buffer = ScanBuffer(clock=lambda: now[0])

    def feed(text: str, gap: float):
        out = None
        for ch in text:
            now[0] += gap
            out = buffer.feed("x", ch)
        now[0] += gap
        return buffer.feed("enter", None) or out

    assert feed("http://x/t/abcdefghijkl", 0.01) == "http://x/t/abcdefghijkl"
    assert feed("http://x/t/abcdefghijkl", 0.3) is None  # a person typing: Enter passes through
    assert feed("short", 0.01) is None


def test_scanned_under_a_thai_keyboard_layout_still_reads():
    from pythainlp.util import eng_to_thai

    url = "http://127.0.0.1:8080/t/Q-ypylK2W8oSVFXzrRde"
    assert scanned_token(eng_to_thai(url)) == "Q-ypylK2W8oSVFXzrRde"
    assert scanned_token("hello world, not a receipt") is None


async def test_typing_on_the_track_screen_goes_to_the_ticket_field(db, settings):
    """A person (or a USB scanner typing a receipt's link) types at once: the ticket field has
    the focus when the screen opens, not the language button."""
    app = make_app(settings, "counter", "th")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.click("#choice-track")
        await pilot.pause()
        await pilot.press(*"WPK")
        await pilot.pause()
        assert app.screen.query_one("#track-ticket", Input).value == "WPK"
