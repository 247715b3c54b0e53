"""Counter intake: the wizard's form checked step by step, turned into PersonData/CaseData and
stored with the PDPA basis it was collected under. (The notice it is collected under is
kiosk.services.privacy_notice; the receipt, kiosk.services.receipt; the staff's look-up of a
returning person, kiosk.services.person_view.)

The form holds what was typed, as text, so the screens can go back and forth and re-draw in
another language without losing anything; `check_step` says what is wrong, field by field, in
catalogue keys. Nothing here trusts the screen: `submit` checks every step again.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field, replace
from datetime import date

from peewee import IntegrityError

from db.connection import write_transaction
from db.models import Case, Organization
from db.reference import CATEGORIES

from ..config import Settings
from ..errors import ValidationError
from ..logs import event
from ..text import clean_text
from ..thai.addresses import parse_house_no, parse_moo, subdistrict
from ..thai.dates import now_bangkok, parse_be_date, parse_birth_date
from ..thai.digits import to_arabic_digits
from ..thai.ids import DocumentType, parse_document
from ..thai.names import check_prefix, normalize_name
from ..thai.phones import parse_phone
from . import audit, people, staff
from .cases import CaseData, CreatedCase, create_case
from .people import PersonData
from .person_view import ReturningPerson

STEPS = ("consent", "category", "subtype", "identity", "contact", "subject", "situation", "review")
AREAS = tuple(CATEGORIES)
DOC_TYPES = tuple(t.value for t in DocumentType)
URGENCIES = ("normal", "urgent", "emergency")
DISABILITIES = ("disability_seeing", "disability_hearing", "disability_movement", "disability_mental",
                "disability_intellectual", "disability_learning", "disability_autism")
HEALTH = ("bedbound", "chronic_illness", "pregnant", *DISABILITIES)  # sensitive data (PDPA s.26)
VULNERABILITIES = ("elderly", "child", "low_income", "no_caregiver", *HEALTH)
RELATIONSHIPS = ("spouse", "child", "parent", "relative", "neighbour", "other")
NAME_MAX, TEXT_MAX, LONG_MAX = 80, 200, 2000
KEY_MAX = 40  # Case.request_key
BASIS_PUBLIC_TASK = "public_task"  # PDPA s.24(4): a task in the public interest / official authority
BASIS_WITH_CONSENT = "public_task+explicit_consent"  # plus s.26 explicit consent for health data


@dataclass
class IntakeForm:
    """Everything the wizard asks, as typed. Choices hold stable keys."""

    consent: bool | None = None  # the privacy notice accepted (None: not answered yet)
    area: str = ""
    subtype: str = ""
    prefix: str = ""
    first_name: str = ""
    last_name: str = ""
    doc_type: str = "national_id"
    doc_number: str = ""
    birth_date: str = ""
    phone: str = ""
    house_no: str = ""
    moo: str = ""
    village: str = ""
    soi: str = ""
    road: str = ""
    subdistrict_code: str = ""
    subject_is_requester: bool = True
    relationship: str = ""
    subject_prefix: str = ""
    subject_first_name: str = ""
    subject_last_name: str = ""
    subject_house_no: str = ""
    subject_moo: str = ""
    description: str = ""
    occurred_on: str = ""
    household_size: str = ""
    vulnerabilities: set[str] = field(default_factory=set)
    sensitive_consent: bool = False
    help_requested: str = ""
    help_received: str = ""
    urgency: str = "normal"
    requester_id: int | None = None  # a returning person found by staff (never in self-service)
    # made when the wizard starts and kept across retries: `submit` files one case per key
    request_key: str = field(default_factory=lambda: secrets.token_hex(16))


@dataclass(frozen=True)
class Intake:
    """A checked form, ready to store."""

    requester: PersonData
    subject: PersonData | None
    case: CaseData
    requester_id: int | None = None


class IntakeInvalid(ValidationError):
    """Some fields are wrong; `errors` maps each field to its own ValidationError."""

    def __init__(self, errors: dict[str, ValidationError]) -> None:
        self.errors = errors
        first = next(iter(errors.values()))
        super().__init__(first.key, f"{len(errors)} invalid field(s): {', '.join(errors)}", field=first.field,
                         **{k: v for k, v in first.params.items() if k != "field"})


# ------------------------------------------------------------------------------- text

def _name(text: str, field: str, *, required: bool) -> str:
    name = normalize_name(clean_text(text, 10 * NAME_MAX))
    if not name:
        if required:
            raise ValidationError("intake.name_required", "a name is required", field=field)
        return ""
    if len(name) > NAME_MAX:
        raise ValidationError("intake.too_long", "too long", field=field, max=NAME_MAX)
    if not any(ch.isalpha() for ch in name):
        raise ValidationError("intake.name_letters", "a name needs letters", field=field)
    return name


def _prefix(text: str, field: str) -> str:
    try:
        return check_prefix(clean_text(text, 60))
    except ValidationError as error:
        raise _as(field, error) from None


def _choice(value: str, allowed: tuple[str, ...], field: str, key: str = "intake.choose_one") -> str:
    if value not in allowed:
        raise ValidationError(key, f"{value!r} not one of {allowed}", field=field)
    return value


def _as(field: str, error: ValidationError) -> ValidationError:
    """The parser's error, named after the form field it came from."""
    error.field = field
    error.params["field"] = field
    return error


