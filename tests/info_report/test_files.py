"""The month's report as files, read back as an officer's programs would: openpyxl and csv figures
equal to counts made here with plain SQL, the PDF rendered (pdftoppm) with its Thai title and month
name (pdftotext), 0600 files named after the BE month, and the layout taken from data."""

from __future__ import annotations

import csv
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kiosk.errors import ConfigError
from kiosk.i18n import translate
from kiosk.services import info_files
from kiosk.services.info_report import Month
from tests.conftest import file_mode

from .conftest import OCT_HI, OCT_LO
from .test_figures import sql

OCT = Month(2026, 10)


def sql1(query: str, *params):
    return sql(query, *params)[0][0]


def month_case_count() -> int:
    """Requests asked in October or helped in October (and not since made duplicate/withdrawn)."""
    return sql1('SELECT COUNT(*) FROM "case" c WHERE (c.created_at >= ? AND c.created_at < ?) OR EXISTS '
                '(SELECT 1 FROM case_event e WHERE e.case_id = c.id AND e.to_status = ? AND e.at >= ? AND e.at < ? '
                "AND c.status_id NOT IN ('duplicate', 'withdrawn'))", OCT_LO, OCT_HI, "helped", OCT_LO, OCT_HI)


def summary_value(rows, item: str, column: int = 2, section: str | None = None):
    found = [r[column] for r in rows if r[1] == item and (section is None or r[0] == section)]
    assert len(found) == 1, (item, rows)
    return found[0]


def t(key: str, **kw) -> str:
    return translate(f"inforeport.{key}", "th", **kw)


def test_xlsx_figures_equal_plain_sql(october, actors, tmp_path):
    done = info_files.export(actors["officer"], OCT, "xlsx", tmp_path)
    path = tmp_path / "INFO-2569-10.xlsx"
    assert done.paths == [path] and file_mode(path) == 0o600
    book = load_workbook(path, read_only=True)
    assert book.sheetnames == [t("sheet_summary"), t("sheet_records"), t("sheet_surveys")]
    summary = list(book[t("sheet_summary")].iter_rows(min_row=2, values_only=True))
    assert summary_value(summary, t("requests")) == sql1(
        'SELECT COUNT(*) FROM "case" WHERE created_at >= ? AND created_at < ?', OCT_LO, OCT_HI)
    assert summary_value(summary, t("times_helped")) == sql1(
        'SELECT COUNT(*) FROM case_event e JOIN "case" c ON c.id = e.case_id WHERE e.to_status = ? AND e.at >= ? '
        "AND e.at < ? AND c.status_id NOT IN ('duplicate', 'withdrawn')", "helped", OCT_LO, OCT_HI) == 3
    assert summary_value(summary, t("people_helped"), 3) == 2
    assert Decimal(str(summary_value(summary, t("baht"), 4))) == Decimal("4500.85")
    assert summary_value(summary, t("baht_words"), 4) == "สี่พันห้าร้อยบาทแปดสิบห้าสตางค์"
    for key in ("flood", "elderly", "low_income", "storm"):
        assert summary_value(summary, translate(f"category.{key}", "th")) == sql1(
            'SELECT COUNT(*) FROM "case" WHERE category_id = ? AND created_at >= ? AND created_at < ?',
            key, OCT_LO, OCT_HI)
    assert summary_value(summary, translate("category.disaster", "th"), section=t("section_area")) == sql1(
        'SELECT COUNT(*) FROM "case" c JOIN category g ON g.key = c.category_id WHERE g.parent_id = ? '
        "AND c.created_at >= ? AND c.created_at < ?", "disaster", OCT_LO, OCT_HI)
    assert summary_value(summary, t("surveys")) == sql1(
        "SELECT COUNT(*) FROM survey_record WHERE surveyed_on BETWEEN ? AND ?", "2026-10-01", "2026-10-31")
    assert summary_value(summary, t("backlog_cases")) == month_case_count()
    records = list(book[t("sheet_records")].iter_rows(values_only=True))
    assert records[0][:3] == ("เลขที่คำขอ", "วันที่ยื่นคำขอ", "คำนำหน้า")
    assert len(records) - 1 == month_case_count() == 6
    amount_col = records[0].index("จำนวนเงิน (บาท)")
    assert sum(Decimal(str(r[amount_col])) for r in records[1:] if r[amount_col] not in (None, "")) == \
        Decimal("4500.85")
    twice = [r for r in records[1:] if r[3] == "สมศรี"]
    assert twice and twice[0][records[0].index("เลขประจำตัวประชาชน/เลขเอกสาร")] == "1101700230703"
    assert twice[0][records[0].index("ตำบล")] == "เวียงพางคำ"
    surveys = list(book[t("sheet_surveys")].iter_rows(values_only=True))
    assert len(surveys) - 1 == 2 and {r[0] for r in surveys[1:]} == {"01/10/2569", "31/10/2569"}


