"""`/info` and `/announcements` on the status server: the same data as the counter, stored
text escaped, expired and retired announcements absent."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from db.models import utcnow
from kiosk.services import announcements as ann
from tests.web.server import start_server


@pytest.fixture
def live(db, config_file):
    """`kiosk.py serve` on this test's database; it reads what the test writes."""
    server = start_server(config_file)
    yield server
    server.stop()


def client(server) -> httpx.Client:
    return httpx.Client(base_url=server.url, timeout=10)


def test_info_page_in_both_languages(live, settings, actors):
    ann.create(actors["officer"], "ปิดถนนชั่วคราว", "ถนนพหลโยธิน\n\nหน้าเทศบาล", pinned=True)
    with client(live) as web:
        th = web.get("/info")
        assert th.status_code == 200 and th.headers["content-security-policy"]
        for text in (settings.centre_name_th, "ตำบลเวียงพางคำ อำเภอแม่สาย จังหวัดเชียงราย 57130", "1669", "1784",
                     "https://maps.google.com/?q=20.405,99.885", "geo:20.405,99.885", "ปิดถนนชั่วคราว",
                     "<p>หน้าเทศบาล</p>"):
            assert text in th.text
        assert 'id="open-now"' in th.text
        en = web.get("/info?lang=en")
        assert "Wiang Phang Kham Subdistrict, Mae Sai District" in en.text and "Police" in en.text


def test_announcements_page_escapes_and_hides_the_expired(live, settings, actors):
    officer, now = actors["officer"], utcnow()
    ann.create(officer, '<script>alert(1)</script>', '"><img src=x onerror=alert(1)> [b')
    ann.create(officer, "หมดเวลาแล้ว", starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=1))
    ann.retire(officer, ann.create(officer, "เลิกประกาศแล้ว").id)
    with client(live) as web:
        page = web.get("/announcements").text
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "&quot;&gt;&lt;img src=x onerror=alert(1)&gt; [b" in page
    assert "หมดเวลาแล้ว" not in page and "เลิกประกาศแล้ว" not in page
