"""A Thai receipt shared by the receipt tests."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from kiosk.receipt_drawing import Receipt

TRACKING_URL = "https://help.example.go.th/t/abcdefghijklmnopqrstuvwx1234"
CENTRE = "องค์การบริหารส่วนตำบลวังน้ำเย็น"
LABELS = {
    "ticket_no": "เลขที่คำขอ", "date": "วันที่", "category": "เรื่อง", "next_steps": "ขั้นตอนต่อไป",
    "track": "สแกนเพื่อติดตามสถานะ", "short_code": "รหัสติดตาม", "phone": "โทร", "hours": "เวลาทำการ",
}


@pytest.fixture
def receipt() -> Receipt:
    return Receipt(
        centre_name=CENTRE,
        ticket_no="WPK-69-00123",
        created_at=datetime(2026, 3, 5, 14, 7, tzinfo=timezone(timedelta(hours=7))),
        category_label="น้ำท่วม / ท่อระบายน้ำอุดตัน",
        next_steps="เจ้าหน้าที่จะติดต่อกลับภายใน 3 วันทำการ กรุณาเก็บใบนี้ไว้เพื่อติดตามเรื่อง",
        centre_phone="0 2123 4567",
        centre_hours="จันทร์–ศุกร์ 08:30–16:30 น.",
        tracking_url=TRACKING_URL,
        short_code="K7Q-4ZP",
        lang="th",
        labels=LABELS,
    )


def need(tool: str, package: str) -> None:
    """Skip, naming the Debian package, when a command-line tool is missing."""
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} missing: install the Debian package {package}")


def zbar(path: Path) -> list[str]:
    """QR payloads zbarimg reads from an image file."""
    need("zbarimg", "zbar-tools")
    done = subprocess.run(["zbarimg", "--raw", "-q", str(path)], capture_output=True, text=True, timeout=10)
    return [line for line in done.stdout.splitlines() if line]
