"""People: storing a person with the search keys that make Thai names findable."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from db.models import Organization, Person, utcnow


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
    """The mark-stripped and phonetic forms stored beside the name (see kiosk.thai.names)."""
    from ..thai.names import phonetic_key, strip_marks

    full = f"{first_name} {last_name}".strip()
    return {"name_plain": strip_marks(full).lower(), "name_key": phonetic_key(full)}


def create(org: Organization, data: PersonData) -> Person:
    values = {f.name: getattr(data, f.name) for f in fields(data)}
    return Person.create(organization=org, **values, **search_keys(data.first_name, data.last_name),
                         created_at=utcnow(), updated_at=utcnow())
