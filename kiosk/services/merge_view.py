"""What a supervisor reads before merging two records of one person: the suggestions of
`duplicates.possible_duplicates` for a case's people (with their reasons), and for one pair what
the merge would move and fill (merge.blanks_filled, the rule the merge itself applies). Every
person shown is a "person_view" in the audit log (kiosk.services.person_view)."""

from __future__ import annotations

from dataclasses import dataclass, fields

from db.models import Case, Person, SurveyRecord

from ..errors import NotFound, PermissionDenied, ValidationError
from . import scope
from .duplicates import possible_duplicates
from .merge import blanks_filled
from .people import PersonData
from .person_view import PersonView, viewed
from .staff import Actor, require


@dataclass(frozen=True)
class DuplicateSuggestion:
    of: PersonView  # the case's person
    other: PersonView  # a stored record that may be the same person
    reasons: tuple[str, ...]  # catalogue keys (search.dup_*)


@dataclass(frozen=True)
class MergePreview:
    keep: PersonView
    drop: PersonView
    tickets: tuple[str, ...]  # cases of `drop` that move to `keep`
    surveys: int  # survey records that move
    filled: tuple[str, ...]  # fields of `keep` that are blank and get `drop`'s value


def _load(actor: Actor, person_id: int) -> Person:
    person = Person.get_or_none(Person.id == person_id, scope.people_visible(actor))  # another LAO's: not found
    if person is None and scope.person_on_held_case(actor, person_id):  # a referred case's: the register's LAO merges
        raise PermissionDenied("case.merge_other_lao", f"person {person_id} is in another LAO's register")
    if person is None:
        raise NotFound("case.merge_unknown", f"no person {person_id}")
    return person


def duplicates_for(actor: Actor, person_ids: list[int], ticket_no: str = "") -> list[DuplicateSuggestion]:
    """Suggestions for each of a case's people (supervisors). Same document number is certain
    (listed first); a sound-alike name in the same village or the same phone is a question."""
    require(actor, "supervisor")
    out: list[DuplicateSuggestion] = []
    for pid in dict.fromkeys(person_ids):
        person = _load(actor, pid)
        if person.merged_into_id:
            continue
        data = PersonData(**{f.name: getattr(person, f.name) for f in fields(PersonData)})
        found = {s.person_id: s.reasons for s in possible_duplicates(data) if s.person_id != pid}
        if person.doc_number and person.doc_type != "none":  # the newest holder may be this record itself
            same_doc = Person.select(Person.id).where(Person.doc_number == person.doc_number, Person.id != pid,
                                                      Person.merged_into.is_null())
            for row in same_doc.order_by(Person.id.desc()).limit(10):
                if "search.dup_same_document" not in found.get(row.id, ()):
                    found[row.id] = ("search.dup_same_document", *found.get(row.id, ()))
        if not found:
            continue
        others = {p.id: p for p in Person.select().where(Person.id.in_(list(found)), scope.people_visible(actor))}
        of = viewed(actor, person, "subject", f"duplicates {ticket_no}".strip())
        ordered = sorted(found, key=lambda i: ("search.dup_same_document" not in found[i], -i))
        out += [DuplicateSuggestion(of, viewed(actor, others[i], "other", f"duplicate of {pid}"), tuple(found[i]))
                for i in ordered if i in others]
    return out


def merge_preview(actor: Actor, keep_id: int, drop_id: int) -> MergePreview:
    """Both records as they are and what `merge.merge_people(keep_id, drop_id)` would change."""
    require(actor, "supervisor")
    if keep_id == drop_id:
        raise ValidationError("case.merge_same", "cannot merge a person with itself", field="person")
    keep, drop = _load(actor, keep_id), _load(actor, drop_id)
    if keep.merged_into_id or drop.merged_into_id:
        raise ValidationError("case.merge_already", "already merged", field="person")
    tickets = tuple(c.ticket_no for c in Case.select(Case.ticket_no).where(
        (Case.subject == drop_id) | (Case.requester == drop_id)).order_by(Case.id))
    surveys = SurveyRecord.select().where(SurveyRecord.person == drop_id).count()
    filled = tuple(blanks_filled(keep, drop))
    return MergePreview(viewed(actor, keep, "keep", f"merge preview {drop_id}"),
                        viewed(actor, drop, "drop", f"merge preview {keep_id}"), tickets, surveys, filled)
