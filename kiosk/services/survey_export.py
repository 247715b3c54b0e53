"""The register written out for the field and the office (issue 13, item 5): XLSX and CSV (UTF-8
with a BOM) of the people the filter picks, a GeoJSON of their households for a flood map (QGIS,
uMap), and a printable PDF list per village for the team that walks it.

Only what the actor may read leaves (the register's scoping: a volunteer exports their own
teams' people only). Files are written through kiosk.documents (atomic, 0600) into a folder
made private, named with the Buddhist-Era date and time; every export is audited as
"survey_export" with who, the filter, the format and how many people it holds.

The GeoJSON holds no names: one point per household (longitude, latitude, as GeoJSON orders
them) with its house number, หมู่, village and how many of its people the filter picked, plus the
vulnerability asked for; and says in its properties that it is still personal data."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from pathlib import Path

from ..documents import Sheet, ThaiPDF, stamped, write_csv, write_xlsx
from ..files import private_dir, write_private
from ..i18n import translate
from ..thai.dates import format_be_date, format_be_datetime, now_bangkok
from ..thai.phones import format_phone_thai
from . import audit
from .staff import Actor
from .survey_register import EVERYONE, RegisterFilter, RegisterRow, needs_labels, people_rows, vulnerability_labels
from .survey_rows import code_label
from .surveys import own_teams

FORMATS = ("xlsx", "csv", "geojson", "pdf")
COLUMNS = ("moo", "village", "house_no", "name", "age", "birth_date", "phone", "vulnerabilities", "needs",
           "living_situation", "notes", "team", "surveyed_on", "latitude", "longitude")
PDF_COLUMNS = ("house_no", "name", "age", "phone", "vulnerabilities", "needs", "visited", "remark")
PDF_WIDTHS = (9, 24, 5, 13, 26, 20, 8, 15)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    people: int
    households: int = 0  # GeoJSON: the points written


def _cells(row: RegisterRow, lang: str) -> list[object]:
    values = {
        "moo": row.moo, "village": row.village, "house_no": row.house_no, "name": row.full_name, "age": row.age,
        "birth_date": format_be_date(row.birth_date) if row.birth_date else "", "phone": _phone(row.phone),
        "vulnerabilities": vulnerability_labels(row, lang), "needs": needs_labels(row, lang),
        "living_situation": code_label("living_situation", row.living_situation, lang) if row.living_situation else "",
        "notes": row.notes, "team": row.team, "surveyed_on": format_be_date(row.surveyed_on),
        "latitude": row.latitude, "longitude": row.longitude}
    return [values[c] for c in COLUMNS]


def _phone(e164: str) -> str:
    """As people dial it: 081-234-5678."""
    return format_phone_thai(e164) if e164 else ""


def header(lang: str = "th", columns: Iterable[str] = COLUMNS) -> list[str]:
    return [translate(f"register.col_{c}", lang) for c in columns]


def file_stem(where: RegisterFilter) -> str:
    """`survey-register[-moo3][-bedbound]-2569-11-26-1430`: what it holds and when (BE)."""
    parts = ["survey-register", f"moo{where.moo}" if where.moo is not None else "", where.vulnerability,
             f"over{where.months}m" if where.months else ""]
    return stamped("-".join(p for p in parts if p))


def export(actor: Actor, fmt: str, folder: Path, where: RegisterFilter = EVERYONE, *, centre: str = "",
           lang: str = "th", today: date | None = None) -> ExportResult:
    """Write the register under `where` as `fmt` into `folder` (made private if new). Audited."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    where.check()
    own_teams(actor)  # the role, before anything is made
    rows = people_rows(actor, where, today=today)
    path = private_dir(folder) / f"{file_stem(where)}.{fmt}"
    # the file first (no write lock held while 20,000 rows are written), then its audit row:
    # a file whose export could not be audited is removed
    result = {"xlsx": _xlsx, "csv": _csv, "geojson": _geojson, "pdf": _pdf}[fmt](
        path, rows, where, lang=lang, centre=centre)
    try:
        audit.record("survey_export", actor=actor.username, target_type="survey", target_id=fmt,
                     detail=f"format={fmt} {where.describe()} people={result.people} file={path.name}",
                     client=actor.client)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return result


