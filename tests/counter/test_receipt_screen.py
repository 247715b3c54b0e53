"""Item 8 (and 11's receipt wording): the receipt screen shows citizens no file path, offers no
"print again" without a printer, Esc goes home as the hint says; QR codes pointing at this
machine are a warning for staff (login, the console's top bar, the gate, the poster command),
never at the counter; the poster says "sample"."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

from textual.widgets import Static

from kiosk.i18n import translate
from kiosk.poster import layout
from kiosk.printer_settings import PrinterSettings
from kiosk.services.cases import CaseData, create_case
from kiosk.services.people import PersonData
from screens.app import make_app
from screens.receipt import ReceiptScreen
from tests.intake.helpers import wait_for
from tests.staff.pilot import settle


def made():
    return create_case("WPK", CaseData(category="flood", description="น้ำท่วม"),
                       PersonData(first_name="สมชาย", phone="+66812345678"))


def shown(app) -> str:
    return "\n".join(str(w.content) for w in app.screen.query(Static))


async def test_receipt_without_printer(settings, db):
    created = made()
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ReceiptScreen(created, "flood"))
        await settle(pilot)
        assert not app.screen.query("#receipt-print")
        text = shown(app)
        assert translate("receipt.printer_not_configured", "th") in text
        assert "“ติดตามสถานะ”" in text and "“ติดตามเรื่อง”" not in text  # the home button's own label
        assert "127.0.0.1" not in text and translate("app.local_url_badge", "th") not in text  # not for citizens
        await pilot.click("#receipt-save")
        await settle(pilot)
        status = str(app.screen.query_one("#print-status", Static).content)
        assert translate("receiptscreen.saved", "th") in status and "/" not in status
        assert (settings.home / "receipts").exists()
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HomeScreen")


async def test_receipt_with_printer_offers_print_again(settings, db):
    created = made()
    settings = dataclasses.replace(settings, printer=PrinterSettings(kind="file", device=str(settings.home / "lp0")))
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ReceiptScreen(created, "flood"))
        await settle(pilot)
        assert app.screen.query("#receipt-print")


async def test_staff_are_warned_of_qr_codes_pointing_here(settings, actors):
    assert settings.public_url_is_local
    app = make_app(settings, "staff", "th")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "127.0.0.1:8080" in str(app.screen.query_one("#login-local-url", Static).content)
        assert app.screen.query("#local-url-badge")
    counter = make_app(settings)
    async with counter.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not counter.screen.query("#local-url-badge")


def test_poster_is_marked_sample(settings, tmp_path):
    lines = [line.text for line in layout(settings, "th").lines]
    assert lines[0] == translate("poster.sample_mark", "th")
    real = dataclasses.replace(settings, sample=False, public_base_url="https://help.wpk.go.th")
    assert translate("poster.sample_mark", "th") not in [line.text for line in layout(real, "th").lines]


def test_poster_command_warns_the_admin(config_file, tmp_path):
    run = subprocess.run([sys.executable, "kiosk.py", "--config", str(config_file), "poster", "--out", str(tmp_path)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "127.0.0.1:8080" in run.stderr and "public_base_url" in run.stderr
