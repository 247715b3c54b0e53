"""What the public Open311 API gives away, against the real server over 300+ generated cases:
no case of a non-public category (health, disability, age, poverty, children) without a
partner's key, times only to the day (date filters too), paged answers; and the per-client
rate limit with X-Forwarded-For believed only from the configured proxies."""

from __future__ import annotations

from datetime import datetime, timedelta
from xml.etree import ElementTree as ET

import httpx
import pytest

from db.reference import NON_PUBLIC
from kiosk.i18n import translate

from .server import API_KEY, every_page, seeded_server

BASE = "/open311/v2"
KEY = {"x-api-key": API_KEY}


def hidden_cases(server) -> list[dict]:
    return [c for c in server.seeded["cases"] if c["category"] in NON_PUBLIC]


def test_no_non_public_category_in_any_public_answer(server):
    """Every page of the list (JSON and XML, both languages) and every hidden case's detail,
    without a key: no hidden category's code or label anywhere, and a hidden case's detail is
    the very answer an unknown ticket gets. With the key, all of them are there."""
    hidden = hidden_cases(server)
    assert len(server.seeded["cases"]) > 300 and len(hidden) > 50
    labels = {translate(f"category.{k}", lang) for k in NON_PUBLIC for lang in ("th", "en")}
    texts = []
    for fmt in ("json", "xml"):
        for lang in ("th", "en"):
            texts += [r.text for r in every_page(f"{server.url}{BASE}/requests.{fmt}", {"lang": lang})]
    rows = [row for r in every_page(f"{server.url}{BASE}/requests.json") for row in r.json()]
    assert rows and {r["service_code"] for r in rows}.isdisjoint(NON_PUBLIC)
    xml_codes = {el.text for t in texts if t.startswith("<?xml") for el in ET.fromstring(t).iter("service_code")}
    assert xml_codes and xml_codes.isdisjoint(NON_PUBLIC)
    assert [label for label in labels if any(label in t for t in texts)] == []
    assert [c["ticket_no"] for c in hidden if any(c["ticket_no"] in t for t in texts)] == []

    with httpx.Client(base_url=f"{server.url}{BASE}") as c:
        unknown = {fmt: c.get(f"/requests/WPK-69-99999.{fmt}") for fmt in ("json", "xml")}
        for case in hidden:
            for fmt in ("json", "xml"):
                r = c.get(f"/requests/{case['ticket_no']}.{fmt}")
                assert (r.status_code, r.text) == (404, unknown[fmt].text), case["ticket_no"]
            assert c.get("/requests.json", params={"service_request_id": case["ticket_no"]}).json() == []

    keyed = {row["service_request_id"] for r in every_page(f"{server.url}{BASE}/requests.json", headers=KEY)
             for row in r.json()}
    assert {c["ticket_no"] for c in hidden} <= keyed
    [row] = httpx.get(f"{server.url}{BASE}/requests/{hidden[0]['ticket_no']}.json", headers=KEY).json()
    assert row["service_code"] == hidden[0]["category"]
    [row] = httpx.get(f"{server.url}{BASE}/requests/{hidden[0]['ticket_no']}.json",
                      params={"api_key": API_KEY}).json()  # the key in the query works too
    assert row["service_code"] == hidden[0]["category"]


def test_the_citizen_still_sees_their_own_case_in_a_hidden_category(server):
    case = hidden_cases(server)[0]
    page = httpx.get(f"{server.url}/t/{case['token']}")
    assert page.status_code == 200 and case["ticket_no"] in page.text
    assert translate(f"category.{case['category']}", "th") in page.text


def test_a_wrong_key_is_refused_not_ignored(server):
    for fmt in ("json", "xml"):
        r = httpx.get(f"{server.url}{BASE}/requests.{fmt}", headers={"x-api-key": "wrong-key-000000000000"})
        assert r.status_code == 403
    assert httpx.get(f"{server.url}{BASE}/requests.json", params={"api_key": "nope"}).status_code == 403


