"""No page or API answer carries a person's name, ID, phone (in any format) or address, nor an
internal note — checked over every seeded case (300 fictional people plus a known one)."""

from __future__ import annotations

import re

import httpx

from kiosk.thai.addresses import Address, format_address_thai
from kiosk.thai.phones import format_phone_thai

from .conftest import INTERNAL
from .server import every_page

SEPARATORS = re.compile(r"[\s\-.()/]")


def person_strings(p: dict) -> list[str]:
    """What must never appear: names, document numbers, phones, addresses (as stored and as shown)."""
    out = [f"{p['first_name']} {p['last_name']}", f"{p['prefix']}{p['first_name']}", p["last_name"], p["first_name"]]
    if p["doc_number"]:
        d = p["doc_number"]
        out += [d, f"{d[0]}-{d[1:5]}-{d[5:10]}-{d[10:12]}-{d[12]}"]
    if p["phone"]:
        national = "0" + p["phone"][3:]
        out += [p["phone"], national, format_phone_thai(p["phone"]), p["phone"][1:]]
    if p["village"]:
        out.append(p["village"])
    if p["house_no"]:
        out.append(format_address_thai(Address(p["house_no"], p["moo"], p["village"], subdistrict_code=p["subdistrict_code"])))
        out.append(f"{p['house_no']} หมู่ที่ {p['moo']}")
    return [s for s in out if s]


def digits_only_forms(p: dict) -> list[str]:
    """Numbers compared after removing separators, so "081 234 5678" or "1-2345-..." count too."""
    out = [p["doc_number"]] if p["doc_number"] else []
    if p["phone"]:
        out += ["0" + p["phone"][3:], p["phone"][1:]]
    return out


def answers(server) -> list[tuple[str, str]]:
    cases = server.seeded["cases"]
    with httpx.Client(base_url=server.url) as client:
        got = [(f"/t/{c['token']}", client.get(f"/t/{c['token']}").text) for c in cases]
        got += [(f"/t/{c['token']}?lang=en", client.get(f"/t/{c['token']}", params={"lang": "en"}).text)
                for c in cases[:20]]
        for fmt in ("json", "xml"):
            got += [(f"requests.{fmt} page {i}", r.text)
                    for i, r in enumerate(every_page(f"{server.url}/open311/v2/requests.{fmt}", {"page_size": "100"}), 1)]
            got += [(f"requests/{c['ticket_no']}.{fmt}", client.get(f"/open311/v2/requests/{c['ticket_no']}.{fmt}").text)
                    for c in cases[:50]]
        got.append(("short code", client.post("/track", data={"ticket": cases[0]["short_code"]},
                                               headers={"x-forwarded-for": "10.9.9.9"}).text))
    return got


def test_no_person_data_or_internal_note_in_any_answer(server):
    people = server.seeded["people"]
    assert len(people) > 300
    everything = answers(server)
    assert all(len(text) > 60 for _, text in everything)
    blob = "\x00".join(text for _, text in everything)  # one search per string, not one per page
    collapsed = SEPARATORS.sub("", blob)
    found = {s for p in people for s in person_strings(p) if s in blob}
    found |= {n for p in people for n in digits_only_forms(p) if n in collapsed}
    if INTERNAL in blob:
        found.add(INTERNAL)
    leaks = [(where, s) for where, text in everything for s in found if s in text or s in SEPARATORS.sub("", text)]
    assert leaks == []


def test_the_check_would_see_a_leak(server):
    """The checker itself is not blind: a page carrying a person's data is caught."""
    p = next(p for p in server.seeded["people"] if p["phone"] and p["doc_number"])
    national = "0" + p["phone"][3:]
    fake_page = f"<p>{national[:3]} {national[3:6]} {national[6:]}</p><p>{p['first_name']} {p['last_name']}</p>"
    assert any(n in SEPARATORS.sub("", fake_page) for n in digits_only_forms(p))
    assert any(s in fake_page for s in person_strings(p))
