"""Field surveys stored: survey teams and their members, and survey rows (checked by
kiosk.services.survey_rows) written household first, all or nothing.

Who may do what: a volunteer enters surveys of their own team only (their login is linked to a
team member); officers and above enter surveys for any team and manage teams. An import is one
transaction: while any row has an error nothing is stored. Importing the same rows again adds
nothing: a household is found again by its import key, else by its address (subdistrict, หมู่,
house number), else through its members; a person by their document number (the duplicate check
of kiosk.services.duplicates), else by name within the household. A re-survey updates the
member's record and keeps what changed, who changed it and when (SurveyChange)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date
from functools import lru_cache

from peewee import JOIN

from db.bulk import IN_LIMIT, Inserter, chunks
from db.connection import is_postgres, write_transaction
from db.models import (
    Household,
    HouseholdMember,
    Organization,
    Person,
    Staff,
    SurveyChange,
    SurveyRecord,
    SurveyTeam,
    SurveyTeamMember,
    database,
    utcnow,
)
from db.search_index import put_person

from ..errors import NotFound, PermissionDenied, ValidationError
from ..i18n import translate
from ..text import clean_text
from ..thai.addresses import parse_moo
from ..thai.dates import now_bangkok
from ..thai.digits import to_arabic_digits
from ..thai.names import normalize_name
from ..thai.phones import parse_phone
from . import audit, people, scope
from .duplicates import doubts_many
from .intake import NAME_MAX
from .people import PersonData
from .staff import SYSTEM_ID, Actor, require
from .survey_rows import HOUSEHOLD_FIELDS, TEAM_KINDS, Issue, SurveyRow, is_blank, parse_row

SURVEY_ROLE = "volunteer"  # the least role that enters surveys (a volunteer: their own team's only)
TEAM_ROLE = "officer"  # manages teams and enters surveys for any team


def _key(name: str) -> str:
    """Names compared as people type them: normalised, case-folded."""
    return normalize_name(name).casefold()


# ------------------------------------------------------------------------------- teams

def organization(ticket_prefix: str) -> Organization:
    """The LAO surveys are recorded for (the centre's host LAO, by its ticket prefix)."""
    org = Organization.get_or_none(Organization.ticket_prefix == ticket_prefix)
    if org is None:
        raise NotFound("errors.org_unknown", f"no organization {ticket_prefix}")
    return org


def working_lao(actor: Actor, host_prefix: str) -> str:
    """The LAO prefix the survey screens work under: an LAO officer's own, the whole centre's
    staff the host's (an import by them goes where its teams belong: see import_rows)."""
    return scope.own_prefix(actor, host_prefix)


def team_names(org_prefix: str) -> list[str]:
    """The active teams' names, for the template's drop-down list."""
    org = organization(org_prefix)
    return [t.name for t in SurveyTeam.select().where(SurveyTeam.organization == org, SurveyTeam.active)
            .order_by(SurveyTeam.name)]


def create_team(actor: Actor, org_prefix: str, name: str, kind: str, villages: str = "") -> int:
    """Register a survey team of an LAO (the actor's own; the whole centre's staff, any);
    `villages` the หมู่ numbers it covers ("1, 3, ๕"). Audited."""
    require(actor, TEAM_ROLE)
    org = scope.writing_lao(actor, org_prefix)
    name = _team_name(name)
    if kind not in TEAM_KINDS:
        raise ValidationError("survey.team_kind_unknown", field="kind")
    covered = _villages(villages)
    with write_transaction():
        if any(_key(t.name) == _key(name) for t in SurveyTeam.select().where(SurveyTeam.organization == org)):
            raise ValidationError("survey.team_exists", field="name", name=name)
        team = SurveyTeam.create(organization=org, name=name, kind=kind, villages=covered)
        audit.record("survey_team_create", actor=actor.username, target_type="survey_team", target_id=team.id,
                     detail=f"kind={kind} villages={team.villages}", client=actor.client)
    return team.id


def add_member(actor: Actor, team_id: int, name: str, *, phone: str = "", moo: str = "", username: str = "") -> int:
    """Add a surveyor to a team, optionally linked to their (volunteer) login. Audited."""
    require(actor, TEAM_ROLE)
    name = normalize_name(clean_text(name, 4 * NAME_MAX))
    if not name or len(name) > NAME_MAX:
        raise ValidationError("intake.name_required", field="name")
    e164 = parse_phone(phone).e164 if phone.strip() else ""
    with write_transaction():
        team = scope.check_team(actor, SurveyTeam.get_or_none(SurveyTeam.id == team_id))  # another LAO's: not found
        staff = None
        if username:
            staff = Staff.get_or_none(Staff.username == username.strip())
            if staff is None:
                raise NotFound("survey.staff_missing", username=username)
        member = SurveyTeamMember.create(team=team, name=name, phone=e164, moo=parse_moo(moo), staff=staff)
        audit.record("survey_member_add", actor=actor.username, target_type="survey_team", target_id=team.id,
                     detail=f"member={member.id}" + (f" login={staff.username}" if staff else ""), client=actor.client)
    return member.id


def _villages(villages: str) -> str:
    """"1, 3, ๕" → "1,3,5" (sorted, each a valid หมู่)."""
    try:
        moos = sorted({parse_moo(part) for part in to_arabic_digits(villages).split(",") if part.strip()})
    except ValidationError:
        raise ValidationError("survey.villages_format", field="villages") from None
    return ",".join(map(str, moos))


def _team_name(name: str) -> str:
    name = normalize_name(clean_text(name, 4 * NAME_MAX))
    if not name or len(name) > NAME_MAX:
        raise ValidationError("survey.team_name_required", field="name")
    return name


def update_team(actor: Actor, team_id: int, *, name: str | None = None, kind: str | None = None,
                villages: str | None = None) -> tuple[str, ...]:
    """Rename a team, change its kind or the หมู่ it covers; returns the fields that changed.
    Records keep the team's name as it was at the visit. Audited (fields, never values)."""
    require(actor, TEAM_ROLE)
    values: dict[str, object] = {}
    if name is not None:
        values["name"] = _team_name(name)
    if kind is not None:
        if kind not in TEAM_KINDS:
            raise ValidationError("survey.team_kind_unknown", field="kind")
        values["kind"] = kind
    if villages is not None:
        values["villages"] = _villages(villages)
    with write_transaction():
        team = scope.check_team(actor, SurveyTeam.get_or_none(SurveyTeam.id == team_id))  # another LAO's: not found
        if "name" in values and any(_key(t.name) == _key(values["name"]) for t in SurveyTeam.select().where(
                SurveyTeam.organization == team.organization, SurveyTeam.id != team.id)):
            raise ValidationError("survey.team_exists", field="name", name=values["name"])
        changed = tuple(k for k, v in values.items() if getattr(team, k) != v)
        if changed:
            SurveyTeam.update(**{k: values[k] for k in changed}).where(SurveyTeam.id == team.id).execute()
            audit.record("survey_team_update", actor=actor.username, target_type="survey_team", target_id=team.id,
                         detail="fields: " + ",".join(changed), client=actor.client)
    return changed


def set_team_active(actor: Actor, team_id: int, active: bool) -> None:
    """Deactivate a team (it leaves the drop-down lists and its volunteers' access ends; its
    records stay) or bring it back. Audited."""
    require(actor, TEAM_ROLE)
    with write_transaction():
        scope.check_team(actor, SurveyTeam.get_or_none(SurveyTeam.id == team_id))  # another LAO's: not found
        SurveyTeam.update(active=active).where(SurveyTeam.id == team_id).execute()
        audit.record("survey_team_active" if active else "survey_team_inactive", actor=actor.username,
                     target_type="survey_team", target_id=team_id, client=actor.client)


def update_member(actor: Actor, member_id: int, *, name: str | None = None, phone: str | None = None,
                  moo: str | None = None, username: str | None = None) -> tuple[str, ...]:
    """Change a surveyor's name, phone, หมู่ or linked login ("" unlinks it); returns the fields
    that changed. Audited (fields, never values)."""
    require(actor, TEAM_ROLE)
    values: dict[str, object] = {}
    if name is not None:
        values["name"] = normalize_name(clean_text(name, 4 * NAME_MAX))
        if not values["name"] or len(values["name"]) > NAME_MAX:
            raise ValidationError("intake.name_required", field="name")
    if phone is not None:
        values["phone"] = parse_phone(phone).e164 if phone.strip() else ""
    if moo is not None:
        values["moo"] = parse_moo(moo)
    with write_transaction():
        member = SurveyTeamMember.get_or_none(SurveyTeamMember.id == member_id)
        if member is None or not scope.may_see(actor, member.team.organization_id):  # another LAO's: not found
            raise NotFound("survey_entry.member_missing")
        if username is not None:
            staff = None
            if username.strip():
                staff = Staff.get_or_none(Staff.username == username.strip())
                if staff is None:
                    raise NotFound("survey.staff_missing", username=username)
            values["staff"] = staff.id if staff else None
        current = {"name": member.name, "phone": member.phone, "moo": member.moo, "staff": member.staff_id}
        changed = tuple(k for k, v in values.items() if current[k] != v)
        if changed:
            SurveyTeamMember.update(**{k: values[k] for k in changed}).where(
                SurveyTeamMember.id == member.id).execute()
            audit.record("survey_member_update", actor=actor.username, target_type="survey_team",
                         target_id=member.team_id, detail=f"member={member.id} fields: " + ",".join(changed),
                         client=actor.client)
    return changed


def set_member_active(actor: Actor, member_id: int, active: bool) -> None:
    """A surveyor leaves a team (their login no longer reaches its surveys) or comes back. Audited."""
    require(actor, TEAM_ROLE)
    with write_transaction():
        member = SurveyTeamMember.get_or_none(SurveyTeamMember.id == member_id)
        if member is None or not scope.may_see(actor, member.team.organization_id):  # another LAO's: not found
            raise NotFound("survey_entry.member_missing")
        member.active = active
        member.save()
        audit.record("survey_member_active" if active else "survey_member_inactive", actor=actor.username,
                     target_type="survey_team", target_id=member.team_id, detail=f"member={member.id}",
                     client=actor.client)


@dataclass(frozen=True)
class MemberRow:
    id: int
    team_id: int
    name: str
    phone: str
    moo: int | None
    username: str
    active: bool


@dataclass(frozen=True)
class TeamRow:
    id: int
    name: str
    kind: str
    villages: str
    active: bool
    members: tuple[MemberRow, ...]


def list_teams(actor: Actor, org_prefix: str, *, active_only: bool = False) -> list[TeamRow]:
    """The centre's teams with their members, by name: every team for officers and above, a
    volunteer's own (active) teams only."""
    allowed = own_teams(actor)
    org = scope.writing_lao(actor, org_prefix)  # the actor's LAO (any, for the whole centre's staff)
    query = SurveyTeam.select().where(SurveyTeam.organization == org)
    if active_only or allowed is not None:
        query = query.where(SurveyTeam.active)
    if allowed is not None:
        query = query.where(SurveyTeam.id.in_(sorted(allowed) or [0]))
    teams = list(query.order_by(SurveyTeam.name))
    members: dict[int, list[MemberRow]] = {t.id: [] for t in teams}
    if teams:
        for m in (SurveyTeamMember.select(SurveyTeamMember, Staff.username).join(Staff, JOIN.LEFT_OUTER)
                  .where(SurveyTeamMember.team.in_(list(members))).order_by(SurveyTeamMember.name).objects()):
            if m.active or not (active_only or allowed is not None):
                members[m.team_id].append(MemberRow(m.id, m.team_id, m.name, m.phone, m.moo, m.username or "",
                                                    m.active))
    return [TeamRow(t.id, t.name, t.kind, t.villages, t.active, tuple(members[t.id])) for t in teams]


def own_teams(actor: Actor) -> set[int] | None:
    """The teams whose surveys `actor` may enter and read: None for officers and above (all),
    else the active teams their login is a member of (perhaps none)."""
    require(actor, SURVEY_ROLE)
    if actor.id == SYSTEM_ID or actor.at_least(TEAM_ROLE):
        return None
    rows = (SurveyTeamMember.select(SurveyTeamMember.team).join(SurveyTeam)
            .where(SurveyTeamMember.staff == actor.id, SurveyTeamMember.active, SurveyTeam.active))
    return {r.team_id for r in rows}


def visible_records(actor: Actor):
    """The survey records `actor` may read: a volunteer's own teams' only, an LAO's staff their
    LAO's only (a query to refine)."""
    teams = own_teams(actor)
    query = SurveyRecord.select()
    if not scope.sees_all(actor):
        query = query.where(scope.surveys_visible(actor))
    return query if teams is None else query.where(SurveyRecord.survey_team.in_(sorted(teams) or [0]))


# ------------------------------------------------------------------------------- import

@dataclass
class ImportReport:
    """What an import found and did; `issues` in file order. Nothing is stored when `errors`."""

    rows: int = 0
    issues: list[Issue] = field(default_factory=list)
    households_added: int = 0
    households_changed: int = 0
    people_added: int = 0
    records_added: int = 0
    records_changed: int = 0
    people_updated: int = 0
    unchanged: int = 0

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.error]

    @property
    def imported(self) -> bool:
        return not self.errors

    def lines(self, lang: str = "th") -> list[str]:
        """The report as people read it: one line per issue, then the outcome."""
        out = [i.text(lang) for i in sorted(self.issues, key=lambda i: (i.line, not i.error))]
        if self.errors:
            out.append(translate("survey.report_refused", lang, errors=len(self.errors),
                                 rows=len({i.line for i in self.errors})))
        else:
            out.append(translate("survey.report_done", lang, rows=self.rows, households_added=self.households_added,
                                 households_changed=self.households_changed, people_added=self.people_added,
                                 records_added=self.records_added, records_changed=self.records_changed,
                                 people_updated=self.people_updated, unchanged=self.unchanged))
        return out


