"""Is this person already on file? (issue 3, item 6; the merge screen asks, through merge_view)

The same document number means the same person (certain). Otherwise a sound-alike name in the
same village (หมู่ + subdistrict) or the same phone only raises a question for staff: "is this
the same person?". Two different national ID numbers are never the same person.
"""

from __future__ import annotations

from dataclasses import dataclass

from db.models import Person

from .people import PersonData, search_keys
from .search import find_person_by_id_number

MAX_SUGGESTIONS = 10


@dataclass(frozen=True)
class Suggestion:
    """A stored person who may be the one being entered. `reasons` are catalogue keys."""

    person_id: int
    reasons: tuple[str, ...]
    certain: bool = False


def possible_duplicates(data: PersonData) -> list[Suggestion]:
    """The certain match first (same document number), then questions, newest first."""
    found: dict[int, list[str]] = {}
    certain = find_person_by_id_number(data.doc_number) if data.doc_type != "none" and data.doc_number else None
    if certain is not None:
        found[certain] = ["search.dup_same_document"]

    live = Person.merged_into.is_null()
    name_key = search_keys(data.first_name, data.last_name)["name_key"]
    if name_key and data.moo is not None and data.subdistrict_code:
        same_village = Person.select(Person.id, Person.doc_type, Person.doc_number).where(
            live, Person.name_key == name_key, Person.moo == data.moo,
            Person.subdistrict_code == data.subdistrict_code)
        for p in same_village.order_by(Person.id.desc()).limit(MAX_SUGGESTIONS):
            if not _different_ids(data, p):
                found.setdefault(p.id, []).append("search.dup_same_name_village")
    if data.phone:
        same_phone = Person.select(Person.id, Person.doc_type, Person.doc_number).where(live, Person.phone == data.phone)
        for p in same_phone.order_by(Person.id.desc()).limit(MAX_SUGGESTIONS):
            if not _different_ids(data, p):
                found.setdefault(p.id, []).append("search.dup_same_phone")

    ordered = sorted(found, key=lambda pid: (pid != certain, -pid))[:MAX_SUGGESTIONS]
    return [Suggestion(pid, tuple(found[pid]), certain=pid == certain) for pid in ordered]


def _different_ids(data: PersonData, stored: Person) -> bool:
    """Both hold national IDs and they differ: two people, whatever their names."""
    return (data.doc_type == stored.doc_type == "national_id" and bool(data.doc_number)
            and stored.doc_number != data.doc_number)
