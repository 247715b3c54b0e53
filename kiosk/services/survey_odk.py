"""Reading the exports of ODK Central and KoboToolbox for the survey's XLSForm
(kiosk.services.survey_form) into the rows of the one validation (kiosk.services.survey_rows):
one row per household member, the household's fields copied onto each, the submission's instance
ID as the household's import key (importing the same export again adds nothing).

The layouts read (from ODK Central's and KoboToolbox's own export code):
- ODK Central, CSV (a .zip of CSVs, or the main CSV with the repeat's CSV beside it): the main
  table `<form_id>.csv` has SubmissionDate, the fields with their groups joined by "-"
  (`household-house_no`; or the bare name when exported without group paths), a geopoint in
  four columns (`household-location-Latitude`, …), then KEY (the instance ID), ReviewState and
  other metadata. The repeat `<form_id>-members.csv` has the members' fields, PARENT_KEY (the
  household's KEY) and KEY.
- KoboToolbox, XLSX with "XML values and headers": the first sheet has the submissions, groups
  joined by "/" (`household/house_no`, or bare names), the geopoint as `household/location` and
  `_location_latitude` …, then `_uuid` and `_index`; the repeat's sheet (`members`) has
  `members/first_name` …, `_parent_index` pointing at the household's `_index`. A select_multiple
  is its codes separated by spaces (with a 0/1 column per choice, `members/vulnerabilities/bedbound`,
  read when the summary column is absent).
- A single table with the repeat spread across columns (`members[1]/first_name`,
  `members[2]/first_name`, …), as some exports flatten it.
Row numbers in the report are those of the members' table (each member is a row there); in a
flattened table, the members counted in order from 2, as if the repeat were its own table (the
report says so: the import service tells rows apart by their number)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..errors import ValidationError
from .survey_form import GEOPOINT, META, REPEAT, form_fields
from .survey_rows import COLUMNS, Issue, codes, find_code

MULTI = ("vulnerabilities", "needs")
# Columns ODK Central and KoboToolbox add of their own (every Kobo one starts with "_")
CENTRAL_META = {"SubmissionDate", "KEY", "PARENT_KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent",
                "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits", "FormVersion", "isValidated"}
ODK_META = {"instanceID", "instanceName", "deprecatedID", "audit", "uuid", *META}  # uuid: Kobo's formhub/uuid
REJECTED = {"rejected", "validation_status_not_approved"}  # Central's ReviewState, Kobo's _validation_status
_INDEX = re.compile(rf"(?:^|[/-]){REPEAT}\[(\d+)\]")
_GEO = re.compile(rf"(?:^|[/-])_?{GEOPOINT}[_-](latitude|longitude|altitude|accuracy|precision)$", re.I)
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass
class _Table:
    """One CSV file or sheet: its name, header and rows (line number, cells)."""

    name: str
    headers: list[str]
    rows: list[tuple[int, list]]

    @cached_property
    def fields(self) -> list[tuple[int, int | None, str, str]]:
        """(position, repeat instance or None, kind, name) of each header holding a field (see _field)."""
        out = []
        for i, header in enumerate(self.headers):
            found = _field(header)
            if found is not None:
                index = _INDEX.search(header)
                out.append((i, int(index.group(1)) if index else None, *found))
        return out

    def column(self, *names: str) -> int | None:
        """The position of the first header among `names` (compared as written, then by last segment)."""
        for name in names:
            if name in self.headers:
                return self.headers.index(name)
        for name in names:
            for i, h in enumerate(self.headers):
                if _segments(h)[-1] == name:
                    return i
        return None

    @property
    def is_repeat(self) -> bool:
        return "PARENT_KEY" in self.headers or "_parent_index" in self.headers


def _segments(header: str) -> list[str]:
    return [re.sub(r"\[\d+\]$", "", part) for part in re.split(r"[/-]", str(header or "").strip())] or [""]


def _field(header: str) -> tuple[str, str] | None:
    """What a header holds: ("col", column key), ("geo", "latitude"|"longitude"|…), ("point", ""),
    ("choice", "column/code") for a select_multiple's 0/1 column, or None (metadata, unknown)."""
    geo = _GEO.search(str(header or ""))
    if geo:
        return ("geo", geo.group(1).lower())
    parts = _segments(header)
    name = parts[-1]
    if name == GEOPOINT:
        return ("point", "")
    if name in _DATA:
        return ("col", name)
    if len(parts) > 1 and parts[-2] in MULTI and name in codes(parts[-2]):
        return ("choice", f"{parts[-2]}/{name}")
    return None


_DATA = {name for name in form_fields() if name not in META and name != GEOPOINT} & set(COLUMNS)


