"""The public view of a case: what a citizen (status page, kiosk track screen) or another system
(Open311) may see. Only ticket, category key, status key and kind, and the public timeline
(time, status, public note) ever leave here: queries select those columns and nothing else, so an
internal note or a person's data cannot slip into a page by accident."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta

from peewee import JOIN

from db.connection import write_transaction
from db.models import Case, CaseEvent, Category, Organization, Person, Status, database
from db.reference import NON_PUBLIC

from ..errors import NotFound, PermissionDenied, ValidationError
from ..i18n import translate
from ..text import clean_text
from ..thai.dates import BANGKOK
from ..thai.digits import to_arabic_digits
from ..thai.names import normalize_name
from . import audit
from .cases import SHORT_ALPHABET, CaseData, CreatedCase, create_case
from .people import PersonData

TOKEN = re.compile(r"[A-Za-z0-9_-]{8,64}")
TICKET = re.compile(r"([A-Z]{2,5})-?([0-9]{2})-?([0-9]{1,5})")
OPEN311_MAX_DAYS = 90
OPEN311_MAX_RESULTS = 1000  # the furthest a search can be paged
OPEN311_PAGE_SIZE = 50
OPEN311_MAX_PAGE_SIZE = 100
OPEN311_MAX_IDS = 100


@dataclass(frozen=True)
class PublicEvent:
    at: datetime  # naive UTC
    status: str | None  # the status entered at this step, if it changed
    note: str  # the public note ("" when none)


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


def category_label(case: PublicCase, lang: str) -> str:
    """"Area › sub-type", or one label when both read the same (information, complaint)."""
    area, sub = translate(f"category.{case.area}", lang), translate(f"category.{case.category}", lang)
    return sub if area == sub else f"{area} › {sub}"


def _not_found() -> NotFound:
    return NotFound("track.not_found", "no such case")


def _cases():
    """Cases with only their public columns (never person, description or notes)."""
    return (Case.select(Case.id, Case.ticket_no, Case.created_at, Case.updated_at,
                        Category.key, Category.parent, Status.key, Status.kind, Status.open311, Organization.ticket_prefix)
            .join(Status).switch(Case).join(Category).switch(Case).join(Organization))


def _public(case: Case, events: tuple[PublicEvent, ...] = ()) -> PublicCase:
    category = case.category
    return PublicCase(case.ticket_no, category.key, category.parent_id or category.key,
                      case.status.key, case.status.kind, case.status.open311, case.organization.ticket_prefix,
                      case.created_at, case.updated_at, events)


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
    public_step = (CaseEvent.case == Case.id) & (_moved() | (CaseEvent.public_note != ""))
    return (Case.select(Case.id, Case.ticket_no, Case.created_at, Case.updated_at, Category.key, Category.parent,
                        Status.key, Status.kind, Status.open311, Organization.ticket_prefix,
                        CaseEvent.at, CaseEvent.from_status, CaseEvent.to_status, CaseEvent.public_note)
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
        raise _not_found()
    _id, ticket, created, updated, category, area, status, kind, open311, prefix = rows[0][:10]
    events = tuple(PublicEvent(_datetime(at), _entered(from_status, to_status), note or "")
                   for *_case, at, from_status, to_status, note in rows if at is not None)
    return PublicCase(ticket, category, area or category, status, kind, open311, prefix, _datetime(created),
                      _datetime(updated), events)


def by_token(token: str) -> PublicCase:
    """The case behind a receipt's QR link. Anything unknown or malformed: the same NotFound."""
    if not TOKEN.fullmatch(token or ""):
        raise _not_found()
    return _one("token", token)


def normalise_ticket(text: str) -> str:
    """"wpk 69 123", "WPK-69-00123", Thai digits → "WPK-69-00123"."""
    raw = re.sub(r"[\s]", "", to_arabic_digits(text or "")).upper()
    m = TICKET.fullmatch(raw)
    if not m:
        raise ValidationError("track.ticket_format", "like WPK-69-00123", field="ticket")
    return f"{m[1]}-{m[2]}-{int(m[3]):05d}"


def parse_last4(text: str) -> str:
    digits = to_arabic_digits(text or "").strip()
    if not re.fullmatch(r"[0-9]{4}", digits):
        raise ValidationError("track.last4_format", "four digits", field="last4")
    return digits


def by_ticket(ticket: str, last4: str) -> PublicCase:
    """Ticket number + the last four digits of the requester's (or subject's) phone. A wrong
    phone and an unknown ticket give the same answer, so nothing can be probed."""
    ticket_no, digits = normalise_ticket(ticket), parse_last4(last4)
    case = Case.select(Case.id, Case.requester, Case.subject).where(Case.ticket_no == ticket_no).first()
    if case is None:
        raise _not_found()
    ids = [i for i in (case.requester_id, case.subject_id) if i]
    phones = [p for (p,) in Person.select(Person.phone).where(Person.id.in_(ids)).tuples()] if ids else []
    if not any(p and secrets.compare_digest(p[-4:], digits) for p in phones):
        raise _not_found()
    return _one("id", case.id)


