"""Paperwork fixtures: cases at the step a form needs, with the people on them fictional."""

from __future__ import annotations

from datetime import date

from db.models import Case
from kiosk.services.cases import CaseData, create_case
from kiosk.services.people import PersonData

BUNMEE = PersonData(prefix="นาง", first_name="บุญมี", last_name="ใจดี", doc_type="national_id",
                    doc_number="1101700230708", birth_date=date(1950, 3, 14), phone="+66812345678", house_no="12/3",
                    moo=3, village="บ้านสันทราย", subdistrict_code="570906")


def person(first: str = "บุญมี", last: str = "ใจดี", house_no: str = "12/3", prefix: str = "นาง") -> PersonData:
    return PersonData(prefix=prefix, first_name=first, last_name=last, doc_type="none", house_no=house_no, moo=3,
                      village="บ้านสันทราย", subdistrict_code="570906")


def new_case(category: str = "elderly", who: PersonData | None = None, status: str | None = None,
             description: str = "ผู้สูงอายุอยู่ลำพัง ไม่มีผู้ดูแล รายได้ไม่พอค่าอาหาร", help_requested: str = "ถุงยังชีพและเงินค่าอาหาร",
             subject: PersonData | None = None) -> int:
    data = CaseData(category=category, description=description, help_requested=help_requested,
                    sensitive_consent=True, vulnerabilities=("elderly", "no_caregiver"), household_size=2,
                    occurred_on=date(2026, 11, 20), relationship="child" if subject else "")
    cid = create_case("WPK", data, who or BUNMEE, subject).id
    if status:
        Case.update(status=status).where(Case.id == cid).execute()
    return cid


def version(case_id: int) -> int:
    return Case.get_by_id(case_id).version
