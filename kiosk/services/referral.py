"""Referral (issue 16): a case passed to another member LAO of this centre, or out to an agency
(settings.agencies: พม. 1300, ศูนย์ดำรงธรรม 1567, the district office, a hospital by default), with
a reason and a date by which a reply is due.

States as data (kiosk/workflow_spec.py): `refer` moves an open case to "awaiting_reply" (open);
`referral_reply` records the reply: a referral to an agency then ends as "referred" (closed: the
agency has it, its reply is on file); one to an LAO goes back to "received" at that LAO, which
works it as its own. A referral to an LAO moves the case there at once (its organization changes,
its ticket number stays), so it is in the receiving LAO's queue; the timeline event keeps the LAO
it came from (CaseEvent.referred_from). No table of its own: the `refer` event's data holds the target, its name as it was
then, the reason and the due date; the reply's event names the referral it answers.

An overdue referral is one waiting past its due date (Bangkok calendar) with no reply yet."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from db.models import Case, CaseEvent, Organization

from ..config import Agency
from ..errors import ValidationError
from ..text import clean_text
from ..thai.dates import now_bangkok
from ..workflow_spec import Field

AWAITING = "awaiting_reply"


@dataclass(frozen=True)
class Target:
    """Where a case can be referred: `kind` "lao" (key = ticket prefix) or "agency" (key = the
    configured key)."""

    kind: str
    key: str
    name_th: str
    name_en: str = ""
    phone: str = ""
    org_id: int | None = None

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.key}"

    def name(self, lang: str) -> str:
        return (self.name_en if lang == "en" else "") or self.name_th


def targets(agencies: tuple[Agency, ...], case_org_id: int | None = None) -> list[Target]:
    """Every place a case of `case_org_id` can go: the other member LAOs, then the agencies."""
    laos = [Target("lao", o.ticket_prefix, o.name_th, o.name_en, "", o.id)
            for o in Organization.select().order_by(Organization.id) if o.id != case_org_id]
    return laos + [Target("agency", a.key, a.name_th, a.name_en, a.phone) for a in agencies]


def target(f: Field, raw: object, case: Case, agencies: tuple[Agency, ...]) -> Target | None:
    """The validator of a `referral_target` field: "lao:<prefix>" or "agency:<key>" (or a Target)."""
    ref = raw.ref if isinstance(raw, Target) else clean_text(str(raw or ""), f.max_length)
    if not ref:
        return None
    found = next((t for t in targets(agencies, case.organization_id) if t.ref == ref), None)
    if found is None:
        raise ValidationError(f.error_key, f"no referral target {ref!r}", field=f.name)
    return found


def refer_effect(case: Case, values: dict) -> dict:
    """What `refer` changes: an LAO target takes the case over; the event keeps names as they were
    and the LAO it was sent from (its column, for kiosk.services.scope.referred_out, and its prefix)."""
    to: Target = values["refer_to"]
    kept = {"refer_to_name": to.name_th, "refer_to_name_en": to.name_en,
            "from_lao": case.organization.ticket_prefix, CaseEvent.referred_from: case.organization_id}
    if to.kind == "lao":
        return {Case.organization: to.org_id, **kept}
    return kept


def _data(ev: CaseEvent) -> dict:
    try:
        data = json.loads(ev.data) if ev.data else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def last_referral(case_id: int) -> dict | None:
    """The latest `refer` event's data of a case (with `at` and `event_id`), None if never referred."""
    ev = (CaseEvent.select().where(CaseEvent.case == case_id, CaseEvent.action == "refer")
          .order_by(CaseEvent.id.desc()).first())
    return None if ev is None else _data(ev) | {"at": ev.at, "event_id": ev.id}


def reply_effect(case: Case, _values: dict) -> dict:
    """What `referral_reply` changes: an LAO's reply puts the case back to "received" there."""
    last = last_referral(case.id) or {}
    kept = {"answers": last.get("refer_to", ""), "refer_to_name": last.get("refer_to_name", ""),
            "refer_to_name_en": last.get("refer_to_name_en", "")}
    if str(last.get("refer_to", "")).startswith("lao:"):
        return {Case.status: "received", **kept}
    return kept


def due_of(data: dict) -> date | None:
    try:
        return date.fromisoformat(str(data.get("reply_due", "")))
    except ValueError:
        return None


def awaiting(today: date | None = None, among: list[int] | None = None) -> dict[int, tuple[date | None, bool]]:
    """Every case waiting for a referral's reply (or those of `among`): case id → (the reply's
    due date, overdue?)."""
    today = today or now_bangkok().date()
    waiting = Case.select(Case.id).where(Case.status == AWAITING)
    if among is not None:
        waiting = waiting.where(Case.id.in_(among))
    ids = [c for (c,) in waiting.tuples()]
    out: dict[int, tuple[date | None, bool]] = {}
    if not ids:
        return out
    latest: dict[int, CaseEvent] = {}
    for ev in (CaseEvent.select().where(CaseEvent.case.in_(ids), CaseEvent.action == "refer")
               .order_by(CaseEvent.id)):
        latest[ev.case_id] = ev
    for case_id in ids:
        due = due_of(_data(latest[case_id])) if case_id in latest else None
        out[case_id] = (due, due is not None and due < today)
    return out


def overdue_ids(today: date | None = None) -> list[int]:
    """The cases whose referral's reply is overdue (due date passed, no reply recorded)."""
    return sorted(cid for cid, (_due, late) in awaiting(today).items() if late)