def _xlsx(path: Path, rows, where: RegisterFilter, *, lang: str, centre: str) -> ExportResult:
    counted = _Counted(rows)
    write_xlsx(path, [Sheet(translate("register.sheet", lang), header(lang), (_cells(r, lang) for r in counted))])
    return ExportResult(path, counted.n)


def _csv(path: Path, rows, where: RegisterFilter, *, lang: str, centre: str) -> ExportResult:
    counted = _Counted(rows)
    write_csv(path, header(lang), (_cells(r, lang) for r in counted))
    return ExportResult(path, counted.n)


class _Counted:
    """Rows passed through once, counted on the way (a writer takes a generator)."""

    def __init__(self, rows) -> None:
        self.rows, self.n = rows, 0

    def __iter__(self):
        for row in self.rows:
            self.n += 1
            yield row


def _geojson(path: Path, rows, where: RegisterFilter, *, lang: str, centre: str) -> ExportResult:
    households: dict[object, dict] = {}
    people = 0
    for r in rows:
        people += 1
        if r.latitude is None or r.longitude is None:
            continue
        key = r.household_id if r.household_id is not None else ("person", r.person_id)
        found = households.get(key)
        if found is None:
            properties = {"house_no": r.house_no, "moo": r.moo, "village": r.village, "people": 0}
            if where.vulnerability:
                properties["vulnerability"] = where.vulnerability
            households[key] = found = {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(r.longitude, 6), round(r.latitude, 6)]},
                "properties": properties}
        found["properties"]["people"] += 1
    collection = {
        "type": "FeatureCollection",
        "name": translate("register.title", lang),
        "properties": {"warning": translate("register.geojson_warning", lang), "centre": centre,
                       "filter": where.label(lang), "generated": format_be_datetime(now_bangkok())},
        "features": list(households.values())}
    write_private(path, json.dumps(collection, ensure_ascii=False, indent=1))
    return ExportResult(path, people, len(households))


def _pdf(path: Path, rows, where: RegisterFilter, *, lang: str, centre: str) -> ExportResult:
    """One section per หมู่, each on its own pages: the heading, the people, a signature and date line."""
    title = translate("register.title", lang)
    pdf = ThaiPDF(title, landscape=True, lang=lang)
    people = 0
    first = True
    for moo, group in groupby(rows, key=lambda r: r.moo):
        group = list(group)
        people += len(group)
        if not first:
            pdf.add_page()
        first = False
        villages = ", ".join(dict.fromkeys(r.village for r in group if r.village))
        pdf.line_of(centre or title, 14, bold=True, align="C")
        pdf.line_of(translate("register.pdf_heading", lang, moo=translate("register.moo_n", lang, moo=moo)
                              if moo is not None else translate("register.no_moo", lang), village=villages or "-"),
                    13, bold=True, align="C")
        pdf.line_of(translate("register.pdf_filter", lang, filter=where.label(lang), people=len(group)), 11,
                    align="C")
        pdf.gap()
        pdf.table_of([translate(f"register.col_{c}", lang) for c in PDF_COLUMNS],
                     ([r.house_no, r.full_name, r.age if r.age is not None else "", _phone(r.phone),
                       vulnerability_labels(r, lang), needs_labels(r, lang), "", ""] for r in group),
                     widths=PDF_WIDTHS, size=10, align=("L", "L", "R", "L", "L", "L", "C", "L"))
        pdf.gap(6)
        pdf.signature(translate("register.pdf_walker", lang))
        pdf.line_of(translate("register.pdf_date_line", lang, line="." * 30), 12, align="R")
    if first:
        pdf.line_of(title, 14, bold=True, align="C")
        pdf.line_of(translate("register.pdf_none", lang, filter=where.label(lang)), 12, align="C")
    pdf.save(path)
    return ExportResult(path, people)
