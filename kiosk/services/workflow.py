"""The case state machine. Transitions are data (kiosk/workflow_spec.py): which statuses an action
starts from, where it leads, the least role that may take it and the typed fields it needs. Here
they are enforced: a validator per field kind, an effect per name. `perform` is the one way a case
changes: it checks all that, saves with optimistic locking (`UPDATE … WHERE id=? AND version=?`),
writes the timeline event and the audit entry."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from db.connection import write_transaction
from db.models import Case, CaseEvent, Staff, utcnow

from ..config import DEFAULT_AGENCIES, Agency, AidLimit
from ..errors import Conflict, PermissionDenied, ValidationError
from ..logs import event
from ..text import clean_text
from ..thai.dates import format_be_date, now_bangkok
from ..thai.digits import to_arabic_digits
from ..tickets import parse_ticket
from ..workflow_spec import ACTIONS, Action, Field
from . import aid_limits, audit, referral, scope
from .cases import ticket_condition
from .staff import Actor, require

MAX_NOTE = 2000
MAX_AMOUNT = Decimal("9999999999.99")
MAX_DATE_AHEAD = timedelta(days=366)  # a visit or a meeting further ahead is a mistyped year


@dataclass(frozen=True, init=False)
class Step:
    """What a screen sends: the action, the version the actor saw, the notes, and the action's
    fields by name as typed (a date already parsed, a staff member as an id)."""

    action: str
    version: int
    public_note: str = ""
    internal_note: str = ""
    values: dict[str, object] = field(default_factory=dict)

    def __init__(self, action: str, version: int, public_note: str = "", internal_note: str = "",
                 **values: object) -> None:
        for name, value in (("action", action), ("version", version), ("public_note", public_note),
                            ("internal_note", internal_note), ("values", values)):
            object.__setattr__(self, name, value)


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


# -- one validator a field kind: the typed value → the value kept, None when not given ------------
def _text(f: Field, raw: object, _case: Case) -> str | None:
    return clean_text(str(raw or ""), f.max_length) or None


def _date(f: Field, raw: object, _case: Case) -> date | None:
    if not isinstance(raw, date):
        return None
    latest = now_bangkok().date() + MAX_DATE_AHEAD
    if raw > latest:
        raise ValidationError("workflow.date_too_far", f"{raw} is more than a year ahead", field=f.name,
                              latest=format_be_date(latest))
    return raw


def _amount(_f: Field, raw: object, _case: Case) -> Decimal | None:
    return parse_amount(str(raw)) if str(raw or "").strip() else None


def _staff(f: Field, raw: object, case: Case) -> Staff | None:
    """An active officer or above (a volunteer cannot take a case)."""
    if not raw:
        return None
    staff = Staff.get_or_none(Staff.id == raw)
    if staff is not None and staff.organization_id not in (None, case.organization_id):
        staff = None  # another LAO's officer cannot take this LAO's case
    if staff is None or not staff.active or staff.role == "volunteer":
        raise ValidationError(f.error_key, "must be an active officer", field=f.name)
    return staff


def _case_ref(f: Field, raw: object, case: Case) -> Case | None:
    """Another case, by its ticket number."""
    typed = clean_text(str(raw or ""), f.max_length)
    if not typed:
        return None
    ref = parse_ticket(typed)  # as people type it: WPK6900001, 69-00001 (this LAO's), Thai digits
    # Only this case's LAO: another LAO's cases are out of its staff's sight (services/scope.py).
    found = [c for c in Case.select().where(ticket_condition(ref), Case.organization == case.organization_id)
             .limit(20)] if ref else []
    other = found[0] if len(found) == 1 else None
    if other is None or other.id == case.id:
        raise ValidationError(f.error_key, "no such other case", field=f.name)
    return other


def _due_date(f: Field, raw: object, case: Case) -> date | None:
    """A date a reply is due by: today or later (Bangkok), at most a year ahead."""
    if isinstance(raw, date) and raw < now_bangkok().date():
        raise ValidationError("workflow.due_date_past", f"{raw} is in the past", field=f.name)
    return _date(f, raw, case)


def _referral_target(f: Field, raw: object, case: Case) -> referral.Target | None:
    """Another member LAO or an agency; `_validated` passes the configured agencies instead."""
    return referral.target(f, raw, case, DEFAULT_AGENCIES)


VALIDATORS: dict[str, Callable[[Field, object, Case], object]] = {
    "text": _text, "thai_text": _text, "date": _date, "amount": _amount, "staff": _staff, "case_ref": _case_ref,
    "due_date": _due_date, "referral_target": _referral_target,
}


def _stored(value: object) -> object:
    """A kept value as the timeline event's JSON holds it (a person by username, a case by ticket)."""
    if isinstance(value, Staff):
        return value.username
    if isinstance(value, Case):
        return value.ticket_no
    if isinstance(value, referral.Target):
        return value.ref
    return value.isoformat() if isinstance(value, date) else str(value)


# -- effects: what an action changes on the case besides its status, by name. Each returns the
# case's column updates (a `Case.status` there overrides the action's `to`), the timeline event's
# columns (CaseEvent fields) and, under plain string keys, what the event keeps beside the fields. --
def _assign_to(_case: Case, values: dict) -> dict:
    return {Case.assigned_to: values["assignee"].id}


def _link_duplicate(_case: Case, values: dict) -> dict:
    return {Case.duplicate_of: values["duplicate_of"].id}


EFFECTS: dict[str, Callable[[Case, dict], dict]] = {
    "assign_to": _assign_to, "link_duplicate": _link_duplicate,
    "refer": referral.refer_effect, "referral_reply": referral.reply_effect,
}


