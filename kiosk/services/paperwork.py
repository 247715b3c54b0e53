"""The paper the regulation's process needs, filled from the cases: the request form
(คำร้องขอรับความช่วยเหลือ) a requester signs, the receipt voucher (ใบสำคัญรับเงิน) signed when help in
money or goods is handed over, and the committee's agenda (the cases awaiting its decision).

Each is an A4 PDF in Thai (kiosk.documents.ThaiPDF), written private and atomically; official
paper is in Thai whatever the screen's language. Printing shows people's data, so each is for
officers and above, audited: the form and the voucher as a "person_view" of each person on them
and a "form_<kind>" row, the agenda as one "committee_agenda" row naming the cases."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from db.models import Case, CaseEvent, Organization, Person, Staff

from ..config import Settings
from ..documents import ThaiPDF
from ..errors import NotFound
from ..i18n import lookup, translate
from ..thai import names
from ..thai.addresses import Address, format_address_thai, format_house_thai, subdistrict
from ..thai.dates import BANGKOK, age_on, format_be_date
from ..thai.ids import format_national_id
from ..thai.phones import format_phone_thai
from ..tickets import parse_ticket
from . import aid_limits, audit, scope
from .cases import ticket_condition
from .person_view import viewed
from .staff import Actor, require
from .workflow import amount_words

KINDS = ("request", "voucher")
ROLE = "officer"


DOC_KINDS = ("passport", "pink_card", "other")  # named on a form with their number (forms.doc_<kind>)


def t(key: str, **params: object) -> str:
    """A form's wording: always Thai."""
    return translate(key, "th", **params)


def forms_folder(settings: Settings) -> Path:
    """Where the staff console writes the forms it prints (private, under the kiosk's home)."""
    return settings.home / "forms"


def case_for_ticket(actor: Actor, ticket: str) -> int:
    """The case with this ticket number, typed as people type it (kiosk.tickets)."""
    require(actor, ROLE)
    typed = " ".join(ticket.split())
    ref = parse_ticket(typed)  # as people type it: WPK6900001, 69-00001, Thai digits
    case = (Case.select(Case.id).where(ticket_condition(ref), scope.cases_visible(actor))
            .order_by(Case.id.desc()).first() if ref else None)
    if case is None:
        raise NotFound("forms.no_case", f"no case {typed}", ticket=typed or "—")
    return case.id


# -- the words of a person, an address, an organisation ---------------------------------------------------
def full_name(p) -> str:
    return names.full_name(p.prefix, p.first_name, p.last_name)


def address_of(p) -> str:
    """A person's address in one line as the post writes it (the house part alone when the
    subdistrict code is unknown)."""
    addr = Address(p.house_no or None, p.moo, p.village, p.soi, p.road, p.subdistrict_code)
    if p.subdistrict_code and subdistrict(p.subdistrict_code) is not None:
        return format_address_thai(addr)
    return format_house_thai(addr)


def document_of(p) -> str:
    if p.doc_type == "national_id" and len(p.doc_number) == 13:
        return t("forms.national_id", number=format_national_id(p.doc_number))
    if p.doc_number:
        return t(f"forms.doc_{p.doc_type}" if p.doc_type in DOC_KINDS else "forms.doc_other",
                 number=p.doc_number)
    return t("forms.doc_none")


def addressee(org: Organization) -> str:
    """Whom a request to the LAO is addressed to: its chief executive, by the LAO's kind."""
    name = org.name_th
    if name.startswith("เทศบาล"):
        return "นายกเทศมนตรี" + name.removeprefix("เทศบาล")
    if org.kind == "bma":
        return "ผู้ว่าราชการกรุงเทพมหานคร"
    return "นายก" + name


def to_bangkok_date(at: datetime) -> date:
    """The Bangkok day of a stored (naive UTC) timestamp."""
    return at.replace(tzinfo=UTC).astimezone(BANGKOK).date()


def money(value: Decimal) -> str:
    return f"{value:,.2f}"


# -- the request form -----------------------------------------------------------------------------
def _people(actor: Actor, case: Case) -> tuple[Person | None, Person | None]:
    """The requester and the person helped (None when the requester is that person), each view
    audited."""
    requester = Person.get_or_none(Person.id == case.requester_id) if case.requester_id else None
    subject = Person.get_or_none(Person.id == case.subject_id) if case.subject_id else None
    if requester is not None:
        viewed(actor, requester, "requester", case.ticket_no)
    if subject is not None and (requester is None or subject.id != requester.id):
        viewed(actor, subject, "subject", case.ticket_no)
        return requester, subject
    return requester or subject, None


