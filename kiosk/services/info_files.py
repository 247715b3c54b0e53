"""The monthly INFO report as files an officer opens beside INFO's web forms: XLSX (summary,
per-person and survey sheets), CSV with a BOM (one file a sheet) and a printable PDF summary with
the twelve-month chart. Named after the BE month: INFO-2569-10.xlsx.

The columns and their order are data (kiosk/content/info_layout.toml, or info_layout.toml in the
config folder when an office has its own): when INFO's form changes an officer edits the layout,
not the code. Every file is written through kiosk.documents, atomic and 0600: they name people."""

from __future__ import annotations

import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

from ..documents import Sheet, ThaiPDF, write_csv, write_xlsx
from ..errors import ConfigError, ValidationError
from ..i18n import translate
from ..thai.addresses import Address, format_house_thai, subdistrict
from ..thai.dates import fiscal_year, format_be_date, format_be_datetime
from . import audit
from . import info_report as report
from .info_report import Month, MonthFigures
from .staff import Actor, require

CONTENT = Path(__file__).resolve().parent.parent / "content"
LAYOUT_FILE = "info_layout.toml"
FORMATS = ("xlsx", "csv", "pdf")
SECTIONS = ("help", "helped_area", "area", "subtype", "status", "channel", "moo", "survey", "backlog")


