"""A case as staff see it: the people, the request, the timeline and the actions open to the
viewer. Each person shown is a "person_view" in the audit log (kiosk.services.person_view)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from db.models import Case, CaseEvent, Organization, Person, Staff

from ..errors import NotFound
from ..tickets import parse_ticket
from .cases import ticket_condition
from .person_view import PersonView, viewed
from .scope import case_readable, cases_readable, may_act, sees_person_on
from .staff import Actor, require
from .workflow import allowed_actions

LEGAL_BASES = ("public_task", "public_task+explicit_consent")  # Case.legal_basis (kiosk.services.intake)


def basis_name(legal_basis: str) -> str:
    """A legal basis as a catalogue key's tail: "public_task+explicit_consent" → "public_task_explicit_consent"."""
    return legal_basis.replace("+", "_")


@dataclass(frozen=True)
class EventView:
    at: datetime
    actor: str
    action: str
    from_status: str | None
    to_status: str | None
    public_note: str
    internal_note: str
    amount: Decimal | None
    data: str


@dataclass(frozen=True)
class CaseDetail:
    id: int
    ticket_no: str
    version: int
    status: str
    category: str
    channel: str
    urgency: str
    description: str
    help_requested: str
    help_received: str
    household_size: int | None
    occurred_on: date | None
    relationship: str
    vulnerabilities: tuple[str, ...]  # keys (kiosk.services.intake.VULNERABILITIES), as the citizen gave them
    sensitive_consent: bool  # PDPA s.26 explicit consent for the health flags
    legal_basis: str  # a key: public_task, public_task+explicit_consent
    assigned_to: str
    created_at: datetime
    updated_at: datetime
    people: list[PersonView]
    events: list[EventView]
    actions: list[str]
    organization_id: int | None = None  # the LAO the case belongs to now (a referral may move it)
    read_only: bool = False  # the viewer's LAO referred it to another LAO: they read, that LAO acts
    held_by: tuple[str, str] = ("", "")  # the LAO that holds it now (Thai, English name), when read only


def case_detail(actor: Actor, case_id: int) -> CaseDetail:
    """Everything the case screen shows. Audits one "person_view" per person shown. A case the
    viewer's LAO referred to another LAO is shown read only: no steps, and who holds it now."""
    require(actor, "officer")
    case = case_readable(actor, case_id)  # another LAO's case is not found (unless it referred it)
    acts = may_act(actor, case)
    held = ("", "") if acts else Organization.select(Organization.name_th, Organization.name_en).where(
        Organization.id == case.organization_id).tuples().get()
    ids = [i for i in dict.fromkeys((case.requester_id, case.subject_id)) if i]
    found = {p.id: p for p in Person.select().where(Person.id.in_(ids))} if ids else {}
    people = []
    for pid in ids:  # a referred case's people: scope.sees_person_on (the holder, and the register's LAO)
        if not sees_person_on(actor, case, found[pid]):
            continue
        role = "subject" if pid == case.subject_id else "requester"
        people.append(viewed(actor, found[pid], role, case.ticket_no))
    names = dict(Staff.select(Staff.id, Staff.username).tuples())
    events = [EventView(e.at, names.get(e.actor_id, ""), e.action, e.from_status, e.to_status, e.public_note,
                        e.internal_note, e.amount, e.data)
              for e in CaseEvent.select().where(CaseEvent.case == case_id).order_by(CaseEvent.at, CaseEvent.id)]
    return CaseDetail(case.id, case.ticket_no, case.version, case.status_id, case.category_id, case.channel,
                      case.urgency, case.description, case.help_requested, case.help_received, case.household_size,
                      case.occurred_on, case.relationship,
                      tuple(v for v in case.vulnerabilities.split(",") if v), case.sensitive_consent,
                      case.legal_basis, names.get(case.assigned_to_id, ""), case.created_at,
                      case.updated_at, people, events, allowed_actions(actor, case.status_id) if acts else [],
                      case.organization_id, not acts, held)


def case_id_for_ticket(actor: Actor, ticket_no: str) -> int:
    require(actor, "officer")
    ref = parse_ticket(ticket_no)
    meant = Case.select(Case.id).where(ticket_condition(ref)) if ref else None  # one LAO's case, or any's
    case = (Case.select(Case.id).where(ticket_condition(ref), cases_readable(actor, meant)).order_by(Case.id.desc())
            .first() if ref else None)
    if case is None:
        raise NotFound("workflow.case_unknown", f"no case {ticket_no}")
    return case.id
