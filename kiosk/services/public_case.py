"""The public view of a case, as a citizen may see it on the kiosk's track screen or the status
web page: the one lookup both use (a receipt's token or link, the short code, or the ticket + the
last four phone digits) and the one presentation both draw (`present`: label/value lines and the
timeline, in the reader's language, catalogue keys `public_case.*`).

Only ticket, category key, status key and kind, and the public timeline (time, status, public
note) ever leave here: queries select those columns and nothing else, so an internal note or a
person's data cannot slip into a page by accident. Open311 (kiosk.services.open311) reads cases
through the same queries."""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from peewee import JOIN, SQL

from db.models import Case, CaseEvent, Category, Organization, Person, Status, database

from ..config import Settings
from ..errors import NotFound, ValidationError
from ..i18n import translate
from ..text import clean_text
from ..thai.dates import format_be_datetime
from ..thai.digits import to_arabic_digits
from ..tickets import TicketRef, parse_ticket
from .cases import SHORT_ALPHABET, ticket_condition

TOKEN = re.compile(r"[A-Za-z0-9_-]{8,64}")


@dataclass(frozen=True)
class PublicEvent:
    at: datetime  # naive UTC
    status: str | None  # the status entered at this step, if it changed
    note: str  # the public note ("" when none)
    referred_to: tuple[str, str] | None = None  # a referral step: the LAO/agency (Thai, English names)


@dataclass(frozen=True)
class PublicCase:
    ticket_no: str
    category: str  # sub-type key
    area: str  # its parent's key
    status: str
    status_kind: str  # open / closed / helped
    open311: str  # open / closed
    agency_prefix: str
    created_at: datetime
    updated_at: datetime
    events: tuple[PublicEvent, ...] = ()


def not_found() -> NotFound:
    """What every failed lookup says, whatever the reason, so nothing can be probed."""
    return NotFound("public_case.not_found", "no such case")


# -- the receipt's link -------------------------------------------------------------------------

def tracking_url(settings: Settings, token: str) -> str:
    """The link in the receipt's QR code: the status page of its case."""
    return f"{settings.public_base_url}/t/{token}"


def token_from_url(text: str) -> str | None:
    """The token in a scanned receipt link ".../t/<token>", or None."""
    m = re.search(r"/t/([A-Za-z0-9_-]{8,64})/?$", text.strip())
    return m[1] if m else None


# -- queries ------------------------------------------------------------------------------------

def cases_query():
    """Cases with only their public columns (never person, description or notes)."""
    return (Case.select(Case.id, Case.ticket_no, Case.created_at, Case.updated_at,
                        Category.key, Category.parent, Status.key, Status.kind, Status.open311, Organization.ticket_prefix)
            .join(Status).switch(Case).join(Category).switch(Case).join(Organization))


def from_row(case: Case) -> PublicCase:
    """A row of `cases_query()` as a PublicCase, without its timeline."""
    category = case.category
    return PublicCase(case.ticket_no, category.key, category.parent_id or category.key,
                      case.status.key, case.status.kind, case.status.open311, case.organization.ticket_prefix,
                      case.created_at, case.updated_at)


# The page behind a QR is the hot path: peewee spends most of a lookup building SQL text, so the
# lookup query is built once per database type and then run with parameters only. One query
# brings the case and its public timeline (a LEFT JOIN: a case without steps gives one row).
_SQL: dict[tuple, str] = {}
_LOOKUP_BY = {"token": Case.token, "ticket": Case.ticket_no, "short_code": Case.short_code, "id": Case.id}


def _sql(name: str, build) -> str:
    key = (name, type(database.obj))  # placeholders differ between SQLite and PostgreSQL
    if key not in _SQL:
        _SQL[key] = build().sql()[0]
    return _SQL[key]


def _moved():
    """A step that changed the status. Steps that keep it are written with to_status NULL; older
    rows wrote the unchanged status into both columns."""
    return CaseEvent.to_status.is_null(False) & (CaseEvent.from_status.is_null()
                                                 | (CaseEvent.from_status != CaseEvent.to_status))


def _entered(from_status: str | None, to_status: str | None) -> str | None:
    return to_status if to_status != from_status else None