@dataclass
class _Group:
    """The rows of one household in the file."""

    key: str
    rows: list[SurveyRow]
    place: dict  # the household's fields, blanks filled from later rows


@dataclass(frozen=True)
class _Team:
    team_id: int | None
    name: str
    member_id: int | None


def import_rows(actor: Actor, org_prefix: str, rows: Iterable[tuple[int, dict]], *, source: str = "",
                today: date | None = None, lao_from_teams: bool = False) -> ImportReport:
    """Check every row, then store them all in one transaction, or nothing while any error
    remains. `rows` are (line number, {column key: cell}); blank rows are skipped. Audited as one
    "survey_import" naming the counts, never the data.
    Written under an LAO (services/scope.py): an LAO's officer, their own — `org_prefix` of another
    LAO is not found, a team of another LAO is an unknown team; the whole centre's staff,
    `org_prefix`'s, or with `lao_from_teams` (no LAO chosen: `org_prefix` is the default) the LAO
    of the teams the rows name when they all belong to one other LAO."""
    require(actor, SURVEY_ROLE)
    rows = list(rows)
    org = _import_lao(actor, org_prefix, rows) if lao_from_teams else scope.writing_lao(actor, org_prefix)
    today = today or now_bangkok().date()
    report = ImportReport()
    parsed: list[SurveyRow] = []
    for line, raw in rows:
        if is_blank(raw):
            continue
        report.rows += 1
        row, issues = parse_row(raw, line, today=today, default_subdistrict=org.subdistrict_code)
        report.issues.extend(issues)
        if row is not None:
            parsed.append(row)
    groups = _group(parsed, report)
    teams = _resolve_teams(actor, org, parsed, report)
    if report.errors:
        return report
    with write_transaction():
        _Writer(actor, org, groups, teams, report).run()
        audit.record("survey_import", actor=actor.username, target_type="survey", target_id=source[-40:],
                     detail=(f"rows={report.rows} households_added={report.households_added} "
                             f"households_changed={report.households_changed} people_added={report.people_added} "
                             f"people_updated={report.people_updated} records_added={report.records_added} "
                             f"records_changed={report.records_changed}"),
                     client=actor.client)
    if report.records_added >= _ANALYZE_AFTER:
        _refresh_statistics()
    return report


