"""`kiosk.py survey-template --out FILE.xlsx` read back with openpyxl: Thai headers with the key
in parentheses, drop-down lists for the coded columns (the registered teams among them), a sheet
explaining every column, written 0600; and the template, filled in, imports through
`kiosk.py import-survey` with a Thai report."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

from db.models import Household, SurveyRecord
from kiosk.services import surveys
from kiosk.services.survey_rows import COLUMNS, VULNERABILITIES
from tests.conftest import file_mode
from tests.survey.test_import import CLI, ORG

ROOT = Path(__file__).resolve().parents[2]


def kiosk(config: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "kiosk.py"), "--config", str(config), *args],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_the_template_reads_back(db, config_file, tmp_path, umask_022):
    surveys.create_team(CLI, ORG, "อปพร. ตำบล", "civil_defence")
    out = tmp_path / "template.xlsx"
    run = kiosk(config_file, "survey-template", "--out", str(out))
    assert run.returncode == 0, run.stderr
    assert str(out) in run.stdout and file_mode(out) == 0o600

    book = load_workbook(out)
    assert book.sheetnames == ["แบบสำรวจ", "รายการ", "คำอธิบาย"]
    data = book["แบบสำรวจ"]
    headers = [c.value for c in data[1]]
    assert headers[COLUMNS.index("first_name")] == "ชื่อ (first_name)"
    assert [h.rsplit("(", 1)[1].rstrip(")") for h in headers] == list(COLUMNS)

    lists = book["รายการ"]
    rules = {str(r.sqref).split(":")[0]: r for r in data.data_validations.dataValidation}

    def cell(column: str) -> str:
        return f"{chr(ord('A') + COLUMNS.index(column))}2"

    def values(column: str) -> list[str]:
        rule = rules[cell(column)]
        assert rule.type == "list"
        _sheet, cells = rule.formula1.split("!")
        start, end = cells.replace("$", "").split(":")
        return [c.value for row in lists[start:end] for c in row]

    assert values("consent") == ["ใช่", "ไม่ใช่"]
    assert values("team") == ["อปพร. ตำบล"]
    assert values("doc_type")[0] == "บัตรประชาชน"
    assert len(values("vulnerabilities")) == len(VULNERABILITIES) and "ผู้ป่วยติดเตียง" in values("vulnerabilities")
    assert rules[cell("vulnerabilities")].errorStyle == "information"  # several codes in a cell
    assert rules[cell("consent")].errorStyle == "stop"
    moo = rules[cell("moo")]
    assert (moo.type, moo.formula1, moo.formula2) == ("whole", "1", "99")

    text = [c for c in COLUMNS if data.column_dimensions[chr(ord("A") + COLUMNS.index(c))].number_format == "@"]
    assert text == ["household_no", "house_no", "doc_number", "birth_date", "phone", "surveyed_on"]

    explain = book["คำอธิบาย"]
    keys = [r[1].value for r in explain.iter_rows(min_row=5)]
    assert keys == list(COLUMNS)
    by_key = {r[1].value: r for r in explain.iter_rows(min_row=5)}
    assert "bedbound = ผู้ป่วยติดเตียง" in by_key["vulnerabilities"][4].value
    assert "13" in by_key["doc_number"][2].value and "13-digit" in by_key["doc_number"][3].value


def test_the_filled_template_imports_from_the_command_line(db, config_file, tmp_path):
    out = tmp_path / "template.xlsx"
    assert kiosk(config_file, "survey-template", "--out", str(out)).returncode == 0
    book = load_workbook(out)
    sheet = book["แบบสำรวจ"]
    cells = {"household_no": "1", "house_no": "๘", "moo": "๒", "first_name": "ทองดี", "last_name": "มีสุข",
             "vulnerabilities": "ผู้ป่วยติดเตียง", "consent": "ใช่", "surveyed_on": "๑/๑๑/๒๕๖๙"}
    sheet.append([cells.get(c) for c in COLUMNS])
    sheet.append([None] * len(COLUMNS))  # a blank line
    book.save(out)

    run = kiosk(config_file, "import-survey", str(out))
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.strip().startswith("นำเข้าแล้ว 1 แถว: ครัวเรือนใหม่ 1")
    assert Household.select().count() == 1 and SurveyRecord.get().vulnerabilities == "bedbound"
    run = kiosk(config_file, "import-survey", str(out), "--lang", "en")
    assert run.returncode == 0 and "new households 0" in run.stdout and "unchanged 1" in run.stdout

    sheet.append([{**cells, "household_no": "2", "first_name": "ทองมา", "consent": "ไม่ใช่"}.get(c) for c in COLUMNS])
    book.save(out)
    run = kiosk(config_file, "import-survey", str(out))
    assert run.returncode == 1
    assert run.stdout.splitlines()[0].startswith("แถว 4 · ยินยอม: เลือกข้อมูลสุขภาพ")
    assert Household.select().count() == 1
