"""The test town: a few hundred people with realistic Thai names (kiosk.services.demo) plus the
people the search tests look for by name: spelling variants, 2-character names, a name stored
without its tone marks, a 0-prefixed national ID, known phones, and a few cases."""

from __future__ import annotations

from dataclasses import dataclass

from db.connection import write_transaction
from db.models import Organization
from kiosk.services import people
from kiosk.services.cases import CaseData, create_case
from kiosk.services.demo import fake_people
from kiosk.services.people import PersonData
from kiosk.thai.ids import check_digit


def national_id(first12: str) -> str:
    return first12 + str(check_digit(first12))


KNOWN = {
    "natthaphon": PersonData("ณัฐพล", "ศรีสุขเจริญ", "นาย", "national_id", national_id("110170020345"),
                             phone="+66812345678", moo=3, village="บ้านสันผักฮี้", subdistrict_code="570906"),
    "boonmee": PersonData("บุญมี", "แก้วประเสริฐ", "นาง", "national_id", national_id("051025862890"),
                          phone="+66531234567", moo=9, village="บ้านดอยเวา", subdistrict_code="570906"),
    "nok": PersonData("นก", "อินต๊ะวงศ์", "นางสาว", phone="+66899990001"),
    "da": PersonData("ดา", "ปู่คำ", "นาง"),
    "untoned": PersonData("สมศรี", "แกวประเสริฐ", "นาง"),  # typed without the tone mark
    "passport": PersonData("Aung", "Min Thu", "", "passport", "MA1234567", phone="+959123456789"),
}


@dataclass
class Town:
    ids: dict[str, int]  # KNOWN key → person id
    cases: dict[str, tuple[int, str]]  # label → (case id, ticket)


def build_town(n_random: int = 300) -> Town:
    org = Organization.get(Organization.ticket_prefix == "WPK")
    with write_transaction():  # one commit, not one per person
        for data in fake_people(n_random, seed=7):
            people.create(org, data)
        ids = {key: people.create(org, data).id for key, data in KNOWN.items()}
    cases = {}
    for label, description, requester in (
        ("flood", "น้ำป่าไหลหลากเข้าบ้าน ข้าวของเสียหาย", "boonmee"),
        ("bed", "ผู้ป่วยติดเตียง ต้องการแพมเพิสผู้ใหญ่และที่นอนลม", "nok"),
        ("flood2", "น้ำท่วมขังหน้าบ้านทุกครั้งที่ฝนตก", "da"),
    ):
        made = create_case("WPK", CaseData(category="flood", description=description), None, requester_id=ids[requester])
        cases[label] = (made.id, made.ticket_no)
    return Town(ids, cases)
