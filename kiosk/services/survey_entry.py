"""The staff console's survey form, on the service side: a household typed from a paper form (or
re-surveyed) becomes the same raw rows a spreadsheet gives, and goes through the one validation
and the one import (kiosk.services.surveys.import_rows). Also: finding a household to re-survey
by its house number and หมู่, and its current values as the form shows them.

A form's household fields and its members are plain {column key: text} dicts (the keys of
survey_rows.COLUMNS); member n (1-based) is row n of the import, so an issue's `line` names the
member it belongs to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from db.models import Household, HouseholdMember, Person, SurveyRecord, SurveyTeam, SurveyTeamMember

from ..errors import NotFound, ValidationError
from ..thai.addresses import parse_house_no, parse_moo
from ..thai.dates import format_be_date, now_bangkok
from . import audit, scope
from .staff import Actor
from .survey_rows import HOUSEHOLD_FIELDS
from .surveys import ImportReport, import_rows, own_teams

# the form's household part (the rest of survey_rows.COLUMNS is each member's)
HOUSEHOLD_KEYS = ("house_no", "moo", "village", "latitude", "longitude", "team", "surveyor", "surveyed_on", "consent")
MEMBER_KEYS = ("prefix", "first_name", "last_name", "doc_type", "doc_number", "birth_date", "phone",
               "vulnerabilities", "needs", "living_situation", "note")
FORM_HOUSEHOLD_NO = "1"  # one household a form


def blank_household(today: date | None = None) -> dict[str, str]:
    """A new form's household: the survey dated today (BE)."""
    values = dict.fromkeys(HOUSEHOLD_KEYS, "")
    values["surveyed_on"] = format_be_date(today or now_bangkok().date())
    return values


def blank_member() -> dict[str, str]:
    return dict.fromkeys(MEMBER_KEYS, "")


def form_rows(household: dict[str, str], members: list[dict[str, str]], import_key: str = "") -> list[tuple[int, dict]]:
    """The form as the import's rows: one per member (numbered from 1), the household's fields on each."""
    shared = {k: household.get(k, "") for k in HOUSEHOLD_KEYS}
    shared["household_no"] = FORM_HOUSEHOLD_NO
    if import_key:
        shared["import_key"] = import_key
    return [(n, {**shared, **{k: m.get(k, "") for k in MEMBER_KEYS}}) for n, m in enumerate(members, start=1)
            if not member_blank(m)]  # a member row left empty is no member (its number stays: issues name rows)


def member_blank(member: dict[str, str]) -> bool:
    return not any(str(member.get(k, "")).strip() for k in MEMBER_KEYS)


def save(actor: Actor, org_prefix: str, household: dict[str, str], members: list[dict[str, str]], *,
         import_key: str = "", today: date | None = None) -> ImportReport:
    """Check and store one household from the form, all or nothing (surveys.import_rows; audited
    there as a "survey_import" from the source "form"). A form without any member is refused."""
    rows = form_rows(household, members, import_key)
    if not rows:
        raise ValidationError("survey_entry.entry_no_member")
    return import_rows(actor, org_prefix, rows, source="form", today=today, lao_from_teams=True)


@dataclass(frozen=True)
class HouseholdHit:
    id: int
    house_no: str
    moo: int | None
    village: str
    members: int
    last_surveyed: date | None


def _visible_households(actor: Actor):
    """Households `actor` may re-survey: all for officers and above, else those with a record of their team."""
    teams = own_teams(actor)
    query = Household.select()
    if teams is not None:
        query = query.where(Household.id.in_(
            SurveyRecord.select(SurveyRecord.household).where(SurveyRecord.survey_team.in_(sorted(teams) or [0]))))
    return query