def _with_timeline(by: str, value: object):
    """The case (public columns) LEFT JOIN its public steps, oldest first. Its parameters are
    ("", value): the ON clause's empty note, then the lookup value."""
    public_step = (CaseEvent.case == Case.id) & (_moved() | (CaseEvent.public_note != "")
                                                  | (CaseEvent.action == SQL("'refer'")))  # no parameter
    return (Case.select(Case.id, Case.ticket_no, Case.created_at, Case.updated_at, Category.key, Category.parent,
                        Status.key, Status.kind, Status.open311, Organization.ticket_prefix,
                        CaseEvent.at, CaseEvent.from_status, CaseEvent.to_status, CaseEvent.public_note,
                        CaseEvent.id, CaseEvent.action)
            .join(Status).switch(Case).join(Category).switch(Case).join(Organization).switch(Case)
            .join(CaseEvent, JOIN.LEFT_OUTER, on=public_step)
            .where(_LOOKUP_BY[by] == value).order_by(CaseEvent.at, CaseEvent.id))


def _datetime(value):
    """A stored timestamp: PostgreSQL gives datetimes, SQLite ISO text (fromisoformat is what
    peewee's format list amounts to for the values utcnow() writes, at a tenth of the cost)."""
    return value if value is None or isinstance(value, datetime) else datetime.fromisoformat(value)


def _one(by: str, value: object) -> PublicCase:
    sql = _sql(f"case_by_{by}", lambda: _with_timeline(by, value))
    rows = database.execute_sql(sql, ("", value)).fetchall()
    if not rows:
        raise not_found()
    _id, ticket, created, updated, category, area, status, kind, open311, prefix = rows[0][:10]
    names = _referred_to([ev for *_c, ev, action in rows if action == "refer"])
    events = tuple(PublicEvent(_datetime(at), _entered(from_status, to_status), note or "", names.get(ev))
                   for *_case, at, from_status, to_status, note, ev, _action in rows if at is not None)
    return PublicCase(ticket, category, area or category, status, kind, open311, prefix, _datetime(created),
                      _datetime(updated), events)


def _referred_to(event_ids: list[int]) -> dict[int, tuple[str, str]]:
    """The public names a referral step kept (the reason and any other step data stay inside)."""
    if not event_ids:
        return {}
    out = {}
    for ev_id, data in CaseEvent.select(CaseEvent.id, CaseEvent.data).where(CaseEvent.id.in_(event_ids)).tuples():
        try:
            kept = json.loads(data or "{}")
        except ValueError:
            kept = {}
        if isinstance(kept, dict) and kept.get("refer_to_name"):
            out[ev_id] = (str(kept["refer_to_name"]), str(kept.get("refer_to_name_en") or ""))
    return out


# -- what a citizen types -------------------------------------------------------------------------

def ticket_ref(text: str) -> TicketRef:
    """A ticket as typed, in any of its forms (kiosk.tickets), or a ValidationError."""
    ref = parse_ticket(text)
    if ref is None:
        raise ValidationError("public_case.ticket_format", "like WPK-69-00123", field="ticket")
    return ref


def normalise_ticket(text: str) -> str:
    """"wpk 69 123", "WPK6900123", Thai digits → "WPK-69-00123" (the LAO's letters needed)."""
    ref = ticket_ref(text)
    if not ref.prefix:
        raise ValidationError("public_case.ticket_format", "like WPK-69-00123", field="ticket")
    return ref.ticket_no()


def parse_last4(text: str) -> str:
    digits = to_arabic_digits(text or "").strip()
    if not re.fullmatch(r"[0-9]{4}", digits):
        raise ValidationError("public_case.last4_format", "four digits", field="last4")
    return digits


def normalise_short_code(text: str) -> str:
    """Crockford base32 as typed: case-insensitive, O→0, I/L→1, hyphens and spaces ignored."""
    raw = re.sub(r"[\s-]", "", to_arabic_digits(text or "")).upper().translate(str.maketrans("OIL", "011"))
    if not (len(raw) == 8 and all(c in SHORT_ALPHABET for c in raw)):
        raise ValidationError("public_case.short_code_format", "8 letters and digits", field="short_code")
    return raw


def looks_like_short_code(text: str) -> bool:
    try:
        normalise_short_code(text)
    except ValidationError:
        return False
    return parse_ticket(text) is None


def needs_last4(typed: str) -> bool:
    """Whether what was typed in the first box (a ticket number, a short code, a receipt link)
    needs the last four phone digits too: only a ticket number does."""
    return not (token_from_url(typed) or looks_like_short_code(typed))


# -- lookups ---------------------------------------------------------------------------------------

def by_token(token: str) -> PublicCase:
    """The case behind a receipt's QR link. Anything unknown or malformed: the same NotFound."""
    if not TOKEN.fullmatch(token or ""):
        raise not_found()
    return _one("token", token)


