"""Realistic sample data for trying the program out (`kiosk.py demo`) and for benchmarks.
Everything made here is fictional; names are common Thai names combined at random."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

from db.connection import write_transaction
from db.models import Case, CaseEvent, Staff, utcnow
from db.reference import CATEGORIES

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


def has_cases() -> bool:
    """Does the database hold any case (then `demo` adds none unless asked)?"""
    return Case.select().exists()


def fill(org_prefix: str, n_cases: int = 60, seed: int = 2569) -> int:
    """Add `n_cases` fictional requests with some history. Returns how many were added."""
    rng = random.Random(seed + Case.select().count())
    subtypes = [s for area, (_b, subs) in CATEGORIES.items() for s in subs if s in DESCRIPTIONS]
    progress = ("received", "more_info", "field_check", "awaiting_committee", "approved", "helped", "closed")
    officer = Staff.get_or_none(Staff.username == "officer")
    for _ in range(n_cases):
        sub = rng.choice(subtypes)
        data = CaseData(category=sub, channel=rng.choice(("counter", "counter", "phone", "line")),
                        description=DESCRIPTIONS[sub], household_size=rng.randrange(1, 8),
                        urgency=rng.choice(("normal", "normal", "urgent")),
                        occurred_on=date.today() - timedelta(days=rng.randrange(0, 60)))
        created = create_case(org_prefix, data, fake_person(rng))
        steps = rng.randrange(0, len(progress))
        with write_transaction():
            for before, after in zip(progress[:steps], progress[1:steps + 1]):
                CaseEvent.create(case=created.id, actor=officer, action="status", from_status=before, to_status=after,
                                 public_note=f"demo: {after}", at=utcnow())
            if steps:
                Case.update(status=progress[steps], version=Case.version + steps).where(Case.id == created.id).execute()
    return n_cases
