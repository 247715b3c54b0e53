"""Importing what ODK Central and KoboToolbox export for the survey's XLSForm. The exports are
built here from the form's own field names (kiosk.services.survey_form.form_fields), in the
layouts those platforms write (ODK Central: a zip of `<form_id>.csv` and `<form_id>-members.csv`,
groups joined by "-", the repeat joined by PARENT_KEY; KoboToolbox: an XLSX with a sheet per
table, groups joined by "/", the repeat joined by _parent_index, select_multiple as codes
separated by spaces): two households of three and two members. They import correctly, once:
importing again — or importing the other platform's export of the same submissions — adds
nothing; errors are reported row by row in Thai as for the spreadsheet."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from db.models import Household, HouseholdMember, Person, SurveyRecord
from kiosk.errors import ValidationError
from kiosk.services import survey_sheet, surveys
from kiosk.services.survey_form import FORM_ID, GEOPOINT, REPEAT, form_fields
from kiosk.services.survey_rows import codes
from tests.survey.test_import import CLI, KAEW, ORG, SOMCHAI, SOMSRI, TODAY
from tests.survey.test_template import kiosk

UUIDS = ("0b5c6f1e-3a2d-4c8e-9f10-2d3e4f5a6b7c", "7e8f9a0b-1c2d-4e3f-8a9b-0c1d2e3f4a5b")
FIELDS = form_fields()  # name → (group, type)
TOP = [n for n, (g, _k) in FIELDS.items() if g != REPEAT]
MEMBER = [n for n, (g, _k) in FIELDS.items() if g == REPEAT]


def submissions() -> list[dict]:
    """Two households as the phones sent them (ODK's own value forms: ISO dates, codes)."""
    visit = {"start": "2026-11-20T09:01:00.000+07:00", "end": "2026-11-20T09:20:00.000+07:00", "today": "2026-11-20",
             "surveyed_on": "2026-11-20", "team": "อสม. หมู่ 3", "surveyor": "สมหญิง รักดี"}
    return [
        {"uuid": UUIDS[0], **visit, "subdistrict_code": "570906", "moo": "3", "village": "บ้านสันทราย",
         "house_no": "12/3", GEOPOINT: "20.41 99.88 410.5 4.8", REPEAT: [
             {"prefix": "นาง", "first_name": "สมศรี", "last_name": "ใจดี", "doc_type": "national_id",
              "doc_number": SOMSRI, "birth_date": "1937-03-05", "phone": "0812345678",
              "vulnerabilities": "bedbound chronic_illness", "needs": "survival_bag home_repair",
              "living_situation": "with_family", "consent": "yes"},
             {"prefix": "นาย", "first_name": "สมชาย", "last_name": "ใจดี", "doc_type": "national_id",
              "doc_number": SOMCHAI, "birth_date": "1985-06-01", "vulnerabilities": "low_income", "consent": "yes"},
             {"prefix": "เด็กหญิง", "first_name": "มะลิ", "last_name": "ใจดี", "doc_type": "none",
              "birth_date": "2015-01-01", "vulnerabilities": "child_no_caregiver", "consent": "no"}]},
        {"uuid": UUIDS[1], **visit, "surveyor": "", "subdistrict_code": "570906", "moo": "5", "village": "",
         "house_no": "45", GEOPOINT: "", REPEAT: [
             {"first_name": "แก้ว", "last_name": "มณี", "doc_type": "national_id", "doc_number": KAEW,
              "vulnerabilities": "", "consent": "no", "note": "บ้านริมน้ำ"},
             {"prefix": "นาย", "first_name": "บุญมี", "last_name": "ศรีสุข", "doc_type": "none",
              "living_situation": "alone", "consent": "no"}]},
    ]


# ------------------------------------------------------------------------------- ODK Central

def central_tables(subs: list[dict], *, review: dict[int, str] | None = None) -> dict[str, list[list]]:
    """`<form_id>.csv` and `<form_id>-members.csv` as ODK Central writes them (group paths on)."""
    header = ["SubmissionDate"]
    for name in TOP:
        group, kind = FIELDS[name]
        path = f"{group}-{name}" if group else name
        header += [f"{path}-{p}" for p in ("Latitude", "Longitude", "Altitude", "Accuracy")] if kind == "geopoint" else [path]
    header += ["meta-instanceID", "KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent", "AttachmentsExpected",
               "Status", "ReviewState", "DeviceID", "Edits", "FormVersion"]
    main, members = [header], [[*MEMBER, "PARENT_KEY", "KEY"]]
    for i, s in enumerate(subs):
        row = ["2026-11-20T03:00:00.000Z"]
        for name in TOP:
            if FIELDS[name][1] == "geopoint":
                row += (s[name].split() or ["", "", "", ""])
            else:
                row.append(s.get(name, ""))
        key = f"uuid:{s['uuid']}"
        row += [key, key, "7", "สมหญิง", "0", "0", "", (review or {}).get(i, ""), "collect:abc", "0", "20261120-abcdef"]
        main.append(row)
        for n, m in enumerate(s[REPEAT], start=1):
            members.append([m.get(name, "") for name in MEMBER] + [key, f"{key}/{REPEAT}[{n}]"])
    return {f"{FORM_ID}.csv": main, f"{FORM_ID}-{REPEAT}.csv": members}


def csv_text(rows: list[list]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def central_zip(path: Path, subs: list[dict], **kwargs) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, rows in central_tables(subs, **kwargs).items():
            archive.writestr(name, csv_text(rows))
    return path


# ------------------------------------------------------------------------------- KoboToolbox

def kobo_xlsx(path: Path, subs: list[dict], *, dates_as_cells: bool = False) -> Path:
    """The XLSX KoboToolbox exports with "XML values and headers" and groups in headers: the
    submissions' sheet, then the repeat's sheet `members`."""
    book = Workbook()
    main = book.active
    main.title = "แบบสำรวจครัวเรือนกลุ่มเปราะบาง"[:31]
    header = []
    for name in TOP:
        group, kind = FIELDS[name]
        path_ = f"{group}/{name}" if group else name
        header.append(path_)
        if kind == "geopoint":
            header += [f"{group}/_{name}_{p}" for p in ("latitude", "longitude", "altitude", "precision")]
    main.append([*header, "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
                 "_submitted_by", "__version__", "_tags", "_index"])
    repeat = book.create_sheet(REPEAT)
    member_header = []
    for name in MEMBER:
        member_header.append(f"{REPEAT}/{name}")
        if FIELDS[name][1].startswith("select_multiple"):
            member_header += [f"{REPEAT}/{name}/{code}" for code in codes(name)]
    repeat.append([*member_header, "_index", "_parent_table_name", "_parent_index", "_submission__id",
                   "_submission__uuid", "_submission__submission_time"])
    member_index = 0
    for i, s in enumerate(subs, start=1):
        row = []
        for name in TOP:
            if FIELDS[name][1] == "geopoint":
                row += [s[name], *(s[name].split() or ["", "", "", ""])]
            else:
                row.append(s.get(name, ""))
        main.append([*row, 1000 + i, s["uuid"], "2026-11-20T03:00:00", "", "", "submitted_via_web", "somying",
                     "vabc", "", i])
        for m in s[REPEAT]:
            member_index += 1
            cells = []
            for name in MEMBER:
                value = m.get(name, "")
                if dates_as_cells and name == "birth_date" and value:
                    value = datetime.fromisoformat(value)
                cells.append(value)
                if FIELDS[name][1].startswith("select_multiple"):
                    cells += [1 if code in value.split() else 0 for code in codes(name)] if value else [""] * len(codes(name))
            repeat.append([*cells, member_index, main.title, i, 1000 + i, s["uuid"], "2026-11-20T03:00:00"])
    book.save(path)
    return path


# ------------------------------------------------------------------------------- the tests

@pytest.fixture
def team(db):
    team_id = surveys.create_team(CLI, ORG, "อสม. หมู่ 3", "health_volunteer", "3, 5")
    surveys.add_member(CLI, team_id, "สมหญิง รักดี", phone="081-111-2222", moo="3")
    return team_id


def run_import(path: Path) -> surveys.ImportReport:
    rows, issues = survey_sheet.read_rows(path)
    report = surveys.import_rows(CLI, ORG, rows, source=path.name, today=TODAY)
    report.issues[:0] = issues
    return report


def counts() -> tuple[int, ...]:
    return tuple(m.select().count() for m in (Household, HouseholdMember, Person, SurveyRecord))


def assert_imported_as_surveyed(team: int) -> None:
    assert counts() == (2, 5, 5, 5)
    first = Household.get(Household.import_key == f"uuid:{UUIDS[0]}")
    assert (first.house_no, first.moo, first.village, first.subdistrict_code) == ("12/3", 3, "บ้านสันทราย", "570906")
    assert (first.latitude, first.longitude) == (20.41, 99.88)
    assert {m.person.first_name for m in first.members} == {"สมศรี", "สมชาย", "มะลิ"}
    somsri = SurveyRecord.get(SurveyRecord.person == Person.get(Person.doc_number == SOMSRI))
    assert somsri.vulnerabilities == "elderly,bedbound,chronic_illness"  # elderly from the birth date
    assert somsri.needs == "home_repair,survival_bag" and somsri.consent and somsri.household_id == first.id
    assert somsri.surveyed_on == date(2026, 11, 20) and somsri.survey_team_id == team
    assert somsri.surveyor_member.name == "สมหญิง รักดี" and somsri.person.phone == "+66812345678"
    mali = Person.get(Person.first_name == "มะลิ")
    assert (mali.prefix, mali.birth_date, mali.doc_type) == ("เด็กหญิง", date(2015, 1, 1), "none")
    second = Household.get(Household.import_key == f"uuid:{UUIDS[1]}")
    assert (second.house_no, second.moo, second.latitude) == ("45", 5, None)
    assert SurveyRecord.get(SurveyRecord.notes == "บ้านริมน้ำ").person.doc_number == KAEW


def test_an_odk_central_zip_imports_once(team, tmp_path):
    path = central_zip(tmp_path / f"{FORM_ID}.csv.zip".replace(".csv.zip", ".zip"), submissions())
    report = run_import(path)
    assert report.imported, report.lines("th")
    assert (report.rows, report.households_added, report.people_added, report.records_added) == (5, 2, 5, 5)
    assert report.issues == []  # every column known: the form's, or ODK Central's own
    assert_imported_as_surveyed(team)

    again = run_import(path)
    assert again.imported and (again.households_added, again.people_added, again.records_added,
                                again.records_changed, again.unchanged) == (0, 0, 0, 0, 5)
    assert counts() == (2, 5, 5, 5)


def test_the_central_csv_pair_from_the_command_line(team, config_file, tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    for name, rows in central_tables(submissions()).items():
        (folder / name).write_text(csv_text(rows), encoding="utf-8")
    run = kiosk(config_file, "import-survey", str(folder / f"{FORM_ID}.csv"))
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.strip().splitlines()[-1].startswith("นำเข้าแล้ว 5 แถว: ครัวเรือนใหม่ 2 ครัวเรือนที่ปรับปรุง 0 บุคคลใหม่ 5")
    # given the repeat's file instead, the main one beside it is found: nothing is added
    run = kiosk(config_file, "import-survey", str(folder / f"{FORM_ID}-{REPEAT}.csv"), "--lang", "en")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "new households 0" in run.stdout and "new people 0" in run.stdout and "unchanged 5" in run.stdout
    assert counts() == (2, 5, 5, 5)


def test_a_kobo_xlsx_imports_and_central_adds_nothing_after_it(team, tmp_path):
    report = run_import(kobo_xlsx(tmp_path / "kobo.xlsx", submissions(), dates_as_cells=True))
    assert report.imported, report.lines("th")
    assert report.issues == [] and report.records_added == 5
    assert_imported_as_surveyed(team)
    # the same submissions exported by ODK Central: the same instance IDs, the same households
    again = run_import(central_zip(tmp_path / "central.zip", submissions()))
    assert again.imported and (again.households_added, again.people_added, again.unchanged) == (0, 0, 5)
    assert counts() == (2, 5, 5, 5)


def test_errors_are_reported_row_by_row_in_thai(team, tmp_path):
    subs = submissions()
    subs[0][REPEAT][1]["doc_number"] = SOMCHAI[:-1] + str((int(SOMCHAI[-1]) + 1) % 10)
    subs[0][REPEAT][2]["vulnerabilities"] = "bedbound"  # health data, and consent "no"
    subs[1]["team"] = "ทีมที่ไม่มี"
    report = run_import(kobo_xlsx(tmp_path / "kobo.xlsx", subs))
    assert not report.imported
    assert report.lines("th") == [
        "แถว 3 · เลขบัตรประชาชน/เอกสาร: เลขตรวจสอบ (หลักสุดท้าย) ไม่ถูกต้อง อาจพิมพ์ผิดบางหลัก กรุณาตรวจเลขกับบัตรอีกครั้ง",
        "แถว 4 · ยินยอม: เลือกข้อมูลสุขภาพหรือความพิการไว้ ต้องทำเครื่องหมายยินยอม หรือเอาเครื่องหมายข้อนั้นออก",
        'แถว 5 · ทีมสำรวจ: ไม่พบทีมสำรวจชื่อ "ทีมที่ไม่มี" กรุณาลงทะเบียนทีมก่อน หรือแก้ชื่อให้ตรง',
        'แถว 6 · ทีมสำรวจ: ไม่พบทีมสำรวจชื่อ "ทีมที่ไม่มี" กรุณาลงทะเบียนทีมก่อน หรือแก้ชื่อให้ตรง',
        "ยังไม่ได้นำเข้าข้อมูลใด ๆ: พบข้อผิดพลาด 4 รายการใน 4 แถว แก้ไขไฟล์แล้วนำเข้าใหม่",
    ]
    assert counts() == (0, 0, 0, 0)


def test_rejected_submissions_and_households_without_members(team, tmp_path):
    subs = submissions()
    subs.append({**subs[1], "uuid": "11111111-2222-4333-8444-555555555555", "house_no": "46", REPEAT: []})
    report = run_import(central_zip(tmp_path / "export.zip", subs, review={1: "rejected"}))
    assert report.imported, report.lines("th")
    assert [i.text("th") for i in report.issues] == [
        "แถว 3 · ครัวเรือนที่ (แจ้งให้ทราบ): ครัวเรือนในแถว 3 ถูกตีกลับ (ไม่อนุมัติ) ใน ODK Central/KoboToolbox จะไม่นำเข้า",
        "แถว 4 · ครัวเรือนที่ (แจ้งให้ทราบ): ครัวเรือนในแถว 4 ไม่มีสมาชิกครัวเรือน จะไม่นำเข้าครัวเรือนนี้"]
    assert counts() == (1, 3, 3, 3)


def test_a_partial_or_labelled_export_is_refused_whole(db, tmp_path):
    tables = central_tables(submissions())
    del tables[f"{FORM_ID}.csv"][1]  # the first household's submission left out
    path = tmp_path / "partial.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, rows in tables.items():
            archive.writestr(name, csv_text(rows))
    with pytest.raises(ValidationError) as err:
        survey_sheet.read_rows(path)
    assert err.value.key == "survey.odk_orphans" and err.value.params["rows"] == "2, 3, 4"

    labelled = tmp_path / "labels.xlsx"  # Kobo exported with labels as headers, not the XML names
    book = Workbook()
    book.active.append(["ชื่อ", "วันที่สำรวจ", "_uuid", "_index"])
    book.active.append(["สมศรี", "2026-11-20", UUIDS[0], 1])
    book.save(labelled)
    with pytest.raises(ValidationError) as err:
        survey_sheet.read_rows(labelled)
    assert err.value.key == "survey.odk_xml_headers" and err.value.params["columns"] == "first_name, surveyed_on"


def test_a_flattened_repeat_imports(team, tmp_path):
    """One table, the repeat spread across columns: `members[1]/first_name`, `members[2]/…`."""
    subs = submissions()
    header = [f"{FIELDS[n][0]}/{n}" if FIELDS[n][0] else n for n in TOP]
    width = max(len(s[REPEAT]) for s in subs)
    header += [f"{REPEAT}[{i}]/{n}" for i in range(1, width + 1) for n in MEMBER] + ["meta/instanceID"]
    rows = [header]
    for s in subs:
        row = [s.get(n, "") for n in TOP]
        for i in range(width):
            m = s[REPEAT][i] if i < len(s[REPEAT]) else {}
            row += [m.get(n, "") for n in MEMBER]
        rows.append([*row, f"uuid:{s['uuid']}"])
    path = tmp_path / "flat.csv"
    path.write_text(csv_text(rows), encoding="utf-8-sig")
    report = run_import(path)
    assert report.imported, report.lines("th")
    assert report.records_added == 5 and counts() == (2, 5, 5, 5)
    assert [i.text("th") for i in report.issues] == [
        "แถว 1 · members (แจ้งให้ทราบ): ไฟล์นี้มีสมาชิกครัวเรือนหลายคนในแถวเดียว เลขแถวในรายงานนับสมาชิกทีละคนตามลำดับ "
        "(สมาชิกคนแรกของครัวเรือนแรก = แถว 2)"]
    assert Household.get(Household.house_no == "12/3").import_key == f"uuid:{UUIDS[0]}"
    assert run_import(path).unchanged == 5


def test_a_new_submission_for_a_surveyed_house_is_a_resurvey(team, tmp_path):
    """Next month the team surveys house 12/3 again: a new submission (a new instance ID) updates
    the household found at that address, keeping what changed; it does not add a second one."""
    run_import(central_zip(tmp_path / "first.zip", submissions()))
    later = submissions()[:1]
    later[0].update(uuid="99999999-8888-4777-8666-555555555555", surveyed_on="2026-11-25")
    later[0][REPEAT][1]["vulnerabilities"] = "low_income chronic_illness"
    report = run_import(central_zip(tmp_path / "later.zip", later))
    assert report.imported, report.lines("th")
    assert (report.households_added, report.people_added, report.records_changed) == (0, 0, 3)
    assert counts() == (2, 5, 5, 5)
    somchai = SurveyRecord.get(SurveyRecord.person == Person.get(Person.doc_number == SOMCHAI))
    assert somchai.vulnerabilities == "chronic_illness,low_income" and somchai.surveyed_on == date(2026, 11, 25)