# ------------------------------------------------------------------------------- steps

def _collect(checks: list[tuple[str, object]]) -> dict[str, ValidationError]:
    errors: dict[str, ValidationError] = {}
    for name, check in checks:
        try:
            check()
        except ValidationError as exc:
            errors[name] = _as(name, exc)
    return errors


def subtypes(area: str) -> tuple[str, ...]:
    return CATEGORIES[area][1] if area in CATEGORIES else ()


def _document(form: IntakeForm) -> tuple[str, str]:
    doc = parse_document(_choice(form.doc_type, DOC_TYPES, "doc_type"), to_arabic_digits(form.doc_number))
    return doc.type.value, doc.number


def _phone(form: IntakeForm) -> str:
    if not form.phone.strip():
        if not form.house_no.strip():
            raise ValidationError("intake.contact_required", "a phone or a house number is needed", field="phone")
        return ""
    return parse_phone(form.phone).e164


def _subdistrict(form: IntakeForm) -> str:
    if subdistrict(form.subdistrict_code.strip()) is None:
        raise ValidationError("thai.address_unknown_subdistrict", form.subdistrict_code, field="subdistrict_code")
    return form.subdistrict_code.strip()


def _household(text: str) -> int | None:
    raw = to_arabic_digits(text).strip()
    if not raw:
        return None
    if not re.fullmatch(r"[0-9]{1,3}", raw) or not 1 <= int(raw) <= 50:
        raise ValidationError("intake.household_range", "1 to 50", field="household_size")
    return int(raw)


def _occurred(text: str, today: date | None = None) -> date | None:
    if not text.strip():
        return None
    today = today or now_bangkok().date()
    when = parse_be_date(text, today=today, field="occurred_on")
    if when > today:
        raise ValidationError("intake.date_future", "in the future", field="occurred_on")
    return when


def _vulnerabilities(form: IntakeForm) -> tuple[str, ...]:
    unknown = set(form.vulnerabilities) - set(VULNERABILITIES)
    if unknown:
        raise ValidationError("intake.choose_one", f"unknown {sorted(unknown)}", field="vulnerabilities")
    return tuple(v for v in VULNERABILITIES if v in form.vulnerabilities)


def _sensitive_consent(form: IntakeForm) -> None:
    """Health and disability details (PDPA s.26) are kept only with explicit consent."""
    if set(form.vulnerabilities) & set(HEALTH) and not form.sensitive_consent:
        raise ValidationError("intake.sensitive_consent_needed", "health data needs consent", field="sensitive_consent")


def _text(value: str, field: str, limit: int, *, required: bool = False, multiline: bool = False) -> str:
    text = clean_text(value, 10 * limit, multiline=multiline)
    if required and not text:
        raise ValidationError("intake.text_required", "required", field=field)
    if len(text) > limit:
        raise ValidationError("intake.too_long", "too long", field=field, max=limit)
    return text


def _consent(form: IntakeForm) -> None:
    if form.consent is not True:
        raise ValidationError("intake.consent_required", "the notice must be accepted", field="consent")


