"""Open311 GeoReport v2 against the real server: shapes of JSON and XML answers against the
spec's field lists, filters, the 90-day limit, POST with and without an api_key."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from xml.etree import ElementTree as ET

import httpx

from db.reference import NON_PUBLIC
from kiosk.i18n import translate

from .server import API_KEY, every_page

BASE = "/open311/v2"
SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
REQUEST_FIELDS = {"service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"}
ISO_BANGKOK = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00")
ISO_DAY = re.compile(r"\d{4}-\d\d-\d\dT00:00:00\+07:00")
KEY = {"x-api-key": API_KEY}


def test_services_json_and_xml(server):
    services = httpx.get(f"{server.url}{BASE}/services.json").json()
    assert services and all(set(s) == SERVICE_FIELDS for s in services)
    assert {"flood", "elderly", "home_repair"} <= {s["service_code"] for s in services}
    assert all(s["metadata"] is False and s["type"] == "realtime" for s in services)
    r = httpx.get(f"{server.url}{BASE}/services.xml")
    assert r.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(r.content)
    assert root.tag == "services" and len(root) == len(services)
    assert {child.tag for child in root[0]} == SERVICE_FIELDS


def test_requests_json_shape_and_status_mapping(server):
    """Page by page (50 a page by default), the public gets every case of a public category with
    times to the day; a partner's key gets every case with exact times."""
    public = [row for r in every_page(f"{server.url}{BASE}/requests.json") for row in r.json()]
    keyed = [row for r in every_page(f"{server.url}{BASE}/requests.json", headers=KEY) for row in r.json()]
    cases = server.seeded["cases"]
    assert len(keyed) == len(cases) and len({r["service_request_id"] for r in keyed}) == len(cases)
    assert len(public) == sum(c["category"] not in NON_PUBLIC for c in cases) > 50
    closed = {c["ticket_no"] for c in cases if c["status"] in ("helped", "closed")}
    for rows, stamp in ((public, ISO_DAY), (keyed, ISO_BANGKOK)):
        for row in rows:
            assert set(row) == REQUEST_FIELDS
            assert row["status"] == ("closed" if row["service_request_id"] in closed else "open")
            assert stamp.fullmatch(row["requested_datetime"]) and stamp.fullmatch(row["updated_datetime"])
            assert row["description"] is None and row["address"] is None and row["lat"] is None
        assert [r["requested_datetime"] for r in rows] == sorted((r["requested_datetime"] for r in rows), reverse=True)
    assert not all(ISO_DAY.fullmatch(r["requested_datetime"]) for r in keyed)  # the partner's are exact


def test_requests_xml_shape(server):
    r = httpx.get(f"{server.url}{BASE}/requests.xml", params={"status": "closed"})
    root = ET.fromstring(r.content)
    assert root.tag == "service_requests" and len(root) > 0
    for request in root:
        assert request.tag == "request" and {c.tag for c in request} == REQUEST_FIELDS
        assert request.findtext("status") == "closed"


def test_filters(server):
    flood = httpx.get(f"{server.url}{BASE}/requests.json", params={"service_code": "flood,storm"}).json()
    assert flood and {r["service_code"] for r in flood} <= {"flood", "storm"}
    opened = httpx.get(f"{server.url}{BASE}/requests.json", params={"status": "open"}).json()
    assert opened and all(r["status"] == "open" for r in opened)
    future = (datetime.now() + timedelta(days=200)).date().isoformat()
    assert httpx.get(f"{server.url}{BASE}/requests.json", params={"start_date": future}).json() == []
    old = httpx.get(f"{server.url}{BASE}/requests.json",
                    params={"start_date": "2020-01-01T00:00:00+07:00", "end_date": "2020-03-01T00:00:00+07:00"})
    assert old.status_code == 200 and old.json() == []


