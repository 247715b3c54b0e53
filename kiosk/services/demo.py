"""Realistic sample data for trying the program out (`kiosk.py demo`) and for benchmarks.
Everything made here is fictional; names are common Thai names combined at random."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

from db.connection import write_transaction
from db.models import Case, CaseEvent, Household, HouseholdMember, Organization, Staff, SurveyRecord, utcnow
from db.reference import CATEGORIES

from ..thai.dates import age_on
from ..thai.ids import check_digit
from . import staff as staff_service
from .cases import CaseData, create_case
from .people import PersonData

FIRST_NAMES = ("สมชาย", "สมศรี", "บุญมี", "บุญเรือง", "ประเสริฐ", "มาลี", "ณัฐพล", "นัท", "สุดารัตน์", "วิไล",
               "จันทร์เพ็ญ", "ทองดี", "คำแสน", "แสงเดือน", "อำไพ", "ศรีนวล", "สุริยา", "ปัญญา", "อรุณี", "นงลักษณ์",
               "ชัยวัฒน์", "กาญจนา", "พรทิพย์", "ธนากร", "วันเพ็ญ", "ยุพิน", "อินทร์", "คำปัน", "บัวผัน", "จำปี",
               "แก้ว", "เกษม", "สายทอง", "ดวงใจ", "ละเอียด", "สมบูรณ์", "อนุชา", "ศิริพร", "นิภา", "ทวี")
FEMALE_NAMES = frozenset(("สมศรี", "มาลี", "สุดารัตน์", "วิไล", "จันทร์เพ็ญ", "แสงเดือน", "อำไพ", "ศรีนวล", "อรุณี",
                          "นงลักษณ์", "กาญจนา", "พรทิพย์", "วันเพ็ญ", "ยุพิน", "บัวผัน", "จำปี", "สายทอง", "ดวงใจ",
                          "ละเอียด", "ศิริพร", "นิภา"))
UNISEX_NAMES = frozenset(("บุญมี", "นัท", "แก้ว"))  # either prefix fits
LAST_NAMES = ("ใจดี", "แก้วมณี", "ศรีสุข", "บุญมา", "คำมูล", "อินต๊ะ", "ปัญญาวงค์", "จันทร์แก้ว", "สุขเกษม", "ทองคำ",
              "วงศ์ใหญ่", "แสนคำ", "ยะอินทร์", "กันทะวงศ์", "ปิงเมือง", "ศรีวิชัย", "มณีวรรณ", "พรหมมา", "ไชยวงค์",
              "คำภีระ", "อุ่นเรือน", "ธรรมวงค์", "จินะ", "สุริยะ", "นันทะ", "เรือนคำ", "ปันแก้ว", "ดวงดี", "หน่อคำ")
VILLAGES = ("บ้านเวียงพางคำ", "บ้านป่ายางหลวง", "บ้านสันผักฮี้", "บ้านไม้ลุงขน", "บ้านเหมืองแดง", "บ้านถ้ำผาจม",
            "บ้านสันทราย", "บ้านป่าแดง", "บ้านดอยเวา", "บ้านเกาะทราย")
DESCRIPTIONS = {
    "flood": "น้ำป่าไหลหลากเข้าบ้าน ข้าวของเสียหาย ที่นอนและเครื่องครัวจมน้ำ",
    "storm": "พายุพัดหลังคาบ้านปลิว ฝนรั่วเข้าบ้านทั้งหลัง",
    "fire": "ไฟไหม้ครัวหลังบ้าน ต้องการวัสดุซ่อมแซม",
    "elderly": "ผู้สูงอายุอยู่ลำพัง ไม่มีผู้ดูแล รายได้ไม่พอค่าอาหาร",
    "disability": "คนพิการทางการเคลื่อนไหว ต้องการรถเข็นและราวจับในห้องน้ำ",
    "bedbound_patient": "ผู้ป่วยติดเตียง ต้องการแพมเพิสผู้ใหญ่และที่นอนลม",
    "low_income": "ครอบครัวรายได้น้อย ลูกสามคนกำลังเรียน ขาดค่าใช้จ่ายจำเป็น",
    "home_repair": "บ้านไม้ผุพัง พื้นทรุด ไม่ปลอดภัยสำหรับเด็ก",
    "survival_bag": "ตกงานจากโรงงานปิด ขอถุงยังชีพ",
    "human_disease": "ป่วยไข้เลือดออกทั้งครอบครัว ขาดรายได้ระหว่างรักษา",
    "info_advice": "สอบถามสิทธิเบี้ยยังชีพผู้สูงอายุและเอกสารที่ต้องใช้",
    "complaint_report": "ท่อระบายน้ำอุดตันหน้าบ้าน น้ำท่วมขังทุกครั้งที่ฝนตก",
}
# what was asked, and what was handed over when help was delivered (baht within the sample's limits)
HELP = {
    "flood": ("ถุงยังชีพและค่าซ่อมแซมบ้าน", (2000, 5000), "ถุงยังชีพ 1 ชุด น้ำดื่ม 2 แพ็ค"),
    "storm": ("สังกะสีมุงหลังคา", (3000, 5000), "สังกะสี 20 แผ่น"),
    "fire": ("วัสดุซ่อมแซมครัว", (3000,), "ไม้อัด 10 แผ่น ตะปู 2 กก."),
    "elderly": ("เงินค่าอาหารและถุงยังชีพ", (1000, 2000, 3000), "ข้าวสาร 5 กก. ถุงยังชีพ 1 ชุด"),
    "disability": ("รถเข็นและราวจับ", (3000,), "รถเข็นคนพิการ 1 คัน"),
    "bedbound_patient": ("แพมเพิสผู้ใหญ่และที่นอนลม", (2000, 3000), "แพมเพิสผู้ใหญ่ 3 ห่อ"),
    "low_income": ("ค่าใช้จ่ายจำเป็นของบุตร", (1000, 2000, 3000), ""),
    "home_repair": ("วัสดุซ่อมพื้นบ้าน", (3000,), "ไม้พื้น 15 แผ่น"),
    "survival_bag": ("ถุงยังชีพ", (), "ถุงยังชีพ 1 ชุด"),
    "human_disease": ("ค่าครองชีพระหว่างรักษาตัว", (2000, 3000), ""),
}
DEMO_STAFF = (("admin", "admin", "ผู้ดูแลระบบ ตัวอย่าง", "demo-admin-2569", "602569"),
              ("supervisor", "supervisor", "หัวหน้าศูนย์ ตัวอย่าง", "demo-super-2569", "481357"),
              ("officer", "officer", "เจ้าหน้าที่ ตัวอย่าง", "demo-officer-2569", "735124"),
              ("volunteer", "volunteer", "อาสาสมัคร ตัวอย่าง", "demo-volunteer-2569", None))


def fake_person(rng: random.Random, subdistrict_code: str = "570906") -> PersonData:
    first12 = str(rng.choice((1, 3, 5, 8, 0))) + "".join(str(rng.randrange(10)) for _ in range(11))
    has_id = rng.random() < 0.85
    prefix, first_name = rng.choice(("นาย", "นาง", "นางสาว")), rng.choice(FIRST_NAMES)
    return PersonData(
        prefix=fitting_prefix(prefix, first_name),
        first_name=first_name, last_name=rng.choice(LAST_NAMES),
        doc_type="national_id" if has_id else rng.choice(("pink_card", "none")),
        doc_number=first12 + str(check_digit(first12)) if has_id else "",
        birth_date=date(rng.randrange(1935, 2005), rng.randrange(1, 13), rng.randrange(1, 29)),
        phone=f"+668{rng.randrange(10_000_000, 99_999_999)}" if rng.random() < 0.8 else "",
        house_no=f"{rng.randrange(1, 300)}" + (f"/{rng.randrange(1, 9)}" if rng.random() < 0.3 else ""),
        moo=(moo := rng.randrange(1, len(VILLAGES) + 1)), village=VILLAGES[moo - 1],
        subdistrict_code=subdistrict_code)


def fitting_prefix(prefix: str, first_name: str) -> str:
    """A prefix that fits the name: a woman's name is never นาย, a man's never นาง/นางสาว (the
    draw itself is kept, so the rest of the sample data stays as it was)."""
    if first_name in UNISEX_NAMES:
        return prefix
    if first_name in FEMALE_NAMES:
        return "นาง" if prefix == "นาย" else prefix
    return "นาย"


def fake_people(n: int, seed: int = 2569) -> Iterator[PersonData]:
    rng = random.Random(seed)
    for _ in range(n):
        yield fake_person(rng)


def ensure_demo_staff() -> list[tuple[str, str, str | None]]:
    """Create the demo accounts that do not exist yet; returns (username, password, pin) of
    those created now (an existing account, perhaps with a changed password, is left alone)."""
    system = staff_service.Actor(0, "demo", "", "admin", "cli")
    made = []
    for username, role, name, password, pin in DEMO_STAFF:
        if not Staff.select().where(Staff.username == username).exists():
            staff_service.create_staff(username, password, role, name, by=system, pin=pin)
            made.append((username, password, pin))
    return made


def step_details(after: str, category: str, rng: random.Random, when: date) -> dict:
    """The timeline event of a demo case reaching `after`: the workflow's own step where it has
    one (the field check, the committee's approval, help delivered with its amount and items),
    so the agenda, the voucher and the limits can be tried; a plain status change otherwise."""
    _asked, amounts, items = HELP.get(category, ("", (), ""))
    if after == "awaiting_committee":
        return dict(action="record_field_check", internal_note="demo: ตรวจสอบแล้ว เดือดร้อนจริง",
                    data=json.dumps({"visited_on": when.isoformat()}))
    if after == "approved":
        return dict(action="approve", public_note="demo: คณะกรรมการอนุมัติ",
                    data=json.dumps({"meeting_no": f"{when.month}/{when.year + 543}", "meeting_date": when.isoformat()}))
    if after == "helped" and (amounts or items):
        amount = Decimal(rng.choice(amounts)) if amounts else None
        data = {"amount": str(amount)} if amount else {}
        return dict(action="deliver", public_note="demo: มอบความช่วยเหลือแล้ว", amount=amount,
                    data=json.dumps(data | ({"items": items} if items else {}), ensure_ascii=False))
    return dict(action="status", public_note=f"demo: {after}")


def has_cases() -> bool:
    """Does the database hold any case (then `demo` adds none unless asked)?"""
    return Case.select().exists()


def fill(org_prefix: str, n_cases: int = 60, seed: int = 2569, spread_days: int = 0) -> int:
    """Add `n_cases` fictional requests with some history. Returns how many were added. With
    `spread_days` (`kiosk.py demo`: a year) each is moved back to a day of that many past."""
    rng = random.Random(seed + Case.select().count())
    subtypes = [s for area, (_b, subs) in CATEGORIES.items() for s in subs if s in DESCRIPTIONS]
    progress = ("received", "more_info", "field_check", "awaiting_committee", "approved", "helped", "closed")
    officer = Staff.get_or_none(Staff.username == "officer")
    for i in range(n_cases):
        sub = rng.choice(subtypes)
        data = CaseData(category=sub, channel=rng.choice(("counter", "counter", "phone", "line")),
                        description=DESCRIPTIONS[sub], household_size=rng.randrange(1, 8),
                        help_requested=HELP.get(sub, ("",))[0],
                        urgency=rng.choice(("normal", "normal", "urgent")),
                        occurred_on=date.today() - timedelta(days=rng.randrange(0, 60)))
        created = create_case(org_prefix, data, fake_person(rng))
        # every fifth case waits for the committee (the agenda has some), the others anywhere
        steps = progress.index("awaiting_committee") if i % 5 == 4 else rng.randrange(0, len(progress))
        with write_transaction():
            for before, after in zip(progress[:steps], progress[1:steps + 1]):
                CaseEvent.create(case=created.id, actor=officer, from_status=before, to_status=after, at=utcnow(),
                                 **step_details(after, sub, rng, date.today()))
            if steps:
                Case.update(status=progress[steps], version=Case.version + steps).where(Case.id == created.id).execute()
            if spread_days:  # after the case's own draws: the same seed makes the same cases either way
                _back_to(created.id, utcnow() - timedelta(days=rng.randrange(0, spread_days), hours=rng.randrange(24)))
    return n_cases


def _back_to(case_id: int, when: date) -> None:
    """Move a sample case back to `when` (a naive-UTC datetime), its timeline a step every few days after (never past now),
    so the INFO dashboard, its chart and the monthly report have a year to show (the day it happened
    moves with it)."""
    now = utcnow()
    at = when
    for i, (event_id,) in enumerate(CaseEvent.select(CaseEvent.id).where(CaseEvent.case == case_id)
                                    .order_by(CaseEvent.id).tuples()):
        at = min(when + timedelta(days=3 * i, hours=i), now)
        CaseEvent.update(at=at).where(CaseEvent.id == event_id).execute()
    Case.update(created_at=when, updated_at=at, occurred_on=(when - timedelta(days=case_id % 7)).date()).where(
        Case.id == case_id).execute()


def has_surveys() -> bool:
    return SurveyRecord.select().exists()


def _survey_flags(rng: random.Random, member: PersonData, on: date) -> tuple[str, ...]:
    """Vulnerabilities a real survey could find in this person: elderly from the birth date, the
    bedridden among the old, pregnancy among women of an age to be, never a child's flag for an adult."""
    from .intake import DISABILITIES
    from .survey_rows import ELDERLY_AGE, VULNERABILITIES

    age = age_on(member.birth_date, on)
    pool = ["low_income"] * 3 + ["chronic_illness"] * 2 + ["other", rng.choice(DISABILITIES)]
    if age >= ELDERLY_AGE:
        pool += ["bedbound"] * 4 + ["chronic_illness"] * 2
    if member.prefix in ("นาง", "นางสาว") and 18 <= age <= 45:
        pool.append("pregnant")
    flags = set(rng.sample(pool, rng.randrange(0, 3)))
    if age >= ELDERLY_AGE:
        flags.add("elderly")
    return tuple(v for v in VULNERABILITIES if v in flags)


def fill_surveys(org_prefix: str, n_households: int = 15, seed: int = 2569) -> int:
    """Fictional field-survey households (one to three members each) visited over the last 12
    months. Returns how many survey records were added."""
    from dataclasses import replace

    from .intake import BASIS_PUBLIC_TASK, BASIS_WITH_CONSENT, HEALTH
    from .people import create as create_person
    from .survey_rows import LIVING_SITUATIONS

    rng = random.Random(seed + SurveyRecord.select().count())
    org = Organization.get(Organization.ticket_prefix == org_prefix)
    officer = Staff.get_or_none(Staff.username == "officer")
    made = 0
    with write_transaction():
        for _ in range(n_households):
            on = (utcnow() - timedelta(days=rng.randrange(0, 365))).date()
            first = fake_person(rng, org.subdistrict_code)
            home = Household.create(organization=org, house_no=first.house_no, moo=first.moo, village=first.village,
                                    subdistrict_code=first.subdistrict_code)
            for member in [first] + [fake_person(rng, org.subdistrict_code) for _ in range(rng.randrange(0, 3))]:
                person = create_person(org, replace(member, house_no=first.house_no, moo=first.moo,
                                                    village=first.village))
                HouseholdMember.create(household=home, person=person)
                flags = _survey_flags(rng, member, on)
                sensitive = bool(set(flags) & set(HEALTH))  # health data is kept with explicit consent only
                SurveyRecord.create(organization=org, person=person, household=home, surveyor=officer,
                                    team=f"อสม. หมู่ {first.moo}", surveyed_on=on, vulnerabilities=",".join(flags),
                                    consent=sensitive, legal_basis=BASIS_WITH_CONSENT if sensitive else BASIS_PUBLIC_TASK,
                                    living_situation=rng.choice(LIVING_SITUATIONS))
                made += 1
    return made
