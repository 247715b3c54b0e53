"""PDPA retention (issue 11): personal data is kept only as long as it is needed. After
`[privacy] retention_years` a person whose every case has ended is anonymised; the cases stay.

Who is anonymised: a person record not merged away, unchanged since the cutoff, whose every case
(as requester or as subject) has ended (workflow_spec.ENDED) and was last changed before the cutoff,
with no survey record since then; plus the records merged into it. A person with an open case, or
a case changed since the cutoff, keeps everything.

What is cleared: the person's name, prefix, document, phone, birth date, house number, หมู่,
village, soi, road and coordinates (and their search-index row); in each of their cases the free
text (description, help asked and received, every public and internal note, and the typed text
of the steps: field team, items delivered, agency), and the case's coordinates; their survey
records' notes and coordinates, the records' re-survey history, and their place in a household
(the record leaves the household: its address would name them). Free text is cleared whole because a citizen's story may name
anyone. What stays, for statistics and INFO: the case with its ticket, category, status,
channel, urgency, vulnerability keys, household size, dates, amounts and committee meeting; the
person record as an empty row (its subdistrict and LAO), so counts still add up.

SQLite keeps deleted and overwritten bytes in free space inside pages and in free pages until
they are reused, and in the -wal file until a checkpoint (measured: without VACUUM 854 of 1,000
updated names were still in the file). So the purge runs with `PRAGMA secure_delete=ON`, merges
the full-text index segments (FTS5 'optimize'), then VACUUMs and truncates the WAL. On
PostgreSQL it runs VACUUM on the tables it changed; old row versions may still sit in PostgreSQL's
own WAL and in backups until those age out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from peewee import OperationalError, fn

from db.bulk import chunks
from db.connection import is_postgres, write_transaction
from db.models import Case, CaseEvent, HouseholdMember, Person, SurveyChange, SurveyRecord, database, utcnow

from ..errors import ValidationError
from ..workflow_spec import ENDED
from . import audit
from .search import reindex_case, reindex_person
from .staff import Actor, require

RETENTION_ROLE = "admin"  # the machine's administrator (kiosk.py purge) or an admin account
MIN_DAYS = 30  # a shorter period is surely a typing mistake: an ended case may still be reopened
CHUNK = 200  # people per write transaction: the counter keeps taking requests while a purge runs

# every personal field of a person, and what it becomes
BLANK_PERSON = {"prefix": "", "first_name": "", "last_name": "", "doc_type": "none", "doc_number": "",
                "birth_date": None, "phone": "", "house_no": "", "moo": None, "village": "", "soi": "",
                "road": "", "latitude": None, "longitude": None, "name_plain": "", "name_key": ""}
BLANK_CASE = {"description": "", "help_requested": "", "help_received": "", "latitude": None, "longitude": None}
FREE_TEXT_STEP_DATA = ("team", "items", "agency", "over_limit_reason", "reason", "reply")  # typed text in a case event's data
_CHANGED_TABLES = ("person", "case", "case_event", "survey_record", "survey_change", "household_member",
                   "person_search", "case_search")


@dataclass(frozen=True)
class PurgeCounts:
    people: int = 0  # person records anonymised (merged-away records included)
    cases: int = 0  # cases whose free text is cleared
    events: int = 0  # case events whose notes or typed text are cleared
    surveys: int = 0  # survey records whose notes and coordinates are cleared

    def __add__(self, other: PurgeCounts) -> PurgeCounts:
        return PurgeCounts(self.people + other.people, self.cases + other.cases, self.events + other.events,
                           self.surveys + other.surveys)


@dataclass(frozen=True)
class PurgeResult:
    cutoff: datetime
    counts: PurgeCounts
    compacted: bool  # free pages and the WAL cleared (False: the database was busy; run it again)


def days_for_years(years: int) -> int:
    return round(years * 365.25)


def cutoff_for(days: int, now: datetime | None = None) -> datetime:
    """The moment before which a case counts as old (naive UTC, like the stored timestamps)."""
    if days < MIN_DAYS:
        raise ValidationError("privacy.purge_too_short", f"at least {MIN_DAYS} days", field="older_than",
                              min=MIN_DAYS)
    return (now or utcnow()) - timedelta(days=days)


def _holds_personal_data():
    """Any personal field not yet blank (an anonymised record is never counted twice)."""
    condition = None
    for name, blank in BLANK_PERSON.items():
        column = getattr(Person, name)
        clause = column.is_null(False) if blank is None else (column != blank)
        condition = clause if condition is None else (condition | clause)
    return condition


def _eligible(cutoff: datetime, among: list[int] | None = None) -> list[int]:
    """Ids of live person records past retention (see the module docstring)."""
    keeps = Case.status.not_in(ENDED) | (Case.updated_at >= cutoff)
    as_requester = Case.select(Case.id).where((Case.requester == Person.id) & keeps)
    as_subject = Case.select(Case.id).where((Case.subject == Person.id) & keeps)
    surveyed = SurveyRecord.select(SurveyRecord.id).where(
        (SurveyRecord.person == Person.id) & (SurveyRecord.created_at >= cutoff))
    query = Person.select(Person.id).where(
        Person.merged_into.is_null(), Person.updated_at < cutoff, _holds_personal_data(),
        ~fn.EXISTS(as_requester), ~fn.EXISTS(as_subject), ~fn.EXISTS(surveyed))
    if among is not None:
        query = query.where(Person.id.in_(among))
    return [pid for (pid,) in query.order_by(Person.id).tuples()]


def _with_merged(ids: list[int]) -> list[int]:
    """`ids` and every record merged into one of them (at any depth) that still holds data."""
    found, frontier = set(ids), set(ids)
    while frontier:
        new: set[int] = set()
        for chunk in chunks(sorted(frontier)):
            new |= {pid for (pid,) in Person.select(Person.id).where(
                Person.merged_into.in_(chunk), _holds_personal_data()).tuples()}
        frontier = new - found
        found |= frontier
    return sorted(found)


def _case_ids(person_ids: list[int]) -> list[int]:
    found: set[int] = set()
    for chunk in chunks(person_ids):
        found |= {cid for (cid,) in Case.select(Case.id).where(
            Case.requester.in_(chunk) | Case.subject.in_(chunk)).tuples()}
    return sorted(found)


def _scrubbed_data(data: str) -> str:
    """A case event's data without the typed free text (structured values stay)."""
    if not data:
        return ""
    try:
        values = json.loads(data)
    except ValueError:
        return ""
    if not isinstance(values, dict):
        return ""
    kept = {k: v for k, v in values.items() if k not in FREE_TEXT_STEP_DATA}
    return json.dumps(kept, ensure_ascii=False) if kept else ""


