"""A person as staff read them: the details a case or a merge shows, and the counter's look-up
of a returning person. Reading a person's details is for officers and above and is a
PDPA-relevant read, so everything here checks the role and writes it to the audit log.
(Storing and changing a person is kiosk.services.people, which takes no actor and so is
reached only through role-checked services like this one.)"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from db.models import Person

from ..errors import ValidationError
from ..text import clean_text
from ..thai.dates import format_be_date
from ..thai.ids import format_national_id, mask_national_id
from ..thai.names import full_name
from ..thai.phones import format_phone_thai, parse_phone
from . import audit, scope
from .people import PERSONAL_DATA_ROLE
from .search import find_person_by_id_number
from .staff import Actor, require


@dataclass(frozen=True)
class PersonView:
    id: int
    role: str  # "requester", "subject", or the part in a merge ("keep", "drop", "other")
    prefix: str
    first_name: str
    last_name: str
    doc_type: str
    doc_number: str
    birth_date: date | None
    phone: str
    house_no: str
    moo: int | None
    village: str
    soi: str
    road: str
    subdistrict_code: str

    @property
    def full_name(self) -> str:
        return full_name(self.prefix, self.first_name, self.last_name)

    @property
    def phone_text(self) -> str:
        """The phone as Thai staff read and dial it: 081-234-5678 (stored as +66…)."""
        return shown_phone(self.phone)

    @property
    def doc_number_text(self) -> str:
        """A Thai ID grouped as on the card, 1-2345-67890-12-3; other documents as stored."""
        return shown_document(self.doc_type, self.doc_number)


def shown_phone(phone: str) -> str:
    if not phone:
        return ""
    try:
        return format_phone_thai(phone)
    except Exception:  # noqa: BLE001 — phonenumbers refuses text that is no number: shown as stored
        return phone


def shown_document(doc_type: str, number: str) -> str:
    digits = re.sub(r"[\s\-]", "", number or "")
    if doc_type == "national_id" and len(digits) == 13 and digits.isascii() and digits.isdigit():
        return format_national_id(digits)
    return number or ""


_FIELDS = ("prefix", "first_name", "last_name", "doc_type", "doc_number", "birth_date", "phone",
           "house_no", "moo", "village", "soi", "road", "subdistrict_code")


def viewed(actor: Actor, person: Person, role: str, detail: str) -> PersonView:
    """`person` as shown to `actor`, audited as one "person_view" (`detail` says where: a
    ticket, a merge preview). The caller has checked the actor's role."""
    audit.record("person_view", actor=actor.username, target_type="person", target_id=person.id, detail=detail,
                 client=actor.client)
    return PersonView(person.id, role, *(getattr(person, f) for f in _FIELDS))


@dataclass(frozen=True)
class ReturningPerson:
    """A known person found by staff; `form_values` pre-fill the intake's identity and contact steps."""

    id: int
    display_name: str
    doc_masked: str
    form_values: dict


def find_returning_person(actor: Actor, query: str) -> ReturningPerson | None:
    """Exact look-up by document number (kiosk.services.search) or phone: a person's full details,
    so officers and above only (the counter's unlocked staff mode), audited. Exact is enough at
    the counter: the person is there holding the card or the phone."""
    require(actor, PERSONAL_DATA_ROLE)
    raw = clean_text(query, 60)
    if not re.sub(r"[\s\-]", "", raw):
        raise ValidationError("intake.lookup_empty", "type an ID or a phone", field="lookup")
    person_id = find_person_by_id_number(raw)
    if person_id is not None and not Person.select().where(Person.id == person_id, scope.people_visible(actor)).exists():
        person_id = None  # another LAO's person: as if not on file
    if person_id is None:
        try:
            phone = parse_phone(raw).e164
        except ValidationError:
            phone = None
        row = (Person.select(Person.id).where(Person.phone == phone, Person.merged_into.is_null(),
                                              scope.people_visible(actor))
               .order_by(Person.id.desc()).first()) if phone else None
        person_id = row.id if row else None
    person = Person.get_by_id(person_id) if person_id is not None else None
    audit.record("person_lookup", actor=actor.username, target_type="person",
                 target_id=person.id if person else "", detail="found" if person else "not found", client="counter")
    if person is None:
        return None
    values = dict(prefix=person.prefix, first_name=person.first_name, last_name=person.last_name,
                  doc_type=person.doc_type or "none", doc_number=person.doc_number,
                  birth_date=format_be_date(person.birth_date) if person.birth_date else "",
                  phone=format_phone_thai(person.phone) if person.phone else "", house_no=person.house_no,
                  moo=str(person.moo or ""), village=person.village, soi=person.soi, road=person.road,
                  subdistrict_code=person.subdistrict_code)
    doc = person.doc_number
    masked = mask_national_id(doc) if person.doc_type == "national_id" and len(doc) == 13 else doc[-4:]
    return ReturningPerson(person.id, full_name(person.prefix, person.first_name, person.last_name),
                           masked, values)
