"""PDPA access requests (s.30): everything the centre holds about one person, found by their
document number, as one JSON file the officer checks and hands over within 30 days.

Whose data: every person record holding that document number, typed in any form (dashes,
spaces, Thai digits, lower-case passport letters: kiosk.thai.ids.document_forms), including
duplicates not yet merged, and the records merged with them either way.

What it holds: those records; every case where one of them is the requester or the subject, with
the description, the help asked, the timeline with public AND internal notes, amounts and the
details of each step; their survey records with the household's address; and the audit rows
about them or their cases (what was done and when: views, look-ups, changes).

What it withholds, because it is someone else's: the other person of a shared case (B, the
subject of A's request, or the requester who asked for A) appears only as a role and "withheld",
never with a name, document, phone or address; staff names (who viewed, who acted, who was
assigned, who surveyed) and other cases' tickets. Free text is given as stored: a description
A typed may name B, so the officer reads the file before handing it over.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from db.bulk import chunks
from db.connection import write_transaction
from db.models import AuditLog, Case, CaseEvent, Household, Organization, Person, SurveyChange, SurveyRecord

from ..errors import KioskError, NotFound, ValidationError
from ..i18n import translate
from ..thai.dates import BANGKOK
from ..thai.ids import document_forms
from . import audit, scope
from .staff import Actor, require

EXPORT_ROLE = "admin"  # the machine's administrator (kiosk.py person-export) or an admin account
FORMAT = "kiosk-person-export/1"
PERSON_FIELDS = ("prefix", "first_name", "last_name", "doc_type", "doc_number", "birth_date", "phone", "house_no",
                 "moo", "village", "soi", "road", "subdistrict_code", "latitude", "longitude", "created_at",
                 "updated_at")
CASE_FIELDS = ("ticket_no", "channel", "relationship", "description", "occurred_on", "household_size",
               "vulnerabilities", "help_requested", "help_received", "urgency", "sensitive_consent", "legal_basis",
               "latitude", "longitude", "created_at", "updated_at")
STEP_DETAILS = ("amount", "items", "team", "visited_on", "meeting_no", "meeting_date", "agency", "notice_accepted",
                "sensitive_consent", "approved_amount", "over_limit_reason", "limit")  # not: assignee (staff), duplicate_of (another case)
HOUSEHOLD_FIELDS = ("house_no", "moo", "village", "subdistrict_code", "latitude", "longitude")
SURVEY_FIELDS = ("team", "surveyed_on", "vulnerabilities", "needs", "living_situation", "notes", "consent",
                 "legal_basis", "latitude", "longitude", "created_at", "updated_at")


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    people: int
    cases: int
    surveys: int
    audit_rows: int


def _value(value: object) -> object:
    """JSON for a stored value: times in Bangkok with their offset, dates ISO, money as text."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC).astimezone(BANGKOK).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))  # baht and satang, the same on both databases
    return value


def _row(model: object, names: tuple[str, ...]) -> dict:
    return {name: _value(getattr(model, name)) for name in names}


def _household(household: Household | None) -> dict | None:
    """Where the survey found them (their own address: the other members are not named)."""
    return None if household is None else _row(household, HOUSEHOLD_FIELDS)


def records_for(doc_number: str) -> list[int]:
    """Ids of every person record of the holder of this document (see the module docstring)."""
    forms = document_forms(doc_number)
    if not forms:
        raise ValidationError("privacy.export_doc_required", "a document number is required", field="doc")
    found = {pid for (pid,) in Person.select(Person.id).where(
        Person.doc_number.in_(sorted(forms)), Person.doc_type != "none").tuples()}
    frontier = set(found)
    while frontier:  # merged records, both ways
        chunk = sorted(frontier)
        linked = {pid for (pid,) in Person.select(Person.id).where(Person.merged_into.in_(chunk)).tuples()}
        linked |= {pid for (pid,) in Person.select(Person.merged_into).where(
            Person.id.in_(chunk), Person.merged_into.is_null(False)).tuples()}
        frontier = linked - found
        found |= frontier
    return sorted(found)


def _step_details(data: str) -> dict:
    try:
        values = json.loads(data) if data else {}
    except ValueError:
        return {}
    return {k: values[k] for k in STEP_DETAILS if isinstance(values, dict) and k in values}


def _case(case: Case, ids: set[int], events: list[CaseEvent]) -> dict:
    roles = [role for role, pid in (("requester", case.requester_id), ("subject", case.subject_id)) if pid in ids]
    others = [{"role": role, "details": "withheld"}
              for role, pid in (("requester", case.requester_id), ("subject", case.subject_id))
              if pid is not None and pid not in ids and not (role == "subject" and pid == case.requester_id)]
    return {"your_roles": roles, "category": case.category_id, "status": case.status_id,
            **_row(case, CASE_FIELDS), "other_people": others,
            "timeline": [{"at": _value(e.at), "action": e.action, "from_status": e.from_status,
                          "to_status": e.to_status, "public_note": e.public_note, "internal_note": e.internal_note,
                          "amount": _value(e.amount), "details": _step_details(e.data)} for e in events]}