def _header(pdf: ThaiPDF, settings: Settings, org: Organization, title: str, when: date, number: str) -> None:
    pdf.line_of(title, 18, bold=True, align="C")
    pdf.line_of(t("forms.regulation"), 10, align="C")
    pdf.gap(4)
    pdf.line_of(t("forms.written_at", place=f"{settings.centre_name('th')}"), 12, align="R")
    pdf.line_of(t("forms.lao", name=org.name_th), 12, align="R")
    pdf.line_of(t("forms.dated", date=format_be_date(when, "long")), 12, align="R")
    pdf.line_of(t("forms.number", number=number), 12, align="R")
    pdf.gap(3)


def _person_lines(pdf: ThaiPDF, p: Person, on: date, opening: str) -> None:
    age = t("forms.age", years=age_on(p.birth_date, on)) if p.birth_date else ""
    pdf.line_of(f"{opening} {full_name(p)} {age}".strip())
    pdf.line_of(f"{document_of(p)}" + (f"  {t('forms.phone', phone=format_phone_thai(p.phone))}" if p.phone else ""))
    pdf.line_of(t("forms.lives_at", address=address_of(p) or "—"))


def request_form(actor: Actor, settings: Settings, case_id: int, out_dir: Path) -> Path:
    """The case's request form, filled in, with lines for the requester's and the officer's
    signatures: `<out_dir>/request-<ticket>.pdf`."""
    require(actor, ROLE)
    case = scope.case_visible(actor, case_id)
    org = Organization.get_by_id(case.organization_id)
    requester, subject = _people(actor, case)
    created = to_bangkok_date(case.created_at)
    pdf = ThaiPDF(t("forms.request_title"))
    _header(pdf, settings, org, t("forms.request_title"), created, case.ticket_no)
    pdf.line_of(t("forms.dear", whom=addressee(org)))
    pdf.gap(2)
    if requester is not None:
        _person_lines(pdf, requester, created, t("forms.i_am"))
    if subject is not None:
        pdf.gap(2)
        relation = (lookup(f"intake.rel_{case.relationship}", "th") or case.relationship) if case.relationship else ""
        _person_lines(pdf, subject, created, t("forms.on_behalf", relation=relation or t("forms.relation_unknown")))
    pdf.gap(2)
    area = aid_limits.area_of(case.category_id)
    category = translate(f"category.{case.category_id}", "th")
    pdf.line_of(t("forms.asks_help", area=translate(f"category.{area}", "th"), category=category), bold=True)
    if case.occurred_on:
        pdf.line_of(t("forms.occurred_on", date=format_be_date(case.occurred_on, "long")))
    pdf.line_of(t("forms.what_happened"), bold=True)
    pdf.line_of(case.description or "—")
    pdf.line_of(t("forms.help_asked"), bold=True)
    pdf.line_of(case.help_requested or "—")
    if case.help_received:
        pdf.line_of(t("forms.help_received", text=case.help_received))
    if case.household_size:
        pdf.line_of(t("forms.household", n=case.household_size))
    vulnerable = [translate(f"intake.vuln_{v}", "th") for v in case.vulnerabilities.split(",") if v]
    if vulnerable:
        pdf.line_of(t("forms.vulnerable", list=", ".join(vulnerable)))
    pdf.gap(2)
    pdf.line_of(t("forms.certify"))
    pdf.line_of(t("forms.privacy_basis", basis=translate(
        "intake.basis_with_consent" if case.sensitive_consent else "intake.basis_public_task", "th")), 10)
    pdf.line_of(t("forms.consent_given") if case.sensitive_consent else t("forms.consent_not_given"), 10)
    pdf.gap(6)
    pdf.signature(t("forms.sign_requester"), full_name(requester) if requester else "")
    pdf.gap(4)
    pdf.signature(t("forms.sign_receiving_officer"))
    path = pdf.save(Path(out_dir) / f"request-{case.ticket_no}.pdf")
    audit.record("form_request", actor=actor.username, target_type="case", target_id=case.id, detail=case.ticket_no,
                 client=actor.client)
    return path


