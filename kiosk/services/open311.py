"""Open311 GeoReport v2, the services behind /open311/v2/ (kiosk.web.open311 is the HTTP layer):
who reads (Audience), paging, the list and one request, and filing a request from another
channel. Cases are read through kiosk.services.public_case, so only the public columns leave;
a status's Open311 value ("open"/"closed") is the `open311` column of its status row."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta

from db.connection import write_transaction
from db.models import Case, Category, Status
from db.reference import NON_PUBLIC

from ..errors import PermissionDenied, ValidationError
from ..text import clean_text
from ..thai.dates import BANGKOK
from ..thai.digits import to_arabic_digits
from ..thai.names import normalize_name
from . import audit
from .cases import CaseData, CreatedCase, create_case
from .people import PersonData
from .public_case import PublicCase, by_ticket_no, cases_query, from_row, normalise_ticket, not_found

MAX_DAYS = 90
MAX_RESULTS = 1000  # the furthest a search can be paged
PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
MAX_IDS = 100


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
    size: int = PAGE_SIZE

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def limit(self) -> int:
        return min(self.size, MAX_RESULTS - self.offset)


def parse_page(page: str | None, page_size: str | None) -> Page:
    """Open311 paging: `page` from 1, `page_size` 1-100 (default 50). A page past the first 1000
    requests of a search is refused: narrow the dates instead."""
    numbers = []
    for text, field, default, top in ((page, "page", 1, MAX_RESULTS),
                                      (page_size, "page_size", PAGE_SIZE, MAX_PAGE_SIZE)):
        raw = to_arabic_digits(text or "").strip()
        if not raw:
            numbers.append(default)
            continue
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 6 and 1 <= int(raw) <= top):
            raise ValidationError(f"open311.{field}", f"1-{top}", field=field, top=top)
        numbers.append(int(raw))
    found = Page(*numbers)
    if found.offset >= MAX_RESULTS:
        raise ValidationError("open311.page_beyond", "narrow the dates", field="page", most=MAX_RESULTS)
    return found


def services() -> list[tuple[str, str]]:
    """(service_code, area key) for every active sub-type, in catalogue order."""
    rows = (Category.select(Category.key, Category.parent).where(Category.parent.is_null(False), Category.active)
            .order_by(Category.sort_order).tuples())
    return [(key, parent) for key, parent in rows]


def parse_datetime(text: str, field: str) -> datetime:
    """ISO 8601 (a date, or a datetime with or without zone; no zone means Bangkok) → naive UTC.
    A moment that has no UTC form (year 1 or 9999 near midnight) is a format error too."""
    try:
        value = datetime.fromisoformat(text.strip())
        if value.tzinfo is None:
            value = value.replace(tzinfo=BANGKOK)
        return value.astimezone(UTC).replace(tzinfo=None)
    except (ValueError, OverflowError):
        raise ValidationError("open311.date_format", "ISO 8601 expected", field=field) from None


def list_requests(*, status: str | None = None, service_codes: tuple[str, ...] = (), start: datetime | None = None,
                     end: datetime | None = None, ids: tuple[str, ...] = (), now: datetime | None = None,
                     audience: Audience = PUBLIC, offset: int = 0, limit: int = MAX_RESULTS) -> list[PublicCase]:
    """Requests for Open311 GET requests, newest first, `limit` of them from `offset`. Asked by
    id (service_request_id, the ticket number; at most 100), exactly those: as GeoReport v2
    says, ids override every other argument, so a ticket older than any window is still found.
    Otherwise within a window of at most 90 days (default: the last 90 days), whole Bangkok days
    for the public. Never a case the audience may not see. Without timelines: notes are for the
    citizen's own page, not for a list anyone can read."""
    if status not in (None, "open", "closed"):
        raise ValidationError("open311.status_value", "open or closed", field="status")
    if len(ids) > MAX_IDS:
        raise ValidationError("open311.too_many_ids", "at most 100", field="service_request_id", most=MAX_IDS)
    if ids:
        query = cases_query().where(Case.ticket_no.in_(list(ids)))
    else:
        start, end = _window(start, end, now or datetime.now(UTC).replace(tzinfo=None))
        if audience.whole_days:
            start, end = _whole_days(start, end)
            query = cases_query().where(Case.created_at >= start, Case.created_at < end)
        else:
            query = cases_query().where(Case.created_at >= start, Case.created_at <= end)
        if status:
            query = query.where(Status.open311 == status)
        if service_codes:
            query = query.where(Case.category.in_(list(service_codes)))
    if audience.hidden:
        query = query.where(Case.category.not_in(sorted(audience.hidden)))
    offset, limit = max(0, offset), max(0, min(limit, MAX_RESULTS + 1 - offset))
    rows = list(query.order_by(Case.created_at.desc(), Case.id.desc()).offset(offset).limit(limit)) if limit else []
    return [_for(audience, from_row(r)) for r in rows]


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
    if start and end and end - start > timedelta(days=MAX_DAYS):
        raise ValidationError("open311.date_range", "at most 90 days", field="end_date", days=MAX_DAYS)
    span = timedelta(days=MAX_DAYS)
    try:
        start = start or (end or now) - span
        return start, end or start + span
    except OverflowError:
        raise ValidationError("open311.date_format", "date out of range",
                              field="end_date" if end is None else "start_date") from None


def one_request(ticket: str, audience: Audience = PUBLIC) -> PublicCase:
    """One request by its service_request_id (the ticket number), with its public timeline. A
    case the audience may not see is not found, exactly like a ticket that does not exist."""
    try:
        ticket_no = normalise_ticket(ticket)
    except ValidationError:
        raise not_found() from None
    case = by_ticket_no(ticket_no)
    if case.category in audience.hidden:
        raise not_found()
    return _for(audience, case)


def check_api_key(key: str, allowed: tuple[str, ...]) -> None:
    if not key or not any(secrets.compare_digest(key.encode(), k.encode()) for k in allowed):
        raise PermissionDenied("open311.api_key", "a valid api_key is required")


@dataclass(frozen=True)
class NewRequest:
    """The GeoReport v2 POST fields we keep (email, address_id and media are not kept)."""

    service_code: str
    description: str = ""
    lat: float | None = None
    long: float | None = None
    address_string: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""


def create_request(org_prefix: str, post: NewRequest, client: str = "") -> CreatedCase:
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