def _events_to_clear(case_ids: list[int]) -> list[tuple[int, str]]:
    """(event id, its data scrubbed) for the events of these cases that hold any text to clear."""
    out = []
    for chunk in chunks(case_ids):
        for eid, public, internal, data in CaseEvent.select(
                CaseEvent.id, CaseEvent.public_note, CaseEvent.internal_note, CaseEvent.data).where(
                CaseEvent.case.in_(chunk)).tuples():
            scrubbed = _scrubbed_data(data)
            if public or internal or scrubbed != data:
                out.append((eid, scrubbed))
    return out


def _surveys(person_ids: list[int]) -> int:
    return sum(SurveyRecord.select().where(SurveyRecord.person.in_(chunk)).count() for chunk in chunks(person_ids))


def _counts(person_ids: list[int]) -> tuple[PurgeCounts, list[int], list[tuple[int, str]]]:
    cases = _case_ids(person_ids)
    events = _events_to_clear(cases)
    return PurgeCounts(len(person_ids), len(cases), len(events), _surveys(person_ids)), cases, events


def plan(actor: Actor, cutoff: datetime) -> PurgeCounts:
    """What `purge` would anonymise now; reads only (a dry run changes nothing, not even the log)."""
    require(actor, RETENTION_ROLE)
    return _counts(_with_merged(_eligible(cutoff)))[0]


