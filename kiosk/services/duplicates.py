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


def doubts_many(many: list[PersonData], name_keys: list[str] | None = None, chunk: int = 500) -> list[tuple[int, ...]]:
    """For a bulk import: for each person (not found by document), the people on file that
    `possible_duplicates` would ask about (a sound-alike name in the same village, or the same
    phone), found with a few queries for them all rather than two each. `name_keys`: their
    phonetic keys when the caller has them already."""
    live = Person.merged_into.is_null()
    keys = name_keys or [search_keys(d.first_name, d.last_name)["name_key"] for d in many]
    by_name: dict[str, list[Person]] = {}
    by_phone: dict[str, list[Person]] = {}
    wanted_names = sorted({k for k, d in zip(keys, many, strict=True) if k and d.moo is not None and d.subdistrict_code})
    wanted_phones = sorted({d.phone for d in many if d.phone})
    columns = (Person.id, Person.doc_type, Person.doc_number, Person.name_key, Person.moo, Person.subdistrict_code,
               Person.phone)
    for wanted, field, out in ((wanted_names, Person.name_key, by_name), (wanted_phones, Person.phone, by_phone)):
        for start in range(0, len(wanted), chunk):
            for p in Person.select(*columns).where(live, field.in_(wanted[start:start + chunk])):
                out.setdefault(getattr(p, field.name), []).append(p)
    found = []
    for key, data in zip(keys, many, strict=True):
        ids = [p.id for p in by_name.get(key, []) if p.moo == data.moo and p.subdistrict_code == data.subdistrict_code
               and data.moo is not None and not _different_ids(data, p)]
        ids += [p.id for p in by_phone.get(data.phone, []) if data.phone and not _different_ids(data, p)]
        found.append(tuple(sorted(set(ids), reverse=True)[:MAX_SUGGESTIONS]))
    return found
