"""One survey row checked: the codes a survey uses, the spreadsheet's columns, and the one
validation every way in (spreadsheet, ODK export, the staff form) goes through.

A row arrives as {column key: cell value} — text as typed, or the numbers and dates a
spreadsheet holds — and leaves as a `SurveyRow` of stored forms, with `Issue`s (errors stop the
import, warnings are reported only). The Thai toolkit does the parsing: Thai digits, BE dates
(a CE year is read as CE and said so), stray spaces, national ID checksums, names typed on the
English keyboard layout. Nothing here reads the database (kiosk.services.surveys does)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache, lru_cache

from db.reference import category_keys

from ..errors import ValidationError
from ..i18n import translate
from ..text import clean_text
from ..thai.addresses import parse_house_no, parse_moo, subdistrict
from ..thai.dates import BE_OFFSET, OLDEST_BE, age_on, parse_be_date
from ..thai.digits import to_arabic_digits
from ..thai.ids import DocumentType, parse_document
from ..thai.names import check_prefix, normalize_name, split_prefix, wrong_layout_suggestion
from ..thai.phones import parse_phone
from .intake import BASIS_PUBLIC_TASK, BASIS_WITH_CONSENT, DISABILITIES, DOC_TYPES, HEALTH, LONG_MAX, NAME_MAX
from .people import PersonData

TEAM_KINDS = ("community_leader", "otl", "local_admin_volunteer", "civil_defence", "health_volunteer", "other")
VULNERABILITIES = ("elderly", *DISABILITIES, "bedbound", "chronic_illness", "pregnant", "child_no_caregiver",
                   "low_income", "homeless", "other")
LIVING_SITUATIONS = ("alone", "elderly_only", "with_family", "with_carer", "other")
ELDERLY_AGE = 60
YES, NO = ("ใช่", "yes", "y", "1", "true", "ยินยอม"), ("ไม่ใช่", "no", "n", "0", "false", "ไม่ยินยอม", "")
# Thailand's extent with a margin: a point outside has its latitude and longitude swapped, or a typo
THAILAND = ((5.0, 21.0), (97.0, 106.0))

# The spreadsheet's columns in order: labels are `survey.col_<key>`, explanations `survey.help_<key>`
COLUMNS = ("household_no", "house_no", "moo", "village", "subdistrict_code", "prefix", "first_name", "last_name",
           "doc_type", "doc_number", "birth_date", "phone", "vulnerabilities", "needs", "living_situation", "note",
           "surveyed_on", "team", "surveyor", "consent", "latitude", "longitude")
REQUIRED = ("household_no", "first_name", "surveyed_on")
HOUSEHOLD_FIELDS = ("house_no", "moo", "village", "subdistrict_code", "latitude", "longitude")


def needs_codes() -> tuple[str, ...]:
    """What a survey may say a person needs: the categories of help (labels `category.<key>`)."""
    return tuple(category_keys())


def code_label(column: str, code: str, lang: str = "th") -> str:
    """The catalogue label of one coded value of `column`."""
    prefix = {"vulnerabilities": "survey.vuln_", "living_situation": "survey.living_", "doc_type": "case.doc_",
              "needs": "category."}[column]
    return translate(prefix + code, lang)


def codes(column: str) -> tuple[str, ...]:
    """The allowed codes of a coded column (empty for a free one)."""
    return {"vulnerabilities": VULNERABILITIES, "living_situation": LIVING_SITUATIONS, "doc_type": DOC_TYPES,
            "needs": needs_codes()}.get(column, ())


@dataclass(frozen=True)
class Issue:
    """Something wrong (or worth saying) in one cell: `line` is the file's row number."""

    line: int
    column: str
    key: str
    params: dict = field(default_factory=dict)
    error: bool = True

    def text(self, lang: str = "th") -> str:
        label = translate(f"survey.col_{self.column}", lang) if self.column in COLUMNS else self.column
        message = translate(self.key, lang, **self.params)
        return translate("survey.report_error" if self.error else "survey.report_warning", lang,
                         row=self.line, column=label, message=message)


@dataclass(frozen=True)
class SurveyRow:
    """A checked row in stored forms."""

    line: int
    household_no: str
    house_no: str
    moo: int | None
    village: str
    subdistrict_code: str
    latitude: float | None
    longitude: float | None
    person: PersonData
    vulnerabilities: tuple[str, ...]
    needs: tuple[str, ...]
    living_situation: str
    note: str
    surveyed_on: date
    team: str
    surveyor: str
    consent: bool
    legal_basis: str
    import_key: str | None = None

    def household(self) -> tuple:
        return tuple(getattr(self, f) for f in HOUSEHOLD_FIELDS)