def _anonymise(person_ids: list[int]) -> PurgeCounts:
    counts, case_ids, events = _counts(person_ids)
    now = utcnow()
    for chunk in chunks(person_ids):
        Person.update(**BLANK_PERSON, updated_at=now).where(Person.id.in_(chunk)).execute()
        # the re-survey history holds earlier notes and positions; the household, their address
        records = SurveyRecord.select(SurveyRecord.id).where(SurveyRecord.person.in_(chunk))
        SurveyChange.delete().where(SurveyChange.record.in_(records)).execute()
        SurveyRecord.update(notes="", latitude=None, longitude=None, household=None).where(
            SurveyRecord.person.in_(chunk)).execute()
        HouseholdMember.delete().where(HouseholdMember.person.in_(chunk)).execute()
    # the version moves (a screen holding the case is told, not overwritten); updated_at does not,
    # or the other person of a shared case would wait another retention period
    for chunk in chunks(case_ids):
        Case.update(**BLANK_CASE, version=Case.version + 1).where(Case.id.in_(chunk)).execute()
    for eid, data in events:
        CaseEvent.update(public_note="", internal_note="", data=data).where(CaseEvent.id == eid).execute()
    for pid in person_ids:
        reindex_person(pid)
    for cid in case_ids:
        reindex_case(cid)
    return counts


def _secure_delete(on: bool | int) -> int | None:
    """Set SQLite's secure_delete (freed bytes overwritten with zeros); returns the old value."""
    if is_postgres():
        return None
    old = database.execute_sql("PRAGMA secure_delete").fetchone()[0]
    database.execute_sql(f"PRAGMA secure_delete={int(on)}")
    return old


def _compact() -> bool:
    """Drop the freed space that may still hold the old values; True when it is all gone."""
    db = database.obj
    try:
        if is_postgres(db):
            for table in _CHANGED_TABLES:
                db.execute_sql(f'VACUUM "{table}"')
            return True
        db.execute_sql("VACUUM")
        busy, _log, _done = db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except OperationalError:  # another process holds the database: the data is gone, the bytes not yet
        return False
    return busy == 0


def purge(actor: Actor, cutoff: datetime, *, days: int | None = None) -> PurgeResult:
    """Anonymise everyone past retention. Each batch re-checks who is eligible inside its own
    write transaction (someone may have come back to the counter since), anonymises them and
    audits one "person_purge" per record; then one "privacy_purge" row with the counts, and the
    database is compacted so the old bytes are gone from the file too."""
    require(actor, RETENTION_ROLE)
    total = PurgeCounts()
    old = _secure_delete(True)
    try:
        for chunk in chunks(_eligible(cutoff), CHUNK):
            with write_transaction():
                ids = _with_merged(_eligible(cutoff, among=chunk))
                if not ids:
                    continue
                total += _anonymise(ids)
                for pid in ids:
                    audit.record("person_purge", actor=actor.username, target_type="person", target_id=pid,
                                 detail=f"retention cutoff {cutoff:%Y-%m-%d}", client=actor.client)
        with write_transaction():
            audit.record("privacy_purge", actor=actor.username, client=actor.client,
                         detail=f"people={total.people} cases={total.cases} events={total.events} "
                                f"surveys={total.surveys} cutoff={cutoff:%Y-%m-%d}"
                                + (f" older_than_days={days}" if days is not None else ""))
            if not is_postgres():  # merge the full-text segments: deleted terms leave the index
                for table in ("person_search", "case_search"):
                    database.execute_sql(f"INSERT INTO {table}({table}) VALUES('optimize')")
        compacted = _compact()
    finally:
        if old is not None:
            _secure_delete(old)
    return PurgeResult(cutoff, total, compacted)
