"""People: storing a person with the search keys that make Thai names findable.

Reading a person's details or changing a stored person is for officers and above
(PERSONAL_DATA_ROLE; the counter's unlocked staff mode acts as a supervisor or admin): `update`
checks it here and audits every change by field name; reading is kiosk.services.person_view.
`create` takes no actor (a citizen's own request stores a person too, through
kiosk.services.cases), so the screens and the web never import this module
(tests/privacy/test_roles.py)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from db.connection import write_transaction
from db.models import Organization, Person, utcnow
from db.search_index import fold, put_person

from ..errors import NotFound
from . import audit, scope
from .staff import Actor, require

PERSONAL_DATA_ROLE = "officer"  # the least role that may read a person's details or change them


@dataclass(frozen=True)
class PersonData:
    """A person as validated by the forms (kiosk.thai parsers already applied)."""

    first_name: str
    last_name: str = ""
    prefix: str = ""
    doc_type: str = "none"
    doc_number: str = ""
    birth_date: date | None = None
    phone: str = ""  # E.164
    house_no: str = ""
    moo: int | None = None
    village: str = ""
    soi: str = ""
    road: str = ""
    subdistrict_code: str = ""
    latitude: float | None = None
    longitude: float | None = None


def search_keys(first_name: str, last_name: str) -> dict[str, str]:
    """The folded and phonetic forms stored beside the name (db/search_index.fold is how queries
    are folded too; kiosk.thai.names.phonetic_key)."""
    from ..thai.names import phonetic_key

    full = f"{first_name} {last_name}".strip()
    return {"name_plain": fold(full), "name_key": phonetic_key(full)}


def update(actor: Actor, person_id: int, data: PersonData) -> tuple[str, ...]:
    """Overwrite a known person's details with what staff confirmed at the counter (and their
    search-index row); returns the names of the fields that changed. Officers and above; audited
    as "person_update" naming the fields, never their values (the audit log must not become a
    second copy of the data). Coordinates the form does not carry are kept. A record merged away
    or removed since it was looked up is refused (errors.person_gone)."""
    require(actor, PERSONAL_DATA_ROLE)
    values = {f.name: getattr(data, f.name) for f in fields(data)
              if not (f.name in ("latitude", "longitude") and getattr(data, f.name) is None)}
    with write_transaction():
        person = Person.get_or_none((Person.id == person_id) & Person.merged_into.is_null(),
                                    scope.people_visible(actor))  # another LAO's: not on file for them
        if person is None:
            raise NotFound("errors.person_gone", f"person {person_id} is no longer on file")
        changed = tuple(name for name, value in values.items() if getattr(person, name) != value)
        if changed:
            keys = search_keys(data.first_name, data.last_name)
            Person.update(**values, **keys, updated_at=utcnow()).where(Person.id == person_id).execute()
            put_person(person_id, data.first_name, data.last_name, data.doc_number, data.phone, keys["name_key"])
            audit.record("person_update", actor=actor.username, target_type="person", target_id=person_id,
                         detail="fields: " + ",".join(changed), client=actor.client)
    return changed


def create(org: Organization, data: PersonData) -> Person:
    """Insert a person and its search-index row in one transaction (db/search_index.py)."""
    values = {f.name: getattr(data, f.name) for f in fields(data)}
    keys = search_keys(data.first_name, data.last_name)
    with write_transaction():
        person = Person.create(organization=org, **values, **keys, created_at=utcnow(), updated_at=utcnow())
        put_person(person.id, data.first_name, data.last_name, data.doc_number, data.phone, keys["name_key"])
    return person