def is_blank(raw: dict) -> bool:
    return all(_cell(v) == "" for v in raw.values())


def _cell(value: object) -> str:
    """A cell as text: numbers as a spreadsheet shows them (3.0 → "3"), text cleaned of control
    characters and outer spaces."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_text(str(value), 4 * LONG_MAX).strip()


class _Row:
    """Collects the issues of one row while its cells are parsed."""

    def __init__(self, raw: dict, line: int) -> None:
        self.raw, self.line, self.issues = raw, line, []

    def text(self, column: str) -> str:
        return _cell(self.raw.get(column))

    def check(self, column: str, parse, default=None):
        """`parse()` or, when it raises a ValidationError, the error recorded and `default`."""
        try:
            return parse()
        except ValidationError as exc:
            self.fail(column, exc.key, **{k: v for k, v in exc.params.items() if k != "field"})
            return default

    def fail(self, column: str, key: str, **params) -> None:
        self.issues.append(Issue(self.line, column, key, params))

    def warn(self, column: str, key: str, **params) -> None:
        self.issues.append(Issue(self.line, column, key, params, error=False))


def _date(row: _Row, column: str, today: date) -> date | None:
    """A date cell: a spreadsheet date (one in year 2400 or later was typed in BE), ISO yyyy-mm-dd
    (ODK), or d/m/yyyy in BE, or in CE with a warning (read as CE: a BE year of 1900–2100 is no
    date anyone alive was born on)."""
    value = row.raw.get(column)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        if value.year >= OLDEST_BE:  # a BE year typed into a date cell: the spreadsheet took it for CE
            return parse_be_date(f"{value.day}/{value.month}/{value.year}", today=today, field=column)
        return value
    text = to_arabic_digits(row.text(column))
    if not text:
        return None
    iso = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[T ][0-9:.]+)?", text)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
        text = f"{day}/{month}/{year + BE_OFFSET if year < 2200 else year}"
    try:
        return parse_be_date(text, today=today, field=column)
    except ValidationError as exc:
        if exc.key != "thai.date_looks_ce":
            row.fail(column, exc.key, **{k: v for k, v in exc.params.items() if k != "field"})
            return None
        row.warn(column, "survey.ce_year_read", year=exc.params["year"], be_year=exc.params["be_year"])
        return parse_be_date(str(exc.params["suggestion"]), today=today, field=column)


def _name(row: _Row, column: str, *, required: bool) -> str:
    def parse() -> str:
        name = _normalized(row.text(column))
        if not name:
            if required:
                raise ValidationError("intake.name_required")
            return ""
        if len(name) > NAME_MAX:
            raise ValidationError("intake.too_long", max=NAME_MAX)
        if not any(ch.isalpha() for ch in name):
            raise ValidationError("intake.name_letters")
        suggestion = wrong_layout_suggestion(name)
        if suggestion:
            raise ValidationError("survey.wrong_layout", suggestion=suggestion)
        return name
    return row.check(column, parse, "")


def _text(row: _Row, column: str, limit: int) -> str:
    def parse() -> str:
        text = row.text(column)
        if len(text) > limit:
            raise ValidationError("intake.too_long", max=limit)
        return text
    return row.check(column, parse, "")


@cache
def _code_index(column: str) -> dict[str, str]:
    """Every way a code of `column` may be written (key, Thai or English label), folded → the code."""
    index: dict[str, str] = {}
    for code in codes(column):
        for name in (code_label(column, code, "en"), code_label(column, code, "th"), code):
            index[name.casefold()] = code
    return index


def find_code(column: str, value: str) -> str | None:
    """The code a cell names: the key itself, or its Thai or English label, any case."""
    return _code_index(column).get(value.strip().casefold())


@lru_cache(maxsize=16384)
def _normalized(text: str) -> str:
    """normalize_name, once per distinct text in an import: names and prefixes repeat through a
    village, and pythainlp's normalisation is most of a row's cost."""
    return normalize_name(text)


def _code_list(row: _Row, column: str) -> tuple[str, ...]:
    found: list[str] = []
    for part in re.split(r"[,;、\n]", row.text(column)):
        if part.strip():
            code = find_code(column, part)
            if code is None:
                row.fail(column, "survey.unknown_code", value=part.strip())
            elif code not in found:
                found.append(code)
    return tuple(c for c in codes(column) if c in found)  # catalogue order: the same answers compare equal


def _one_code(row: _Row, column: str, default: str = "") -> str:
    text = row.text(column)
    if not text:
        return default
    code = find_code(column, text)
    if code is None:
        row.fail(column, "survey.unknown_code", value=text)
        return default
    return code


def _consent(row: _Row) -> bool:
    text = row.text("consent").casefold()
    if text in YES:
        return True
    if text not in NO:
        row.fail("consent", "survey.consent_value", value=text)
    return False


def _number(row: _Row, column: str) -> float | None:
    text = to_arabic_digits(row.text(column)).replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        row.fail(column, "survey.number_format", value=text)
        return None


def _position(row: _Row) -> tuple[float | None, float | None]:
    lat, lon = _number(row, "latitude"), _number(row, "longitude")
    if (lat is None) != (lon is None):
        row.fail("latitude", "survey.gps_pair")
        return None, None
    if lat is not None and not (THAILAND[0][0] <= lat <= THAILAND[0][1] and THAILAND[1][0] <= lon <= THAILAND[1][1]):
        row.fail("latitude", "survey.gps_outside")
        return None, None
    return lat, lon


def _document(row: _Row) -> tuple[str, str]:
    number = to_arabic_digits(row.text("doc_number"))
    doc_type = _one_code(row, "doc_type")
    if not doc_type:
        doc_type = "national_id" if number else "none"
    doc = row.check("doc_number", lambda: parse_document(doc_type, number))
    return (doc.type.value, doc.number) if doc else (DocumentType.NONE.value, "")


def parse_row(raw: dict, line: int, *, today: date, default_subdistrict: str = "") -> tuple[SurveyRow | None, list[Issue]]:
    """Check one row. Returns the row (None when an error remains) and every issue found."""
    row = _Row(raw, line)
    household_no = row.text("household_no")
    if not household_no:
        row.fail("household_no", "survey.household_no_required")

    prefix = _normalized(row.text("prefix"))
    try:
        prefix = check_prefix(prefix)
    except ValidationError as error:
        row.fail("prefix", error.key)
    first_name = _name(row, "first_name", required=True)
    if not prefix and first_name:
        prefix, first_name = split_prefix(first_name)  # "นายสมชาย" typed in one cell
    last_name = _name(row, "last_name", required=False)
    doc_type, doc_number = _document(row)
    born = _date(row, "birth_date", today)
    if born is not None and born > today:
        row.fail("birth_date", "thai.birth_date_future")
    elif born is not None and age_on(born, today) > 130:
        row.fail("birth_date", "thai.birth_date_too_old")
    phone = row.check("phone", lambda: parse_phone(row.text("phone")).e164 if row.text("phone") else "", "")
    house_no = row.check("house_no", lambda: parse_house_no(row.text("house_no")) or "", "")
    moo = row.check("moo", lambda: parse_moo(row.text("moo")))
    village = _text(row, "village", NAME_MAX)
    code = to_arabic_digits(row.text("subdistrict_code")) or default_subdistrict
    if code and subdistrict(code) is None:
        row.fail("subdistrict_code", "thai.address_unknown_subdistrict")
    surveyed_on = _date(row, "surveyed_on", today)
    if surveyed_on is None and not any(i.column == "surveyed_on" for i in row.issues):
        row.fail("surveyed_on", "thai.required")
    elif surveyed_on is not None and surveyed_on > today:
        row.fail("surveyed_on", "survey.date_future")

    vulnerabilities = list(_code_list(row, "vulnerabilities"))
    if born is not None:
        elderly = age_on(born, surveyed_on or today) >= ELDERLY_AGE
        if "elderly" in vulnerabilities and not elderly:
            row.warn("vulnerabilities", "survey.elderly_by_birth", age=ELDERLY_AGE)
        vulnerabilities = [v for v in VULNERABILITIES if v in vulnerabilities and v != "elderly" or
                           v == "elderly" and elderly]
    consent = _consent(row)
    sensitive = bool(set(vulnerabilities) & set(HEALTH))
    if sensitive and not consent:
        row.fail("consent", "intake.sensitive_consent_needed")
    needs = _code_list(row, "needs")
    living = _one_code(row, "living_situation")
    note = _text(row, "note", LONG_MAX)
    team, surveyor = _text(row, "team", NAME_MAX), _text(row, "surveyor", NAME_MAX)
    lat, lon = _position(row)

    if any(i.error for i in row.issues):
        return None, row.issues
    person = PersonData(first_name=first_name, last_name=last_name, prefix=prefix, doc_type=doc_type,
                        doc_number=doc_number, birth_date=born, phone=phone, house_no=house_no, moo=moo,
                        village=village, subdistrict_code=code)
    return SurveyRow(line, household_no, house_no, moo, village, code, lat, lon, person, tuple(vulnerabilities),
                     needs, living, note, surveyed_on, team, surveyor, consent,
                     BASIS_WITH_CONSENT if sensitive else BASIS_PUBLIC_TASK,
                     _cell(raw.get("import_key")) or None), row.issues