_ANALYZE_AFTER = 1000  # records added by one import


def _import_lao(actor: Actor, org_prefix: str, rows: list[tuple[int, dict]]) -> Organization:
    """The LAO an import is written under: the asked one, checked against the actor's LAOs; for
    the whole centre's staff the team's LAO decides (the rows' teams all of one other LAO)."""
    asked = scope.writing_lao(actor, org_prefix)
    if not scope.sees_all(actor):
        return asked
    names = {_key(str(raw.get("team") or "")) for _line, raw in rows} - {""}
    if not names:
        return asked
    owners: dict[str, set[int]] = {}
    for team in SurveyTeam.select(SurveyTeam.name, SurveyTeam.organization).where(SurveyTeam.active):
        if _key(team.name) in names:
            owners.setdefault(_key(team.name), set()).add(team.organization_id)
    if all(asked.id in owners.get(n, ()) for n in names):
        return asked  # every team is the asked LAO's
    laos = set.intersection(*(owners.get(n, set()) for n in names))
    return Organization.get_by_id(laos.pop()) if len(laos) == 1 else asked


def _refresh_statistics() -> None:
    """After a large import on PostgreSQL, the planner's statistics (none until autovacuum gets to
    them) would make the register's joins nested loops: 25 s instead of 75 ms at 20,000 people
    (tests/bench/survey_register.py). SQLite keeps no statistics unless asked, and needs none here."""
    db = database.obj
    if is_postgres(db):
        for table in ("person", "household", "household_member", "survey_record"):
            db.execute_sql(f'ANALYZE "{table}"')