def is_export_header(headers: list) -> bool:
    """Whether a table's header is an ODK Central or KoboToolbox export's (not the template's)."""
    texts = {str(h).strip() for h in headers if h is not None}
    return bool(texts & {"KEY", "PARENT_KEY", "SubmissionDate", "_uuid", "_index", "_parent_index"}
                or any(_INDEX.search(h) or re.search(r"(?:^|[/-])instanceID$", h) for h in texts))


def is_export(path: Path) -> bool:
    """Whether `path` (.zip, .csv or .xlsx) is an export of ODK Central or KoboToolbox."""
    suffix = path.suffix.lower()
    if suffix == ".zip":
        return True
    try:
        if suffix == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as f:
                return is_export_header(next(csv.reader(f), []))
        if suffix == ".xlsx":
            from openpyxl import load_workbook

            book = load_workbook(path, read_only=True, data_only=True)
            try:
                return any(is_export_header(list(next(s.iter_rows(max_row=1, values_only=True), ())))
                           for s in book.worksheets)
            finally:
                book.close()
    except (OSError, ValueError, KeyError, UnicodeDecodeError, zipfile.BadZipFile):
        return False
    return False


# ------------------------------------------------------------------------------- reading tables

def _csv_table(name: str, text: str) -> _Table:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    headers = [str(h).strip() for h in (rows[0] if rows else [])]
    return _Table(name, headers, list(enumerate(rows[1:], start=2)))


def _zip_tables(path: Path) -> list[_Table]:
    with zipfile.ZipFile(path) as archive:
        return [_csv_table(Path(info.filename).name, archive.read(info).decode("utf-8"))
                for info in archive.infolist() if info.filename.lower().endswith(".csv")
                and not Path(info.filename).name.startswith(".")]


def _csv_tables(path: Path) -> list[_Table]:
    """The CSV given and its companions beside it: the repeat's `<main>-<repeat>.csv` for a main
    table, the main `<main>.csv` for a repeat's."""
    given = _csv_table(path.name, path.read_text(encoding="utf-8-sig"))
    if given.is_repeat:
        main = path.with_name(path.stem.rsplit("-", 1)[0] + path.suffix)
        companions = [main] if "-" in path.stem and main.exists() else []
    else:
        companions = sorted(p for p in path.parent.glob(f"{_glob_escape(path.stem)}-*") if p.suffix.lower() == ".csv")
    return [given, *(_csv_table(p.name, p.read_text(encoding="utf-8-sig")) for p in companions)]


def _glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def _xlsx_tables(path: Path) -> list[_Table]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        tables = []
        for sheet in book.worksheets:
            rows = list(sheet.iter_rows(values_only=True))
            headers = [str(h).strip() if h is not None else "" for h in (rows[0] if rows else [])]
            tables.append(_Table(sheet.title, headers, [(n, list(r)) for n, r in enumerate(rows[1:], start=2)]))
        return tables
    finally:
        book.close()


# ------------------------------------------------------------------------------- joining

def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _instance(value: object) -> str:
    """An instance ID as ODK writes it ("uuid:…"), whichever platform exported it (Kobo's _uuid
    lacks the prefix): the household's import key."""
    text = str(value or "").strip()
    if _UUID.fullmatch(text.lower()):
        return "uuid:" + text.lower()
    return text.lower() if text.lower().startswith("uuid:") else text


def _values(table: _Table, cells: list, member: int | None = None) -> dict:
    """The survey's columns found in one row of `table` ({column key: value}); with `member`, the
    columns of that repeat instance only (a flattened export)."""
    out: dict = {}
    point, lat_lon, chosen = None, {}, {}
    for i, index, kind, name in table.fields:
        if index != member or i >= len(cells) or _blank(cells[i]):
            continue
        if kind == "col":
            out[name] = cells[i]
        elif kind == "geo" and name in ("latitude", "longitude"):
            lat_lon[name] = cells[i]
        elif kind == "point":
            point = str(cells[i]).split()
        elif kind == "choice" and str(cells[i]).strip() in ("1", "1.0", "True", "true"):
            column, code = name.split("/")
            chosen.setdefault(column, []).append(code)
    for column in MULTI:
        if column in out and isinstance(out[column], str):
            tokens = out[column].split()
            if tokens and all(find_code(column, t) for t in tokens):  # Kobo/ODK: codes separated by spaces
                out[column] = ",".join(tokens)
        elif column in chosen:
            out[column] = ",".join(chosen[column])
    if not lat_lon and point and len(point) >= 2:
        lat_lon = {"latitude": point[0], "longitude": point[1]}
    out.update(lat_lon)
    return out


def _key_column(main: _Table) -> int | None:
    """The submission's lasting ID: Central's KEY (kept through edits), Kobo's _uuid, else the
    form's meta/instanceID."""
    return main.column("KEY", "_uuid", "meta/instanceID", "meta-instanceID", "instanceID")


