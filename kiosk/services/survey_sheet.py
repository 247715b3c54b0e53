"""The survey spreadsheet: the template field teams fill in (headers in Thai with the stable key
in parentheses, `ชื่อ (first_name)`; drop-down lists for coded columns; a sheet explaining each
column) and the reading of a filled file, XLSX or CSV, into rows for kiosk.services.surveys.

A header is known by its key, its Thai or English label, or "label (key)"; an unknown one is
reported and its column left out. An export of the XLSForm from ODK Central or KoboToolbox is
recognised by its columns and read by kiosk.services.survey_odk. openpyxl is imported only when a
sheet is read or written: the counter never loads it."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from ..errors import ValidationError
from ..files import write_private
from ..i18n import translate
from .survey_rows import COLUMNS, REQUIRED, Issue, code_label, codes

LAST_ROW = 5000  # the template's validations reach this row
# Typed as text, not turned into numbers or dates: 12/3 is a house, not 12 March; an ID keeps its
# leading zero; 20/11/2569 is a BE date, which a spreadsheet would take for the year 2569 CE.
AS_TEXT = ("household_no", "house_no", "doc_number", "birth_date", "phone", "surveyed_on")
MULTI = ("vulnerabilities", "needs")  # several codes in one cell: the drop-down offers, never refuses
_WIDE = {"first_name": 18, "last_name": 18, "doc_number": 20, "vulnerabilities": 30, "needs": 30, "note": 30,
         "village": 18, "team": 18, "surveyor": 18}


def header(column: str) -> str:
    """The template's header of a column: `ชื่อ (first_name)`."""
    return f"{translate(f'survey.col_{column}', 'th')} ({column})"


def _lists(team_names: list[str]) -> dict[str, list[str]]:
    """Each drop-down's values, as people read them (Thai labels; codes are accepted too)."""
    out = {column: [code_label(column, code) for code in codes(column)]
           for column in ("vulnerabilities", "needs", "living_situation", "doc_type")}
    out["consent"] = [translate("survey.consent_yes", "th"), translate("survey.consent_no", "th")]
    if team_names:
        out["team"] = list(team_names)
    return out