def test_csv_with_bom_and_the_same_figures(october, actors, tmp_path):
    done = info_files.export(actors["officer"], OCT, "csv", tmp_path)
    assert [p.name for p in done.paths] == ["INFO-2569-10.csv", "INFO-2569-10-summary.csv", "INFO-2569-10-surveys.csv"]
    for p in done.paths:
        assert p.read_bytes().startswith(b"\xef\xbb\xbf") and file_mode(p) == 0o600
    with open(tmp_path / "INFO-2569-10.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) - 1 == month_case_count()
    with open(tmp_path / "INFO-2569-10-summary.csv", encoding="utf-8-sig", newline="") as fh:
        summary = list(csv.reader(fh))
    assert summary_value(summary, t("times_helped")) == "3"
    assert summary_value(summary, t("baht"), 4) == "4500.85"


def test_pdf_renders_with_the_thai_title_and_month(october, actors, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils not installed")
    path = info_files.export(actors["officer"], OCT, "pdf", tmp_path, centre="เทศบาลตำบลเวียงพางคำ").paths[0]
    assert path.name == "INFO-2569-10.pdf" and file_mode(path) == 0o600
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    squeezed = "".join(text.split())  # pdftotext puts spaces inside Thai words (see tests/test_documents.py)
    assert "รายงานข้อมูลศูนย์ช่วยเหลือประชาชนสำหรับบันทึกในระบบINFO" in squeezed
    assert "ประจำเดือนตุลาคม2569" in squeezed and "ปีงบประมาณ2570" in squeezed
    assert "4,500.85" in squeezed and "สี่พันห้าร้อยบาทแปดสิบห้าสตางค์" in squeezed
    assert "ต.ค.69" in squeezed and "พ.ย.68" in squeezed  # the chart's twelve months, Nov 2568 to Oct 2569
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "page")], check=True)
    assert list(tmp_path.glob("page*.png"))


def test_export_again_replaces_and_leaves_nothing_else(october, actors, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    info_files.export(actors["officer"], OCT, "xlsx", out)
    info_files.export(actors["officer"], OCT, "xlsx", out)
    assert sorted(p.name for p in out.iterdir()) == ["INFO-2569-10.xlsx"]
    assert sql1("SELECT COUNT(*) FROM audit_log WHERE action = ?", "info_export") == 2


def test_the_layout_is_data_an_office_overrides(october, actors, tmp_path):
    home = tmp_path / "conf"
    home.mkdir()
    (home / "info_layout.toml").write_text(
        '[summary]\nsections = ["survey", "help"]\n'
        '[[records]]\nfield = "amount"\nth = "เงิน"\n[[records]]\nfield = "full_name"\nth = "ชื่อ-สกุล"\n'
        '[[surveys]]\nfield = "moo"\nth = "หมู่"\n', encoding="utf-8")
    info_files.export(actors["officer"], OCT, "xlsx", tmp_path, home=home)
    book = load_workbook(tmp_path / "INFO-2569-10.xlsx", read_only=True)
    records = list(book[t("sheet_records")].iter_rows(values_only=True))
    assert records[0] == ("เงิน", "ชื่อ-สกุล") and "นางสมศรี ใจดี" in {r[1] for r in records[1:]}
    summary = list(book[t("sheet_summary")].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in summary][0] == t("section_survey") and t("section_status") not in {r[0] for r in summary}


@pytest.mark.parametrize(("text", "problem"), [
    ('[[records]]\nfield = "salary"\nth = "x"\n[[surveys]]\nfield = "moo"\nth = "x"\n', "salary"),
    ('[[records]]\nfield = "moo"\n[[surveys]]\nfield = "moo"\nth = "x"\n', "th heading"),
    ('[summary]\nsections = ["gossip"]\n', "summary.sections"),
    ("[[records]\n", "line 1"),
])
def test_a_broken_layout_is_named_not_a_traceback(tmp_path, text, problem):
    (tmp_path / "info_layout.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        info_files.load_layout(tmp_path)
    assert err.value.key == "inforeport.layout_invalid" and problem in err.value.params["problem"]
    assert err.value.params["file"] == str(tmp_path / "info_layout.toml")


def test_the_shipped_layout_is_valid():
    layout = info_files.load_layout(None)
    assert layout.source == Path(info_files.CONTENT / "info_layout.toml")
    assert layout.sections[0] == "help" and layout.records[0].field == "ticket_no"


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_exported_backlog_equals_the_figures_after_marks(backend, request, tmp_path):
    """The export counts its backlog from its own records' INFO states (one look-up of the marks):
    the same six figures as info_report.figures, with cases entered, changed since and to do."""
    from db.models import Case
    from kiosk.services import info_report as info
    from kiosk.services.workflow import Step, perform
    from tests.conftest import make_actors

    from .conftest import seed_october

    request.getfixturevalue("db" if backend == "sqlite" else "pg_db")
    actors = make_actors()
    october = seed_october(actors)
    officer = actors["officer"]
    one, two = sorted(info.month_case_ids(OCT))[:2]
    info.mark(officer, "case", [one, two], OCT)
    info.mark(officer, "survey", [october["survey_oct1"]], OCT)
    perform(officer, two, Step("note", Case.get_by_id(two).version, internal_note="โทรแล้ว"))  # changed since
    b = info.figures(officer, OCT).backlog
    assert (b.cases, b.cases_changed, b.cases_entered, b.surveys, b.surveys_changed, b.surveys_entered) == \
        (4, 1, 1, 1, 0, 1)
    info_files.export(officer, OCT, "csv", tmp_path)
    with open(tmp_path / "INFO-2569-10-summary.csv", encoding="utf-8-sig", newline="") as fh:
        summary = list(csv.reader(fh))[1:]
    got = [int(summary_value(summary, t(key))) for key in ("backlog_cases", "changed_cases", "entered_cases",
                                                            "backlog_surveys", "changed_surveys", "entered_surveys")]
    assert got == [b.cases, b.cases_changed, b.cases_entered, b.surveys, b.surveys_changed, b.surveys_entered]