# -- the receipt voucher --------------------------------------------------------------------------
@dataclass(frozen=True)
class Handover:
    """Help handed over, as the last "help delivered" step of a case recorded it."""

    at: date
    amount: Decimal | None
    items: str
    by: str  # the officer's full name
    limit: dict
    over_limit_reason: str


def handover(case_id: int) -> Handover:
    event = (CaseEvent.select().where(CaseEvent.case == case_id, CaseEvent.action == "deliver")
             .order_by(CaseEvent.id.desc()).first())
    if event is None:
        ticket = Case.get_by_id(case_id).ticket_no
        raise NotFound("forms.no_handover", f"{ticket}: no help delivered", ticket=ticket)
    data = json.loads(event.data) if event.data.startswith("{") else {}
    staff = Staff.get_or_none(Staff.id == event.actor_id) if event.actor_id else None
    return Handover(to_bangkok_date(event.at), event.amount, data.get("items", ""),
                    (staff.full_name or staff.username) if staff else "", data.get("limit") or {},
                    data.get("over_limit_reason", ""))


def voucher(actor: Actor, settings: Settings, case_id: int, out_dir: Path) -> Path:
    """The receipt voucher for the help last handed over on the case: the amount in figures and
    in Thai words, the items, lines for the receiver, the payer and a witness, and the
    regulation's limit with the supervisor's reason when it went over: `<out_dir>/voucher-<ticket>.pdf`."""
    require(actor, ROLE)
    case = scope.case_visible(actor, case_id)
    given = handover(case_id)
    org = Organization.get_by_id(case.organization_id)
    requester, subject = _people(actor, case)
    receiver = subject or requester
    title = t("forms.voucher_title") if given.amount is not None else t("forms.goods_title")
    pdf = ThaiPDF(title)
    _header(pdf, settings, org, title, given.at, case.ticket_no)
    if receiver is not None:
        _person_lines(pdf, receiver, given.at, t("forms.i_am"))
    pdf.line_of(t("forms.received_from", lao=org.name_th))
    pdf.gap(2)
    category = translate(f"category.{case.category_id}", "th")
    rows = []
    if given.amount is not None:
        rows.append([1, t("forms.cash_item", category=category, ticket=case.ticket_no), money(given.amount)])
    if given.items:
        rows.append([len(rows) + 1, t("forms.goods_item", items=given.items), "—"])
    total = given.amount or Decimal(0)
    rows.append(["", t("forms.total"), money(total) if given.amount is not None else "—"])
    pdf.table_of([t("forms.col_no"), t("forms.col_item"), t("forms.col_amount")], rows, widths=(10, 120, 40), size=12,
                 align=("C", "L", "R"))
    pdf.gap(2)
    if given.amount is not None:
        pdf.line_of(t("forms.in_words", words=amount_words(given.amount)), bold=True)
    if given.limit:
        per_time = given.limit.get("per_time")
        pdf.line_of(t("forms.limit_line", per_time=money(Decimal(per_time)) if per_time else "—",
                      times=given.limit.get("times_per_year") or "—", fiscal_year=given.limit.get("fiscal_year", ""),
                      used=given.limit.get("used", 0)), 10)
        if given.limit.get("over"):
            pdf.line_of(t("forms.over_limit", reason=given.over_limit_reason or "—"), 11, bold=True)
    if settings.aid_limit_source:
        pdf.line_of(t("forms.limit_source", source=settings.aid_limit_source), 9)
    pdf.gap(6)
    pdf.signature(t("forms.sign_receiver"), full_name(receiver) if receiver else "")
    pdf.gap(3)
    pdf.signature(t("forms.sign_payer"), given.by)
    pdf.gap(3)
    pdf.signature(t("forms.sign_witness"))
    path = pdf.save(Path(out_dir) / f"voucher-{case.ticket_no}.pdf")
    audit.record("form_voucher", actor=actor.username, target_type="case", target_id=case.id, detail=case.ticket_no,
                 client=actor.client)
    return path


def form(actor: Actor, settings: Settings, case_id: int, kind: str, out_dir: Path) -> Path:
    """One of KINDS for a case."""
    return {"request": request_form, "voucher": voucher}[kind](actor, settings, case_id, out_dir)


