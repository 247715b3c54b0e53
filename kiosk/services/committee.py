"""The LAO's committee: the cases awaiting its decision, the agenda printed for its meeting, and
the meeting's decisions recorded for several cases at once.

The decisions are the workflow's own steps ("approve", "not_approve", with the meeting's number
and date, an approved amount, the reason as the note the requester sees), taken in ONE write
transaction: either every decision of the meeting is saved or none is (a case changed meanwhile
is a Conflict naming its ticket, and the officer sees the list again)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from db.connection import write_transaction
from db.models import Case, CaseEvent, Organization, Person

from ..config import Settings
from ..documents import ThaiPDF, stamped
from ..errors import KioskError, NotFound, ValidationError
from ..i18n import translate
from ..text import clean_text
from ..thai.dates import fiscal_year, format_be_date, now_bangkok
from . import aid_limits, audit, scope
from .paperwork import full_name, money, t, to_bangkok_date
from .staff import Actor, require
from .workflow import Step, apply_step

LIST_ROLE = "officer"  # who may see the list and print the agenda
DECIDE_ROLE = "supervisor"  # who records the decisions (the workflow's approve/not_approve)
AGENDA_COLUMNS = ("no", "ticket", "person", "house", "category", "help", "field_check", "times", "decision")


@dataclass(frozen=True)
class AwaitingCase:
    """A case before the committee, as the list and the agenda show it."""

    id: int
    ticket_no: str
    version: int
    created_at: datetime
    category: str
    area: str
    person: str  # the person helped
    house: str  # house number and หมู่ (no more on a list)
    help_requested: str
    description: str
    visited_on: str  # the field check: BE date, "" when none recorded
    field_note: str
    times_this_year: int
    limit_times: int | None
    limit_per_time: Decimal | None


@dataclass(frozen=True)
class Decision:
    """One case's decision: approve (with an amount, if the committee set one) or not, and the
    reason, which the requester sees (required when not approved)."""

    case_id: int
    version: int
    approve: bool
    amount: str = ""
    reason: str = ""


@dataclass(frozen=True)
class AgendaWritten:
    path: Path
    cases: int


def _field_checks(case_ids: list[int]) -> dict[int, tuple[str, str]]:
    """Each case's last field check: (visit date BE, internal note)."""
    found: dict[int, tuple[str, str]] = {}
    for ev in (CaseEvent.select(CaseEvent.case, CaseEvent.data, CaseEvent.internal_note)
               .where(CaseEvent.case.in_(case_ids), CaseEvent.action == "record_field_check").order_by(CaseEvent.id)):
        data = json.loads(ev.data) if ev.data.startswith("{") else {}
        visited = data.get("visited_on", "")
        found[ev.case_id] = (format_be_date(date.fromisoformat(visited)) if visited else "", ev.internal_note)
    return found


def lao(settings: Settings, prefix: str | None, actor: Actor | None = None) -> Organization:
    """The LAO whose committee meets: by ticket prefix (a joint centre serves several, each with
    its own committee), else the actor's own LAO, else the host. Another LAO than the actor's is
    unknown to them."""
    if not prefix and actor is not None and not scope.sees_all(actor):
        org = Organization.get_or_none(Organization.id == actor.lao_ids[0])
        prefix = org.ticket_prefix if org else None
    wanted = (prefix or settings.host_lao.ticket_prefix).strip().upper()
    org = Organization.get_or_none(Organization.ticket_prefix == wanted)
    if org is None or not scope.may_see(actor, org.id):
        raise NotFound("committee.lao_unknown", f"no LAO {wanted}", prefix=wanted,
                       known=", ".join(x.ticket_prefix for x in settings.laos))
    return org


def awaiting(actor: Actor, settings: Settings, *, lao_prefix: str | None = None,
             audited: str = "committee_list") -> list[AwaitingCase]:
    """The cases of one LAO (`lao_prefix`, default all) awaiting the committee, oldest request
    first; one audit row names them."""
    require(actor, LIST_ROLE)
    query = Case.select().where(Case.status == "awaiting_committee", scope.cases_visible(actor))
    if lao_prefix:
        query = query.where(Case.organization == lao(settings, lao_prefix, actor))
    cases = list(query.order_by(Case.created_at, Case.id))
    people = {p.id: p for p in Person.select().where(Person.id.in_(
        [c.subject_id or c.requester_id for c in cases if c.subject_id or c.requester_id]))} if cases else {}
    checks = _field_checks([c.id for c in cases]) if cases else {}
    year = fiscal_year(now_bangkok().date())
    out = []
    for c in cases:
        p = people.get(c.subject_id or c.requester_id)
        area = aid_limits.area_of(c.category_id)
        limit = settings.aid_limits.get(area)
        house = " ".join(x for x in (p.house_no if p else "", f"ม.{p.moo}" if p and p.moo else "") if x)
        visited, note = checks.get(c.id, ("", ""))
        out.append(AwaitingCase(c.id, c.ticket_no, c.version, c.created_at, c.category_id, area,
                                full_name(p) if p else "", house, c.help_requested, c.description, visited, note,
                                aid_limits.times_helped(c, area, year), limit.times_per_year if limit else None,
                                limit.per_time if limit else None))
    audit.record(audited, actor=actor.username, target_type="case", target_id="",
                 detail=" ".join(c.ticket_no for c in out)[:1000], client=actor.client)
    return out


