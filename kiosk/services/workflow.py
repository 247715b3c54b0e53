"""The case state machine. Transitions are data (ACTIONS): which statuses an action starts from,
where it leads, the least role that may take it and the fields it needs. `perform` is the one
way a case changes: it checks all that, saves with optimistic locking
(`UPDATE … WHERE id=? AND version=?`), writes the timeline event and the audit entry."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from db.connection import write_transaction
from db.models import Case, CaseEvent, Staff, utcnow

from ..errors import Conflict, NotFound, ValidationError
from ..text import clean_text
from ..thai.digits import to_arabic_digits
from . import audit
from .staff import Actor, require

OPEN = ("received", "more_info", "field_check", "awaiting_committee", "approved")
ENDED = ("not_approved", "helped", "closed", "referred", "withdrawn", "duplicate")
MAX_NOTE = 2000
MAX_AMOUNT = Decimal("9999999999.99")


@dataclass(frozen=True)
class ActionSpec:
    """One kind of step. `to` None keeps the status; `needs` are required fields; `notes` says
    which notes are required: "public", "internal", or "any" (at least one of the two)."""

    key: str
    role: str
    sources: tuple[str, ...]
    to: str | None
    needs: tuple[str, ...] = ()
    notes: str = "any"
    optional: tuple[str, ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        return self.needs + self.optional


ACTIONS: dict[str, ActionSpec] = {a.key: a for a in (
    ActionSpec("assign", "officer", OPEN, None, needs=("assignee",), notes="none"),
    ActionSpec("send_field", "officer", ("received", "more_info"), "field_check", needs=("team",), notes="none"),
    ActionSpec("ask_info", "officer", ("received", "field_check", "awaiting_committee"), "more_info", notes="public"),
    ActionSpec("info_received", "officer", ("more_info",), "received"),
    ActionSpec("record_field_check", "officer", ("field_check",), "awaiting_committee",
               needs=("visited_on",), notes="internal"),
    ActionSpec("approve", "supervisor", ("awaiting_committee",), "approved",
               needs=("meeting_no", "meeting_date"), notes="public"),
    ActionSpec("not_approve", "supervisor", ("awaiting_committee",), "not_approved",
               needs=("meeting_no", "meeting_date"), notes="public"),
    ActionSpec("deliver", "officer", ("approved",), "helped", optional=("amount", "items"), notes="public"),
    ActionSpec("refer", "officer", OPEN, "referred", needs=("agency",), notes="public"),
    ActionSpec("mark_duplicate", "officer", OPEN, "duplicate", needs=("duplicate_of",), notes="none"),
    ActionSpec("withdraw", "officer", OPEN, "withdrawn", notes="any"),
    ActionSpec("close", "officer", OPEN + ("helped", "not_approved"), "closed", notes="public"),
    ActionSpec("reopen", "supervisor", ENDED, "received", notes="internal"),
    ActionSpec("note", "officer", OPEN + ENDED, None, notes="any"),
)}


@dataclass(frozen=True)
class Step:
    """What a screen sends: the action, the version the actor saw, notes and fields (as typed)."""

    action: str
    version: int
    public_note: str = ""
    internal_note: str = ""
    assignee: int | None = None  # Staff id
    team: str = ""
    visited_on: date | None = None
    meeting_no: str = ""
    meeting_date: date | None = None
    amount: str = ""  # typed text; parsed to Decimal here
    items: str = ""
    agency: str = ""
    duplicate_of: str = ""  # a ticket number


def allowed_actions(actor: Actor | None, status: str) -> list[str]:
    """The actions this actor may take on a case in `status`, in catalogue order."""
    if actor is None:
        return []
    return [a.key for a in ACTIONS.values() if status in a.sources and actor.at_least(a.role)]


def parse_amount(text: str) -> Decimal:
    """Baht as typed ("3,000", "๓๐๐๐.50", "฿1500"): positive, at most 2 decimals."""
    raw = to_arabic_digits(text or "").replace(",", "").replace("฿", "").replace("บาท", "").strip()
    if not raw:
        raise ValidationError("workflow.amount_required", "amount required", field="amount")
    if not re.fullmatch(r"[0-9]{1,10}(\.[0-9]{1,2})?", raw):
        raise ValidationError("workflow.amount_format", f"bad amount {text!r}", field="amount")
    try:
        value = Decimal(raw)
    except InvalidOperation:  # pragma: no cover - the pattern already rules this out
        raise ValidationError("workflow.amount_format", f"bad amount {text!r}", field="amount") from None
    if value <= 0 or value > MAX_AMOUNT:
        raise ValidationError("workflow.amount_range", f"amount out of range {value}", field="amount")
    return value


def amount_words(value: Decimal) -> str:
    """The amount in Thai words, as on a Thai cheque (pythainlp's bahttext)."""
    from pythainlp.util import bahttext

    return bahttext(float(value))


def _note(text: str) -> str:
    return clean_text(text, MAX_NOTE, multiline=True)


def _validated(spec: ActionSpec, step: Step, case: Case) -> dict:
    """Check the step's fields for its action; return the event's data (JSON-able)."""
    public, internal = _note(step.public_note), _note(step.internal_note)
    if spec.notes == "public" and not public:
        raise ValidationError("workflow.public_note_required", "public note required", field="public_note")
    if spec.notes == "internal" and not internal:
        raise ValidationError("workflow.internal_note_required", "internal note required", field="internal_note")
    if spec.notes == "any" and not (public or internal):
        raise ValidationError("workflow.note_required", "a note is required", field="public_note")
    data: dict = {}
    if spec.key == "assign":
        staff = Staff.get_or_none(Staff.id == step.assignee) if step.assignee else None
        if staff is None or not staff.active or staff.role == "volunteer":
            raise ValidationError("workflow.assignee_invalid", "assignee must be an active officer", field="assignee")
        data["assignee"] = staff.username
    if "team" in spec.needs:
        data["team"] = clean_text(step.team, 200)
        if not data["team"]:
            raise ValidationError("workflow.team_required", "team required", field="team")
    if "visited_on" in spec.needs:
        if step.visited_on is None:
            raise ValidationError("workflow.date_required", "visit date required", field="visited_on")
        data["visited_on"] = step.visited_on.isoformat()
    if "meeting_no" in spec.needs:
        data["meeting_no"] = clean_text(step.meeting_no, 40)
        if not data["meeting_no"]:
            raise ValidationError("workflow.meeting_no_required", "meeting number required", field="meeting_no")
        if step.meeting_date is None:
            raise ValidationError("workflow.date_required", "meeting date required", field="meeting_date")
        data["meeting_date"] = step.meeting_date.isoformat()
    if spec.key == "deliver":
        items = clean_text(step.items, 500)
        if not (step.amount or "").strip() and not items:
            raise ValidationError("workflow.help_required", "amount or items required", field="amount")
        if (step.amount or "").strip():
            data["amount"] = str(parse_amount(step.amount))
        if items:
            data["items"] = items
    if "agency" in spec.needs:
        data["agency"] = clean_text(step.agency, 200)
        if not data["agency"]:
            raise ValidationError("workflow.agency_required", "agency required", field="agency")
    if "duplicate_of" in spec.needs:
        ticket = clean_text(step.duplicate_of, 20).upper()
        original = Case.get_or_none(Case.ticket_no == ticket) if ticket else None
        if original is None or original.id == case.id:
            raise ValidationError("workflow.duplicate_of_invalid", "no such other case", field="duplicate_of")
        data["duplicate_of"] = ticket
        data["duplicate_of_id"] = original.id
    data["public_note"], data["internal_note"] = public, internal
    return data


def changes_since(case_id: int, version: int) -> dict:
    """What happened to a case after `version`: the current status and version, and who did
    which action (from the timeline events that carry the version they made)."""
    case = Case.get_by_id(case_id)
    names = dict(Staff.select(Staff.id, Staff.username).tuples())
    steps = []
    for ev in CaseEvent.select().where(CaseEvent.case == case_id).order_by(CaseEvent.id):
        made = json.loads(ev.data).get("version") if ev.data.startswith("{") else None
        if made is not None and made > version:
            steps.append({"action": ev.action, "by": names.get(ev.actor_id, ""), "to_status": ev.to_status})
    return {"version": case.version, "status": case.status_id, "steps": steps}


def _conflict(case_id: int, version: int) -> Conflict:
    changes = changes_since(case_id, version)
    return Conflict("workflow.conflict", f"case {case_id} changed since version {version}", changes=changes,
                    by=", ".join(sorted({s["by"] for s in changes["steps"] if s["by"]})) or "?",
                    status=changes["status"])


def perform(actor: Actor, case_id: int, step: Step) -> int:
    """Take one step on a case; returns the case's new version. Raises PermissionDenied (role),
    ValidationError (not allowed from this status, missing field), Conflict (someone saved first)."""
    spec = ACTIONS.get(step.action)
    if spec is None:
        raise ValidationError("workflow.action_unknown", f"unknown action {step.action}", field="action")
    require(actor, spec.role)
    with write_transaction():
        case = Case.get_or_none(Case.id == case_id)
        if case is None:
            raise NotFound("workflow.case_unknown", f"no case {case_id}")
        if case.version != step.version:
            raise _conflict(case_id, step.version)
        if case.status_id not in spec.sources:
            raise ValidationError("workflow.not_allowed", f"{spec.key} not allowed from {case.status_id}",
                                  field="action", status=case.status_id)
        data = _validated(spec, step, case)
        public, internal = data.pop("public_note"), data.pop("internal_note")
        status = spec.to or case.status_id
        # only a step that moves the case records from/to: the public timeline shows moves
        moved = (case.status_id, status) if status != case.status_id else (None, None)
        now = utcnow()
        new_version = step.version + 1
        updates = {Case.status: status, Case.version: new_version, Case.updated_at: now}
        if spec.key == "assign":
            updates[Case.assigned_to] = step.assignee
        if spec.key == "mark_duplicate":
            updates[Case.duplicate_of] = data.pop("duplicate_of_id")
        rows = Case.update(updates).where(Case.id == case_id, Case.version == step.version).execute()
        if rows == 0:  # someone saved between our read and our write
            raise _conflict(case_id, step.version)
        amount = Decimal(data["amount"]) if "amount" in data else None
        CaseEvent.create(case=case_id, at=now, actor=actor.id or None, action=spec.key, from_status=moved[0],
                         to_status=moved[1], public_note=public, internal_note=internal, amount=amount,
                         data=json.dumps({"version": new_version, **data}, ensure_ascii=False))
        audit.record(f"case_{spec.key}", actor=actor.username, target_type="case", target_id=case_id,
                     detail=f"{case.ticket_no} {case.status_id}->{status} v{new_version}", client=actor.client)
    return new_version