def _validated(spec: Action, step: Step, case: Case,
               agencies: tuple[Agency, ...] = DEFAULT_AGENCIES) -> tuple[str, str, dict]:
    """Check the step's notes and fields for its action: the two notes and the kept values."""
    public, internal = _note(step.public_note), _note(step.internal_note)
    if spec.notes == "public" and not public:
        raise ValidationError("workflow.public_note_required", "public note required", field="public_note")
    if spec.notes == "internal" and not internal:
        raise ValidationError("workflow.internal_note_required", "internal note required", field="internal_note")
    if spec.notes == "any" and not (public or internal):
        raise ValidationError("workflow.note_required", "a note is required", field="public_note")
    values: dict = {}
    for f in spec.fields:
        raw = step.values.get(f.name)
        if f.kind == "referral_target":
            value = referral.target(f, raw, case, agencies)
        else:
            value = VALIDATORS[f.kind](f, raw, case)
        if value is None and f.required:
            raise ValidationError(f.error_key, f"{f.name} required", field=f.name)
        if value is not None:
            values[f.name] = value
    if spec.any_of and not any(f.name in values for f in spec.fields if f.in_any_of):
        raise ValidationError(f"workflow.{spec.any_of}_required", "one of the fields is required",
                              field=spec.fields[0].name)
    return public, internal, values


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


def perform(actor: Actor, case_id: int, step: Step, *, limits: dict[str, AidLimit] | None = None,
            agencies: tuple[Agency, ...] | None = None) -> int:
    """Take one step on a case; returns the case's new version. Raises PermissionDenied (role),
    ValidationError (not allowed from this status, missing field), Conflict (someone saved first).
    `limits` are the configured aid limits (`settings.aid_limits`) a `capped` action is held to,
    `agencies` the configured agencies a case may be referred to (`settings.agencies`)."""
    spec = _spec(step)
    require(actor, spec.role)
    with write_transaction():
        version = apply_step(actor, case_id, step, limits=limits, agencies=agencies)
    event("kiosk.workflow", "case step", event="case_step", case_id=case_id, action=spec.key, staff_id=actor.id)
    return version


def _spec(step: Step) -> Action:
    spec = ACTIONS.get(step.action)
    if spec is None:
        raise ValidationError("workflow.action_unknown", f"unknown action {step.action}", field="action")
    return spec


def _over_limit(actor: Actor, spec: Action, case: Case, values: dict, limits: dict[str, AidLimit] | None) -> dict:
    """Hold a capped action's help to the area's limit: over it, the actor must be a supervisor
    (read again now) and give a reason. Returns what the timeline event keeps of the check."""
    if not spec.capped or not limits:
        return {}
    checked = aid_limits.check(limits, case, values.get("amount"))
    if checked is None:
        return {}
    if checked.over:
        try:
            require(actor, "supervisor")
        except PermissionDenied:
            raise PermissionDenied("workflow.over_limit_supervisor", "over the aid limit: a supervisor must record it",
                                   role="supervisor", **checked.params()) from None
        if "over_limit_reason" not in values:
            raise ValidationError("workflow.over_limit_reason_required", "over the aid limit: give a reason",
                                  field="over_limit_reason", **checked.params())
    return {"limit": checked.stored()}


def apply_step(actor: Actor, case_id: int, step: Step, *, limits: dict[str, AidLimit] | None = None,
               agencies: tuple[Agency, ...] | None = None) -> int:
    """`perform` inside the caller's write transaction (kiosk.services.committee takes several
    steps in one); the caller has checked the actor's role for the action."""
    spec = _spec(step)
    case = scope.case_to_act(actor, case_id)  # absent or another LAO's: not found; referred out: read only
    if case.version != step.version:
        raise _conflict(case_id, step.version)
    if case.status_id not in spec.sources:
        raise ValidationError("workflow.not_allowed", f"{spec.key} not allowed from {case.status_id}",
                              field="action", status=case.status_id)
    public, internal, values = _validated(spec, step, case, DEFAULT_AGENCIES if agencies is None else agencies)
    checked = _over_limit(actor, spec, case, values, limits)
    now = utcnow()
    new_version = step.version + 1
    updates = {Case.status: spec.to or case.status_id, Case.version: new_version, Case.updated_at: now}
    columns: dict[str, object] = {}  # the timeline event's own columns an effect sets
    for name in spec.effects:
        for key, value in EFFECTS[name](case, values).items():
            if isinstance(key, str):
                checked = checked | {key: value}
            elif key.model is CaseEvent:
                columns[key.name] = value
            else:
                updates[key] = value
    status = updates[Case.status]
    # only a step that moves the case records from/to: the public timeline shows moves
    moved = (case.status_id, status) if status != case.status_id else (None, None)
    rows = Case.update(updates).where(Case.id == case_id, Case.version == step.version).execute()
    if rows == 0:  # someone saved between our read and our write
        raise _conflict(case_id, step.version)
    amount = values.get("amount")  # help handed over in cash (an approved amount stays in the data)
    data = {name: _stored(value) for name, value in values.items()} | checked
    CaseEvent.create(case=case_id, at=now, actor=actor.id or None, action=spec.key, from_status=moved[0],
                     to_status=moved[1], public_note=public, internal_note=internal, amount=amount,
                     data=json.dumps({"version": new_version, **data}, ensure_ascii=False), **columns)
    audit.record(f"case_{spec.key}", actor=actor.username, target_type="case", target_id=case_id,
                 detail=f"{case.ticket_no} {case.status_id}->{status} v{new_version}", client=actor.client)
    return new_version