def record_decisions(actor: Actor, settings: Settings, meeting_no: str, meeting_date: date | None,
                     decisions: list[Decision]) -> int:
    """The meeting's decisions, all or none, in one transaction; returns how many were saved.
    A refused one raises its own error with `ticket` added to its parameters."""
    require(actor, DECIDE_ROLE)
    if not decisions:
        raise KioskError("committee.none_chosen", "no case chosen")
    if not clean_text(meeting_no, 40):  # the meeting's own fields first: not blamed on one case
        raise ValidationError("workflow.meeting_no_required", "meeting number required", field="meeting_no")
    if meeting_date is None:
        raise ValidationError("workflow.date_required", "meeting date required", field="meeting_date")
    with write_transaction():
        for d in decisions:
            reason = d.reason.strip()
            if d.approve and not reason:
                reason = translate("committee.approved_note", "th", meeting_no=meeting_no.strip())
            step = Step("approve" if d.approve else "not_approve", d.version, public_note=reason,
                        meeting_no=meeting_no, meeting_date=meeting_date,
                        **({"approved_amount": d.amount} if d.approve else {}))
            try:
                apply_step(actor, d.case_id, step, limits=settings.aid_limits)
            except KioskError as exc:
                case = Case.get_or_none(Case.id == d.case_id, scope.cases_visible(actor))
                exc.params["ticket"] = case.ticket_no if case else "?"
                raise
        audit.record("committee_decisions", actor=actor.username, target_type="meeting", target_id=meeting_no[:40],
                     detail=f"{sum(d.approve for d in decisions)} approved, "
                            f"{sum(not d.approve for d in decisions)} not approved", client=actor.client)
    return len(decisions)


def agenda(actor: Actor, settings: Settings, out_dir: Path, lao_prefix: str | None = None) -> AgendaWritten:
    """The agenda for one LAO's committee meeting (default the host): its cases awaiting the
    committee, a row each with the person, the house, what was asked, the field check, the help
    already given this fiscal year against the limit, and a blank column for the decision:
    `<out_dir>/agenda-<prefix>-<BE date>-<time>.pdf`."""
    require(actor, LIST_ROLE)
    org = lao(settings, lao_prefix, actor)
    cases = awaiting(actor, settings, lao_prefix=org.ticket_prefix, audited="committee_agenda")

    pdf = ThaiPDF(t("forms.agenda_title"), landscape=True)
    pdf.line_of(t("forms.agenda_title"), 16, bold=True, align="C")
    pdf.line_of(f"{org.name_th} · {settings.centre_name('th')}", 12, align="C")
    pdf.line_of(t("committee.as_of", date=format_be_date(now_bangkok().date(), "long"), n=len(cases)), 12, align="C")
    pdf.gap(3)
    rows = []
    for i, a in enumerate(cases, 1):
        used = f"{a.times_this_year}/{a.limit_times}" if a.limit_times else str(a.times_this_year)
        limit = t("committee.per_time", amount=money(a.limit_per_time)) if a.limit_per_time else ""
        check = " ".join(x for x in (a.visited_on, a.field_note) if x) or t("committee.no_field_check")
        rows.append([i, f"{a.ticket_no}\n{format_be_date(to_bangkok_date(a.created_at))}", a.person, a.house,
                     translate(f"category.{a.category}", "th"), a.help_requested or a.description, check,
                     f"{used}\n{limit}".strip(), ""])
    if not rows:
        pdf.line_of(t("committee.nothing_awaiting"), 12, align="C")
    else:
        pdf.table_of([t(f"committee.col_{k}") for k in AGENDA_COLUMNS],
                     rows, widths=(6, 22, 32, 14, 22, 42, 40, 18, 26), size=10)
    pdf.gap(8)
    pdf.signature(t("committee.sign_secretary"))
    path = pdf.save(Path(out_dir) / f"{stamped(f'agenda-{org.ticket_prefix}')}.pdf")
    return AgendaWritten(path, len(cases))
