"""The register of surveyed people (issue 13, item 4): who needs help where, from the field
surveys, with counts by หมู่, by vulnerability and by team, and who has not been surveyed for
too long.

One row per person: their latest survey record (the newest survey date, then the newest row)
among the records the actor may read (kiosk.services.surveys.visible_records: a volunteer sees
their own teams' only — in lists, counts and exports alike). "Elderly" is computed from the
birth date on the day the register is read (someone who was 59 at the visit is 60 now); a
person with no birth date is elderly only if the surveyor said so.

Everything is a handful of SQL statements whatever the size of the register (a window function
picks each person's latest record; the vulnerability counts are one SELECT of SUM(CASE …)).
Listing people is a view of personal data: audited as one "survey_register_view" row naming the
filter and how many people were shown. Counts are not personal data and are not audited."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from peewee import JOIN, Value, fn
from peewee import Case as SqlCase

from db.models import Household, Organization, Person, SurveyRecord, SurveyTeam

from ..errors import ValidationError
from ..i18n import translate
from ..thai import names
from ..thai.dates import age_on, format_be_date, now_bangkok
from . import audit, scope
from .staff import Actor
from .survey_rows import ELDERLY_AGE, VULNERABILITIES, code_label
from .surveys import visible_records

DISABILITY = "disability"  # a filter meaning any of the disability_* flags
DISABILITIES = tuple(v for v in VULNERABILITIES if v.startswith("disability_"))
FILTER_VULNERABILITIES = (*VULNERABILITIES, DISABILITY)
GROUPINGS = ("moo", "vulnerability", "team")
LIST_LIMIT = 500  # people a screen shows at once (the count says how many there are)
MAX_MONTHS = 240


@dataclass(frozen=True)
class RegisterFilter:
    """Which people: in หมู่ `moo`; with vulnerability `vulnerability` (a VULNERABILITIES key, or
    "disability" for any disability); surveyed by team `team` (its name; "" for records with no
    team; None: any); whose latest survey is more than `months` months old."""

    moo: int | None = None
    vulnerability: str = ""
    team: str | None = None
    months: int | None = None
    lao: str | None = None  # one member LAO's records (ticket prefix; a joint centre's own staff choose), None: all visible

    def check(self) -> RegisterFilter:
        if self.vulnerability and self.vulnerability not in FILTER_VULNERABILITIES:
            raise ValidationError("register.vulnerability_unknown", field="vulnerability", value=self.vulnerability,
                                  keys=", ".join(FILTER_VULNERABILITIES))
        if self.moo is not None and not 1 <= self.moo <= 99:
            raise ValidationError("thai.moo_range", field="moo")
        if self.months is not None and not 1 <= self.months <= MAX_MONTHS:
            raise ValidationError("register.months_range", field="months", max=MAX_MONTHS)
        return self

    def without(self, grouping: str) -> RegisterFilter:
        """This filter less the dimension a grouping splits by."""
        return replace(self, **{"moo": {"moo": None}, "vulnerability": {"vulnerability": ""},
                                "team": {"team": None}}[grouping])

    def describe(self) -> str:
        """For the audit log: machine keys, no personal data."""
        parts = [f"moo={self.moo}" if self.moo is not None else "", f"vulnerability={self.vulnerability}"
                 if self.vulnerability else "", f"team={self.team}" if self.team is not None else "",
                 f"months={self.months}" if self.months else "", f"lao={self.lao}" if self.lao else ""]
        return " ".join(p for p in parts if p) or "all"

    def label(self, lang: str = "th") -> str:
        """What the filter shows, as people read it ("หมู่ 3 · ผู้ป่วยติดเตียง")."""
        parts = []
        if self.moo is not None:
            parts.append(translate("register.moo_n", lang, moo=self.moo))
        if self.vulnerability:
            parts.append(vulnerability_label(self.vulnerability, lang))
        if self.team is not None:
            parts.append(self.team or translate("register.no_team", lang))
        if self.months:
            parts.append(translate("register.older_than", lang, months=self.months))
        if self.lao:  # "KAM อบต.กำแพง": the prefix alone tells a reader of the export little
            org = Organization.get_or_none(Organization.ticket_prefix == self.lao)
            parts.append(f"{self.lao} {org.name(lang)}" if org else self.lao)
        return " · ".join(parts) or translate("register.everyone", lang)


EVERYONE = RegisterFilter()


def vulnerability_label(key: str, lang: str = "th") -> str:
    return translate("register.any_disability", lang) if key == DISABILITY else code_label("vulnerabilities", key, lang)


@dataclass(frozen=True)
class RegisterRow:
    """One surveyed person as their latest survey found them."""

    record_id: int
    person_id: int
    household_id: int | None
    prefix: str
    first_name: str
    last_name: str
    birth_date: date | None
    age: int | None
    phone: str
    house_no: str
    moo: int | None
    village: str
    team: str
    surveyed_on: date
    vulnerabilities: tuple[str, ...]  # with "elderly" as of today
    needs: tuple[str, ...]
    living_situation: str
    notes: str
    consent: bool
    latitude: float | None
    longitude: float | None

    @property
    def full_name(self) -> str:
        return names.full_name(self.prefix, self.first_name, self.last_name)


@dataclass(frozen=True)
class RegisterPage:
    rows: list[RegisterRow]
    total: int  # people matching (rows holds at most the limit asked)


@dataclass(frozen=True)
class GroupCount:
    key: object  # a หมู่ number (None: none recorded), a vulnerability key, a team name ("" none)
    label: str
    count: int


# ------------------------------------------------------------------------------- the query

R = SurveyRecord
MOO = fn.COALESCE(Household.moo, Person.moo)
TEAM = fn.COALESCE(SurveyTeam.name, R.team)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year - years, day=28)


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def elderly_born_by(today: date) -> date:
    """The latest birth date of someone `ELDERLY_AGE` or older today (agrees with age_on)."""
    return _years_before(today, ELDERLY_AGE)


def _flagged(key: str):
    return Value(",").concat(R.vulnerabilities).concat(",").contains(f",{key},")


def _has(key: str, today: date):
    if key == "elderly":
        return (Person.birth_date <= elderly_born_by(today)) | (Person.birth_date.is_null() & _flagged("elderly"))
    if key == DISABILITY:
        condition = _flagged(DISABILITIES[0])
        for other in DISABILITIES[1:]:
            condition |= _flagged(other)
        return condition
    return _flagged(key)


def _latest(actor: Actor):
    """Each person's latest visible record: (rid, rn) ranked per person, rn 1 the latest."""
    return (visible_records(actor)
            .select(R.id.alias("rid"), fn.ROW_NUMBER().over(partition_by=[R.person],
                                                            order_by=[R.surveyed_on.desc(), R.id.desc()]).alias("rn"))
            .alias("latest"))


