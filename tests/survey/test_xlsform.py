"""`kiosk.py survey-form --out FILE.xlsx`: the survey as an XLSForm, read back with openpyxl and
converted by pyxform (what ODK Central and KoboToolbox run on upload) without errors or warnings:
the XForm has the repeat of household members, both languages, the GPS point, the required
fields and the constraints; the constraints, evaluated by a real XPath 1.0 engine (libxml2, with
ODK's substr/regex/selected/today added as the ODK XForms spec defines them), accept and refuse
what the import's validation accepts and refuses."""

from __future__ import annotations

import re
from datetime import date

import pytest
from lxml import etree
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from db.models import Household
from kiosk.services import survey_form, surveys
from kiosk.services.survey_rows import VULNERABILITIES
from kiosk.thai.digits import to_thai_digits
from kiosk.thai.ids import format_national_id
from tests.conftest import file_mode
from tests.survey.test_import import CLI, KAEW, ORG, SOMSRI
from tests.survey.test_template import kiosk

HOST = "570906"  # the sample centre's subdistrict (ต.เวียงพางคำ อ.แม่สาย จ.เชียงราย)


def sheet(book, name: str) -> list[dict]:
    rows = list(book[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def test_the_command_writes_a_form_pyxform_converts(db, config_file, tmp_path, umask_022):
    team = surveys.create_team(CLI, ORG, "อสม. หมู่ 3", "health_volunteer", "3, 22")
    other = surveys.create_team(CLI, ORG, "อปพร. ตำบล", "civil_defence")
    for team_id, name in ((team, "สมหญิง รักดี"), (team, "ทองใบ ใจงาม"), (other, "สมหญิง รักดี")):
        surveys.add_member(CLI, team_id, name)
    org = surveys.organization(ORG)
    Household.create(organization=org, house_no="5", moo=3, village="บ้านสันทราย", subdistrict_code=HOST)
    out = tmp_path / "form.xlsx"
    run = kiosk(config_file, "survey-form", "--out", str(out))
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(f"เขียนแบบฟอร์ม XLSForm แล้ว: {out} (รหัสฟอร์ม household_survey รุ่น ")
    assert file_mode(out) == 0o600

    book = load_workbook(out)
    assert book.sheetnames == ["survey", "choices", "settings"]
    survey = sheet(book, "survey")
    by_name = {r["name"]: r for r in survey if r["name"]}
    assert by_name["first_name"]["label::Thai (th)"] == "ชื่อ" and by_name["first_name"]["label::English (en)"] == "First name"
    assert by_name["first_name"]["required"] == "yes"
    assert by_name["vulnerabilities"]["type"] == "select_multiple vulnerability"
    assert by_name["team"]["type"] == "select_one team" and by_name["location"]["type"] == "geopoint"
    assert [r["type"] for r in survey].count("begin_repeat") == 1 and by_name["members"]["type"] == "begin_repeat"
    assert by_name["subdistrict_code"]["default"] == HOST
    choices = sheet(book, "choices")
    listed = {}
    for c in choices:
        listed.setdefault(c["list_name"], []).append(c)
    assert [c["name"] for c in listed["vulnerability"]] == list(VULNERABILITIES)
    assert {c["label::Thai (th)"] for c in listed["vulnerability"]} >= {"ผู้ป่วยติดเตียง", "ผู้สูงอายุ (60 ปีขึ้นไป)"}
    assert [c["name"] for c in listed["team"]] == ["อปพร. ตำบล", "อสม. หมู่ 3"]
    # the surveyor is picked from their team's registered members (the import finds them by name)
    assert by_name["surveyor"]["type"] == "select_one surveyor"
    assert by_name["surveyor"]["choice_filter"] == "team = ${team}"
    assert [(c["team"], c["name"]) for c in listed["surveyor"]] == [
        ("อปพร. ตำบล", "สมหญิง รักดี"), ("อสม. หมู่ 3", "ทองใบ ใจงาม"), ("อสม. หมู่ 3", "สมหญิง รักดี")]
    assert listed["subdistrict"][0]["label::Thai (th)"] == "ต.เวียงพางคำ อ.แม่สาย จ.เชียงราย"
    moo = {c["name"]: c for c in listed["moo"]}
    assert len(moo) == 22  # 20 offered, and the team's หมู่ 22
    assert (moo["3"]["label::Thai (th)"], moo["3"]["label::English (en)"]) == ("หมู่ 3 บ้านสันทราย", "Moo 3 บ้านสันทราย")
    assert moo["4"]["label::Thai (th)"] == "หมู่ 4"
    settings = sheet(book, "settings")[0]
    assert settings["form_id"] == "household_survey" and settings["default_language"] == "Thai (th)"
    assert settings["allow_choice_duplicates"] == "yes"  # one name in two teams
    assert re.fullmatch(r"\d{8}-[0-9a-f]{6}", settings["version"]) and settings["version"] in run.stdout

    result = convert(xlsform=str(out))
    assert result.warnings == []
    xml = result.xform
    assert '<repeat nodeset="/data/members">' in xml
    assert f'<data id="household_survey" version="{settings["version"]}">' in xml
    assert '<translation lang="Thai (th)" default="true()">' in xml and '<translation lang="English (en)">' in xml
    assert "<value>ผู้ป่วยติดเตียง</value>" in xml and "<value>Bedridden</value>" in xml
    binds = {m.group(1): m.group(0) for m in re.finditer(r'<bind nodeset="/data/([^"]+)"[^>]*/>', xml)}
    assert 'type="geopoint"' in binds["household/location"]
    assert 'required="true()"' in binds["members/first_name"] and 'required="true()"' in binds["visit/surveyed_on"]
    assert 'constraint=". &lt;= today()"' in binds["visit/surveyed_on"]
    assert "mod 11) mod 10" in binds["members/doc_number"] and "relevant=" in binds["members/doc_number"]
    assert "regex(" in binds["members/phone"] and "selected(" in binds["members/consent"]


def test_two_subdistricts_filter_the_villages(db, tmp_path):
    form = survey_form.write_form(tmp_path / "form.xlsx", ORG, [HOST, "570901", HOST], moo_count=3)
    book = load_workbook(form.path)
    survey = {r["name"]: r for r in sheet(book, "survey") if r["name"]}
    assert survey["moo"]["choice_filter"] == "subdistrict = ${subdistrict_code}"
    assert survey["team"]["type"] == "text" and survey["surveyor"]["type"] == "text"  # no team registered: typed
    moo = [(c["subdistrict"], c["name"]) for c in sheet(book, "choices") if c["list_name"] == "moo"]
    assert moo == [(HOST, "1"), (HOST, "2"), (HOST, "3"), ("570901", "1"), ("570901", "2"), ("570901", "3")]
    assert sheet(book, "settings")[0]["allow_choice_duplicates"] == "yes"
    result = convert(xlsform=str(form.path))
    assert result.warnings == [] and "itemset" in result.xform


# ------------------------------------------------------------------------------- the constraints at work

def _text(value) -> str:
    if isinstance(value, list):
        return value[0].text or "" if value and hasattr(value[0], "text") else (str(value[0]) if value else "")
    return str(value)


ODK = etree.FunctionNamespace(None)
ODK["substr"] = lambda _ctx, s, start, end=None: _text(s)[int(start):None if end is None else int(end)]
ODK["regex"] = lambda _ctx, s, pattern: re.search(pattern, _text(s)) is not None
ODK["selected"] = lambda _ctx, s, code: code in _text(s).split()
# ODK compares dates as days since 1970-01-01: the test gives dates in that form
ODK["today"] = lambda _ctx: float((date.today() - date(1970, 1, 1)).days)
ODK["decimal-date-time"] = lambda _ctx, value: float(_text(value))


def days(d: date) -> str:
    return str((d - date(1970, 1, 1)).days)


@pytest.fixture
def constraints(db, tmp_path) -> dict[str, str]:
    """Each field's constraint as pyxform wrote it into the XForm."""
    form = survey_form.write_form(tmp_path / "form.xlsx", ORG, [HOST], moo_count=2)
    root = etree.fromstring(convert(xlsform=str(form.path)).xform.encode())
    return {b.get("nodeset").rsplit("/", 1)[1]: b.get("constraint")
            for b in root.iter("{http://www.w3.org/2002/xforms}bind") if b.get("constraint")}


def holds(constraint: str, field: str, value: str, **siblings: str) -> bool:
    member = etree.SubElement(etree.Element("data"), "members")
    for name, text in {**siblings, field: value}.items():
        etree.SubElement(member, name).text = text
    return bool(member.find(field).xpath(constraint))


def test_the_id_checksum_and_patterns_hold_on_the_phone(constraints):
    doc = constraints["doc_number"]
    bad = KAEW[:-1] + str((int(KAEW[-1]) + 1) % 10)
    assert holds(doc, "doc_number", SOMSRI, doc_type="national_id")
    assert holds(doc, "doc_number", format_national_id(KAEW), doc_type="national_id")  # dashes typed
    assert holds(doc, "doc_number", to_thai_digits(SOMSRI), doc_type="national_id")  # Thai digits
    assert not holds(doc, "doc_number", bad, doc_type="national_id")  # the check digit
    assert not holds(doc, "doc_number", "9" + SOMSRI[1:], doc_type="national_id")  # 9 is reserved
    assert not holds(doc, "doc_number", SOMSRI[:12], doc_type="national_id")
    assert holds(doc, "doc_number", bad, doc_type="pink_card") and not holds(doc, "doc_number", "123", doc_type="pink_card")
    assert holds(doc, "doc_number", "AB123456", doc_type="passport") and not holds(doc, "doc_number", "AB1", doc_type="passport")

    phone = constraints["phone"]
    assert all(holds(phone, "phone", p) for p in ("081-234-5678", "๐๘๑ ๒๓๔ ๕๖๗๘", "053123456", "+95912345678"))
    assert not any(holds(phone, "phone", p) for p in ("12345", "081-234-567x"))

    consent = constraints["consent"]
    assert not holds(consent, "consent", "no", vulnerabilities="elderly bedbound")
    assert holds(consent, "consent", "yes", vulnerabilities="elderly bedbound")
    assert holds(consent, "consent", "no", vulnerabilities="low_income elderly")

    house = constraints["house_no"]
    assert holds(house, "house_no", "12/3") and holds(house, "house_no", "๑๒ / ๓") and not holds(house, "house_no", "12ก")
    born = constraints["birth_date"]
    assert holds(born, "birth_date", days(date(1937, 3, 5)))
    assert not holds(born, "birth_date", days(date(2999, 1, 1))) and not holds(born, "birth_date", days(date(1850, 1, 1)))
    assert not holds(constraints["first_name"], "first_name", "123") and holds(constraints["first_name"], "first_name", "สมศรี")