def normalise_short_code(text: str) -> str:
    """Crockford base32 as typed: case-insensitive, O→0, I/L→1, hyphens and spaces ignored."""
    raw = re.sub(r"[\s-]", "", to_arabic_digits(text or "")).upper().translate(str.maketrans("OIL", "011"))
    if not (len(raw) == 8 and all(c in SHORT_ALPHABET for c in raw)):
        raise ValidationError("track.short_code_format", "8 letters and digits", field="short_code")
    return raw


def by_short_code(code: str) -> PublicCase:
    return _one("short_code", normalise_short_code(code))


def looks_like_short_code(text: str) -> bool:
    try:
        normalise_short_code(text)
    except ValidationError:
        return False
    return not TICKET.fullmatch(re.sub(r"\s", "", to_arabic_digits(text)).upper())


def token_from_url(text: str) -> str | None:
    """The token in a scanned receipt link ".../t/<token>", or None."""
    m = re.search(r"/t/([A-Za-z0-9_-]{8,64})/?$", text.strip())
    return m[1] if m else None


# -- Open311 GeoReport v2 ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Audience:
    """Who reads the Open311 API. The public (no API key) never sees a case in a `hidden`
    category (a bed-bound patient in a small village is a named person), and sees times only to
    the day (`whole_days`): the exact minute of a visit to the counter identifies people too,
    so a public date filter is widened to whole days as well, or it could find the minute.
    A partner with a key from `[web] api_keys` (a LINE bot, the province) sees everything."""

    hidden: frozenset[str] = NON_PUBLIC
    whole_days: bool = True


PUBLIC = Audience()
PARTNER = Audience(frozenset(), whole_days=False)


def _day_start(moment: datetime) -> datetime:
    """Naive UTC → the start of its Bangkok day, as naive UTC."""
    local = moment.replace(tzinfo=UTC).astimezone(BANGKOK)
    return datetime.combine(local.date(), time(), BANGKOK).astimezone(UTC).replace(tzinfo=None)


def _for(audience: Audience, case: PublicCase) -> PublicCase:
    if not audience.whole_days:
        return case
    return replace(case, created_at=_day_start(case.created_at), updated_at=_day_start(case.updated_at))


@dataclass(frozen=True)
class Page:
    """One page of an Open311 list: `number` from 1, `size` requests."""

    number: int = 1
    size: int = OPEN311_PAGE_SIZE

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def limit(self) -> int:
        return min(self.size, OPEN311_MAX_RESULTS - self.offset)


def parse_page(page: str | None, page_size: str | None) -> Page:
    """Open311 paging: `page` from 1, `page_size` 1-100 (default 50). A page past the first 1000
    requests of a search is refused: narrow the dates instead."""
    numbers = []
    for text, field, default, top in ((page, "page", 1, OPEN311_MAX_RESULTS),
                                      (page_size, "page_size", OPEN311_PAGE_SIZE, OPEN311_MAX_PAGE_SIZE)):
        raw = to_arabic_digits(text or "").strip()
        if not raw:
            numbers.append(default)
            continue
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 6 and 1 <= int(raw) <= top):
            raise ValidationError(f"open311.{field}", f"1-{top}", field=field, top=top)
        numbers.append(int(raw))
    found = Page(*numbers)
    if found.offset >= OPEN311_MAX_RESULTS:
        raise ValidationError("open311.page_beyond", "narrow the dates", field="page", most=OPEN311_MAX_RESULTS)
    return found


def services() -> list[tuple[str, str]]:
    """(service_code, area key) for every active sub-type, in catalogue order."""
    rows = (Category.select(Category.key, Category.parent).where(Category.parent.is_null(False), Category.active)
            .order_by(Category.sort_order).tuples())
    return [(key, parent) for key, parent in rows]


def parse_open311_datetime(text: str, field: str) -> datetime:
    """ISO 8601 (a date, or a datetime with or without zone; no zone means Bangkok) → naive UTC.
    A moment that has no UTC form (year 1 or 9999 near midnight) is a format error too."""
    try:
        value = datetime.fromisoformat(text.strip())
        if value.tzinfo is None:
            value = value.replace(tzinfo=BANGKOK)
        return value.astimezone(UTC).replace(tzinfo=None)
    except (ValueError, OverflowError):
        raise ValidationError("open311.date_format", "ISO 8601 expected", field=field) from None


