"""The counter's info screen, in Thai and in English, with stored text shown literally.

A correct picture shows: the centre's name as a sign under the top bar; opening hours with an
"open now" or "closed" line; the address from the DOPA codes; directions; phones and LINE; the
four emergency numbers; a QR code for the map and one for the status page; the current
announcements (pinned first), never the expired ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from textual.widgets import Static

from kiosk.services import announcements as ann
from kiosk.services import centre
from screens.app import make_app
from screens.home import HomeScreen
from screens.info import InfoScreen
from screens.widgets.qr_code import QRCode

from .conftest import NASTY

WEDNESDAY_10 = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)  # 10:00 in Bangkok
SATURDAY = datetime(2026, 12, 12, 3, 0, tzinfo=UTC)  # 5 Dec is a configured holiday


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def all_text(screen) -> str:
    return "\n".join(str(w.render()) for w in screen.query(Static))


async def open_info(app, pilot, now=WEDNESDAY_10) -> InfoScreen:
    await app.push_screen(InfoScreen(clock=lambda: now))
    await pilot.pause()
    return app.screen


async def test_info_screen_in_thai(db, settings, actors):
    ann.create(actors["officer"], "ประชาสัมพันธ์ฉีดวัคซีน", "ที่ รพ.สต. ทุกวันพุธ",
               starts_at=WEDNESDAY_10.replace(tzinfo=None) - timedelta(days=1))
    ann.create(actors["officer"], "ประกาศสำคัญน้ำท่วม", pinned=True,
               starts_at=WEDNESDAY_10.replace(tzinfo=None) - timedelta(days=5))
    ann.create(actors["officer"], "หมดอายุแล้ว", starts_at=WEDNESDAY_10.replace(tzinfo=None) - timedelta(days=5),
               ends_at=WEDNESDAY_10.replace(tzinfo=None) - timedelta(minutes=1))
    app = make_app(settings, "counter")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.click("#choice-info")
        await pilot.pause()
        assert isinstance(app.screen, InfoScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        screen = await open_info(app, pilot)
        assert text_of(screen, "#info-sign") == settings.centre_name_th
        assert text_of(screen, "#info-open") == "เปิดอยู่ขณะนี้ · ปิดวันนี้ เวลา 16:30 น."
        assert "จันทร์–ศุกร์" in text_of(screen, "#info-week")
        assert text_of(screen, "#info-address") == \
            "99 หมู่ที่ 1 ถนนพหลโยธิน ตำบลเวียงพางคำ อำเภอแม่สาย จังหวัดเชียงราย 57130"
        assert "ชั้น 1 อาคารสำนักงานเทศบาล" in text_of(screen, "#info-directions")
        contacts = text_of(screen, "#info-contacts")
        assert "053-000-000" in contacts and "081-000-0000" in contacts and "@sample-wpk" in contacts
        assert "Facebook" not in contacts  # not configured in the sample
        emergency = text_of(screen, "#info-emergency")
        for label, number in (("เจ็บป่วยฉุกเฉิน", "1669"), ("ดับเพลิง", "199"), ("ตำรวจ", "191"), ("สาธารณภัย", "1784")):
            assert f"{label}  {number}" in emergency
        assert screen.query_one("#qr-map", QRCode)._lines == QRCode(centre.maps_url(settings))._lines
        assert screen.query_one("#qr-status", QRCode)._lines == QRCode("http://127.0.0.1:8080/track")._lines
        titles = [str(w.render()) for w in screen.query(".announcement-title")]
        assert titles == ["[ประกาศสำคัญ] ประกาศสำคัญน้ำท่วม", "ประชาสัมพันธ์ฉีดวัคซีน"]
        assert "หมดอายุแล้ว" not in all_text(screen)
        for qr in ("#qr-map", "#qr-status"):  # both codes fully on screen at 120×40
            region = screen.query_one(qr).region
            assert region.right <= 120 and region.bottom <= 40 and region.width > 0
        await pilot.click("#info-back")
        assert isinstance(app.screen, HomeScreen)


async def test_info_screen_in_english_and_after_the_toggle(db, settings):
    app = make_app(settings, "counter", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_info(app, pilot, SATURDAY)
        assert text_of(screen, "#info-sign") == settings.centre_name_en
        assert text_of(screen, "#info-open") == "Closed now · opens Mon 14/12/2569 at 08:30"
        assert text_of(screen, "#info-address") == ("99, Moo 1, พหลโยธิน Road, Wiang Phang Kham Subdistrict, "
                                                    "Mae Sai District, Chiang Rai 57130")
        assert "Police  191" in text_of(screen, "#info-emergency")
        assert "No announcements at the moment" in all_text(screen)
        await pilot.press("ctrl+l")  # back to Thai: the screen re-draws from its own state
        await pilot.pause()
        assert text_of(app.screen, "#info-sign") == settings.centre_name_th
        assert text_of(app.screen, "#info-open").startswith("ปิดอยู่ขณะนี้ · เปิดอีกครั้งวันจันทร์ที่ 14/12/2569")


async def test_narrow_terminal_puts_the_codes_under_the_text(db, settings):
    app = make_app(settings, "counter")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_info(app, pilot)
        assert screen.query_one("#info-body").has_class("narrow")
        assert screen.query_one("#qr-map").region.y >= screen.query_one("#info-text").region.bottom


async def test_stored_text_is_shown_literally(db, settings, actors):
    for text in NASTY:
        ann.create(actors["officer"], f"T{text}", f"B{text}", starts_at=WEDNESDAY_10.replace(tzinfo=None))
    app = make_app(settings, "counter")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_info(app, pilot, WEDNESDAY_10 + timedelta(minutes=1))
        titles = [str(w.render()) for w in screen.query(".announcement-title")]
        bodies = [str(w.render()) for w in screen.query(".announcement-body")]
        assert sorted(titles) == sorted(["T[@click=app.quit]x[/]", "T[b", "T[2Jclear"])
        assert sorted(bodies) == sorted(["B[@click=app.quit]x[/]", "B[b", "B[2Jclear"])
        for widget in screen.query(".announcement-title, .announcement-body"):
            widget.scroll_visible(animate=False, immediate=True)
            await pilot.pause()
            await pilot.click(widget)  # an injected @click would quit the app
        assert app.is_running and isinstance(app.screen, InfoScreen)
