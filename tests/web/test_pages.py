"""The citizen's pages, against the real server: status page, /track, 404s, headers, rate limit."""

from __future__ import annotations

import re

import httpx

from kiosk.i18n import translate

from .conftest import KNOWN_PHONE


def from_address(ip: str) -> httpx.Client:
    """A client connecting from another loopback address: the limiter sees another client."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=ip))


def test_status_page_shows_ticket_category_status_timeline_and_contact(server):
    known = server.seeded["known"]
    r = httpx.get(f"{server.url}/t/{known.token}")
    assert r.status_code == 200
    html = r.text
    assert known.ticket_no in html
    assert translate("category.flood", "th") in html
    assert f'id="status">{translate("status.received", "th")}<' in html
    assert translate("public_case.next_received", "th") in html
    assert "รับเรื่องที่เคาน์เตอร์" in html  # the public note
    assert re.search(r"\d{1,2} [ก-๙]+ 25\d\d \d\d:\d\d น\.", html)  # a Buddhist-Era date
    assert "053-000-000" in html and "08:30–16:30" in html and "จังหวัดเชียงราย 57130" in html
    assert '<html lang="th">' in html and 'href="?lang=en"' in html  # same page, other language


def test_english_toggle(server):
    known = server.seeded["known"]
    html = httpx.get(f"{server.url}/t/{known.token}", params={"lang": "en"}).text
    assert '<html lang="en">' in html and ">Received<" in html and "What happens next" in html
    assert "Chiang Rai" in html


def test_security_headers_on_every_kind_of_answer(server):
    known = server.seeded["known"]
    for path in (f"/t/{known.token}", "/t/unknown-token-xyz", "/track", "/open311/v2/services.json",
                 "/openapi.json", "/static/site.css", "/no/such/page"):
        h = httpx.get(server.url + path).headers
        assert h["content-security-policy"].startswith("default-src 'self'"), path
        assert h["referrer-policy"] == "no-referrer", path
        assert h["x-content-type-options"] == "nosniff", path
        assert h["cache-control"] == ("public, max-age=86400" if path.startswith("/static/") else "no-store"), path


def test_page_uses_only_its_own_assets(server):
    html = httpx.get(f"{server.url}/t/{server.seeded['known'].token}").text
    refs = re.findall(r'(?:href|src)="([^"]+)"', html)
    assert refs and all(r.startswith(("/", "tel:", "?lang=")) for r in refs), refs
    assert httpx.get(server.url + "/static/favicon.svg").headers["content-type"].startswith("image/svg+xml")
    css = httpx.get(server.url + "/static/site.css").text
    assert "Sarabun" in css and "@import" not in css and "url(" not in css


def test_language_link_never_leaves_the_site(server):
    """A path like //evil.example/x must not become a link to another site on our 404 page."""
    html = httpx.get(f"{server.url}//evil.example/x").text
    assert "evil.example" not in html


def test_unknown_token_is_a_friendly_404_that_reveals_nothing(server):
    a = httpx.get(f"{server.url}/t/AAAAAAAAAAAAAAAAAAAA")
    b = httpx.get(f"{server.url}/t/{'x' * 200}")
    c = httpx.get(f"{server.url}/no/such/page")
    assert a.status_code == b.status_code == c.status_code == 404
    assert translate("web.not_found_title", "th") in a.text
    strip = lambda r: r.text.replace("AAAAAAAAAAAAAAAAAAAA", "").replace("x" * 200, "")  # noqa: E731
    assert strip(a).replace("/t/?", "") == strip(b).replace("/t/?", "")  # same page whatever the token
    assert "Traceback" not in a.text and "WPK-" not in a.text


def test_track_by_ticket_and_last4(server):
    known = server.seeded["known"]
    r = httpx.post(f"{server.url}/track", data={"ticket": known.ticket_no.lower().replace("-", " "),
                                                 "last4": KNOWN_PHONE[-4:]})
    assert r.status_code == 200 and known.ticket_no in r.text and translate("status.received", "th") in r.text
    assert KNOWN_PHONE[-4:] not in r.text  # never echoed


def test_track_wrong_digits_and_unknown_ticket_answer_alike(server):
    known = server.seeded["known"]
    client = from_address("127.0.0.3")
    wrong = client.post(f"{server.url}/track", data={"ticket": known.ticket_no, "last4": "0000"})
    unknown = client.post(f"{server.url}/track", data={"ticket": "WPK-69-99999", "last4": "0000"})
    assert wrong.status_code == unknown.status_code == 404
    assert translate("public_case.not_found", "th") in wrong.text
    assert wrong.text.replace(known.ticket_no, "T") == unknown.text.replace("WPK-69-99999", "T")


def test_track_by_short_code_and_bad_format(server):
    case = server.seeded["cases"][0]
    r = httpx.post(f"{server.url}/track", data={"ticket": case["short_code"].lower()})
    assert r.status_code == 200 and case["ticket_no"] in r.text
    bad = httpx.post(f"{server.url}/track", data={"ticket": "hello", "last4": "12"})
    assert bad.status_code == 400 and translate("public_case.ticket_format", "th") in bad.text


def test_track_is_rate_limited_per_client_address(server):
    """Ten lookups per ten minutes from one address; the eleventh gets a clear Thai message.
    Another address is not affected."""
    limited = from_address("127.0.0.9")
    for _ in range(10):
        assert limited.post(f"{server.url}/track", data={"ticket": "WPK-69-99999", "last4": "1234"}).status_code == 404
    r = limited.post(f"{server.url}/track", data={"ticket": "WPK-69-99999", "last4": "1234"})
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    assert "ลองค้นหาหลายครั้งเกินไป" in r.text
    other = from_address("127.0.0.10")
    assert other.post(f"{server.url}/track", data={"ticket": "WPK-69-99999", "last4": "1234"}).status_code == 404


def test_home_and_track_form(server):
    for path in ("/", "/track"):
        r = httpx.get(server.url + path)
        assert r.status_code == 200 and 'name="ticket"' in r.text and 'name="last4"' in r.text