def test_public_times_and_date_filters_are_whole_days(server):
    """A public filter narrower than a day gets the whole day: it cannot find a case's minute.
    The partner's filter is exact."""
    [latest] = httpx.get(f"{server.url}{BASE}/requests.json", params={"page_size": "1"}, headers=KEY).json()
    after = (datetime.fromisoformat(latest["requested_datetime"]) + timedelta(seconds=1)).isoformat()
    narrow = {"start_date": after, "end_date": after, "page_size": "100"}
    assert httpx.get(f"{server.url}{BASE}/requests.json", params=narrow, headers=KEY).json() == []
    day = latest["requested_datetime"][:10]
    whole = {"start_date": day, "end_date": f"{day}T23:59:59+07:00", "page_size": "100"}
    public_narrow = httpx.get(f"{server.url}{BASE}/requests.json", params=narrow).json()
    assert public_narrow and public_narrow == httpx.get(f"{server.url}{BASE}/requests.json", params=whole).json()
    assert {r["requested_datetime"] for r in public_narrow} == {f"{day}T00:00:00+07:00"}


def test_paging(server):
    url = f"{server.url}{BASE}/requests.json"
    first, second = (httpx.get(url, params={"page": str(n), "page_size": "100"}) for n in (1, 2))
    assert len(first.json()) == 100 and second.json()
    assert first.links["next"]["url"] == f"{BASE}/requests.json?page=2&page_size=100"  # relative: no Host in it
    assert not {r["service_request_id"] for r in first.json()} & {r["service_request_id"] for r in second.json()}
    pages = every_page(url)
    assert len(pages[0].json()) == 50 and "next" not in pages[-1].links
    assert len(pages[-1].json()) <= 50
    for params in ({"page_size": "101"}, {"page_size": "0"}, {"page": "0"}, {"page": "abc"}, {"page": "-1"},
                   {"page": "11", "page_size": "100"},
                   {"service_request_id": ",".join(f"WPK-69-{i:05d}" for i in range(1, 102))}):
        r = httpx.get(url, params=params)
        assert r.status_code == 400 and r.json()[0]["code"] == 400, params


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    """A server allowing 5 public Open311 GETs a minute per client, believing X-Forwarded-For
    from 127.0.0.0/29 only (127.0.0.1-7)."""
    web = '\n[web]\nopen311_per_minute = 5\ntrusted_proxies = ["127.0.0.0/29"]\n'
    srv = seeded_server(tmp_path_factory.mktemp("limited"), 2, web=web)
    yield srv
    srv.stop()


def client(address: str) -> httpx.Client:
    """A client connecting from another loopback address."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address))


def test_public_open311_is_rate_limited_per_client(limited):
    url = f"{limited.url}{BASE}/requests.json"
    c = client("127.0.0.9")
    assert [c.get(url).status_code for _ in range(5)] == [200] * 5
    r = c.get(url)
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1 and r.json()[0]["code"] == 429
    x = c.get(f"{limited.url}{BASE}/requests/WPK-69-00001.xml")
    assert x.status_code == 429 and ET.fromstring(x.content).find("error/code").text == "429"
    assert c.get(url, headers=KEY).status_code == 200  # a partner is not limited
    assert client("127.0.0.10").get(url).status_code == 200  # another client is not affected


def test_forwarded_for_is_believed_from_trusted_proxies_only_and_ipv6_counts_by_64(limited):
    url = f"{limited.url}{BASE}/services.json"
    proxy = client("127.0.0.6")  # inside trusted_proxies

    def via(address: str) -> int:
        return proxy.get(url, headers={"x-forwarded-for": address}).status_code

    # five addresses of one /64 share one allowance; the next /64 has its own
    assert [via(f"2001:db8:1:2::{i:x}") for i in range(1, 6)] == [200] * 5
    assert via("2001:db8:1:2:ffff:ffff:ffff:ffff") == 429
    assert via("2001:db8:1:3::1") == 200
    assert via("203.0.113.7") == 200  # the proxy itself is not what is counted

    untrusted = client("127.0.0.12")  # outside: its X-Forwarded-For is ignored
    codes = [untrusted.get(url, headers={"x-forwarded-for": f"198.51.100.{i}"}).status_code for i in range(6)]
    assert codes == [200] * 5 + [429]