def check_step(step: str, form: IntakeForm) -> dict[str, ValidationError]:
    """Field → error for one wizard step (empty when the step may be left)."""
    f = form
    checks: dict[str, list[tuple[str, object]]] = {
        "consent": [("consent", lambda: _consent(f))],
        "category": [("area", lambda: _choice(f.area, AREAS, "area"))],
        "subtype": [("subtype", lambda: _choice(f.subtype, subtypes(f.area), "subtype"))],
        "identity": [
            ("prefix", lambda: _prefix(f.prefix, "prefix")),
            ("first_name", lambda: _name(f.first_name, "first_name", required=True)),
            ("last_name", lambda: _name(f.last_name, "last_name", required=False)),
            ("doc_type", lambda: _choice(f.doc_type, DOC_TYPES, "doc_type")),
            ("doc_number", lambda: _document(f)),
            ("birth_date", lambda: f.birth_date.strip() and parse_birth_date(f.birth_date)),
        ],
        "contact": [
            ("phone", lambda: _phone(f)),
            ("house_no", lambda: parse_house_no(f.house_no)),
            ("moo", lambda: parse_moo(f.moo)),
            ("village", lambda: _text(f.village, "village", NAME_MAX)),
            ("soi", lambda: _text(f.soi, "soi", NAME_MAX)),
            ("road", lambda: _text(f.road, "road", NAME_MAX)),
            ("subdistrict_code", lambda: _subdistrict(f)),
        ],
        "subject": [] if f.subject_is_requester else [
            ("relationship", lambda: _choice(f.relationship, RELATIONSHIPS, "relationship")),
            ("subject_prefix", lambda: _prefix(f.subject_prefix, "subject_prefix")),
            ("subject_first_name", lambda: _name(f.subject_first_name, "subject_first_name", required=True)),
            ("subject_last_name", lambda: _name(f.subject_last_name, "subject_last_name", required=False)),
            ("subject_house_no", lambda: parse_house_no(f.subject_house_no)),
            ("subject_moo", lambda: parse_moo(f.subject_moo)),
        ],
        "situation": [
            ("description", lambda: _text(f.description, "description", LONG_MAX, required=True, multiline=True)),
            ("occurred_on", lambda: _occurred(f.occurred_on)),
            ("household_size", lambda: _household(f.household_size)),
            ("vulnerabilities", lambda: _vulnerabilities(f)),
            ("sensitive_consent", lambda: _sensitive_consent(f)),
            ("help_requested", lambda: _text(f.help_requested, "help_requested", TEXT_MAX)),
            ("help_received", lambda: _text(f.help_received, "help_received", TEXT_MAX)),
            ("urgency", lambda: _choice(f.urgency, URGENCIES, "urgency")),
        ],
        "review": [],
    }
    if step not in checks:
        raise ValueError(f"unknown step {step!r}")
    return _collect(checks[step])


def first_invalid_step(form: IntakeForm) -> str | None:
    for step in STEPS:
        if check_step(step, form):
            return step
    return None


def build(form: IntakeForm, channel: str = "counter") -> Intake:
    """The form as data to store; IntakeInvalid lists every wrong field of every step."""
    errors: dict[str, ValidationError] = {}
    for step in STEPS:
        errors.update(check_step(step, form))
    if errors:
        raise IntakeInvalid(errors)
    f = form
    doc_type, doc_number = _document(f)
    requester = PersonData(
        first_name=_name(f.first_name, "first_name", required=True), last_name=_name(f.last_name, "", required=False),
        prefix=_prefix(f.prefix, ""), doc_type=doc_type, doc_number=doc_number,
        birth_date=parse_birth_date(f.birth_date) if f.birth_date.strip() else None, phone=_phone(f),
        house_no=parse_house_no(f.house_no) or "", moo=parse_moo(f.moo), village=_text(f.village, "", NAME_MAX),
        soi=_text(f.soi, "", NAME_MAX), road=_text(f.road, "", NAME_MAX), subdistrict_code=_subdistrict(f))
    subject = None
    if not f.subject_is_requester:
        # PDPA s.22: for someone else only name, house number and หมู่ (same subdistrict assumed).
        subject = PersonData(
            first_name=_name(f.subject_first_name, "", required=True),
            last_name=_name(f.subject_last_name, "", required=False), prefix=_prefix(f.subject_prefix, ""),
            house_no=parse_house_no(f.subject_house_no) or "", moo=parse_moo(f.subject_moo),
            subdistrict_code=requester.subdistrict_code)
    vulnerabilities = _vulnerabilities(f)
    sensitive = bool(set(vulnerabilities) & set(HEALTH))
    case = CaseData(
        category=f.subtype, channel=channel,
        description=_text(f.description, "", LONG_MAX, multiline=True), occurred_on=_occurred(f.occurred_on),
        household_size=_household(f.household_size), vulnerabilities=vulnerabilities,
        help_requested=_text(f.help_requested, "", TEXT_MAX), help_received=_text(f.help_received, "", TEXT_MAX),
        urgency=f.urgency, sensitive_consent=sensitive and f.sensitive_consent,
        legal_basis=BASIS_WITH_CONSENT if sensitive else BASIS_PUBLIC_TASK,
        relationship="" if f.subject_is_requester else f.relationship,
        extra={"notice_accepted": True, "sensitive_consent": bool(sensitive and f.sensitive_consent)},
        request_key=clean_text(f.request_key, KEY_MAX) or None)
    return Intake(requester, subject, case, f.requester_id)


