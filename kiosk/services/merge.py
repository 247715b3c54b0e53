"""Merging two records of the same person (asked twice at the counter, once by a survey team…).
The kept record takes over every case and survey; blanks in it are filled from the other; the
other stays, marked `merged_into`, so the history can be read back. Supervisors only."""

from __future__ import annotations

from db.connection import write_transaction
from db.models import Case, Person, SurveyRecord, utcnow

from ..errors import NotFound, ValidationError
from . import audit
from .people import search_keys
from .staff import Actor, require

FILLABLE = ("prefix", "last_name", "doc_number", "birth_date", "phone", "house_no", "moo", "village", "soi",
            "road", "subdistrict_code", "latitude", "longitude")


def merge_people(actor: Actor, keep_id: int, drop_id: int) -> int:
    """Fold person `drop_id` into `keep_id`; returns how many cases moved. Each moved case's
    version is bumped, so a screen holding the old version is told instead of overwriting."""
    require(actor, "supervisor")
    if keep_id == drop_id:
        raise ValidationError("case.merge_same", "cannot merge a person with itself", field="person")
    with write_transaction():
        keep = Person.get_or_none(Person.id == keep_id)
        drop = Person.get_or_none(Person.id == drop_id)
        if keep is None or drop is None:
            raise NotFound("case.merge_unknown", "no such person")
        if drop.merged_into_id or keep.merged_into_id:
            raise ValidationError("case.merge_already", "already merged", field="person")
        fills = {f: getattr(drop, f) for f in FILLABLE if getattr(keep, f) in ("", None) and getattr(drop, f) not in ("", None)}
        if fills.get("doc_number"):
            fills["doc_type"] = drop.doc_type
        if fills:
            fills.update(search_keys(keep.first_name, fills.get("last_name", keep.last_name)))
            Person.update(**fills, updated_at=utcnow()).where(Person.id == keep_id).execute()
            _reindex(keep_id)
        moved = 0
        for column in (Case.subject, Case.requester):
            moved += Case.update({column: keep_id, Case.version: Case.version + 1, Case.updated_at: utcnow()}) \
                .where(column == drop_id).execute()
        SurveyRecord.update(person=keep_id).where(SurveyRecord.person == drop_id).execute()
        Person.update(merged_into=keep_id, updated_at=utcnow()).where(Person.id == drop_id).execute()
        audit.record("person_merge", actor=actor.username, target_type="person", target_id=keep_id,
                     detail=f"merged {drop_id} into {keep_id}; filled {','.join(sorted(fills))}", client=actor.client)
    return moved


def _reindex(person_id: int) -> None:
    """Keep the Thai search index (kiosk.services.search, when installed) in step."""
    import importlib.util

    if importlib.util.find_spec("kiosk.services.search") is not None:
        from .search import reindex_person

        reindex_person(person_id)


def possible_duplicates(actor: Actor, person_id: int, limit: int = 10) -> list[tuple[int, str]]:
    """Other unmerged people with the same document number, phone or phonetic name key:
    (id, name) pairs to offer for merging."""
    require(actor, "supervisor")
    p = Person.get_or_none(Person.id == person_id)
    if p is None:
        raise NotFound("case.merge_unknown", "no such person")
    same = Person.name_key == p.name_key if p.name_key else None
    for value, column in ((p.doc_number, Person.doc_number), (p.phone, Person.phone)):
        if value:
            same = (column == value) if same is None else (same | (column == value))
    if same is None:
        return []
    query = Person.select().where(same, Person.id != p.id, Person.merged_into.is_null()).limit(limit)
    return [(o.id, " ".join(x for x in (o.prefix, o.first_name, o.last_name) if x)) for o in query]
