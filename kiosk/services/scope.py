"""Which LAO's records a member of staff may see and act on (issue 16, the joint centre).

A staff account belongs to one LAO (Staff.organization) or to the whole centre (null: the joint
centre's own staff, and every account of a single-LAO centre made before accounts had an LAO).
`Actor.lao_ids` carries it: None = every LAO, else the ids of the LAOs the actor serves.

Every service that reads or acts on a case, a person, a survey record or a team asks here, so the
rule is written once. A record of another LAO is *not found* (NotFound), never "forbidden": an
officer of LAO A learns nothing about whether a ticket of LAO B exists."""

from __future__ import annotations

from peewee import Expression, Value

from db.models import Case, Organization, Person, SurveyRecord, SurveyTeam

from ..errors import NotFound
from .staff import Actor

EVERYTHING = Value(1) == Value(1)  # a condition that keeps every row (staff of the whole centre)


def sees_all(actor: Actor | None) -> bool:
    return actor is None or actor.lao_ids is None


def _within(column, actor: Actor | None) -> Expression:
    if sees_all(actor):
        return EVERYTHING
    return column.in_(list(actor.lao_ids))


def cases_visible(actor: Actor | None) -> Expression:
    """The condition on Case an actor's queries add: their LAO's cases, or all of them."""
    return _within(Case.organization, actor)


def people_visible(actor: Actor | None) -> Expression:
    return _within(Person.organization, actor)


def surveys_visible(actor: Actor | None) -> Expression:
    return _within(SurveyRecord.organization, actor)


def teams_visible(actor: Actor | None) -> Expression:
    return _within(SurveyTeam.organization, actor)


def may_see(actor: Actor | None, organization_id: int | None) -> bool:
    return sees_all(actor) or organization_id in actor.lao_ids


def check_case(actor: Actor | None, case: Case | None, ref: object = "") -> Case:
    """The case if the actor may see it; otherwise the same NotFound as a case that does not exist."""
    if case is None or not may_see(actor, case.organization_id):
        raise NotFound("workflow.case_unknown", f"no case {ref or (case.id if case else '')}")
    return case


def case_visible(actor: Actor | None, case_id: int) -> Case:
    """Load a case for an actor, or NotFound (absent or of another LAO)."""
    return check_case(actor, Case.get_or_none(Case.id == case_id), case_id)


def check_person(actor: Actor | None, person: Person | None, ref: object = "") -> Person:
    if person is None or not may_see(actor, person.organization_id):
        raise NotFound("case.merge_unknown", f"no person {ref}")
    return person


def lao_prefixes(actor: Actor | None, prefix: str | None = None) -> list[str] | None:
    """The LAO prefixes a per-LAO report or list covers for this actor: None = the whole centre
    (only staff of the whole centre); one asked-for prefix if the actor may see it (else NotFound);
    an LAO officer asking for no prefix gets their own LAO(s)."""
    if prefix:
        org = Organization.get_or_none(Organization.ticket_prefix == prefix)
        if org is None or not may_see(actor, org.id):
            raise NotFound("errors.org_unknown", f"no LAO {prefix}")
        return [prefix]
    if sees_all(actor):
        return None
    return [o.ticket_prefix for o in Organization.select(Organization.ticket_prefix)
            .where(Organization.id.in_(list(actor.lao_ids))).order_by(Organization.id)]