def _d(value: object) -> str:
    if isinstance(value, datetime):
        return format_be_datetime(value)
    if isinstance(value, date):
        return format_be_date(value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":  # an ISO date kept in a timeline event
        try:
            return format_be_date(date.fromisoformat(value))
        except ValueError:
            return value
    return ""


@cache
def _place(code: str) -> tuple[str, str, str]:
    area = subdistrict(code) if code else None
    return (area.name_th, area.district_th, area.province_th) if area else ("", "", "")


def _address(r: dict) -> str:
    house = format_house_thai(Address(house_no=r["house_no"] or None, moo=r["moo"], village=r["village"]))
    sub, district, province = _place(r["subdistrict_code"])
    place = " ".join(p for p in (f"ตำบล{sub}" if sub else "", f"อำเภอ{district}" if district else "",
                                 f"จังหวัด{province}" if province else "") if p)
    return " ".join(p for p in (house, place) if p)


def _codes(prefix: str, value: str, lang: str) -> str:
    return ", ".join(translate(prefix + c, lang) for c in value.split(",") if c)


def _words(amount: Decimal | None) -> str:
    if not amount:
        return ""
    from .workflow import amount_words

    return amount_words(amount)


Getter = Callable[[dict, str], object]
COMMON: dict[str, Getter] = {
    "prefix": lambda r, _l: r["prefix"],
    "first_name": lambda r, _l: r["first_name"],
    "last_name": lambda r, _l: r["last_name"],
    "full_name": lambda r, _l: " ".join(p for p in (r["prefix"] + r["first_name"], r["last_name"]) if p),
    "doc_type": lambda r, lang: translate(f"case.doc_{r['doc_type']}", lang) if r["doc_type"] else "",
    "doc_number": lambda r, _l: r["doc_number"],
    "birth_date": lambda r, _l: _d(r["birth_date"]),
    "house_no": lambda r, _l: r["house_no"],
    "moo": lambda r, _l: r["moo"] if r["moo"] is not None else "",
    "village": lambda r, _l: r["village"],
    "subdistrict": lambda r, _l: _place(r["subdistrict_code"])[0],
    "district": lambda r, _l: _place(r["subdistrict_code"])[1],
    "province": lambda r, _l: _place(r["subdistrict_code"])[2],
    "address": lambda r, _l: _address(r),
    "info_state": lambda r, lang: translate(f"inforeport.state_{r['info_state']}", lang),
    "entered_by": lambda r, _l: r["entered_by"],
    "entered_on": lambda r, _l: _d(r["entered_at"]),
}
RECORD_FIELDS: dict[str, Getter] = {
    **COMMON,
    "ticket_no": lambda r, _l: r["ticket_no"],
    "asked_on": lambda r, _l: _d(r["asked_at"]),
    "phone": lambda r, _l: r["phone"],
    "area": lambda r, lang: translate(f"category.{r['area']}", lang),
    "subtype": lambda r, lang: translate(f"category.{r['subtype']}", lang),
    "channel": lambda r, lang: translate(f"inforeport.channel_{r['channel']}", lang),
    "status": lambda r, lang: translate(f"status.{r['status']}", lang),
    "decision": lambda r, lang: translate(f"inforeport.decision_{r['decision']}", lang) if r["decision"] else "",
    "decided_on": lambda r, _l: _d(r["decided_on"]),
    "helped_on": lambda r, _l: _d(r["helped_at"]),
    "times_helped": lambda r, _l: r["times_helped"] or "",
    "amount": lambda r, _l: r["amount"] if r["amount"] is not None else "",
    "amount_words": lambda r, _l: _words(r["amount"]),
    "items": lambda r, _l: r["items"],
}
SURVEY_FIELDS: dict[str, Getter] = {
    **COMMON,
    "surveyed_on": lambda r, _l: _d(r["surveyed_on"]),
    "team": lambda r, _l: r["team"],
    "vulnerabilities": lambda r, lang: _codes("survey.vuln_", r["vulnerabilities"], lang),
    "needs": lambda r, lang: _codes("category.", r["needs"], lang),
    "living_situation": lambda r, lang: translate(f"survey.living_{r['living_situation']}", lang)
    if r["living_situation"] else "",
    "consent": lambda r, lang: translate("inforeport.yes" if r["consent"] else "inforeport.no", lang),
}


@dataclass(frozen=True)
class Column:
    field: str
    th: str
    en: str

    def heading(self, lang: str) -> str:
        return self.en if lang == "en" and self.en else self.th


@dataclass(frozen=True)
class Layout:
    sections: tuple[str, ...]
    records: tuple[Column, ...]
    surveys: tuple[Column, ...]
    source: Path


def layout_path(home: Path | None) -> Path:
    """The office's own layout (info_layout.toml in the config folder) if there is one, else ours."""
    own = home / LAYOUT_FILE if home else None
    return own if own is not None and own.is_file() else CONTENT / LAYOUT_FILE


def load_layout(home: Path | None = None) -> Layout:
    """The layout, checked: an unknown section or field, or a column without a heading, is refused
    naming the file and the entry (never a traceback)."""
    path = layout_path(home)

    def bad(problem: str) -> ConfigError:
        return ConfigError("inforeport.layout_invalid", f"{path}: {problem}", file=str(path), problem=problem)

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise bad(str(exc)) from None
    sections = data.get("summary", {}).get("sections", list(SECTIONS))
    if not isinstance(sections, list) or any(s not in SECTIONS for s in sections):
        raise bad(f"summary.sections: known are {', '.join(SECTIONS)}")

    def columns(name: str, known: dict) -> tuple[Column, ...]:
        entries = data.get(name, [])
        if not isinstance(entries, list) or not entries:
            raise bad(f"[[{name}]]: at least one column")
        out = []
        for i, entry in enumerate(entries, start=1):
            field = entry.get("field") if isinstance(entry, dict) else None
            if field not in known:
                raise bad(f"[[{name}]] #{i}: field {field!r} unknown; known are {', '.join(sorted(known))}")
            th = entry.get("th", "")
            if not isinstance(th, str) or not th.strip():
                raise bad(f"[[{name}]] #{i} ({field}): th heading missing")
            out.append(Column(field, th, str(entry.get("en", ""))))
        return tuple(out)

    return Layout(tuple(sections), columns("records", RECORD_FIELDS), columns("surveys", SURVEY_FIELDS), path)


# -- the summary, in INFO's order ------------------------------------------------------------------
def summary_rows(f: MonthFigures, sections: tuple[str, ...], lang: str = "th") -> list[list[object]]:
    """[section, item, count, people, baht] rows."""
    def t(key: str, **kw) -> str:
        return translate(key, lang, **kw)

    def moo(m: int | None) -> str:
        return t("inforeport.moo", moo=m) if m is not None else t("inforeport.moo_unknown")

    rows: list[list[object]] = []
    for section in sections:
        head = t(f"inforeport.section_{section}")
        if section == "help":
            rows += [[head, t("inforeport.requests"), f.requests, "", ""],
                     [head, t("inforeport.people_helped"), "", f.helped.people, ""],
                     [head, t("inforeport.times_helped"), f.helped.times, "", ""],
                     [head, t("inforeport.baht"), "", "", f.helped.baht],
                     [head, t("inforeport.baht_words"), "", "", _words(f.helped.baht) or "-"]]
        elif section == "helped_area":
            rows += [[head, translate(f"category.{a}", lang), h.times, h.people, h.baht]
                     for a, h in f.helped_by_area.items()]
        elif section == "area":
            rows += [[head, translate(f"category.{a}", lang), n, "", ""] for a, n in f.by_area.items()]
        elif section == "subtype":
            rows += [[head, translate(f"category.{s}", lang), n, "", ""] for s, n in f.by_subtype.items()]
        elif section == "status":
            rows += [[head, translate(f"status.{s}", lang), n, "", ""] for s, n in f.by_status.items()]
        elif section == "channel":
            rows += [[head, t(f"inforeport.channel_{c}"), n, "", ""] for c, n in f.by_channel.items()]
        elif section == "moo":
            rows += [[head, moo(m), n, "", ""] for m, n in f.by_moo.items()]
        elif section == "survey":
            rows += [[head, t("inforeport.surveys"), f.surveys, "", ""],
                     [head, t("inforeport.survey_households"), f.survey_households, "", ""]]
            rows += [[head, moo(m), n, "", ""] for m, n in f.surveys_by_moo.items()]
        elif section == "backlog":
            b = f.backlog
            rows += [[head, t(key), n, "", ""] for key, n in (
                ("inforeport.backlog_cases", b.cases), ("inforeport.changed_cases", b.cases_changed),
                ("inforeport.entered_cases", b.cases_entered), ("inforeport.backlog_surveys", b.surveys),
                ("inforeport.changed_surveys", b.surveys_changed), ("inforeport.entered_surveys", b.surveys_entered))]
    return rows


def summary_header(lang: str) -> list[str]:
    return [translate(k, lang) for k in ("inforeport.col_section", "inforeport.col_item", "inforeport.col_count",
                                         "inforeport.col_people", "inforeport.col_baht")]


def file_stem(month: Month, org: str | None = None) -> str:
    """INFO-2569-10 for the whole centre; INFO-WPK-2569-10 for one LAO's report (several of an
    LAO's staff's: INFO-WPK+NKL-2569-10), so a joint centre's reports can share a folder."""
    return f"INFO-{month.label}" if not org else f"INFO-{org.replace(',', '+')}-{month.label}"


@dataclass
class Exported:
    month: Month
    paths: list[Path]
    cases: int
    surveys: int


def _table(columns: tuple[Column, ...], fields: dict[str, Getter], rows: list[dict], lang: str):
    header = [c.heading(lang) for c in columns]
    getters = [fields[c.field] for c in columns]
    return header, ([g(r, lang) for g in getters] for r in rows)


def _sweep(out: Path, stem: str, older_than: float = 600) -> None:
    """Remove temporary files an export killed midway left behind (write_private's ".<name>.*.tmp")."""
    limit = time.time() - older_than
    for tmp in out.glob(f".{stem}*.tmp"):
        try:
            if tmp.stat().st_mtime < limit:
                tmp.unlink()
        except OSError:
            pass


def export(actor: Actor, month: Month, fmt: str, out: Path, *, home: Path | None = None, centre: str = "",
           lang: str = "th", org: str | None = None) -> Exported:
    """Write the month's report in `fmt` into the folder `out` (replacing an earlier one of the same
    month atomically); the files name people, so the export is audited."""
    require(actor, report.ROLE)
    org = report.scoped_org(actor, org)
    if fmt not in FORMATS:
        raise ValidationError("inforeport.format_unknown", f"unknown format {fmt}", field="format")
    if not out.is_dir():
        raise ValidationError("inforeport.out_missing", f"no folder {out}", field="out", path=str(out))
    layout = load_layout(home)
    stem = file_stem(month, org)
    _sweep(out, stem)
    records = report.record_rows(month, org)
    survey = report.survey_rows(month, org)
    f = report._figures(month, org, (records, survey))  # the backlog from the records' INFO states
    sections = layout.sections
    paths: list[Path] = []
    if fmt == "pdf":
        paths.append(write_pdf(out / f"{stem}.pdf", f, report._history(month, 12, org), sections, centre, lang))
        # the same records the sheets list (asked in the month, or helped in it), so every format says one figure
        cases, surveys = len(records), f.surveys
    else:
        cases, surveys = len(records), len(survey)
        rec_header, rec_rows = _table(layout.records, RECORD_FIELDS, records, lang)
        sur_header, sur_rows = _table(layout.surveys, SURVEY_FIELDS, survey, lang)
        summary = summary_rows(f, sections, lang)
        if fmt == "xlsx":
            paths.append(write_xlsx(out / f"{stem}.xlsx", [
                Sheet(translate("inforeport.sheet_summary", lang), summary_header(lang), summary),
                Sheet(translate("inforeport.sheet_records", lang), rec_header, rec_rows),
                Sheet(translate("inforeport.sheet_surveys", lang), sur_header, sur_rows)]))
        else:
            paths.append(write_csv(out / f"{stem}.csv", rec_header, rec_rows))
            paths.append(write_csv(out / f"{stem}-summary.csv", summary_header(lang), summary))
            paths.append(write_csv(out / f"{stem}-surveys.csv", sur_header, sur_rows))
    audit.record("info_export", actor=actor.username, target_type="month", target_id=month.label,
                 detail=f"{fmt} {cases} cases {surveys} surveys", client=actor.client)
    return Exported(month, paths, cases, surveys)


def write_pdf(path: Path, f: MonthFigures, history: list, sections: tuple[str, ...], centre: str,
              lang: str = "th") -> Path:
    """The printable summary: Thai title, the month's name, the summary table and the chart."""
    def t(key: str, **kw) -> str:
        return translate(key, lang, **kw)

    pdf = ThaiPDF(t("inforeport.report_title"), lang=lang)
    pdf.line_of(t("inforeport.report_title"), 16, bold=True, align="C")
    if centre:
        pdf.line_of(centre, 13, align="C")
    pdf.line_of(f"{t('inforeport.month_heading', month=f.month.name(lang))}  ·  "
                f"{t('inforeport.fiscal_year', year=fiscal_year(f.month.first_day))}", 13, align="C")
    pdf.gap(3)
    pdf.line_of(t("inforeport.pdf_helped", people=f.helped.people, times=f.helped.times,
                  baht=f"{f.helped.baht:,.2f}", words=_words(f.helped.baht) or "-"), 12)
    pdf.gap(3)
    rows = [[section, item, count, people, f"{baht:,.2f}" if isinstance(baht, Decimal) else baht]
            for section, item, count, people, baht in summary_rows(f, sections, lang)]
    pdf.table_of(summary_header(lang), rows, widths=(26, 34, 10, 12, 18), size=9, align=("L", "L", "R", "R", "R"))
    pdf.gap(6)
    areas = list(report.AREAS)
    pdf.bars_of(t("inforeport.chart_title"), [m.short(lang) for m, _c in history],
                [[counts.get(a, 0) for a in areas] for _m, counts in history],
                [translate(f"category.{a}", lang) for a in areas])
    return pdf.save(path)
