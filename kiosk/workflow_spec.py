"""The case workflow as data: the statuses, the actions between them, the typed fields each action
asks for and the named effects it has. Everything else is derived from here: db/reference.py seeds
the status rows (kind, Open311 mapping), kiosk.services.workflow checks and performs a step, the
staff screens build the step form and the timeline, and tests/test_i18n.py checks every label.

Adding an action is one `Action` entry below plus its catalogue strings (`catalogue_keys` lists
them). Pure data: no database, no Textual, cheap to import (a base module any layer may read)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Status:
    """A case status. `kind` groups it for reports (open, closed, helped): every kind but "open"
    has ended. `open311` is what the Open311 API shows (open or closed)."""

    key: str
    kind: str
    open311: str

    @property
    def ended(self) -> bool:
        return self.kind != "open"


STATUSES: dict[str, Status] = {s.key: s for s in (
    Status("received", "open", "open"),
    Status("more_info", "open", "open"),
    Status("field_check", "open", "open"),
    Status("awaiting_committee", "open", "open"),
    Status("approved", "open", "open"),
    Status("awaiting_reply", "open", "open"),  # referred out: waiting for the agency's/LAO's reply
    Status("not_approved", "closed", "closed"),
    Status("helped", "helped", "closed"),
    Status("closed", "closed", "closed"),
    Status("referred", "closed", "closed"),
    Status("withdrawn", "closed", "closed"),
    Status("duplicate", "closed", "closed"),
)}
OPEN = tuple(k for k, s in STATUSES.items() if not s.ended)
ENDED = tuple(k for k, s in STATUSES.items() if s.ended)

# What a field holds; each kind has one validator (kiosk.services.workflow.VALIDATORS) and one
# widget (screens/case_action.py). The message shown when a required value is missing or wrong:
KIND_ERRORS: dict[str, str] = {
    "text": "workflow.{name}_required",  # one line, cleaned of control characters
    "thai_text": "workflow.{name}_required",  # the same, typed with the Thai-aware input
    "date": "workflow.date_required",  # a date typed dd/mm/yyyy BE
    "amount": "workflow.amount_required",  # baht, parsed by workflow.parse_amount
    "staff": "workflow.{name}_invalid",  # an active officer (chosen from a list)
    "case_ref": "workflow.{name}_invalid",  # the ticket number of another case
    "referral_target": "workflow.{name}_invalid",  # "lao:<prefix>" (another member LAO) or "agency:<key>"
    "due_date": "workflow.due_date_required",  # a date typed dd/mm/yyyy BE, today or later, ≤ 1 year
}


@dataclass(frozen=True)
class Field:
    """One value a step asks for; its label is `workflow.<name>`, its value is stored under
    `name` in the timeline event."""

    name: str
    kind: str
    required: bool = True
    max_length: int = 200
    in_any_of: bool = True  # False: given alone, it does not meet the action's `any_of`

    @property
    def error_key(self) -> str:
        return KIND_ERRORS[self.kind].format(name=self.name)

    @property
    def labels(self) -> tuple[str, ...]:
        """Its catalogue keys: the label, and the message unless it can never be shown (an
        optional field is never missing; a wrong staff member or ticket is wrong either way)."""
        shown = self.required or not self.error_key.endswith("_required")
        return (f"workflow.{self.name}", self.error_key) if shown else (f"workflow.{self.name}",)


@dataclass(frozen=True)
class Action:
    """One kind of step, labelled `workflow.<key>`. `to` None keeps the status. `notes` says which
    notes are required: "public", "internal", "any" (at least one of the two) or "none".
    `any_of` names a group: at least one of the optional fields must be given, else the message
    `workflow.<any_of>_required`. `effects` name hooks (kiosk.services.workflow.EFFECTS) that
    change the case beyond its status. `capped`: the regulation's aid limits apply to the help it
    records (kiosk.services.aid_limits); over them, it takes a supervisor and `over_limit_reason`."""

    key: str
    role: str
    sources: tuple[str, ...]
    to: str | None
    fields: tuple[Field, ...] = ()
    notes: str = "any"
    any_of: str = ""
    effects: tuple[str, ...] = ()
    capped: bool = False


_MEETING = (Field("meeting_no", "text", max_length=40), Field("meeting_date", "date"))

ACTIONS: dict[str, Action] = {a.key: a for a in (
    Action("assign", "officer", OPEN, None, (Field("assignee", "staff"),), notes="none", effects=("assign_to",)),
    Action("send_field", "officer", ("received", "more_info"), "field_check", (Field("team", "thai_text"),),
           notes="none"),
    Action("ask_info", "officer", ("received", "field_check", "awaiting_committee"), "more_info", notes="public"),
    Action("info_received", "officer", ("more_info",), "received"),
    Action("record_field_check", "officer", ("field_check",), "awaiting_committee", (Field("visited_on", "date"),),
           notes="internal"),
    Action("approve", "supervisor", ("awaiting_committee",), "approved",
           (*_MEETING, Field("approved_amount", "amount", required=False)), notes="public"),
    Action("not_approve", "supervisor", ("awaiting_committee",), "not_approved", _MEETING, notes="public"),
    Action("deliver", "officer", ("approved",), "helped",
           (Field("amount", "amount", required=False), Field("items", "thai_text", required=False, max_length=500),
            Field("over_limit_reason", "thai_text", required=False, max_length=500, in_any_of=False)),
           notes="public", any_of="help", capped=True),
    # Referral (kiosk.services.referral): to another member LAO (the case moves there, its ticket stays)
    # or out to an agency; both wait in "awaiting_reply" until the reply is recorded. The reply to an
    # agency's referral ends the case as "referred"; an LAO's reply (it takes the case on) puts it
    # back to "received" at that LAO (the effect overrides `to`). The reason stays internal.
    Action("refer", "officer", tuple(s for s in OPEN if s != "awaiting_reply"), "awaiting_reply",
           (Field("refer_to", "referral_target", max_length=40), Field("reason", "thai_text", max_length=500),
            Field("reply_due", "due_date")), notes="none", effects=("refer",)),
    Action("referral_reply", "officer", ("awaiting_reply",), "referred",
           (Field("reply", "thai_text", max_length=1000),), notes="none", effects=("referral_reply",)),
    Action("mark_duplicate", "officer", OPEN, "duplicate", (Field("duplicate_of", "case_ref", max_length=20),),
           notes="none", effects=("link_duplicate",)),
    Action("withdraw", "officer", OPEN, "withdrawn", notes="any"),
    Action("close", "officer", OPEN + ("helped", "not_approved"), "closed", notes="public"),
    Action("reopen", "supervisor", ENDED, "received", notes="internal"),
    Action("note", "officer", OPEN + ENDED, None, notes="any"),
)}

# Timeline events written outside an action: the request itself, and the demo's status changes.
EVENTS = ("create", "status")


def catalogue_keys() -> set[str]:
    """Every catalogue key the workflow is shown with: status, action and event labels, field
    labels and the messages for a missing or wrong value."""
    keys = {f"status.{s}" for s in STATUSES} | {f"workflow.{e}" for e in EVENTS}
    for action in ACTIONS.values():
        keys.add(f"workflow.{action.key}")
        keys.update(k for f in action.fields for k in f.labels)
        if action.any_of:
            keys.add(f"workflow.{action.any_of}_required")
    return keys
