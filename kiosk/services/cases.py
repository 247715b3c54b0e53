"""Creating cases: person(s), case and first event in one transaction, with a ticket number per
LAO per Buddhist year that is unique and gap-free under concurrent writers."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from db.connection import write_transaction
from db.models import Case, CaseEvent, Organization, Person, TicketCounter, utcnow
from db.search_index import put_case

from ..errors import NotFound
from ..thai.dates import BANGKOK, BE_OFFSET
from ..tickets import TicketRef
from . import people
from .people import PersonData

# How a request reached the centre (labels `channel.<key>`): the counter's staff, the kiosk's
# self-service, a phone call, LINE, the web, the Open311 API, a field survey (the register).
CHANNELS = ("counter", "kiosk", "phone", "line", "web", "open311", "survey")
SHORT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U


@dataclass(frozen=True)
class CaseData:
    category: str  # a sub-type key (db/reference.py)
    channel: str = "counter"
    description: str = ""
    occurred_on: date | None = None
    household_size: int | None = None
    vulnerabilities: tuple[str, ...] = ()
    help_requested: str = ""
    help_received: str = ""
    urgency: str = "normal"
    sensitive_consent: bool = False
    legal_basis: str = "public_task"
    relationship: str = ""  # the subject's relation to the requester, "" when the same person
    latitude: float | None = None
    longitude: float | None = None
    extra: dict = field(default_factory=dict)
    request_key: str | None = None  # the counter's key for this request (intake.submit), unique


@dataclass(frozen=True)
class CreatedCase:
    id: int
    ticket_no: str
    token: str
    short_code: str
    created_at: datetime


def year_be(moment: datetime) -> int:
    """The Buddhist year of a naive-UTC timestamp, on the Bangkok calendar."""
    return moment.replace(tzinfo=UTC).astimezone(BANGKOK).year + BE_OFFSET


def next_ticket(org: Organization, year: int) -> tuple[int, str]:
    """Take the next sequence number. Must run inside the case's write transaction: a rollback
    gives the number back, so there are no gaps."""
    TicketCounter.insert(organization=org, year_be=year, last_seq=0).on_conflict_ignore().execute()
    TicketCounter.update(last_seq=TicketCounter.last_seq + 1).where(
        TicketCounter.organization == org, TicketCounter.year_be == year).execute()
    seq = TicketCounter.get(TicketCounter.organization == org, TicketCounter.year_be == year).last_seq
    return seq, f"{org.ticket_prefix}-{year % 100:02d}-{seq:05d}"


def ticket_condition(ref: TicketRef):
    """The cases a typed ticket can mean: its number exactly, or, typed without the LAO's
    letters (`69-00001`), that year and number at any LAO on this install."""
    if ref.prefix:
        return Case.ticket_no == ref.ticket_no()
    return (Case.seq == ref.seq) & Case.year_be.in_(ref.years_be())


def _short_code() -> str:
    """8 characters to type at the kiosk. The first is a digit, so a code can never be read as a
    ticket number (those start with the LAO's letters)."""
    return secrets.choice("0123456789") + "".join(secrets.choice(SHORT_ALPHABET) for _ in range(7))


def _returning(person_id: int) -> Person:
    """A known person as stored; refused if the record was merged away or removed since it was
    looked up."""
    person = Person.get_or_none((Person.id == person_id) & Person.merged_into.is_null())
    if person is None:
        raise NotFound("errors.person_gone", f"person {person_id} is no longer on file")
    return person


def create_case(org_prefix: str, data: CaseData, requester: PersonData | None, subject: PersonData | None = None,
                *, requester_id: int | None = None, subject_id: int | None = None, actor_id: int | None = None,
                public_note: str = "") -> CreatedCase:
    """Store a new request atomically. `subject` None means the requester is the person to help;
    `requester_id` reuses a known person as stored (staff-assisted intake), and `requester` must
    then be None: changing a stored person is `people.update`'s, with its role check and audit.
    `subject_id` likewise names a known person to help (a surveyed person: the register)."""
    if requester_id is not None and requester is not None:
        raise ValueError("give requester or requester_id, not both")
    if subject_id is not None and subject is not None:
        raise ValueError("give subject or subject_id, not both")
    if data.channel not in CHANNELS:
        raise ValueError(f"unknown channel {data.channel!r}")
    org = Organization.get_or_none(Organization.ticket_prefix == org_prefix)
    if org is None:
        raise NotFound("errors.org_unknown", f"no LAO with prefix {org_prefix}")
    now = utcnow()
    with write_transaction():
        req = _returning(requester_id) if requester_id else (people.create(org, requester) if requester else None)
        subj = _returning(subject_id) if subject_id else (people.create(org, subject) if subject else req)
        seq, ticket = next_ticket(org, year_be(now))
        case = Case.create(
            organization=org, ticket_no=ticket, year_be=year_be(now), seq=seq,
            token=secrets.token_urlsafe(15),  # 120 bits
            short_code=_short_code(), category=data.category, status="received", channel=data.channel,
            requester=req, subject=subj, relationship=data.relationship, description=data.description,
            occurred_on=data.occurred_on, household_size=data.household_size,
            vulnerabilities=",".join(data.vulnerabilities), help_requested=data.help_requested,
            help_received=data.help_received, urgency=data.urgency, sensitive_consent=data.sensitive_consent,
            legal_basis=data.legal_basis, latitude=data.latitude, longitude=data.longitude,
            request_key=data.request_key, created_at=now, updated_at=now)
        put_case(case.id, data.description, ticket)
        CaseEvent.create(case=case, at=now, actor=actor_id, action="create", to_status="received",
                         public_note=public_note, data=json.dumps(data.extra, ensure_ascii=False) if data.extra else "")
    return CreatedCase(case.id, ticket, case.token, case.short_code, now)
