"""The staff queue's search: cases by description words (with or without tone marks), by ticket
number, and by the requester's name, ID or phone; newest first."""

from __future__ import annotations

from kiosk.services import search

from .town import KNOWN


def test_finds_cases_by_description_ticket_and_person(town):
    flood, bed, flood2 = (town.cases[k][0] for k in ("flood", "bed", "flood2"))
    expected = {
        "น้ำป่า": [flood],
        "นำปา": [flood],  # no tone marks
        "ไหลหลาก ข้าวของ": [flood],
        "แพมเพิส": [bed],
        "ที่นอนลม": [bed],
        "ติดเตียง": [bed],
        "น้ำท่วม": [flood2],
        "หน้าบ้าน": [flood2],
        town.cases["bed"][1]: [bed],  # ticket WPK-69-0000n
        town.cases["bed"][1].lower(): [bed],
        "บุนมี": [flood],  # requester's name, misspelt
        "นก": [bed],
        KNOWN["boonmee"].doc_number: [flood],
        "053-123-456": [flood],
        "บ้าน": [flood2, flood],  # newest first
        "ไม่มีคำนี้เลย": [],
    }
    got = {q: search.case_ids_matching(q) for q in expected}
    assert got == expected


def test_case_limit(town):
    assert len(search.case_ids_matching("wpk-", limit=2)) == 2
    assert search.case_ids_matching("wpk-", limit=0) == []


def test_reindex_case_follows_a_change(town):
    from db.models import Case

    cid = town.cases["bed"][0]
    Case.update(description="หลังคารั่ว").where(Case.id == cid).execute()
    search.reindex_case(cid)
    assert search.case_ids_matching("หลังคา") == [cid]
    assert search.case_ids_matching("แพมเพิส") == []