def _person_key(row: SurveyRow) -> tuple:
    p = row.person
    if p.doc_number:
        return ("doc", p.doc_type, p.doc_number)
    return ("name", _name_key(p.first_name, p.last_name), p.birth_date)


def _group(parsed: list[SurveyRow], report: ImportReport) -> list[_Group]:
    """Rows gathered by household (import key, else household number): a person twice in one
    household, or two addresses for one household, is an error."""
    groups: dict[str, _Group] = {}
    seen: dict[tuple, int] = {}
    for row in parsed:
        key = row.import_key or f"no:{row.household_no}"
        group = groups.get(key)
        if group is None:
            groups[key] = _Group(key, [row], dict(zip(HOUSEHOLD_FIELDS, row.household(), strict=True)))
        else:
            first = group.rows[0]
            for name, value in zip(HOUSEHOLD_FIELDS, row.household(), strict=True):
                if value not in (None, "") and group.place[name] in (None, ""):
                    group.place[name] = value
                elif value not in (None, "") and value != group.place[name]:
                    report.issues.append(Issue(row.line, name, "survey.household_differs", {"other": first.line}))
                    break
            group.rows.append(row)
        person = (key, _person_key(row))
        if person in seen:
            report.issues.append(Issue(row.line, "first_name", "survey.duplicate_row", {"other": seen[person]}))
        else:
            seen[person] = row.line
    return list(groups.values())