def find_households(actor: Actor, org_prefix: str, house_no: str, moo: str) -> list[HouseholdHit]:
    """Households at this house number (and หมู่, when given), the ones `actor` may see."""
    org = scope.writing_lao(actor, org_prefix)  # the actor's LAO (any, for the whole centre's staff)
    number = parse_house_no(house_no) or ""
    village = parse_moo(moo)
    if not number and village is None:
        raise ValidationError("survey_entry.find_needs", field="house_no")
    query = _visible_households(actor).where(Household.organization == org)
    if number:
        query = query.where(Household.house_no == number)
    if village is not None:
        query = query.where(Household.moo == village)
    hits = []
    for h in query.order_by(Household.moo, Household.house_no, Household.id).limit(50):
        members = HouseholdMember.select().where(HouseholdMember.household == h.id).count()
        last = (SurveyRecord.select(SurveyRecord.surveyed_on).where(SurveyRecord.household == h.id)
                .order_by(SurveyRecord.surveyed_on.desc()).scalar())
        hits.append(HouseholdHit(h.id, h.house_no, h.moo, h.village, members, last))
    return hits


@dataclass(frozen=True)
class HouseholdForm:
    household_id: int
    import_key: str
    household: dict[str, str]
    members: list[dict[str, str]]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return format_be_date(value)
    return str(value)


def household_form(actor: Actor, org_prefix: str, household_id: int, today: date | None = None) -> HouseholdForm:
    """A household on file as the form shows it, for a re-survey: its address and position, each
    member's details and their latest record (team, surveyor, flags…), the survey date today.
    A view of personal data: audited."""
    org = scope.writing_lao(actor, org_prefix)  # the actor's LAO (any, for the whole centre's staff)
    household = (_visible_households(actor).where(Household.organization == org, Household.id == household_id)
                 .first())
    if household is None:
        raise NotFound("survey_entry.household_missing")
    records = {r.person_id: r for r in SurveyRecord.select().where(SurveyRecord.household == household.id)
               .order_by(SurveyRecord.updated_at)}
    people = (Person.select().join(HouseholdMember).where(HouseholdMember.household == household.id)
              .order_by(HouseholdMember.id))
    members, team, surveyor, consent = [], "", "", False
    for p in people:
        r = records.get(p.id)
        member = {"prefix": p.prefix, "first_name": p.first_name, "last_name": p.last_name,
                  "doc_type": p.doc_type if p.doc_number else "", "doc_number": p.doc_number,
                  "birth_date": _text(p.birth_date), "phone": p.phone, "vulnerabilities": "", "needs": "",
                  "living_situation": "", "note": ""}
        if r is not None:
            member.update(vulnerabilities=r.vulnerabilities, needs=r.needs, living_situation=r.living_situation,
                          note=r.notes)
            registered = SurveyTeam.get_or_none(SurveyTeam.id == r.survey_team_id) if r.survey_team_id else None
            team = registered.name if registered is not None else team  # its name now (renamed since, perhaps)
            consent = consent or r.consent
            if r.surveyor_member_id:
                surveyor = SurveyTeamMember.get_by_id(r.surveyor_member_id).name
        members.append(member)
    values = blank_household(today)
    values.update({k: _text(getattr(household, k)) for k in HOUSEHOLD_FIELDS if k in values},
                  team=team, surveyor=surveyor, consent="yes" if consent else "")
    audit.record("survey_household_view", actor=actor.username, target_type="household", target_id=household.id,
                 client=actor.client)
    return HouseholdForm(household.id, household.import_key or "", values, members)


def import_file(actor: Actor, org_prefix: str, path: Path) -> ImportReport:
    """A filled spreadsheet (XLSX or CSV) imported from the staff console: the same reading and
    the same all-or-nothing import as `kiosk.py import-survey`, the header's issues first."""
    from .survey_sheet import read_rows

    path = Path(path).expanduser()
    if not path.is_file():
        raise ValidationError("survey_entry.file_missing", path=str(path))
    rows, header_issues = read_rows(path)
    report = import_rows(actor, org_prefix, rows, source=path.name, lao_from_teams=True)
    report.issues[:0] = header_issues
    return report