def by_ticket(ticket: str, last4: str) -> PublicCase:
    """Ticket number + the last four digits of the requester's (or subject's) phone. A wrong
    phone and an unknown ticket give the same answer, so nothing can be probed."""
    ref, digits = ticket_ref(ticket), parse_last4(last4)
    # typed without the LAO's letters, the same year and number may be at every LAO of a joint
    # centre (150 in a province): the phone digits say which, all candidates read in one query
    person = (Person.id == Case.requester) | (Person.id == Case.subject)
    candidates = Case.select(Case.id, Person.phone).join(Person, on=person).where(ticket_condition(ref)).tuples()
    for case_id, phone in candidates:
        if phone and secrets.compare_digest(phone[-4:], digits):
            return _one("id", case_id)
    raise not_found()


def by_short_code(code: str) -> PublicCase:
    return _one("short_code", normalise_short_code(code))


def by_ticket_no(ticket_no: str) -> PublicCase:
    """The case by its normalised ticket number alone, with its timeline: for Open311, whose
    request ids are ticket numbers and which decides itself who may see which case. A citizen's
    lookup goes through `lookup`, which asks for the phone digits."""
    return _one("ticket", ticket_no)


def lookup(*, token: str = "", typed: str = "", last4: str = "") -> PublicCase:
    """The citizen's one lookup: a receipt's `token`, or what they `typed` in the first box (a
    scanned receipt link, the short code alone, or a ticket number with `last4`)."""
    token = token or token_from_url(typed) or ""
    if token:
        return by_token(token)
    if not last4.strip() and looks_like_short_code(typed):
        return by_short_code(typed)
    return by_ticket(typed, last4)


# -- presentation ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Line:
    """One line of the public view: `name` says what it is (ticket, category, status, explain,
    next, timeline) for the front end's styling; `label` is "" where the value reads alone, and
    `value` "" for the timeline, whose steps follow."""

    name: str
    label: str
    value: str


@dataclass(frozen=True)
class Step:
    """One step of the public timeline, newest first in `Presented.steps`."""

    at: datetime  # naive UTC (for a machine-readable time)
    when: str  # Buddhist-Era date and time in the reader's language
    status: str  # the status entered, in words ("" when the step kept it)
    note: str  # the public note ("" when none)


@dataclass(frozen=True)
class Presented:
    """A public case as the citizen reads it, in one language."""

    ticket_no: str
    status_kind: str  # open / closed / helped: how the status line is coloured
    lines: tuple[Line, ...]
    steps: tuple[Step, ...]
    updated: str  # "Last updated …"


def category_label(case: PublicCase, lang: str) -> str:
    """"Area › sub-type", or one label when both read the same (information, complaint)."""
    area, sub = translate(f"category.{case.area}", lang), translate(f"category.{case.category}", lang)
    return sub if area == sub else f"{area} › {sub}"


def _step_status(e: PublicEvent, lang: str) -> str:
    """The status a step entered, in words; a referral names where it went ("ส่งต่อ … แล้ว")."""
    if e.referred_to is not None:
        th, en = e.referred_to
        return translate("public_case.referred_to", lang, to=clean_text((en if lang == "en" else "") or th))
    return translate(f"status.{e.status}", lang) if e.status else ""


def present(case: PublicCase, lang: str, handled_by: str = "") -> Presented:
    """The lines both the track screen and the status page show: ticket, category, status in
    plain words with what it means and what happens next, then the timeline of public notes.
    `handled_by`: in a joint centre, the LAO that holds the case now, with its contacts
    (kiosk.services.centre.lao_contact)."""

    style = "long" if lang == "th" else "short"
    lines = (Line("ticket", translate("public_case.ticket", lang), case.ticket_no),
             Line("category", translate("public_case.category", lang), category_label(case, lang)),
             Line("status", translate("public_case.status_now", lang), translate(f"status.{case.status}", lang)),
             Line("explain", "", translate(f"public_case.explain_{case.status}", lang)),
             Line("next", translate("public_case.next", lang), translate(f"public_case.next_{case.status}", lang)),
             *((Line("lao", translate("public_case.handled_by", lang), handled_by),) if handled_by else ()),
             Line("timeline", translate("public_case.timeline", lang), ""))
    steps = tuple(Step(e.at, format_be_datetime(e.at, style), _step_status(e, lang), clean_text(e.note, multiline=True))
                  for e in reversed(case.events))
    return Presented(case.ticket_no, case.status_kind, lines, steps,
                     translate("public_case.updated", lang, at=format_be_datetime(case.updated_at, style)))