def _base(actor: Actor, *columns, where: RegisterFilter, today: date):
    latest = _latest(actor)
    query = (R.select(*columns)
             .join(latest, on=(R.id == latest.c.rid))
             .join_from(R, Person)
             .join_from(R, Household, JOIN.LEFT_OUTER)
             .join_from(R, SurveyTeam, JOIN.LEFT_OUTER)
             .where(latest.c.rn == 1, Person.merged_into.is_null()))
    f = where.check()
    if f.moo is not None:
        query = query.where(f.moo == MOO)
    if f.vulnerability:
        query = query.where(_has(f.vulnerability, today))
    if f.team is not None:
        query = query.where(f.team == TEAM)
    if f.months:
        query = query.where(R.surveyed_on < _months_before(today, f.months))
    if f.lao:  # an LAO the actor may not see is not found (scope.writing_lao), never an empty list
        query = query.where(R.organization == scope.writing_lao(actor, f.lao).id)
    return query


def _today(today: date | None) -> date:
    return today or now_bangkok().date()


# ------------------------------------------------------------------------------- counts

def count(actor: Actor, where: RegisterFilter = EVERYONE, *, today: date | None = None) -> int:
    """How many people match."""
    return _base(actor, fn.COUNT(R.id), where=where, today=_today(today)).scalar() or 0


def counts(actor: Actor, grouping: str, where: RegisterFilter = EVERYONE, *, lang: str = "th",
           today: date | None = None) -> list[GroupCount]:
    """People per หมู่, per vulnerability or per team, under `where` less the grouping's own
    dimension (grouped by หมู่ with "bedridden" chosen: bedridden people per หมู่). A person with
    several vulnerabilities counts once under each; every vulnerability is listed, even at 0."""
    if grouping not in GROUPINGS:
        raise ValueError(f"unknown grouping {grouping!r}")
    today = _today(today)
    where = where.without(grouping)
    if grouping == "vulnerability":
        keys = (*VULNERABILITIES[:1], DISABILITY, *VULNERABILITIES[1:])
        sums = [fn.SUM(SqlCase(None, [(_has(k, today), 1)], 0)) for k in keys]
        row = _base(actor, *sums, where=where, today=today).tuples().first() or ()
        return [GroupCount(k, vulnerability_label(k, lang), int(n or 0)) for k, n in zip(keys, row, strict=False)]
    column = MOO if grouping == "moo" else TEAM
    query = _base(actor, column.alias("k"), fn.COUNT(R.id), where=where, today=today).group_by(column)
    rows = sorted(query.tuples(), key=lambda r: (r[0] is None, r[0] if r[0] is not None else 0))
    if grouping == "moo":
        return [GroupCount(k, translate("register.moo_n", lang, moo=k) if k is not None
                           else translate("register.no_moo", lang), n) for k, n in rows]
    return [GroupCount(k or "", k or translate("register.no_team", lang), n) for k, n in rows]