def _pick(tables: list[_Table], path: Path) -> tuple[_Table, _Table | None]:
    mains = [t for t in tables if not t.is_repeat and t.headers]
    if not mains:
        raise ValidationError("survey.odk_no_main", path=str(path))
    repeats = [t for t in tables if t.is_repeat]
    members = next((t for t in repeats if Path(t.name).stem.endswith(REPEAT)), repeats[0] if repeats else None)
    return mains[0], members


def read_export(path: Path) -> tuple[list[tuple[int, dict]], list[Issue]]:
    """The member rows of an ODK Central or KoboToolbox export (see the module's docstring), and
    what was found about the file: its unknown columns, households without members or rejected.
    A member whose household is missing refuses the file (a partial export)."""
    suffix = path.suffix.lower()
    try:
        tables = (_zip_tables(path) if suffix == ".zip" else _csv_tables(path) if suffix == ".csv"
                  else _xlsx_tables(path))
    except (OSError, ValueError, KeyError, UnicodeDecodeError, zipfile.BadZipFile) as exc:
        raise ValidationError("survey.file_unreadable", str(exc), path=str(path)) from None
    main, members = _pick(tables, path)
    issues = _header_issues(main) + (_header_issues(members) if members else [])
    found = {f[1] for t in (main, members) if t for h in t.headers if (f := _field(h)) and f[0] == "col"}
    missing = [c for c in ("first_name", "surveyed_on") if c not in found]
    if missing:
        raise ValidationError("survey.odk_xml_headers", columns=", ".join(missing))

    key_at, review_at = _key_column(main), main.column("ReviewState", "_validation_status")
    link_at = main.column("_index") if members and "_parent_index" in members.headers else key_at
    households: dict[str, tuple[int, dict, str]] = {}  # link value → (line, household values, import key)
    rejected: set[str] = set()
    for line, cells in main.rows:
        if all(_blank(c) for c in cells):
            continue
        link = _link(str(cells[link_at]).strip() if link_at is not None and link_at < len(cells) else str(line))
        review = cells[review_at] if review_at is not None and review_at < len(cells) else None
        if str(review or "").strip() in REJECTED:
            issues.append(Issue(line, "household_no", "survey.odk_rejected", {"row": line}, error=False))
            rejected.add(link)
            continue
        key = _instance(cells[key_at]) if key_at is not None and key_at < len(cells) else ""
        values = {**_values(main, cells), "household_no": key or str(line), "import_key": key or None}
        households[link] = (line, values, key)

    rows: list[tuple[int, dict]] = []
    with_members: set[str] = set()
    if members is not None:
        parent_at = members.column("PARENT_KEY", "_parent_index")
        orphans = []
        for line, cells in members.rows:
            if all(_blank(c) for c in cells):
                continue
            parent = _link(str(cells[parent_at]).strip()) if parent_at is not None and parent_at < len(cells) else ""
            if parent not in households:
                if parent not in rejected:
                    orphans.append(line)
                continue
            with_members.add(parent)
            rows.append((line, {**households[parent][1], **_values(members, cells)}))
        if orphans:
            raise ValidationError("survey.odk_orphans", count=len(orphans), table=members.name,
                                  rows=", ".join(map(str, orphans[:10])) + (" …" if len(orphans) > 10 else ""))
    else:  # the repeat spread across the main table's columns: one row per member, numbered in order
        indexes = sorted({int(m.group(1)) for h in main.headers if (m := _INDEX.search(h))})
        cells_of = dict(main.rows)
        for link, (line, values, _key) in households.items():
            for index in indexes:
                member = _values(main, cells_of[line], member=index)
                if member:
                    with_members.add(link)
                    rows.append((len(rows) + 2, {**values, **member}))
        if indexes:
            issues.append(Issue(1, REPEAT, "survey.odk_flattened", error=False))
    for link, entry in households.items():
        if link not in with_members:
            line = entry[0]
            issues.append(Issue(line, "household_no", "survey.odk_no_members", {"row": line}, error=False))
    return rows, issues


def _link(value: str) -> str:
    """A join value compared as written, numbers without Excel's ".0"."""
    return value[:-2] if value.endswith(".0") and value[:-2].isdigit() else value


def _header_issues(table: _Table) -> list[Issue]:
    """The columns neither the form's nor the platforms' own: reported, left out."""
    issues = []
    for header in table.headers:
        if not header or header in CENTRAL_META or header.startswith("_") or header.startswith("SET-OF-"):
            continue
        if _field(header) is None and _segments(header)[-1] not in ODK_META | {GEOPOINT} | set(form_fields()):
            issues.append(Issue(1, header, "survey.header_unknown", {"header": header}, error=False))
    return issues

