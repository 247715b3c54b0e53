"""People: storing a person with the search keys that make Thai names findable."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from db.connection import write_transaction
from db.models import Organization, Person, utcnow
from db.search_index import fold, put_person


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


def update(person_id: int, data: PersonData) -> None:
    """Overwrite a known person's details with what staff confirmed at the counter (and their
    search-index row). Coordinates the form does not carry are kept."""
    values = {f.name: getattr(data, f.name) for f in fields(data)
              if not (f.name in ("latitude", "longitude") and getattr(data, f.name) is None)}
    keys = search_keys(data.first_name, data.last_name)
    with write_transaction():
        Person.update(**values, **keys, updated_at=utcnow()).where(Person.id == person_id).execute()
        put_person(person_id, data.first_name, data.last_name, data.doc_number, data.phone, keys["name_key"])


def create(org: Organization, data: PersonData) -> Person:
    """Insert a person and its search-index row in one transaction (db/search_index.py)."""
    values = {f.name: getattr(data, f.name) for f in fields(data)}
    keys = search_keys(data.first_name, data.last_name)
    with write_transaction():
        person = Person.create(organization=org, **values, **keys, created_at=utcnow(), updated_at=utcnow())
        put_person(person.id, data.first_name, data.last_name, data.doc_number, data.phone, keys["name_key"])
    return person