def _survey_history(record_id: int) -> list[dict]:
    """What re-surveys changed in this survey record (and in the person's details), oldest first."""
    out = []
    for c in SurveyChange.select().where(SurveyChange.record == record_id).order_by(SurveyChange.at, SurveyChange.id):
        try:
            changes = json.loads(c.changes) if c.changes else {}
        except ValueError:
            changes = {}
        out.append({"at": _value(c.at), "changes": changes})
    return out


def _audit_rows(person_ids: list[int], case_ids: list[int]) -> list[dict]:
    rows: dict[int, AuditLog] = {}
    for kind, ids in (("person", person_ids), ("case", case_ids)):
        for chunk in chunks([str(i) for i in ids]):
            for r in AuditLog.select().where(AuditLog.target_type == kind, AuditLog.target_id.in_(chunk)):
                rows[r.id] = r
    # who did it (a staff username, an address) is not theirs: the action, the time and the target are
    return [{"at": _value(r.at), "action": r.action, "target": f"{r.target_type}:{r.target_id}", "detail": r.detail}
            for _, r in sorted(rows.items())]


def collect(person_ids: list[int], centre: str = "") -> dict:
    """The export document for these person records (no role check, no audit: see export)."""
    ids = set(person_ids)
    people = list(Person.select().where(Person.id.in_(person_ids)).order_by(Person.id))
    lao = dict(Organization.select(Organization.id, Organization.name_th).tuples())
    cases = list(Case.select().where(Case.requester.in_(person_ids) | Case.subject.in_(person_ids)).order_by(Case.id))
    events: dict[int, list[CaseEvent]] = {}
    for chunk in chunks([c.id for c in cases]):
        for e in CaseEvent.select().where(CaseEvent.case.in_(chunk)).order_by(CaseEvent.at, CaseEvent.id):
            events.setdefault(e.case_id, []).append(e)
    surveys = SurveyRecord.select().where(SurveyRecord.person.in_(person_ids)).order_by(SurveyRecord.id)
    return {
        "format": FORMAT,
        "generated_at": _value(datetime.now(UTC).replace(tzinfo=None)),
        "centre": centre,
        "about": {lang: translate("privacy.export_about", lang) for lang in ("th", "en")},
        "people": [{"record": p.id, "lao": lao.get(p.organization_id, ""), **_row(p, PERSON_FIELDS),
                    "merged_into_record": p.merged_into_id} for p in people],
        "cases": [_case(c, ids, events.get(c.id, [])) for c in cases],
        "surveys": [{"record": s.person_id, **_row(s, SURVEY_FIELDS), "household": _household(s.household),
                     "history": _survey_history(s.id)} for s in surveys],
        "audit": _audit_rows(person_ids, [c.id for c in cases]),
    }


def _write_private(path: Path, text: str) -> None:
    """Create `path` readable by its owner only (0600 whatever the umask); never overwrite a file
    or follow a link planted where it should go."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise KioskError("privacy.export_exists", f"{path} exists", path=str(path)) from None
    except FileNotFoundError:  # O_CREAT: only the folder can be missing
        raise KioskError("privacy.export_no_folder", f"no folder {path.parent}", folder=str(path.parent)) from None
    except OSError as exc:
        raise KioskError("privacy.export_unwritable", f"{path}: {exc.strerror}", path=str(path)) from None
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise KioskError("privacy.export_unwritable", f"{path}: {exc.strerror}", path=str(path)) from None


def export(actor: Actor, doc_number: str, out: Path, centre: str = "") -> ExportSummary:
    """Write everything held about the holder of `doc_number` to `out` (JSON, Thai as Thai).
    Audited: one "person_export" row per record, in the same transaction as the file is
    written, so there is no export without its audit row. NotFound when no one holds it."""
    require(actor, EXPORT_ROLE)
    ids = records_for(doc_number)
    if ids and not scope.sees_all(actor):  # an LAO's staff export what their LAO holds
        ids = [pid for (pid,) in Person.select(Person.id).where(Person.id.in_(ids), scope.people_visible(actor))
               .tuples()]
    if not ids:
        audit.record("person_export", actor=actor.username, detail="not found", client=actor.client)
        raise NotFound("privacy.export_none", "no one on file holds that document")
    data = collect(ids, centre)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    with write_transaction():
        for pid in ids:
            audit.record("person_export", actor=actor.username, target_type="person", target_id=pid,
                         detail=f"access request: {len(data['cases'])} cases", client=actor.client)
        _write_private(out, text)
    return ExportSummary(out, len(data["people"]), len(data["cases"]), len(data["surveys"]), len(data["audit"]))
