"""Item 10: a card reader or scanner that types like a keyboard sends Tab and the next field's
text in one burst. In a real terminal (tmux, one send-keys with Tab and the text together), the
text lands in the next field, not the one just left."""

from __future__ import annotations

import time

import pytest

from tests.conftest import write_config
from tests.e2e.tmux import Pane
from tests.intake.helpers import national_id

pytestmark = pytest.mark.e2e


def test_tab_then_text_at_scanner_speed_lands_in_the_next_field(tmp_path):
    config = write_config(tmp_path)
    env = {"PYTHAINLP_OFFLINE": "1", "PYTHAINLP_READ_ONLY": "1", "KIOSK_HOME": str(tmp_path)}
    with Pane(f"uv run kiosk.py --config {config}", width=80, height=24, env=env) as pane:
        pane.wait_for("ขอความช่วยเหลือ")
        time.sleep(0.5)
        pane.keys("Enter")  # focus starts on "ask for help"
        pane.wait_for("รับทราบและยินยอม")
        time.sleep(0.3)
        pane.keys("Enter")
        time.sleep(0.3)
        pane.keys("1")
        time.sleep(0.3)
        pane.keys("1")
        pane.wait_for("คำนำหน้าชื่อ")
        time.sleep(0.5)
        # one burst: prefix, Tab, first name, Tab, last name, Tab past the document type, Tab, the
        # ID and Enter — as a card reader types a card's fields
        pane.keys("นาย", "Tab", "สมชาย", "Tab", "ใจดี", "Tab", "Tab", national_id("310170020345"), "Enter")
        pane.wait_for("ช่องทางติดต่อ", timeout=15)  # the step was complete: every value in its field
        time.sleep(0.5)
        pane.keys("0812345678", "Enter")
        pane.wait_for("ผู้ที่ต้องการความช่วยเหลือ", timeout=15)
        time.sleep(0.5)
        pane.keys("Enter")
        pane.wait_for("เกิดอะไรขึ้น", timeout=15)
        time.sleep(0.5)
        pane.keys("-l", "น้ำท่วมบ้าน")
        time.sleep(0.3)
        pane.keys("Enter")
        review = pane.wait_for("ตรวจสอบข้อมูลก่อนยืนยัน", timeout=15)
        assert "นายสมชาย ใจดี" in review, review
