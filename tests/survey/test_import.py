"""Importing a field survey spreadsheet (issue 13): a messy, realistic file — Thai and Arabic
digits, BE and CE dates, a spreadsheet date, stray spaces, a blank line, a repeated row, an
invalid ID, a name typed on the English keyboard layout, an unknown team — gives the expected
row-by-row report and imports nothing; once corrected it imports everything, household first;
importing it again adds nothing; a changed answer is a re-survey kept in the history."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from db.models import AuditLog, Household, HouseholdMember, Person, SurveyChange, SurveyRecord
from kiosk.errors import ValidationError
from kiosk.services import survey_sheet, surveys
from kiosk.services.staff import SYSTEM_ID, Actor
from kiosk.services.survey_rows import COLUMNS
from kiosk.thai.digits import to_thai_digits
from kiosk.thai.ids import check_digit, format_national_id
from tests.survey import sheet_rows

CLI = Actor(SYSTEM_ID, "cli", "", "admin", "cli")
TODAY = date(2026, 11, 26)
ORG = "WPK"


def nid(first12: str) -> str:
    return first12 + str(check_digit(first12))


SOMSRI, SOMCHAI, KAEW = nid("310170020345"), nid("110170020346"), nid("350060012345")
BAD_ID = KAEW[:-1] + str((int(KAEW[-1]) + 1) % 10)

# Headers as people leave them: "label (key)", the key alone, the Thai label alone.
HEADERS = [survey_sheet.header(c) for c in COLUMNS]
HEADERS[COLUMNS.index("surveyed_on")] = "surveyed_on"
HEADERS[COLUMNS.index("first_name")] = "ชื่อ"


def row(**cells) -> list:
    return [cells.get(c) for c in COLUMNS]


def messy_rows() -> list[list]:
    household_1 = dict(household_no="๑", house_no="๑๒ / ๓", moo="หมู่ ๓", village="บ้านสันทราย")
    return [
        row(**household_1, prefix="นาง", first_name="สมศรี", last_name="ใจดี",
            doc_number=to_thai_digits(format_national_id(SOMSRI)), birth_date="๕/๓/๒๔๘๐", phone="๐๘๑-๒๓๔-๕๖๗๘",
            vulnerabilities="bedbound, ผู้ป่วยโรคเรื้อรัง", needs="survival_bag", consent="ใช่",
            surveyed_on="20/11/2569", team="อสม. หมู่ 3", surveyor="สมหญิง รักดี", latitude=20.41, longitude=99.88),
        row(**household_1, first_name="นายสมชาย", last_name="ใจดี", doc_number=SOMCHAI,
            birth_date=datetime(1985, 6, 1), vulnerabilities="low_income", consent="yes",
            surveyed_on=datetime(2569, 11, 20), team="อสม. หมู่ 3"),  # a BE date the spreadsheet took for CE
        row(),
        row(household_no=2, house_no=45, moo=3, prefix="เด็กหญิง", first_name="  มะลิ ", last_name="ดวงดี",
            birth_date="1/1/2015", vulnerabilities="เด็กที่ไม่มีผู้ดูแล", living_situation="with_carer", consent=0,
            surveyed_on="  20/11/2569 "),
        row(**household_1, first_name="สมชาย", last_name="ใจดี", doc_number=SOMCHAI, consent="yes",
            surveyed_on="20/11/2569"),
        row(household_no="3", house_no="7", moo="5", first_name="แก้ว", last_name="มณี", doc_number=BAD_ID,
            needs="home_repair", surveyed_on="21/11/2569"),
        row(household_no="3", house_no="7", moo="5", first_name="l;ylfu", last_name="มณี", surveyed_on="21/11/2569"),
        row(household_no="4", house_no="9", moo="5", first_name="บุญมี", last_name="ศรีสุข", surveyed_on="21/11/2569",
            team="ทีมที่ไม่มี", living_situation="alone", note="บ้านริมน้ำ"),
    ]


def fixed_rows() -> list[list]:
    rows = messy_rows()
    del rows[4]  # the repeated row
    rows[4][COLUMNS.index("doc_number")] = KAEW
    rows[5][COLUMNS.index("first_name")] = "สวัสดี"
    rows[6][COLUMNS.index("team")] = None
    return rows


def write_xlsx(path: Path, rows: list[list]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for r in rows:
        sheet.append(r)
    book.save(path)
    return path


@pytest.fixture
def team(any_db):
    """The registered team, on SQLite and on PostgreSQL."""
    team_id = surveys.create_team(CLI, ORG, "อสม. หมู่ 3", "health_volunteer", "๓, 4")
    surveys.add_member(CLI, team_id, "สมหญิง  รักดี", phone="081-111-2222", moo="3")
    return team_id


def counts() -> tuple[int, ...]:
    return tuple(m.select().count() for m in (Household, HouseholdMember, Person, SurveyRecord, SurveyChange))


def run_import(path: Path) -> surveys.ImportReport:
    rows, issues = survey_sheet.read_rows(path)
    report = surveys.import_rows(CLI, ORG, rows, source=path.name, today=TODAY)
    report.issues[:0] = issues
    return report


def test_a_messy_file_is_reported_and_nothing_imported(team, tmp_path):
    before = counts()
    report = run_import(write_xlsx(tmp_path / "messy.xlsx", messy_rows()))
    assert not report.imported and report.rows == 7  # the blank line is not a row
    assert report.lines("th") == [
        "แถว 5 · วันเกิด (แจ้งให้ทราบ): ปี 2015 อ่านเป็น ค.ศ. คือ พ.ศ. 2558",
        "แถว 6 · ชื่อ: บุคคลเดียวกับแถว 3 ในครัวเรือนเดียวกัน (แถวซ้ำ)",
        "แถว 7 · เลขบัตรประชาชน/เอกสาร: เลขตรวจสอบ (หลักสุดท้าย) ไม่ถูกต้อง อาจพิมพ์ผิดบางหลัก กรุณาตรวจเลขกับบัตรอีกครั้ง",
        'แถว 8 · ชื่อ: น่าจะพิมพ์ภาษาไทยด้วยแป้นภาษาอังกฤษ หมายถึง "สวัสดี" ใช่หรือไม่',
        'แถว 9 · ทีมสำรวจ: ไม่พบทีมสำรวจชื่อ "ทีมที่ไม่มี" กรุณาลงทะเบียนทีมก่อน หรือแก้ชื่อให้ตรง',
        "ยังไม่ได้นำเข้าข้อมูลใด ๆ: พบข้อผิดพลาด 4 รายการใน 4 แถว แก้ไขไฟล์แล้วนำเข้าใหม่",
    ]
    assert report.lines("en")[-1] == "Nothing imported: 4 error(s) in 4 row(s). Correct the file and import it again"
    assert counts() == before
    assert not AuditLog.select().where(AuditLog.action == "survey_import").exists()


def test_the_corrected_file_imports_everything_once(team, tmp_path):
    path = write_xlsx(tmp_path / "fixed.xlsx", fixed_rows())
    report = run_import(path)
    assert report.imported, report.lines("en")
    assert (report.households_added, report.people_added, report.records_added) == (4, 6, 6)
    assert counts() == (4, 6, 6, 6, 0)

    somsri = Person.get(Person.doc_number == SOMSRI)
    assert (somsri.prefix, somsri.phone, somsri.birth_date, somsri.moo) == ("นาง", "+66812345678", date(1937, 3, 5), 3)
    record = SurveyRecord.get(SurveyRecord.person == somsri)
    assert record.vulnerabilities == "elderly,bedbound,chronic_illness"  # elderly from the birth date
    assert (record.needs, record.consent, record.legal_basis) == ("survival_bag", True, "public_task+explicit_consent")
    assert record.survey_team_id == team and record.surveyor_member.name == "สมหญิง รักดี"
    assert record.surveyed_on == date(2026, 11, 20) and record.surveyor_id is None  # the shell: no account
    household = record.household
    assert (household.house_no, household.moo, household.village) == ("12/3", 3, "บ้านสันทราย")
    assert (household.latitude, household.longitude, household.subdistrict_code) == (20.41, 99.88, "570906")
    somchai = Person.get(Person.doc_number == SOMCHAI)
    assert (somchai.prefix, somchai.first_name, somchai.birth_date) == ("นาย", "สมชาย", date(1985, 6, 1))
    assert {m.person_id for m in household.members} == {somsri.id, somchai.id}
    mali = Person.get(Person.first_name == "มะลิ")
    assert mali.birth_date == date(2015, 1, 1) and mali.doc_type == "none"
    assert SurveyRecord.get(SurveyRecord.person == mali).vulnerabilities == "child_no_caregiver"
    boonmee = SurveyRecord.get(SurveyRecord.notes == "บ้านริมน้ำ")
    assert (boonmee.survey_team_id, boonmee.team, boonmee.living_situation) == (None, "", "alone")
    audit = AuditLog.get(AuditLog.action == "survey_import")
    assert audit.actor == "cli" and "records_added=6" in audit.detail and "สมศรี" not in audit.detail

    again = run_import(path)
    assert again.imported and (again.households_added, again.people_added, again.records_added,
                                again.records_changed, again.unchanged) == (0, 0, 0, 0, 6)
    assert counts() == (4, 6, 6, 6, 0)


def test_a_resurvey_updates_and_keeps_the_history(team, tmp_path):
    run_import(write_xlsx(tmp_path / "first.xlsx", fixed_rows()))
    rows = fixed_rows()
    rows[0][COLUMNS.index("needs")] = "survival_bag, home_repair"
    rows[0][COLUMNS.index("surveyed_on")] = "25/11/2569"
    rows[0][COLUMNS.index("latitude")] = 20.42
    report = run_import(write_xlsx(tmp_path / "second.xlsx", rows))
    assert (report.records_changed, report.households_changed, report.unchanged) == (2, 1, 4)
    assert counts()[:4] == (4, 6, 6, 6)
    somsri = SurveyRecord.get(SurveyRecord.person == Person.get(Person.doc_number == SOMSRI))
    assert somsri.needs == "home_repair,survival_bag" and somsri.surveyed_on == date(2026, 11, 25)
    change = SurveyChange.get(SurveyChange.record == somsri.id)
    assert json.loads(change.changes) == {"surveyed_on": ["2026-11-20", "2026-11-25"],
                                          "needs": ["survival_bag", "home_repair,survival_bag"],
                                          "latitude": [20.41, 20.42]}
    assert change.actor == "cli"
    moved = SurveyChange.get(SurveyChange.record.is_null())
    assert json.loads(moved.changes) == {"latitude": [20.41, 20.42]}


def test_csv_with_bom_imports_like_xlsx(team, tmp_path):
    import csv

    path = tmp_path / "survey.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(HEADERS)
        for r in fixed_rows():
            out.writerow(["" if v is None else v.strftime("%d/%m/%Y") if isinstance(v, datetime) else v for v in r])
    report = run_import(path)
    assert report.imported, report.lines("en")
    # the CE birth dates (the spreadsheet's 1985, the typed 2015) come back with a note each
    assert [(i.line, i.key) for i in report.issues] == [(3, "survey.ce_year_read"), (5, "survey.ce_year_read")]
    assert counts() == (4, 6, 6, 6, 0)


def test_headers_missing_or_unknown(db, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("ชื่อ,นามสกุล\nสมศรี,ใจดี\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        survey_sheet.read_rows(path)
    assert err.value.key == "survey.header_missing" and "household_no" in err.value.params["columns"]
    path.write_text("household_no,First name,surveyed_on,สีบ้าน\n1,สมศรี,1/1/2569,ฟ้า\n", encoding="utf-8")
    rows, issues = survey_sheet.read_rows(path)
    assert list(rows) == [(2, {"household_no": "1", "first_name": "สมศรี", "surveyed_on": "1/1/2569"})]
    assert [i.text("th") for i in issues] == ['แถว 1 · สีบ้าน (แจ้งให้ทราบ): ไม่รู้จักคอลัมน์ "สีบ้าน" จะไม่นำเข้าคอลัมน์นี้']
    with pytest.raises(ValidationError) as err:
        survey_sheet.read_rows(tmp_path / "survey.ods")
    assert err.value.key == "survey.file_kind"


def test_someone_who_may_be_on_file_is_added_with_a_note(db):
    """The duplicate check's doubts (a sound-alike name in the same village, the same phone) do
    not stop an import: the person is added and the report says whom to compare them with."""
    from kiosk.services.people import PersonData, create

    org = surveys.organization(ORG)
    on_file = create(org, PersonData(first_name="สมศรี", last_name="ใจดี", moo=3, subdistrict_code="570906"))
    by_phone = create(org, PersonData(first_name="ทองใบ", phone="+66812345678"))
    cells = [{"household_no": "1", "house_no": "5", "moo": "3", "first_name": "สมสี", "last_name": "ใจดี",
              "surveyed_on": "20/11/2569"},
             {"household_no": "1", "house_no": "5", "moo": "3", "first_name": "ทองมา", "phone": "081 234 5678",
              "surveyed_on": "20/11/2569"}]
    report = surveys.import_rows(CLI, ORG, sheet_rows(cells), today=TODAY)
    assert report.imported and report.people_added == 2
    assert [(i.line, i.key, i.params, i.error) for i in report.issues] == [
        (2, "survey.possible_duplicate", {"people": str(on_file.id)}, False),
        (3, "survey.possible_duplicate", {"people": str(by_phone.id)}, False)]
