"""A small town for the retention and access tests: people past retention, people who must be
kept, a shared case, a merged-away record, survey records. Every personal value is distinctive,
so finding it anywhere in the database (or in an export) means it was kept.

Who is who:
- anan: old, every case ended long ago (a full committee path: field team, approval, 2,500 baht
  delivered with items), a survey long ago, and a duplicate record merged into him (own phone).
- pim: old requester of an ended case whose subject is bua (another person, name + house only).
- bua: the subject of pim's case, nothing else: past retention too.
- chai: an old case still open (received): kept.
- dao: an ended case, changed recently: kept.
- ek: requester of an old ended case, and subject of a recent open case filed by fon: kept.
- fon: requester of ek's open case: kept.
- kaew: old ended case, but surveyed recently: kept.
- lek: requester of an old ended case whose subject is mali; mali has an open case: lek goes,
  mali stays, and the shared case loses its text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from db.models import Case, CaseEvent, Organization, Person, SurveyRecord, utcnow
from db.search_index import fold
from kiosk.services import workflow
from kiosk.services.cases import CaseData, create_case
from kiosk.services.people import PersonData
from kiosk.services.staff import Actor
from kiosk.services.workflow import Step
from kiosk.thai.ids import check_digit

OLD_DAYS = 4000  # longer ago than the tests' retention (3,000 days)
RETENTION_DAYS = 3000


def nid(first12: str) -> str:
    return first12 + str(check_digit(first12))


PEOPLE = {
    "anan": PersonData("อนันต์ทดสอบ", "ศรีลบได้", "นาย", "national_id", nid("310170099001"), date(1951, 2, 3),
                       "+66810000101", "901/11", 3, "บ้านร่องลบ", "ซอยลบหนึ่ง", "ถนนลบสาย", "570906", 20.41, 99.88),
    "anan_dup": PersonData("อนันทดสอบ", "ศรีลบได้", "", "none", "", None, "+66810000102", "", 3, "", "", "",
                           "570906"),
    "pim": PersonData("พิมพ์ลบได้", "ใจงามลบ", "นาง", "passport", "PX7701234", date(1962, 4, 5), "+66810000201",
                      "902/22", 4, "บ้านห้วยลบ", "", "", "570906"),
    "bua": PersonData("บัวลบได้", "ใจงามลบ", "นาง", house_no="902/23", moo=4, subdistrict_code="570906"),
    "chai": PersonData("ชายเก็บไว้", "เปิดอยู่", "นาย", "national_id", nid("310170099003"), date(1970, 1, 2),
                       "+66810000301", "903/33", 5, "บ้านเก็บหนึ่ง", "", "", "570906"),
    "dao": PersonData("ดาวเก็บไว้", "ล่าสุด", "นางสาว", "national_id", nid("310170099004"), None, "+66810000401",
                      "904/44", 5, "", "", "", "570906"),
    "ek": PersonData("เอกเก็บไว้", "สองบทบาท", "นาย", "national_id", nid("310170099005"), None, "+66810000501",
                     "905/55", 6, "", "", "", "570906"),
    "fon": PersonData("ฝนเก็บไว้", "ผู้แจ้ง", "นาง", "national_id", nid("310170099006"), None, "+66810000601",
                      "906/66", 6, "", "", "", "570906"),
    "kaew": PersonData("แก้วเก็บไว้", "สำรวจใหม่", "นาง", "national_id", nid("310170099007"), None, "+66810000701",
                       "907/77", 7, "", "", "", "570906"),
    "lek": PersonData("เล็กลบได้", "ผู้แจ้งเก่า", "นาย", "national_id", nid("310170099008"), None, "+66810000801",
                      "908/88", 8, "", "", "", "570906"),
    "mali": PersonData("มะลิเก็บไว้", "ผู้ได้รับ", "นาง", "national_id", nid("310170099009"), None, "+66810000901",
                       "909/99", 8, "", "", "", "570906"),
}
PURGED = ("anan", "anan_dup", "pim", "bua", "lek")
KEPT = ("chai", "dao", "ek", "fon", "kaew", "mali")

# free text written about each person's cases: gone with them (or kept with them)
TEXT = {
    "anan": ["น้ำป่าพัดบ้านอนันต์ทดสอบเสียหายทั้งหลัง", "ขอไม้และสังกะสีลบได้", "ได้รับจากอำเภอลบได้",
             "โทรแจ้งอนันต์ทดสอบแล้วรอคณะกรรมการ", "ภรรยาอนันต์ทดสอบป่วยติดเตียงลับ", "ทีมอสม.ลบได้หมู่สาม",
             "ข้าวสารห้ากิโลลบได้", "สำรวจบ้านอนันต์ทดสอบพบหลังคาพังลบ"],
    "pim": ["พิมพ์ลบได้ขอความช่วยเหลือให้บัวลบได้ที่ป่วย"],
    "lek": ["เล็กลบได้แจ้งว่ามะลิเก็บไว้ไม่มีคนดูแลลบได้", "ส่งต่อพม.ลบได้"],
    "chai": ["ชายเก็บไว้แจ้งน้ำท่วมยังเปิดอยู่"],
    "dao": ["ดาวเก็บไว้ปิดเรื่องล่าสุด"],
    "ek": ["เอกเก็บไว้เรื่องเก่าปิดแล้ว", "ฝนเก็บไว้แจ้งแทนเอกเก็บไว้เรื่องใหม่"],
    "kaew": ["แก้วเก็บไว้เรื่องเก่า", "สำรวจใหม่แก้วเก็บไว้"],
    "mali": ["มะลิเก็บไว้เรื่องเปิดอยู่"],
}

DESCRIPTIONS = {TEXT[k][0] for k in TEXT} | {TEXT["ek"][1]}  # in the case search index, folded


@dataclass
class Town:
    ids: dict[str, int]
    cases: dict[str, int] = field(default_factory=dict)


def strings_of(key: str, index_forms: bool = True) -> list[str]:
    """Every personal string stored for this person: their fields, the text of their cases, and
    (index_forms) the forms the search index keeps: folded (no tone marks, lower case), the phone
    as 0…"""
    p = PEOPLE[key]
    indexed = index_forms and key != "anan_dup"  # stored directly, as a merge leaves it: no index row
    values = [p.first_name, p.last_name, p.doc_number, p.phone, "0" + p.phone[3:] if p.phone and indexed else "",
              p.house_no, p.village, p.soi, p.road, p.birth_date.isoformat() if p.birth_date else "",
              *([fold(f"{p.first_name} {p.last_name}"), fold(p.doc_number)] if indexed else []),
              *TEXT.get(key, []), *(fold(text) for text in TEXT.get(key, []) if indexed and text in DESCRIPTIONS)]
    return sorted({v for v in values if v})


def _age(case_id: int, days: int) -> None:
    """Move a case, its events and its people `days` into the past."""
    then = utcnow() - timedelta(days=days)
    case = Case.get_by_id(case_id)
    Case.update(created_at=then, updated_at=then).where(Case.id == case_id).execute()
    CaseEvent.update(at=then).where(CaseEvent.case == case_id).execute()
    Person.update(created_at=then, updated_at=then).where(
        Person.id.in_([case.requester_id, case.subject_id])).execute()


def build(officer: Actor, supervisor: Actor) -> Town:
    ids: dict[str, int] = {}

    def new(key: str, data: CaseData, subject: str | None = None, requester_known: bool = False) -> int:
        subject_data = PEOPLE[subject] if subject and subject not in ids else None
        made = create_case("WPK", data, None if requester_known else PEOPLE[key], subject_data,
                           requester_id=ids[key] if requester_known else None)
        case = Case.get_by_id(made.id)
        ids.setdefault(key, case.requester_id)
        if subject:
            if subject in ids:
                Case.update(subject=ids[subject]).where(Case.id == made.id).execute()
            else:
                ids[subject] = case.subject_id
        return made.id

    def step(case_id: int, actor: Actor, action: str, **fields) -> None:
        workflow.perform(actor, case_id, Step(action, Case.get_by_id(case_id).version, **fields))

    town = Town(ids)
    t = TEXT
    # anan: the whole committee path, 2,500 baht and items delivered
    a = town.cases["anan"] = new("anan", CaseData(
        category="flood", description=t["anan"][0], help_requested=t["anan"][1], help_received=t["anan"][2],
        latitude=20.41, longitude=99.88, household_size=4, vulnerabilities=("bedbound",)))
    step(a, officer, "note", public_note=t["anan"][3], internal_note=t["anan"][4])
    step(a, officer, "send_field", team=t["anan"][5])
    step(a, officer, "record_field_check", visited_on=date(2015, 1, 5), internal_note=t["anan"][7])
    step(a, supervisor, "approve", meeting_no="3/2558", meeting_date=date(2015, 1, 20), public_note="อนุมัติแล้ว")
    step(a, officer, "deliver", amount="2500", items=t["anan"][6], public_note="มอบแล้ว")
    _age(a, OLD_DAYS)
    dup = Person.create(organization=Organization.get(), first_name=PEOPLE["anan_dup"].first_name,
                        last_name=PEOPLE["anan_dup"].last_name, phone=PEOPLE["anan_dup"].phone, moo=3,
                        subdistrict_code="570906", merged_into=ids["anan"])
    ids["anan_dup"] = dup.id
    SurveyRecord.create(organization=Organization.get(), person=ids["anan"], surveyed_on=date(2015, 1, 5),
                        team="อสม.", needs="home_repair", notes=t["anan"][7], latitude=20.41, longitude=99.88,
                        created_at=utcnow() - timedelta(days=OLD_DAYS))

    p = town.cases["pim"] = new("pim", CaseData(category="bedbound_patient", description=t["pim"][0],
                                                relationship="relative"), subject="bua")
    step(p, officer, "close", public_note="ปิดเรื่อง")
    _age(p, OLD_DAYS)

    c = town.cases["chai"] = new("chai", CaseData(category="flood", description=t["chai"][0]))
    _age(c, OLD_DAYS)  # still "received"

    d = town.cases["dao"] = new("dao", CaseData(category="flood", description=t["dao"][0]))
    step(d, officer, "close", public_note="ปิดเรื่อง")
    _age(d, OLD_DAYS)
    Case.update(updated_at=utcnow() - timedelta(days=10)).where(Case.id == d).execute()  # reopened and closed lately

    e = town.cases["ek"] = new("ek", CaseData(category="flood", description=t["ek"][0]))
    step(e, officer, "close", public_note="ปิดเรื่อง")
    _age(e, OLD_DAYS)
    town.cases["fon"] = new("fon", CaseData(category="elderly", description=t["ek"][1], relationship="relative"),
                            subject="ek")

    k = town.cases["kaew"] = new("kaew", CaseData(category="flood", description=t["kaew"][0]))
    step(k, officer, "close", public_note="ปิดเรื่อง")
    _age(k, OLD_DAYS)
    SurveyRecord.create(organization=Organization.get(), person=ids["kaew"], surveyed_on=date.today(),
                        notes=t["kaew"][1])

    m = town.cases["mali"] = new("mali", CaseData(category="elderly", description=t["mali"][0]))
    town.cases["lek"] = lek = new("lek", CaseData(category="elderly", description=t["lek"][0]), subject="mali")
    step(lek, officer, "refer", refer_to="agency:msdhs", reason=t["lek"][1], public_note="ส่งต่อแล้ว",
         reply_due=date.today() + timedelta(days=7))
    step(lek, officer, "referral_reply", reply=t["lek"][1])
    _age(lek, OLD_DAYS)
    Person.update(updated_at=utcnow()).where(Person.id == ids["mali"]).execute()  # her own case is open
    assert Case.get_by_id(m).status_id == "received"
    return town