def write_template(path: Path, team_names: list[str]) -> Path:
    """Write the survey template to `path` (0600: a filled copy holds personal data)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    data = book.active
    data.title = translate("survey.sheet_data", "th")
    data.append([header(c) for c in COLUMNS])
    data.freeze_panes = "A2"
    for i, column in enumerate(COLUMNS, start=1):
        cell = data.cell(row=1, column=i)
        cell.font = Font(bold=True)
        data.column_dimensions[get_column_letter(i)].width = _WIDE.get(column, 14)
        if column in AS_TEXT:
            data.column_dimensions[get_column_letter(i)].number_format = "@"

    lists = book.create_sheet(translate("survey.sheet_lists", "th"))
    for i, (column, values) in enumerate(_lists(team_names).items(), start=1):
        letter = get_column_letter(i)
        lists.cell(row=1, column=i, value=header(column)).font = Font(bold=True)
        for j, value in enumerate(values, start=2):
            lists.cell(row=j, column=i, value=value)
        lists.column_dimensions[letter].width = 32
        multi = column in MULTI
        rule = DataValidation(type="list", formula1=f"'{lists.title}'!${letter}$2:${letter}${len(values) + 1}",
                              allow_blank=True, showErrorMessage=True, errorStyle="information" if multi else "stop",
                              error=translate(f"survey.help_{column}", "th"),
                              prompt=translate(f"survey.help_{column}", "th"), showInputMessage=True)
        target = get_column_letter(COLUMNS.index(column) + 1)
        rule.add(f"{target}2:{target}{LAST_ROW}")
        data.add_data_validation(rule)
    moo = DataValidation(type="whole", operator="between", formula1="1", formula2="99", allow_blank=True,
                         showErrorMessage=True, error=translate("thai.moo_range", "th"))
    letter = get_column_letter(COLUMNS.index("moo") + 1)
    moo.add(f"{letter}2:{letter}{LAST_ROW}")
    data.add_data_validation(moo)

    explain = book.create_sheet(translate("survey.sheet_help", "th"))
    explain.append([translate("survey.help_intro", "th")])
    explain.append([translate("survey.help_intro", "en")])
    explain.append([])
    explain.append([translate(f"survey.help_head_{k}", "th") for k in ("column", "key", "meaning")] +
                   [translate("survey.help_head_meaning", "en"), translate("survey.help_head_codes", "th")])
    for column in COLUMNS:
        allowed = "\n".join(f"{code} = {code_label(column, code)}" for code in codes(column))
        if column == "consent":
            allowed = "ใช่ / ไม่ใช่, yes / no, 1 / 0"
        explain.append([header(column), column, translate(f"survey.help_{column}", "th"),
                        translate(f"survey.help_{column}", "en"), allowed])
    for row in explain.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDE", (26, 18, 50, 50, 40), strict=True):
        explain.column_dimensions[letter].width = width

    buffer = io.BytesIO()
    book.save(buffer)
    return write_private(path, buffer.getvalue())


def _header_keys() -> dict[str, str]:
    """Every accepted header, folded → its column key."""
    known: dict[str, str] = {}
    for column in COLUMNS:
        for name in (column, translate(f"survey.col_{column}", "th"), translate(f"survey.col_{column}", "en"),
                     header(column)):
            known[_fold(name)] = column
    return known


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().casefold()


def _columns(headers: list[object]) -> tuple[dict[int, str], list[Issue]]:
    """Position → column key; unknown headers reported; a missing required column refuses the file."""
    known, found, issues = _header_keys(), {}, []
    for i, raw in enumerate(headers):
        text = _fold(raw)
        if not text:
            continue
        inner = re.search(r"\(([a-z_]+)\)\s*$", text)  # "label (key)" whatever the label says
        key = known.get(text) or (inner.group(1) if inner and inner.group(1) in COLUMNS else None)
        if key is None:
            issues.append(Issue(1, str(raw).strip(), "survey.header_unknown", {"header": str(raw).strip()}, error=False))
        elif key not in found.values():
            found[i] = key
    missing = [c for c in REQUIRED if c not in found.values()]
    if missing:
        raise ValidationError("survey.header_missing", columns=", ".join(header(c) for c in missing))
    return found, issues


def read_rows(path: Path) -> tuple[Iterator[tuple[int, dict]], list[Issue]]:
    """The rows of a filled template (XLSX: its survey sheet, else its first; CSV in UTF-8, with
    or without BOM), or of an ODK Central / KoboToolbox export of the XLSForm (.zip, .csv or
    .xlsx: kiosk.services.survey_odk) as (row number, {column key: cell}), read as they are consumed (a big file
    is never held whole), and the header's issues."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv", ".zip"):
        raise ValidationError("survey.file_kind")
    from . import survey_odk

    if survey_odk.is_export(path):  # ODK Central's or KoboToolbox's export of the XLSForm
        rows, issues = survey_odk.read_export(path)
        return iter(rows), issues
    try:
        table = _xlsx(path) if suffix == ".xlsx" else _csv(path)
        headers = next(table, None)
    except (OSError, ValueError, KeyError, UnicodeDecodeError) as exc:
        raise ValidationError("survey.file_unreadable", str(exc), path=str(path)) from None
    if headers is None:
        raise ValidationError("survey.header_missing", columns=", ".join(header(c) for c in REQUIRED))
    positions, issues = _columns(list(headers))
    rows = ((line, {key: cells[i] if i < len(cells) else None for i, key in positions.items()})
            for line, cells in enumerate(table, start=2))
    return rows, issues


def _xlsx(path: Path):
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    titles = {translate("survey.sheet_data", lang) for lang in ("th", "en")}
    sheet = next((s for s in book.worksheets if s.title in titles), book.worksheets[0])
    try:
        yield from sheet.iter_rows(values_only=True)
    finally:
        book.close()


def _csv(path: Path):
    with path.open(encoding="utf-8-sig", newline="") as f:
        yield from csv.reader(f)
