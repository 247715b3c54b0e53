"""The status page is rendered once per case state, never served stale: a change made through the
services (here in this process, on the server's own database file) shows on the very next request.
Its own small server, so the shared one's cases stay as the other tests seeded them."""

from __future__ import annotations

import httpx
import pytest

from db.models import Staff, database
from kiosk.config import parse_settings
from kiosk.i18n import translate
from kiosk.services.setup import open_kiosk
from kiosk.services.staff import Actor
from kiosk.services.workflow import Step, perform

from .server import seeded_server


@pytest.fixture
def server(tmp_path):
    srv = seeded_server(tmp_path, 2)
    yield srv
    srv.stop()


def test_a_change_through_the_services_shows_on_the_next_request(server):
    settings = parse_settings(server.config, server.config.read_text(encoding="utf-8"), environ={})
    connection = open_kiosk(settings)
    try:
        officer = Staff.get(Staff.username == "officer")
        actor = Actor(officer.id, officer.username, officer.full_name, officer.role, "test")
        case = server.seeded["known"]
        url = f"{server.url}/t/{case.token}"
        for _ in range(2):  # the second answer comes from the rendered-page cache
            html = httpx.get(url).text
            assert f'id="status">{translate("status.received", "th")}<' in html

        version = perform(actor, case.id, Step("ask_info", 1, public_note="ขอสำเนาทะเบียนบ้านเพิ่ม"))
        html = httpx.get(url).text
        assert f'id="status">{translate("status.more_info", "th")}<' in html
        assert "ขอสำเนาทะเบียนบ้านเพิ่ม" in html

        perform(actor, case.id, Step("note", version, public_note="ได้รับเอกสารแล้ว"))
        assert "ได้รับเอกสารแล้ว" in httpx.get(url).text
        english = httpx.get(url, params={"lang": "en"}).text
        assert f'id="status">{translate("status.more_info", "en")}<' in english and "ได้รับเอกสารแล้ว" in english
    finally:
        connection.close()
        database.initialize(None)