def _resolve_teams(actor: Actor, org: Organization, parsed: list[SurveyRow], report: ImportReport) -> dict[int, _Team]:
    """Each row's team and surveyor as registered (line → _Team). An unknown team or surveyor is
    reported, never invented; a volunteer's rows must be their own team's."""
    allowed = own_teams(actor)
    if allowed is not None and not allowed:
        raise PermissionDenied("survey.no_team")
    teams = {_key(t.name): t for t in SurveyTeam.select().where(SurveyTeam.organization == org, SurveyTeam.active)}
    members: dict[tuple[int, str], int] = {}
    for m in SurveyTeamMember.select().join(SurveyTeam).where(SurveyTeam.organization == org, SurveyTeamMember.active):
        members.setdefault((m.team_id, _key(m.name)), m.id)
    out: dict[int, _Team] = {}
    for row in parsed:
        team = teams.get(_key(row.team)) if row.team else None
        if row.team and team is None:
            report.issues.append(Issue(row.line, "team", "survey.unknown_team", {"team": row.team}))
            continue
        if allowed is not None:
            if team is None and len(allowed) > 1:
                report.issues.append(Issue(row.line, "team", "survey.team_needed"))
                continue
            if team is None:
                team = SurveyTeam.get_by_id(next(iter(allowed)))
            elif team.id not in allowed:
                report.issues.append(Issue(row.line, "team", "survey.not_your_team", {"team": row.team}))
                continue
        member_id = None
        if row.surveyor:
            member_id = members.get((team.id, _key(row.surveyor))) if team else None
            if member_id is None:
                report.issues.append(Issue(row.line, "surveyor", "survey.unknown_surveyor",
                                           {"surveyor": row.surveyor}))
                continue
        out[row.line] = _Team(team.id if team else None, team.name if team else "", member_id)
    return out