# ------------------------------------------------------------------------------- people

_COLUMNS = (R.id, R.person, R.household, Person.prefix, Person.first_name, Person.last_name, Person.birth_date,
            Person.phone, fn.COALESCE(fn.NULLIF(Household.house_no, ""), Person.house_no), MOO,
            fn.COALESCE(fn.NULLIF(Household.village, ""), Person.village), TEAM, R.surveyed_on, R.vulnerabilities,
            R.needs, R.living_situation, R.notes, R.consent, fn.COALESCE(Household.latitude, R.latitude),
            fn.COALESCE(Household.longitude, R.longitude))


def _row(t: tuple, today: date) -> RegisterRow:
    (rid, pid, hid, prefix, first, last, born, phone, house_no, moo, village, team, surveyed, vulns, needs, living,
     notes, consent, lat, lon) = t
    flags = {v for v in (vulns or "").split(",") if v}
    age = age_on(born, today) if born else None
    if age is not None and age >= ELDERLY_AGE:
        flags.add("elderly")
    return RegisterRow(rid, pid, hid, prefix or "", first, last or "", born, age, phone or "", house_no or "", moo,
                       village or "", team or "", surveyed, tuple(v for v in VULNERABILITIES if v in flags),
                       tuple(n for n in (needs or "").split(",") if n), living or "", notes or "", bool(consent),
                       lat, lon)


def people_rows(actor: Actor, where: RegisterFilter = EVERYONE, *, today: date | None = None,
                limit: int | None = None):
    """The matching people, by หมู่, house number and name, as RegisterRows (a generator over
    one query: an export of 20,000 rows never holds the models). Not audited: the callers are
    `people` (a screen) and kiosk.services.survey_export, which audit what they show or write."""
    today = _today(today)
    query = (_base(actor, *_COLUMNS, where=where, today=today)
             .order_by(MOO.asc(nulls="LAST"), fn.LENGTH(_COLUMNS[8]), _COLUMNS[8], Person.first_name, R.id))
    if limit is not None:
        query = query.limit(limit)
    for t in query.tuples().iterator():
        yield _row(t, today)


def people(actor: Actor, where: RegisterFilter = EVERYONE, *, limit: int = LIST_LIMIT,
           today: date | None = None) -> RegisterPage:
    """The first `limit` matching people and how many match; audited as one "survey_register_view"."""
    rows = list(people_rows(actor, where, today=today, limit=limit))
    total = len(rows) if len(rows) < limit else count(actor, where, today=today)
    audit.record("survey_register_view", actor=actor.username, target_type="survey", target_id="",
                 detail=f"{where.describe()} shown={len(rows)} total={total}", client=actor.client)
    return RegisterPage(rows, total)


def latest_row(actor: Actor, record_id: int, *, today: date | None = None) -> RegisterRow | None:
    """Record `record_id` as the register shows it, if it is its person's latest that `actor`
    may read (else None). Not audited: the caller acts on it (kiosk.services.survey_case)."""
    today = _today(today)
    found = _base(actor, *_COLUMNS, where=EVERYONE, today=today).where(R.id == record_id).tuples().first()
    return None if found is None else _row(found, today)


def team_names(actor: Actor) -> list[str]:
    """The teams with records the actor may read (for the team filter), by name."""
    latest = visible_records(actor).select(TEAM.alias("k")).join(SurveyTeam, JOIN.LEFT_OUTER).distinct()
    return sorted({t for (t,) in latest.tuples()})


def vulnerability_labels(row: RegisterRow, lang: str = "th") -> str:
    return ", ".join(code_label("vulnerabilities", v, lang) for v in row.vulnerabilities)


def needs_labels(row: RegisterRow, lang: str = "th") -> str:
    return ", ".join(code_label("needs", n, lang) for n in row.needs)


def surveyed_text(row: RegisterRow) -> str:
    return format_be_date(row.surveyed_on)
