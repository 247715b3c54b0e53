"""Which LAO's records a member of staff may see and act on (issue 16, the joint centre).

A staff account belongs to one LAO (Staff.organization) or to the whole centre (null: the joint
centre's own staff, and every account of a single-LAO centre made before accounts had an LAO).
`Actor.lao_ids` carries it: None = every LAO, else the ids of the LAOs the actor serves.

Every service that reads or acts on a case, a person, a survey record or a team asks here, so the
rule is written once. A record of another LAO is *not found* (NotFound), never "forbidden": an
officer of LAO A learns nothing about whether a ticket of LAO B exists."""

from __future__ import annotations

from peewee import Expression, Value

from db.models import Announcement, Case, CaseEvent, Organization, Person, SurveyRecord, SurveyTeam

from ..errors import NotFound, PermissionDenied
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


def announcements_visible(actor: Actor | None) -> Expression:
    """The announcements a member of staff manages: their LAO's; the whole centre's staff, every
    one (centre-wide ones, organization null, included). An LAO's officer cannot change a
    centre-wide announcement nor another LAO's (not found)."""
    return _within(Announcement.organization, actor)


def announcement_org(actor: Actor | None, organization_id: int | None) -> int | None:
    """The LAO a new announcement is published under: an LAO's officer, their own (the first of
    theirs unless another of theirs is asked for); the whole centre's staff, the one asked for or
    none (centre-wide). An LAO the actor may not see is not found."""
    if organization_id is None and not sees_all(actor):
        return actor.lao_ids[0]
    if organization_id is not None and (not may_see(actor, organization_id)
                                        or not Organization.select().where(Organization.id == organization_id).exists()):
        raise NotFound("errors.org_unknown", f"no LAO {organization_id}")
    return organization_id


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


def actor_prefixes(actor: Actor) -> list[str]:
    """The ticket prefixes of an LAO officer's LAO(s)."""
    return [p for (p,) in Organization.select(Organization.ticket_prefix)
            .where(Organization.id.in_(list(actor.lao_ids))).order_by(Organization.id).tuples()]


# -- referral: the sending LAO keeps reading what it passed on ---------------------------------
# A referral to another member LAO moves the case there (kiosk.services.referral): the receiving
# LAO holds it and acts on it. The LAO that sent it keeps *read* access: it finds it in the
# queue's "referred out" list and by search, opens it, sees its status and timeline, and takes no
# step on it (PermissionDenied, "read only"). "Sent by" is the `refer` step's `referred_from`: the
# LAO that held the case when it was referred (whoever pressed the key, an LAO's officer or the
# joint centre's staff on its behalf). A case passed on again (A → B → C) stays readable by A and B.

def referred_out(actor: Actor | None, among=None):
    """The ids of the cases the actor's LAO(s) referred (to another LAO or an agency), wherever
    they are now, as a subquery; for staff of the whole centre every referred case. `among`: only
    these case ids (a list or a subquery). Only `refer` steps have a `referred_from` (indexed with
    the case, migration 9)."""
    if sees_all(actor):
        query = CaseEvent.select(CaseEvent.case).where(CaseEvent.action == "refer")
    else:
        query = CaseEvent.select(CaseEvent.case).where(CaseEvent.referred_from.in_(list(actor.lao_ids)))
    if among is not None:
        query = query.where(CaseEvent.case.in_(among))
    return query


def referred_out_ids(actor: Actor | None, among=None) -> list[int]:
    """The same cases as a sorted list of ids."""
    return sorted({cid for (cid,) in referred_out(actor, among).tuples()})


def cases_readable(actor: Actor | None, among=None) -> Expression:
    """What an actor may *read*: their LAO's cases and those their LAO referred out (of `among`)."""
    if sees_all(actor):
        return EVERYTHING
    return cases_visible(actor) | Case.id.in_(referred_out(actor, among))


def may_act(actor: Actor | None, case: Case) -> bool:
    """Whether the actor takes steps on the case: only the LAO that holds it (or the whole centre)."""
    return may_see(actor, case.organization_id)


def case_readable(actor: Actor | None, case_id: int) -> Case:
    """Load a case the actor may read (their LAO's, or one it referred out), or NotFound."""
    case = Case.get_or_none(Case.id == case_id)
    if case is not None and (may_act(actor, case) or referred_out(actor, [case_id]).exists()):
        return case
    raise NotFound("workflow.case_unknown", f"no case {case_id}")


def case_to_act(actor: Actor | None, case_id: int) -> Case:
    """Load a case the actor may take a step on. One their LAO referred out to another LAO is read
    only (PermissionDenied: they can see it, so saying so tells nothing); any other LAO's is not found."""
    case = case_readable(actor, case_id)
    if not may_act(actor, case):
        raise PermissionDenied("case.referred_read_only", f"case {case_id} was referred to another LAO")
    return case


# -- the person of a referred case -------------------------------------------------------------
# A person belongs to the register of the LAO that first recorded them (Person.organization); a
# referral moves the case, never the person. The LAO that holds a case now sees its people's
# details *on that case* (case view, request form; each view audited) because it must reach them
# to act on it; the register entry stays the other LAO's: it is not in the holder's look-ups,
# search of people, merges, updates nor access-request exports. The register's LAO keeps seeing
# its person on the case it sent. An LAO that passed a case on (A → B → C: B) reads the case
# but no longer its people; a third LAO sees neither.

def sees_person_on(actor: Actor | None, case: Case, person: Person) -> bool:
    """Whether `actor` is shown `person`'s details on `case` (which they may read)."""
    return may_act(actor, case) or may_see(actor, person.organization_id)


def person_on_held_case(actor: Actor | None, person_id: int) -> bool:
    """Whether `person_id`, of another LAO's register, is a person of a case the actor's LAO holds:
    then the actor may be told the register entry is another LAO's (nothing is hidden by saying so)."""
    return Case.select().where((Case.subject == person_id) | (Case.requester == person_id),
                               cases_visible(actor)).exists()


def check_person(actor: Actor | None, person: Person | None, ref: object = "") -> Person:
    if person is None or not may_see(actor, person.organization_id):
        raise NotFound("case.merge_unknown", f"no person {ref}")
    return person


def writing_lao(actor: Actor | None, prefix: str) -> Organization:
    """The LAO a record the actor writes (or a list they read) goes under, asked for by prefix:
    NotFound when there is no such LAO or it is not the actor's (staff of the whole centre may ask
    for any)."""
    org = Organization.get_or_none(Organization.ticket_prefix == (prefix or "").strip().upper())
    if org is None or not may_see(actor, org.id):
        raise NotFound("errors.org_unknown", f"no LAO {prefix}")
    return org


def own_prefix(actor: Actor | None, default: str) -> str:
    """The LAO a screen works for by default: an LAO officer's own (the first of theirs), the whole
    centre's staff `default` (the host LAO)."""
    if sees_all(actor):
        return default
    return actor.lao_prefixes[0] if actor.lao_prefixes else actor_prefixes(actor)[0]


def check_team(actor: Actor | None, team: SurveyTeam | None) -> SurveyTeam:
    """A survey team the actor may manage or enter surveys for: their LAO's; else not found."""
    if team is None or not may_see(actor, team.organization_id):
        raise NotFound("survey.team_missing")
    return team


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