@lru_cache(maxsize=8192)
def _search_keys(first_name: str, last_name: str) -> tuple[tuple[str, str], ...]:
    """people.search_keys, once per name in an import (pythainlp's normalisation is the cost)."""
    return tuple(people.search_keys(first_name, last_name).items())


def _name_key(first_name: str, last_name: str) -> str:
    return dict(_search_keys(first_name, last_name))["name_key"]


def _changes(current: dict, values: dict) -> dict:
    """{field: [old, new]} for each value that differs from `current`'s, as JSON can hold them."""
    def plain(v):
        return v.isoformat() if isinstance(v, date) else v
    return {k: [plain(current[k]), plain(v)] for k, v in values.items() if current[k] != v}


class _Writer:
    """Stores checked groups inside the import's transaction. What is already on file (people by
    document, households, their members and records) is read up front in a few queries; rows are
    inserted by prepared statements (db.bulk): a field file has thousands of rows."""

    def __init__(self, actor: Actor, org: Organization, groups: list[_Group], teams: dict[int, _Team],
                 report: ImportReport) -> None:
        self.actor, self.org, self.groups, self.teams, self.report = actor, org, groups, teams, report
        self.now = utcnow()
        self.surveyor = None if actor.id == SYSTEM_ID else actor.id
        self.person = Inserter(Person, ("organization", *(f.name for f in fields(PersonData)), "name_plain",
                                        "name_key", "created_at", "updated_at"))
        self.household = Inserter(Household, ("organization", *HOUSEHOLD_FIELDS, "import_key", "created_at",
                                              "updated_at"))
        self.member = Inserter(HouseholdMember, ("household", "person", "created_at"))
        self.record = Inserter(SurveyRecord, ("organization", "person", "household", "surveyor", *_RECORD_VALUES,
                                              "created_at", "updated_at"))

    def run(self) -> None:
        rows = [r for g in self.groups for r in g.rows]
        known = self._people_by_document(rows)
        self.by_place = self._households_by_address()
        found = {g.key: self._find_household(g, known) for g in self.groups}
        ids = sorted(h["id"] for h in found.values() if h is not None)
        members: dict[int, set[int]] = {i: set() for i in ids}  # household → its people
        named: dict[int, dict[tuple, int]] = {i: {} for i in ids}  # household → (name key, born) → person
        records: dict[tuple[int, int], dict] = {}  # rows as dicts: tens of thousands of models cost seconds
        for chunk in chunks(ids):
            for m in (HouseholdMember.select(HouseholdMember.household, Person.id, Person.first_name, Person.last_name,
                                             Person.birth_date)
                      .join(Person).where(HouseholdMember.household.in_(chunk)).objects()):
                members[m.household_id].add(m.id)
                named[m.household_id][(_name_key(m.first_name, m.last_name), m.birth_date)] = m.id
            for r in SurveyRecord.select().where(SurveyRecord.household.in_(chunk)).dicts():
                records[(r["household"], r["person"])] = r

        # the person of each row: the document's holder, else the household's member of that name and birth date
        person_of: dict[int, int | None] = {}
        for g in self.groups:
            household = found[g.key]
            names = named[household["id"]] if household else {}
            for r in g.rows:
                p = r.person
                person_of[r.line] = (known.get((p.doc_type, p.doc_number)) if p.doc_number else
                                     names.get((_name_key(p.first_name, p.last_name), p.birth_date)))
        new = [r for r in rows if person_of[r.line] is None]
        doubts_of = doubts_many([r.person for r in new], [_name_key(r.person.first_name, r.person.last_name) for r in new])
        for r, doubts in zip(new, doubts_of, strict=True):
            if doubts:
                self.report.issues.append(Issue(r.line, "first_name", "survey.possible_duplicate",
                                                {"people": ", ".join(map(str, doubts))}, error=False))

        on_file_people: dict[int, dict] = {}
        for n, g in enumerate(self.groups):
            if n % IN_LIMIT == 0:  # the people on file of the next groups (not all at once: a field file is big)
                on_file_people = self._people(sorted({person_of[r.line] for h in self.groups[n:n + IN_LIMIT]
                                                      for r in h.rows if person_of[r.line] is not None}))
            household_id = self._household(g, found[g.key])
            on_file = members.get(household_id, set())
            for r in g.rows:
                person_id = person_of[r.line]
                if person_id is None:
                    person_id = self._new_person(r.person, known)
                    person_of[r.line] = person_id
                if person_id not in on_file:
                    self.member(household=household_id, person=person_id, created_at=self.now)
                    on_file.add(person_id)
                record_id = self._record(g, r, household_id, person_id, records.get((household_id, person_id)))
                if person_id in on_file_people:
                    self._refresh_person(r, household_id, record_id, on_file_people.pop(person_id))

    def _people(self, ids: list[int]) -> dict[int, dict]:
        """The people on file that rows were matched to, as dicts."""
        out: dict[int, dict] = {}
        for chunk in chunks(ids):
            for p in Person.select(*_PERSON_COLUMNS).where(Person.id.in_(chunk)).dicts():
                out[p["id"]] = p
        return out

    def _refresh_person(self, row: SurveyRow, household_id: int, record_id: int, current: dict) -> None:
        """A person already on file, from what the survey found: a blank field is filled; a new
        phone number or prefix replaces the old (people change them); a name or birth date that
        differs is not overwritten (the register's came from their card, perhaps) but reported.
        What changed is kept with their survey record's history (SurveyChange)."""
        data = row.person
        values: dict[str, object] = {}
        for name in _PERSON_FILLED:
            new = getattr(data, name)
            if new in (None, ""):
                continue
            if current[name] in (None, "") or name in _PERSON_REPLACED:
                values[name] = new
        differs = [name for name in _PERSON_KEPT
                   if getattr(data, name) not in (None, "") and current[name] not in (None, "")
                   and getattr(data, name) != current[name]]
        self.report.issues.extend(Issue(row.line, name, "survey_entry.person_differs", {"person": current["id"]},
                                        error=False) for name in differs)
        changed = _changes(current, values)
        if not changed:
            return
        updates: dict[str, object] = {k: values[k] for k in changed}
        merged = {**current, **updates}
        if "first_name" in updates or "last_name" in updates:
            updates.update(dict(_search_keys(merged["first_name"], merged["last_name"])))
        Person.update(**updates, updated_at=self.now).where(Person.id == current["id"]).execute()
        put_person(current["id"], merged["first_name"], merged["last_name"], merged["doc_number"], merged["phone"],
                   updates.get("name_key", current["name_key"]))
        SurveyChange.create(household=household_id, record=record_id, actor=self.actor.username,
                            changes=json.dumps({f"person.{k}": v for k, v in changed.items()}, ensure_ascii=False))
        self.report.people_updated += 1

    def _people_by_document(self, rows: list[SurveyRow]) -> dict[tuple[str, str], int]:
        """(doc type, number) → the person on file holding it (the newest record, never a merged one):
        the certain match of the duplicate check (kiosk.services.duplicates)."""
        numbers = sorted({r.person.doc_number for r in rows if r.person.doc_number})
        known: dict[tuple[str, str], int] = {}
        for chunk in chunks(numbers):
            for p in (Person.select(Person.id, Person.doc_type, Person.doc_number)
                      .where(Person.doc_number.in_(chunk), Person.merged_into.is_null()).order_by(Person.id)):
                known[(p.doc_type, p.doc_number)] = p.id
        return known

    def _households_by_address(self) -> dict[tuple, dict]:
        """(subdistrict, หมู่, house number) → the household on file there (the oldest), for the
        house numbers in the file."""
        numbers = sorted({g.place["house_no"] for g in self.groups if g.place["house_no"]})
        out: dict[tuple, Household] = {}
        for chunk in chunks(numbers):
            for h in (Household.select().where(Household.organization == self.org, Household.house_no.in_(chunk))
                      .order_by(Household.id.desc()).dicts()):
                out[(h["subdistrict_code"], h["moo"], h["house_no"])] = h
        return out

    def _find_household(self, group: _Group, known: dict) -> dict | None:
        """By import key; else by address (a re-survey sent as a new ODK submission); else (no
        house number: a hut, a homeless person) the household one of its members is already in."""
        first, place = group.rows[0], group.place
        if first.import_key:
            found = Household.select().where(Household.import_key == first.import_key).dicts().first()
            if found is not None:
                return found
        if place["house_no"]:
            return self.by_place.get((place["subdistrict_code"], place["moo"], place["house_no"]))
        ids = [known[(r.person.doc_type, r.person.doc_number)] for r in group.rows
               if (r.person.doc_type, r.person.doc_number) in known]
        names = [_name_key(r.person.first_name, r.person.last_name) for r in group.rows]
        return (Household.select().join(HouseholdMember).join(Person)
                .where(Household.organization == self.org, Household.house_no == "", Household.moo == place["moo"],
                       Household.subdistrict_code == place["subdistrict_code"],
                       Person.id.in_(ids) | Person.name_key.in_(names))
                .order_by(Household.id).dicts().first())

    def _household(self, group: _Group, household: dict | None) -> int:
        """The household's id, inserted when new, updated (with its history) when moved."""
        if household is None:
            self.report.households_added += 1
            return self.household(organization=self.org.id, **group.place, import_key=group.rows[0].import_key,
                                  created_at=self.now, updated_at=self.now)
        moved = _changes(household, {k: v for k, v in group.place.items() if v not in (None, "")})
        if moved:
            Household.update(**{k: new for k, (_old, new) in moved.items()}, updated_at=self.now).where(
                Household.id == household["id"]).execute()
            SurveyChange.create(household=household["id"], actor=self.actor.username,
                                changes=json.dumps(moved, ensure_ascii=False))
            self.report.households_changed += 1
        return household["id"]

    def _new_person(self, data: PersonData, known: dict) -> int:
        """As people.create, by a prepared statement and without its savepoint."""
        keys = dict(_search_keys(data.first_name, data.last_name))
        person_id = self.person(organization=self.org.id, **{f.name: getattr(data, f.name) for f in fields(data)},
                                **keys, created_at=self.now, updated_at=self.now)
        put_person(person_id, data.first_name, data.last_name, data.doc_number, data.phone, keys["name_key"])
        if data.doc_number:
            known[(data.doc_type, data.doc_number)] = person_id
        self.report.people_added += 1
        return person_id

    def _record(self, group: _Group, row: SurveyRow, household_id: int, person_id: int,
                record: dict | None) -> int:
        """The member's survey record: inserted, or updated with what changed kept (a re-survey)."""
        team = self.teams[row.line]
        values = dict(survey_team=team.team_id, team=team.name, surveyor_member=team.member_id,
                      surveyed_on=row.surveyed_on, vulnerabilities=",".join(row.vulnerabilities),
                      needs=",".join(row.needs), living_situation=row.living_situation, notes=row.note,
                      consent=row.consent, legal_basis=row.legal_basis, latitude=group.place["latitude"],
                      longitude=group.place["longitude"])
        if record is None:
            self.report.records_added += 1
            return self.record(organization=self.org.id, person=person_id, household=household_id,
                               surveyor=self.surveyor, **values, created_at=self.now, updated_at=self.now)
        changed = _changes(record, values)
        if not changed:
            self.report.unchanged += 1
            return record["id"]
        SurveyRecord.update(**values, surveyor=self.surveyor, updated_at=self.now).where(
            SurveyRecord.id == record["id"]).execute()
        SurveyChange.create(household=household_id, record=record["id"], actor=self.actor.username,
                            changes=json.dumps(changed, ensure_ascii=False))
        self.report.records_changed += 1
        return record["id"]


# a person on file and a later survey: fields filled when blank, of those the ones a newer value
# replaces, and the identity fields never overwritten (reported when they differ)
_PERSON_FILLED = ("prefix", "last_name", "birth_date", "phone", "house_no", "moo", "village", "subdistrict_code")
_PERSON_REPLACED = ("prefix", "phone")
_PERSON_KEPT = ("first_name", "last_name", "birth_date")
_PERSON_COLUMNS = tuple(getattr(Person, name) for name in (
    "id", "first_name", "doc_number", "name_key", *dict.fromkeys(_PERSON_FILLED + _PERSON_KEPT)))
_RECORD_VALUES = ("survey_team", "team", "surveyor_member", "surveyed_on", "vulnerabilities", "needs",
                  "living_situation", "notes", "consent", "legal_basis", "latitude", "longitude")
