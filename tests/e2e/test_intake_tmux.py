"""A whole intake in a real terminal: `kiosk.py` in tmux 120×40, Thai typed literally (tone marks
and all, as a Thai keyboard sends them), the receipt's QR rebuilt from the captured pane and read
by zbarimg: it must be the stored case's tracking URL."""

from __future__ import annotations

import shutil
import time

import pytest

from db.connection import open_database
from db.models import Case
from kiosk.config import parse_settings
from kiosk.services.public_case import tracking_url
from tests.conftest import write_config
from tests.e2e.qr_pane import decode_qr, qr_image_from_ansi
from tests.e2e.tmux import Pane
from tests.intake.helpers import national_id

pytestmark = pytest.mark.e2e


def _step(pane: Pane, *keys: str, literal: bool = False, pause: float = 0.4) -> None:
    pane.keys(*keys, literal=literal)
    time.sleep(pause)


def test_intake_in_tmux_gives_a_receipt_whose_qr_decodes_to_the_tracking_url(tmp_path):
    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg missing: apt-get install zbar-tools")
    config = write_config(tmp_path)
    id_number = national_id("310170020345")
    with Pane(f"uv run kiosk.py --config {config}",
              # COLUMNS/LINES: pytest exports its own, and Textual prefers them to the pane's size
              env={"PYTHAINLP_OFFLINE": "1", "PYTHAINLP_READ_ONLY": "1", "COLUMNS": "120", "LINES": "40"}) as pane:
        pane.wait_for("ขอความช่วยเหลือ")
        time.sleep(0.5)
        _step(pane, "Enter")  # focus starts on the first choice, never the language toggle
        pane.wait_for("รับทราบและยินยอม")
        _step(pane, "Enter")  # accept the notice
        _step(pane, "1")  # disaster
        _step(pane, "1")  # flood
        pane.wait_for("ผู้ยื่นคำขอ")
        _step(pane, "นาย", literal=True)
        _step(pane, "Tab")
        _step(pane, "สมชาย", literal=True)
        _step(pane, "Tab")
        _step(pane, "ใจดี", literal=True)
        _step(pane, "Tab")
        _step(pane, "Tab")  # past the document type (Thai ID card)
        _step(pane, id_number, literal=True)
        _step(pane, "Enter")
        pane.wait_for("ช่องทางติดต่อ")
        _step(pane, "081-234-5678", literal=True)
        _step(pane, "Enter")
        pane.wait_for("ผู้ที่ต้องการความช่วยเหลือ")
        _step(pane, "Enter")
        pane.wait_for("เกิดอะไรขึ้น")
        _step(pane, "น้ำท่วมบ้าน ที่นอนเปียกหมด", literal=True)
        _step(pane, "Enter")
        review = pane.wait_for("ตรวจสอบข้อมูลก่อนยืนยัน")
        assert "น้ำท่วมบ้าน ที่นอนเปียกหมด" in review and "สมชาย" in review
        _step(pane, "Enter")
        pane.wait_for("รับเรื่องเรียบร้อยแล้ว")
        decoded: list[str] = []
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not decoded:
            time.sleep(0.3)
            capture = pane.text(colours=True)
            decoded = decode_qr(qr_image_from_ansi(capture))
        settings = parse_settings(config, config.read_text(encoding="utf-8"), environ={})
        db = open_database(settings.database_url)
        try:
            case = Case.get()
            assert decoded == [tracking_url(settings, case.token)], capture
            assert case.description == "น้ำท่วมบ้าน ที่นอนเปียกหมด"  # tone marks kept in a real terminal
            assert case.requester.prefix == "นาย" and case.requester.doc_number == id_number
            pane.wait_for(case.ticket_no, timeout=5)
            pane.wait_for(case.short_code, timeout=5)
        finally:
            db.close()
