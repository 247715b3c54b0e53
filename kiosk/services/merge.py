"""Merging two records of the same person (asked twice at the counter, once by a survey team…).
The kept record takes over every case, survey and household place; blanks in it are filled from the other; the
other stays, marked `merged_into`, so the history can be read back. Supervisors only."""

from __future__ import annotations

from db.connection import write_transaction
from db.models import Case, HouseholdMember, Person, SurveyRecord, utcnow

from ..errors import NotFound, ValidationError
from . import audit, scope
from .search import reindex_person
from .staff import Actor, require

FILLABLE = ("prefix", "last_name", "doc_number", "birth_date", "phone", "house_no", "moo", "village", "soi",
            "road", "subdistrict_code", "latitude", "longitude")


def blanks_filled(keep: Person, drop: Person) -> dict[str, object]:
    """The fields of `keep` that are blank and take `drop`'s value, with that value (the merge
    does this; merge_view's preview shows it)."""
    return {f: getattr(drop, f) for f in FILLABLE if getattr(keep, f) in ("", None) and getattr(drop, f) not in ("", None)}


def merge_people(actor: Actor, keep_id: int, drop_id: int) -> int:
    """Fold person `drop_id` into `keep_id`; returns how many cases moved. Each moved case's
    version is bumped, so a screen holding the old version is told instead of overwriting."""
    require(actor, "supervisor")
    if keep_id == drop_id:
        raise ValidationError("case.merge_same", "cannot merge a person with itself", field="person")
    with write_transaction():
        keep = Person.get_or_none(Person.id == keep_id, scope.people_visible(actor))  # another LAO's: not found
        drop = Person.get_or_none(Person.id == drop_id, scope.people_visible(actor))
        if keep is None or drop is None:
            raise NotFound("case.merge_unknown", "no such person")
        if drop.merged_into_id or keep.merged_into_id:
            raise ValidationError("case.merge_already", "already merged", field="person")
        fills = blanks_filled(keep, drop)
        if fills.get("doc_number"):
            fills["doc_type"] = drop.doc_type
        if fills:
            Person.update(**fills, updated_at=utcnow()).where(Person.id == keep_id).execute()
            reindex_person(keep_id)  # the name keys and index row, from the filled record
        moved = 0
        for column in (Case.subject, Case.requester):
            moved += Case.update({column: keep_id, Case.version: Case.version + 1, Case.updated_at: utcnow()}) \
                .where(column == drop_id).execute()
        SurveyRecord.update(person=keep_id).where(SurveyRecord.person == drop_id).execute()
        # households: the kept person takes the other's places, once per household
        shared = HouseholdMember.select(HouseholdMember.household).where(HouseholdMember.person == keep_id)
        HouseholdMember.delete().where(HouseholdMember.person == drop_id, HouseholdMember.household.in_(shared)).execute()
        HouseholdMember.update(person=keep_id).where(HouseholdMember.person == drop_id).execute()
        Person.update(merged_into=keep_id, updated_at=utcnow()).where(Person.id == drop_id).execute()
        audit.record("person_merge", actor=actor.username, target_type="person", target_id=keep_id,
                     detail=f"merged {drop_id} into {keep_id}; filled {','.join(sorted(fills))}", client=actor.client)
    return moved

