"""Public announcements (ประกาศ): staff write, schedule, pin and retire them; the counter, the
info screen and the web show the current ones. Officers and above may change them; every change
is audited. Times are naive UTC like the rest of the core."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time

from db.connection import write_transaction
from db.models import Announcement, Organization, utcnow

from ..errors import NotFound, ValidationError
from ..text import clean_text
from ..thai.dates import BANGKOK, parse_be_date
from ..thai.digits import to_arabic_digits
from . import audit, scope
from .staff import Actor, require

ROLE = "officer"
TITLE_MAX, BODY_MAX = 200, 4000
_TIME = re.compile(r"([01]?[0-9]|2[0-3])[:.]([0-5][0-9])")


@dataclass(frozen=True)
class AnnouncementView:
    """An announcement as screens and pages see it (no model to save by accident)."""

    id: int
    title: str
    body: str
    starts_at: datetime
    ends_at: datetime | None
    pinned: bool
    retired: bool
    organization_id: int | None
    lao_prefix: str = ""  # its LAO's ticket prefix ("" = the whole centre), where the list says it

    def state(self, now: datetime | None = None) -> str:
        """retired, scheduled, expired or current — a key under `announce.state_`."""
        now = now or utcnow()
        if self.retired:
            return "retired"
        if self.starts_at > now:
            return "scheduled"
        if self.ends_at is not None and self.ends_at <= now:
            return "expired"
        return "current"


def _view(row: Announcement) -> AnnouncementView:
    # Cleaned on the way out too: rows written by other tools must not reach a terminal raw.
    return AnnouncementView(row.id, clean_text(row.title, multiline=False), clean_text(row.body_md, multiline=True), row.starts_at, row.ends_at, row.pinned, row.retired,
                            row.organization_id)


def _validated(title: str, body: str, starts_at: datetime, ends_at: datetime | None) -> tuple[str, str]:
    title, body = clean_text(title, multiline=False), clean_text(body, multiline=True)
    if not title:
        raise ValidationError("announce.title_required", "a title is required", field="title")
    if len(title) > TITLE_MAX:
        raise ValidationError("announce.title_long", f"at most {TITLE_MAX} characters", field="title", max=TITLE_MAX)
    if len(body) > BODY_MAX:
        raise ValidationError("announce.body_long", f"at most {BODY_MAX} characters", field="body", max=BODY_MAX)
    if ends_at is not None and ends_at <= starts_at:
        raise ValidationError("announce.ends_before_start", "the end must be after the start", field="ends_at")
    return title, body


def parse_when(text: str, *, field: str = "starts_at", today=None) -> datetime | None:
    """"dd/mm/2569" or "dd/mm/2569 14:30" in Bangkok time (Thai digits fine) → naive UTC;
    empty → None. A date alone means the start of that day."""
    raw = to_arabic_digits(text).strip()
    if not raw:
        return None
    date_part, _, time_part = raw.partition(" ")
    day = parse_be_date(date_part, today=today, field=field)
    clock = time(0, 0)
    if time_part.strip():
        m = _TIME.fullmatch(time_part.strip())
        if not m:
            raise ValidationError("announce.time_format", "time like 14:30", field=field)
        clock = time(int(m[1]), int(m[2]))
    return datetime.combine(day, clock, BANGKOK).astimezone(UTC).replace(tzinfo=None)


def create(actor: Actor, title: str, body: str = "", *, starts_at: datetime | None = None,
           ends_at: datetime | None = None, pinned: bool = False, organization_id: int | None = None) -> AnnouncementView:
    """Publish (or schedule, with a future `starts_at`) an announcement: under the officer's LAO,
    or (staff of the whole centre) under `organization_id`, none meaning the whole centre."""
    require(actor, ROLE)
    organization_id = scope.announcement_org(actor, organization_id)
    starts_at = starts_at or utcnow()
    title, body = _validated(title, body, starts_at, ends_at)
    with write_transaction():
        row = Announcement.create(title=title, body_md=body, starts_at=starts_at, ends_at=ends_at, pinned=pinned,
                                  created_by=actor.id, organization=organization_id)
        audit.record("announcement_create", actor=actor.username, target_type="announcement", target_id=row.id,
                     detail=title, client=actor.client)
    return _view(row)


def _row(announcement_id: int, actor: Actor | None = None) -> Announcement:
    """The announcement, if the actor manages it (services/scope.py); else not found."""
    row = Announcement.get_or_none(Announcement.id == announcement_id, scope.announcements_visible(actor))
    if row is None:
        raise NotFound("announce.not_found", f"no announcement {announcement_id}")
    return row


def get(announcement_id: int, actor: Actor | None = None) -> AnnouncementView:
    return _view(_row(announcement_id, actor))


def edit(actor: Actor, announcement_id: int, *, title: str, body: str, starts_at: datetime,
         ends_at: datetime | None) -> AnnouncementView:
    """Change the text and the schedule."""
    require(actor, ROLE)
    row = _row(announcement_id, actor)
    title, body = _validated(title, body, starts_at, ends_at)
    return _change(actor, row, "announcement_edit", title, title=title, body_md=body, starts_at=starts_at,
                   ends_at=ends_at)


def set_pinned(actor: Actor, announcement_id: int, pinned: bool = True) -> AnnouncementView:
    """Pinned announcements come first everywhere."""
    require(actor, ROLE)
    return _change(actor, _row(announcement_id, actor), "announcement_pin" if pinned else "announcement_unpin",
                   pinned=pinned)


def retire(actor: Actor, announcement_id: int) -> AnnouncementView:
    """Take an announcement down for good (kept for the record, never shown again)."""
    require(actor, ROLE)
    return _change(actor, _row(announcement_id, actor), "announcement_retire", retired=True, pinned=False)


def _change(actor: Actor, row: Announcement, action: str, detail: str = "", **values) -> AnnouncementView:
    """Update one announcement and audit it, both or neither."""
    with write_transaction():
        Announcement.update(**values, updated_at=utcnow()).where(Announcement.id == row.id).execute()
        audit.record(action, actor=actor.username, target_type="announcement", target_id=row.id, detail=detail,
                     client=actor.client)
    return get(row.id)


def _order():
    return (Announcement.pinned.desc(), Announcement.starts_at.desc(), Announcement.id.desc())


def current(now: datetime | None = None, limit: int | None = None, *,
            organization_id: int | None = None) -> list[AnnouncementView]:
    """What the public sees at `now` (naive UTC): not retired, started, not ended; pinned first,
    then newest first. With `organization_id`: the whole centre's and that LAO's only (a case's
    status page, a chosen LAO); without: every one (the counter of the centre)."""
    now = now or utcnow()
    query = (Announcement.select()
             .where(~Announcement.retired, Announcement.starts_at <= now,
                    Announcement.ends_at.is_null() | (Announcement.ends_at > now))
             .order_by(*_order()))
    if organization_id is not None:
        query = query.where(Announcement.organization.is_null() | (Announcement.organization == organization_id))
    if limit:
        query = query.limit(limit)
    return _with_prefixes(list(query))


def _with_prefixes(rows: list[Announcement]) -> list[AnnouncementView]:
    """The views, each with its LAO's ticket prefix (one query for all)."""
    ids = {row.organization_id for row in rows} - {None}
    prefixes = dict(Organization.select(Organization.id, Organization.ticket_prefix)
                    .where(Organization.id.in_(list(ids))).tuples()) if ids else {}
    return [replace(_view(row), lao_prefix=prefixes.get(row.organization_id, "")) for row in rows]


def all_for_staff(actor: Actor, limit: int = 200) -> list[AnnouncementView]:
    """Every announcement the actor manages (their LAO's; the whole centre's staff, all), retired
    ones too, for the staff list (officers and above)."""
    require(actor, ROLE)
    query = (Announcement.select().where(scope.announcements_visible(actor))
             .order_by(Announcement.retired, *_order()).limit(limit))
    return _with_prefixes(list(query))