def lao_for(settings: Settings, intake: Intake, actor: staff.Actor | None = None) -> str:
    """The ticket prefix of the LAO a request is filed under. An LAO's own officer files for their
    LAO; otherwise the address decides: the one member LAO seated in the subdistrict of the person
    to help (or the requester); else the host (a single-LAO centre: always the host)."""
    laos = settings.laos
    if len(laos) < 2:
        return settings.host_lao.ticket_prefix
    if actor is not None and actor.lao_ids:
        own = Organization.get_or_none(Organization.id == actor.lao_ids[0])
        if own is not None:
            return own.ticket_prefix
    person = intake.subject or intake.requester
    code = person.subdistrict_code if person is not None else ""
    seated = [lao.ticket_prefix for lao in laos if code and lao.subdistrict_code == code]
    return seated[0] if len(seated) == 1 else settings.host_lao.ticket_prefix


def submit(settings: Settings, form: IntakeForm, *, actor: staff.Actor | None = None) -> CreatedCase:
    """Store the request: person(s), case and first event in one transaction. Refused (nothing
    stored) without the notice accepted. A `requester_id` (a returning person) changes a stored
    person, so it needs an officer or above (the counter's unlocked staff mode); the change is
    audited as "person_update" with the names of the fields changed.

    Idempotent by the form's `request_key`: a retry of a request already filed (the link dropped
    after the commit, before the answer came; a double submit) returns that case, not a second one."""
    intake = build(form, channel="counter" if actor else "kiosk")
    if intake.requester_id is not None:
        staff.require(actor, people.PERSONAL_DATA_ROLE)
    key = intake.case.request_key
    filed = _filed(key)
    if filed is not None:
        return filed
    try:
        with write_transaction():  # the person's update, the case and its audit entry: all or nothing
            requester = intake.requester
            if intake.requester_id is not None:
                people.update(actor, intake.requester_id, intake.requester)
                requester = None
            created = create_case(lao_for(settings, intake, actor), intake.case, requester, intake.subject,
                                  requester_id=intake.requester_id, actor_id=actor.id if actor else None)
            audit.record("intake_create", actor=actor.username if actor else "", target_type="case",
                         target_id=created.id, detail=f"{created.ticket_no} basis={intake.case.legal_basis}",
                         client="counter")
    except IntegrityError:
        filed = _filed(key)  # the same request filed meanwhile (two submits at once): its case
        if filed is None:
            raise
        return filed
    event("kiosk.intake", "case created", event="case_created", case_id=created.id, category=intake.case.category,
          channel=intake.case.channel)
    return created


def _filed(key: str | None) -> CreatedCase | None:
    """The case already filed under a request key, as `submit` returned it then."""
    case = Case.get_or_none(Case.request_key == key) if key else None
    if case is None:
        return None
    event("kiosk.intake", "request already filed", event="case_refiled", case_id=case.id)
    return CreatedCase(case.id, case.ticket_no, case.token, case.short_code, case.created_at)


def prefill(form: IntakeForm, person: ReturningPerson) -> IntakeForm:
    """The form with a returning person's stored details (staff-assisted mode only; the look-up
    is kiosk.services.person_view.find_returning_person)."""
    return replace(form, requester_id=person.id, **person.form_values)