def open311_requests(*, status: str | None = None, service_codes: tuple[str, ...] = (), start: datetime | None = None,
                     end: datetime | None = None, ids: tuple[str, ...] = (), now: datetime | None = None,
                     audience: Audience = PUBLIC, offset: int = 0, limit: int = OPEN311_MAX_RESULTS) -> list[PublicCase]:
    """Requests for Open311 GET requests, newest first, `limit` of them from `offset`. Asked by
    id (service_request_id, the ticket number; at most 100), exactly those: as GeoReport v2
    says, ids override every other argument, so a ticket older than any window is still found.
    Otherwise within a window of at most 90 days (default: the last 90 days), whole Bangkok days
    for the public. Never a case the audience may not see. Without timelines: notes are for the
    citizen's own page, not for a list anyone can read."""
    if status not in (None, "open", "closed"):
        raise ValidationError("open311.status_value", "open or closed", field="status")
    if len(ids) > OPEN311_MAX_IDS:
        raise ValidationError("open311.too_many_ids", "at most 100", field="service_request_id", most=OPEN311_MAX_IDS)
    if ids:
        query = _cases().where(Case.ticket_no.in_(list(ids)))
    else:
        start, end = _window(start, end, now or datetime.now(UTC).replace(tzinfo=None))
        if audience.whole_days:
            start, end = _whole_days(start, end)
            query = _cases().where(Case.created_at >= start, Case.created_at < end)
        else:
            query = _cases().where(Case.created_at >= start, Case.created_at <= end)
        if status:
            query = query.where(Status.open311 == status)
        if service_codes:
            query = query.where(Case.category.in_(list(service_codes)))
    if audience.hidden:
        query = query.where(Case.category.not_in(sorted(audience.hidden)))
    offset, limit = max(0, offset), max(0, min(limit, OPEN311_MAX_RESULTS + 1 - offset))
    rows = list(query.order_by(Case.created_at.desc(), Case.id.desc()).offset(offset).limit(limit)) if limit else []
    return [_for(audience, _public(r, ())) for r in rows]


def _whole_days(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """[start, end] → [start of start's Bangkok day, start of the day after end's): a public
    filter cannot ask for less than a day."""
    try:
        return _day_start(start), _day_start(end) + timedelta(days=1)
    except OverflowError:
        raise ValidationError("open311.date_format", "date out of range", field="end_date") from None


def _window(start: datetime | None, end: datetime | None, now: datetime) -> tuple[datetime, datetime]:
    """The dates asked for, at most 90 days apart; a missing end is 90 days after the start, a
    missing start 90 days before the end (or now). Near year 1 or 9999 that arithmetic has no
    answer: a date format error, not a crash."""
    if start and end and end < start:
        raise ValidationError("open311.date_order", "end before start", field="end_date")
    if start and end and end - start > timedelta(days=OPEN311_MAX_DAYS):
        raise ValidationError("open311.date_range", "at most 90 days", field="end_date", days=OPEN311_MAX_DAYS)
    span = timedelta(days=OPEN311_MAX_DAYS)
    try:
        start = start or (end or now) - span
        return start, end or start + span
    except OverflowError:
        raise ValidationError("open311.date_format", "date out of range",
                              field="end_date" if end is None else "start_date") from None


def open311_request(ticket: str, audience: Audience = PUBLIC) -> PublicCase:
    """One request by its service_request_id (the ticket number), with its public timeline. A
    case the audience may not see is not found, exactly like a ticket that does not exist."""
    try:
        ticket_no = normalise_ticket(ticket)
    except ValidationError:
        raise _not_found() from None
    case = _one("ticket", ticket_no)
    if case.category in audience.hidden:
        raise _not_found()
    return _for(audience, case)


def check_api_key(key: str, allowed: tuple[str, ...]) -> None:
    if not key or not any(secrets.compare_digest(key.encode(), k.encode()) for k in allowed):
        raise PermissionDenied("open311.api_key", "a valid api_key is required")


@dataclass(frozen=True)
class Open311Post:
    """The GeoReport v2 POST fields we keep (email, address_id and media are not kept)."""

    service_code: str
    description: str = ""
    lat: float | None = None
    long: float | None = None
    address_string: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""


def open311_create(org_prefix: str, post: Open311Post, client: str = "") -> CreatedCase:
    """File a request from another channel (a LINE bot, a web form) through the normal intake."""
    from ..thai.phones import parse_phone

    if not Category.select().where(Category.key == post.service_code, Category.parent.is_null(False),
                                   Category.active).exists():
        raise ValidationError("open311.service_unknown", "unknown service_code", field="service_code")
    if (post.lat is None) != (post.long is None):
        raise ValidationError("open311.location", "lat and long go together", field="lat")
    if post.lat is not None and not (5.0 <= post.lat <= 21.0 and 97.0 <= post.long <= 106.0):
        raise ValidationError("open311.location", "outside Thailand", field="lat")
    description = clean_text(post.description, 4000, multiline=True)
    if not description:
        raise ValidationError("open311.description_required", "description is required", field="description")
    address = clean_text(post.address_string, 500)
    if address:
        description += "\n" + address
    first_name, last_name = normalize_name(post.first_name)[:100], normalize_name(post.last_name)[:100]
    requester = None
    if first_name or post.phone.strip():
        requester = PersonData(first_name=first_name or "-", last_name=last_name,
                               phone=parse_phone(post.phone).e164 if post.phone.strip() else "")
    with write_transaction():  # the case and its audit entry, both or neither
        created = create_case(org_prefix, CaseData(category=post.service_code, channel="open311",
                                                   description=description, latitude=post.lat, longitude=post.long),
                              requester)
        audit.record("open311_create", actor="open311", target_type="case", target_id=created.id, client=client)
    return created
