"""Form bodies are UTF-8: Thai sent as raw bytes (as curl, PHP and many bot libraries send it)
or %-escaped is stored as typed; bytes or escapes that are not UTF-8 are refused with 400 and
store nothing. Against a real server of its own (the cases it adds would upset the counts of
the shared one), reading back its database (the SQLite file or PostgreSQL) on a connection of its
own."""

from __future__ import annotations

import httpx
import pytest

from kiosk.i18n import translate
from tests.conftest import query_config_database

from .conftest import KNOWN_PHONE
from .server import API_KEY, seeded_server

URL = "/open311/v2/requests.json"
FORM = {"content-type": "application/x-www-form-urlencoded"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = seeded_server(tmp_path_factory.mktemp("utf8"), 2)
    yield srv
    srv.stop()


def stored(server, ticket: str) -> tuple[str, str, str]:
    """(description, requester's first name, last name) of a case, straight from the database."""
    [row] = query_config_database(server.config, 'SELECT c.description, p.first_name, p.last_name FROM "case" c '
                                  "JOIN person p ON p.id = c.requester_id WHERE c.ticket_no = ?", (ticket,))
    return tuple(row)


def count_cases(server) -> int:
    return query_config_database(server.config, 'SELECT count(*) FROM "case"')[0][0]


def test_raw_utf8_body_round_trips_thai(server):
    body = (f"api_key={API_KEY}&service_code=flood&phone=0812223344&".encode()
            + "description=น้ำท่วมถนน หมู่ 3&first_name=สมชาย&last_name=ใจดี+มาก".encode())
    r = httpx.post(server.url + URL, content=body, headers=FORM)
    assert r.status_code == 201
    ticket = r.json()[0]["service_request_id"]
    assert stored(server, ticket) == ("น้ำท่วมถนน หมู่ 3", "สมชาย", "ใจดี มาก")


def test_percent_escaped_body_round_trips_thai(server):
    r = httpx.post(server.url + URL, data={"api_key": API_KEY, "service_code": "storm", "description": "พายุพัดหลังคา",
                                            "first_name": "สมหญิง", "last_name": "รักษ์ไทย", "phone": "0812223345"})
    assert r.status_code == 201 and b"%E0%B8" in r.request.content  # httpx did escape it
    assert stored(server, r.json()[0]["service_request_id"]) == ("พายุพัดหลังคา", "สมหญิง", "รักษ์ไทย")


def test_bytes_that_are_not_utf8_are_refused_and_store_nothing(server):
    before = count_cases(server)
    base = f"api_key={API_KEY}&service_code=flood&description=".encode()
    for tail, headers in ((b"\xca\xc1\xaa\xd2\xc2", FORM),  # สมชาย in TIS-620, not UTF-8
                          (b"%CA%C1%AA%D2%C2", FORM),  # the same, %-escaped
                          (b"\xe0\xb8", FORM),  # UTF-8 cut in half
                          ("น้ำ".encode(), {"content-type": "application/x-www-form-urlencoded; charset=tis-620"}),
                          ("น้ำ".encode(), {"content-type": "text/plain"})):
        for fmt in ("json", "xml"):
            r = httpx.post(f"{server.url}/open311/v2/requests.{fmt}", content=base + tail, headers=headers)
            assert r.status_code == 400, (tail, headers)
            assert translate("open311.body", "th") in r.text
    multipart = httpx.post(server.url + URL, data={"api_key": API_KEY, "service_code": "flood", "description": "x"},
                           files={"media": ("a.txt", b"x")})
    assert multipart.status_code == 400
    huge = httpx.post(server.url + URL, content=base + b"x" * 70_000, headers=FORM)
    assert huge.status_code == 400
    assert count_cases(server) == before


def test_track_reads_thai_digits_sent_raw(server):
    known = server.seeded["known"]
    thai_last4 = "".join("๐๑๒๓๔๕๖๗๘๙"[int(d)] for d in KNOWN_PHONE[-4:])
    client = httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.21"))
    body = f"ticket={known.ticket_no}&last4=".encode() + thai_last4.encode()
    r = client.post(f"{server.url}/track", content=body, headers=FORM)
    assert r.status_code == 200 and known.ticket_no in r.text
    bad = client.post(f"{server.url}/track", content=b"ticket=\xff\xfe&last4=1234", headers=FORM)
    assert bad.status_code == 400 and translate("web.form_unreadable", "th") in bad.text
