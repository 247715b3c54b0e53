"""A surveyed person turned into a case in one action from the register (issue 13, item 4).

The case comes in by the `survey` channel. The person to help (the subject) is the surveyed
person as stored; the requester is the surveyor's team, which is no person: the case's requester
is left empty (as an Open311 report without a name) and the team, the surveyor and the survey
record are written into the case's first event (its `data`: survey_team, survey_team_id,
surveyor, survey_record, surveyed_on) and at the head of its description, so the case screen
says who asked. The survey's vulnerability flags are carried over (health flags only under the
consent the survey recorded, PDPA s.26), and so are its position and its notes.

Officers and above only (a case holds personal data); the record must be one the officer may
read. A person with an open survey case is not given a second one: the refusal names its ticket."""

from __future__ import annotations

from dataclasses import dataclass

from db.connection import write_transaction
from db.models import Case, Organization, SurveyRecord, SurveyTeamMember
from db.reference import CATEGORIES

from ..errors import NotFound, ValidationError
from ..i18n import translate
from ..thai.dates import format_be_date
from ..workflow_spec import ENDED
from . import audit
from .cases import CaseData, CreatedCase, create_case
from .intake import BASIS_PUBLIC_TASK, BASIS_WITH_CONSENT, HEALTH, LONG_MAX
from .intake import VULNERABILITIES as CASE_VULNERABILITIES
from .people import PERSONAL_DATA_ROLE
from .staff import SYSTEM_ID, Actor, require
from .survey_register import RegisterRow, latest_row, needs_labels
from .survey_rows import code_label

CHANNEL = "survey"
# the survey's flags in the case's words (kiosk.services.intake.VULNERABILITIES)
_AS_CASE = {"child_no_caregiver": ("child", "no_caregiver")}
# the help a flag points to, when the survey named no need: (flag, category sub-type)
_CATEGORY_OF = (("bedbound", "bedbound_patient"), ("disability", "disability"), ("elderly", "elderly"),
                ("homeless", "homeless"), ("child_no_caregiver", "children_youth"), ("low_income", "low_income"))
DEFAULT_CATEGORY = "survival_bag"
# what a survey case may be filed as: every sub-type of help, the welfare ones first
CASE_CATEGORIES = (*CATEGORIES["quality_of_life"][1],
                   *(s for area, (_budget, subs) in CATEGORIES.items() if area != "quality_of_life" for s in subs))


@dataclass(frozen=True)
class SurveyCase:
    created: CreatedCase
    person: str  # the person's name, for the message that says which ticket was made


def category_for(row: RegisterRow) -> str:
    """The case's category: the first need the survey named that is a sub-type of help, else the
    help the person's vulnerability points to, else a survival bag."""
    for need in row.needs:
        if need in CASE_CATEGORIES:
            return need
    for flag, category in _CATEGORY_OF:
        if any(v == flag or v.startswith(flag + "_") for v in row.vulnerabilities):
            return category
    return DEFAULT_CATEGORY


def open_case(actor: Actor, org_prefix: str, record_id: int, *, category: str = "") -> SurveyCase:
    """Make the case for the survey record `record_id` (the person's latest); audited as
    "survey_case_create". Refused while the person has an open survey case."""
    require(actor, PERSONAL_DATA_ROLE)
    with write_transaction():
        row = latest_row(actor, record_id)
        if row is None:  # not the person's latest record, or not the actor's to read
            raise NotFound("register.record_gone", f"no visible latest record {record_id}")
        category = category or category_for(row)
        open_one = (Case.select(Case.ticket_no)
                    .where(Case.subject == row.person_id, Case.channel == CHANNEL, Case.status.not_in(sorted(ENDED)))
                    .first())
        if open_one is not None:
            raise ValidationError("register.case_exists", field="case", ticket=open_one.ticket_no)
        record = SurveyRecord.get_by_id(record_id)
        surveyor = (SurveyTeamMember.get_or_none(SurveyTeamMember.id == record.surveyor_member_id)
                    if record.surveyor_member_id else None)
        flags = set(row.vulnerabilities)
        if not row.consent:
            flags -= set(HEALTH)  # health data only under the consent given at the visit
        case_flags = {f for v in flags for f in _AS_CASE.get(v, (v,))} & set(CASE_VULNERABILITIES)
        sensitive = bool(case_flags & set(HEALTH))
        team = row.team or translate("register.no_team", "th")
        lines = [translate("register.case_description", "th", team=team, surveyor=surveyor.name if surveyor else "-",
                           date=format_be_date(row.surveyed_on))]
        if flags:
            lines.append(", ".join(code_label("vulnerabilities", v) for v in row.vulnerabilities if v in flags))
        if row.needs:
            lines.append(translate("register.case_needs", "th", needs=needs_labels(row)))
        if row.notes:
            lines.append(row.notes)
        data = CaseData(
            category=category, channel=CHANNEL, description="\n".join(lines)[:LONG_MAX],
            vulnerabilities=tuple(v for v in CASE_VULNERABILITIES if v in case_flags),
            sensitive_consent=sensitive, legal_basis=BASIS_WITH_CONSENT if sensitive else BASIS_PUBLIC_TASK,
            latitude=row.latitude, longitude=row.longitude,
            extra={"survey_record": record_id, "survey_team": row.team, "survey_team_id": record.survey_team_id,
                   "surveyor": surveyor.name if surveyor else "", "surveyed_on": row.surveyed_on.isoformat()})
        # The case belongs to the LAO that holds the survey record (in a joint centre, not always
        # `org_prefix`, the host's): its staff are the ones who see it (services/scope.py).
        org_prefix = Organization.get_by_id(record.organization_id).ticket_prefix or org_prefix
        created = create_case(org_prefix, data, None, subject_id=row.person_id,
                              actor_id=None if actor.id == SYSTEM_ID else actor.id)
        audit.record("survey_case_create", actor=actor.username, target_type="case", target_id=created.id,
                     detail=f"{created.ticket_no} record={record_id} team={record.survey_team_id or ''}",
                     client=actor.client)
    return SurveyCase(created, row.full_name)