def test_ninety_day_limit_and_bad_input_are_400_with_spec_errors(server):
    for params in ({"start_date": "2026-01-01", "end_date": "2026-05-01"}, {"status": "pending"},
                   {"start_date": "yesterday"}, {"start_date": "2026-05-01", "end_date": "2026-04-01"},
                   {"start_date": "0001-01-01"}, {"end_date": "9999-12-31T23:00:00-12:00"},
                   {"start_date": "9999-12-01"}, {"end_date": "0001-02-01"}):
        r = httpx.get(f"{server.url}{BASE}/requests.json", params=params)
        assert r.status_code == 400, params
        [err] = r.json()
        assert err["code"] == 400 and err["description"]
    x = httpx.get(f"{server.url}{BASE}/requests.xml", params={"status": "pending"})
    assert x.status_code == 400 and ET.fromstring(x.content).find("error/code").text == "400"


def test_one_request(server):
    known = server.seeded["known"]
    [row] = httpx.get(f"{server.url}{BASE}/requests/{known.ticket_no}.json").json()
    assert ISO_DAY.fullmatch(row["requested_datetime"])
    [exact] = httpx.get(f"{server.url}{BASE}/requests/{known.ticket_no}.json", headers=KEY).json()
    assert exact["requested_datetime"][:10] == row["requested_datetime"][:10] and exact != row
    assert row["service_request_id"] == known.ticket_no and row["status_notes"] == translate("status.received", "th")
    # a note's free text (written to the citizen, may name people) is never published here
    assert "รับเรื่องที่เคาน์เตอร์" not in httpx.get(f"{server.url}{BASE}/requests/{known.ticket_no}.json").text
    assert "รับเรื่องที่เคาน์เตอร์" not in httpx.get(f"{server.url}{BASE}/requests.json").text
    root = ET.fromstring(httpx.get(f"{server.url}{BASE}/requests/{known.ticket_no}.xml").content)
    assert root.find("request/service_code").text == "flood"
    assert httpx.get(f"{server.url}{BASE}/requests/WPK-69-99999.json").status_code == 404
    assert httpx.get(f"{server.url}{BASE}/requests/{known.ticket_no}.csv").status_code == 404


def test_post_needs_a_key(server):
    form = {"service_code": "flood", "description": "น้ำท่วมถนนหน้าวัด"}
    for data in (form, {**form, "api_key": "wrong-key-0000000000"}):
        r = httpx.post(f"{server.url}{BASE}/requests.json", data=data)
        assert r.status_code == 403 and r.json()[0]["code"] == 403
    x = httpx.post(f"{server.url}{BASE}/requests.xml", data=form)
    assert x.status_code == 403 and ET.fromstring(x.content).find("error/code").text == "403"


def test_post_with_key_files_a_case_through_intake(server):
    r = httpx.post(f"{server.url}{BASE}/requests.json",
                   data={"api_key": API_KEY, "service_code": "storm", "description": "หลังคาปลิว",
                         "lat": "20.41", "long": "99.88", "first_name": "ผู้แจ้ง", "phone": "0891234567"})
    assert r.status_code == 201
    [made] = r.json()
    assert re.fullmatch(r"WPK-\d\d-\d{5}", made["service_request_id"])
    token = made["service_notice"].rsplit("/t/", 1)[1]
    page = httpx.get(f"{server.url}/t/{token}")
    assert page.status_code == 200 and made["service_request_id"] in page.text
    assert "ผู้แจ้ง" not in page.text and "1234567" not in page.text
    [row] = httpx.get(f"{server.url}{BASE}/requests/{made['service_request_id']}.json").json()
    assert row["service_code"] == "storm" and row["status"] == "open"
    x = httpx.post(f"{server.url}{BASE}/requests.xml", data={"api_key": API_KEY, "service_code": "fire",
                                                              "description": "ไฟไหม้"})
    assert x.status_code == 201 and ET.fromstring(x.content).find("request/service_request_id").text


def test_post_rejects_bad_fields(server):
    for data in ({"service_code": "nope", "description": "x"}, {"service_code": "flood", "description": ""},
                 {"service_code": "flood", "description": "x", "lat": "abc", "long": "99"},
                 {"service_code": "flood", "description": "x", "lat": "51.5", "long": "0.1"},
                 {"service_code": "flood", "description": "x", "phone": "12"}):
        r = httpx.post(f"{server.url}{BASE}/requests.json", data={"api_key": API_KEY, **data})
        assert r.status_code == 400, data
        assert r.json()[0]["code"] == 400
