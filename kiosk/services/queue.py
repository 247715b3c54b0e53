"""The staff queue: one page of cases at a time, filtered and sorted in SQL, so 100,000 cases
cost the same as 100 (indexes in db/models.py made for these filters; one bounded COUNT). Next
and previous page by the sort key of the page's last (first) row, not OFFSET: a deep page then costs
what the first does, and a case added between two page loads does not push a row onto the next page
twice (issue 16: pages 2-100 took 97 ms at 1,000,000 cases with OFFSET)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from peewee import JOIN, SQL
from peewee import Case as SqlCase

from db.models import Case, Organization, Person, Staff, utcnow
from db.reference import CATEGORIES

from ..errors import ValidationError
from ..thai.names import full_name
from ..workflow_spec import OPEN, STATUSES
from . import referral, scope, search
from .staff import Actor, require

PAGE_SIZE = 50
COUNT_CAP = 10_000  # beyond this the pager says "10,000+": counting 100,000 rows costs more than it tells
URGENCIES = ("emergency", "urgent", "normal")
SORTS = ("newest", "oldest", "urgency", "ticket", "updated")


@dataclass(frozen=True)
class QueueFilter:
    """What the officer asked for; every field optional. `status` "open" means any open status."""

    status: str = ""
    area: str = ""
    subtype: str = ""
    moo: int | None = None
    urgency: str = ""
    mine: bool = False
    older_than_days: int | None = None
    query: str = ""
    sort: str = "newest"
    vulnerability: str = ""  # a flag's key, or "any" for a case with any flag
    sensitive_consent: bool | None = None  # PDPA s.26 consent given (True) or not (False)
    overdue: bool = False  # only referrals whose reply is overdue (kiosk.services.referral)
    referred_out: bool = False  # only the cases the officer's LAO referred out (wherever they are now)

    def with_(self, **changes) -> QueueFilter:
        return replace(self, **changes)


@dataclass(frozen=True)
class QueueRow:
    id: int
    ticket_no: str
    status: str
    category: str
    urgency: str
    subject_name: str
    moo: int | None
    created_at: datetime
    assigned_to: str
    overdue: bool = False  # a referral waiting past its reply's due date
    held_by: str = ""  # the ticket prefix of the LAO holding it, when not the viewer's (referred out: read only)


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: just after the row whose sort key is `key` (next page), or, `before`,
    just before it (previous page). Made by QueuePage.next/previous; opaque to the screens."""

    key: tuple
    before: bool = False


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    total: int
    page: int
    page_size: int
    keys: tuple = ()  # the sort key of each row, for the cursors

    def next(self) -> Cursor | None:
        return Cursor(self.keys[-1]) if self.keys else None

    def previous(self) -> Cursor | None:
        return Cursor(self.keys[0], before=True) if self.keys else None

    @property
    def pages(self) -> int:
        return max(1, -(-min(self.total, COUNT_CAP) // self.page_size))

    @property
    def capped(self) -> bool:
        return self.total > COUNT_CAP


def _conditions(actor: Actor, f: QueueFilter) -> list:
    # An LAO's staff: its cases; "referred out": those it passed on, wherever they are now (read
    # only); a search also finds those it passed on (services/scope.py). The plain queue stays one
    # indexed condition: the referral steps are read only when asked for. A search's scope does not
    # repeat the search inside the referral subquery: with it there, PostgreSQL scanned every case
    # (issue 16: 280 ms at 1,000,000 cases, 46 ms without).
    found = search.case_ids_query(f.query) if f.query.strip() else None
    if f.referred_out:
        where = [Case.id.in_(scope.referred_out(actor))]
    elif scope.sees_all(actor):
        where = []
    elif found:
        where = [scope.cases_readable(actor)]
    else:
        where = [scope.cases_visible(actor)]
    if f.status == "open":
        where.append(Case.status.in_(OPEN))
    elif f.status:
        where.append(Case.status == f.status)
    if f.subtype:
        where.append(Case.category == f.subtype)
    elif f.area:
        if f.area not in CATEGORIES:
            raise ValidationError("queue.area_unknown", f"no area {f.area}", field="area")
        where.append(Case.category.in_(CATEGORIES[f.area][1]))
    if f.moo is not None:
        where.append(Case.subject.in_(Person.select(Person.id).where(Person.moo == f.moo)))
    if f.urgency:
        where.append(Case.urgency == f.urgency)
    if f.mine:
        where.append(Case.assigned_to == actor.id)
    if f.older_than_days is not None:
        where.append(Case.created_at < utcnow() - timedelta(days=f.older_than_days))
        where.append(Case.status.in_(OPEN))
    if f.vulnerability == "any":
        where.append(Case.vulnerabilities != "")
    elif f.vulnerability:  # a key in the comma-separated list, not a part of another key
        key = f.vulnerability
        where.append((Case.vulnerabilities == key) | Case.vulnerabilities.startswith(f"{key},")
                     | Case.vulnerabilities.endswith(f",{key}") | Case.vulnerabilities.contains(f",{key},"))
    if f.overdue:  # few cases wait for a reply: their ids, read from their referral steps
        where.append(Case.id.in_(referral.overdue_ids()))
    if f.sensitive_consent is not None:
        where.append(Case.sensitive_consent == f.sensitive_consent)
    if f.query.strip():  # a subquery over every match, so the filters, count and pages see all of them
        where.append(Case.id.in_(SQL(f"({found[0]})", found[1])) if found else Case.id.in_([]))
    return where


def _order(sort: str) -> list:
    urgency_rank = SqlCase(Case.urgency, [(u, i) for i, u in enumerate(URGENCIES)], len(URGENCIES))
    return {
        "newest": [Case.created_at.desc(), Case.id.desc()],
        "oldest": [Case.created_at.asc(), Case.id.asc()],
        "urgency": [urgency_rank, Case.created_at.desc(), Case.id.desc()],
        "ticket": [Case.ticket_no.asc(), Case.id.asc()],
        "updated": [Case.updated_at.desc(), Case.id.desc()],
    }.get(sort, [Case.created_at.desc(), Case.id.desc()])


# sort -> (the key's columns, descending?); "urgency" is its rank, then newest first
_KEYS = {"oldest": ((Case.created_at, Case.id), False), "ticket": ((Case.ticket_no, Case.id), False),
         "updated": ((Case.updated_at, Case.id), True)}
_NEWEST = ((Case.created_at, Case.id), True)


def _key(sort: str, row: dict) -> tuple:
    cols = (Case.created_at, Case.id) if sort == "urgency" else _KEYS.get(sort, _NEWEST)[0]
    key = tuple(row[c.name] for c in cols)
    return (URGENCIES.index(row["urgency"]) if row["urgency"] in URGENCIES else len(URGENCIES), *key) \
        if sort == "urgency" else key


def _beyond(cols: tuple, desc: bool, key: tuple, before: bool):
    """Rows after (before) `key` in the order (a, b) desc/asc: a past key[0], or equal and b past
    key[1]. The extra `a <= key[0]` (>=) lets the index start at the key instead of filtering."""
    (a, b), (ka, kb) = cols, key
    down = desc != before  # walking towards smaller values
    return ((a <= ka) if down else (a >= ka)) & (((a < ka) if down else (a > ka)) | ((a == ka) & ((b < kb) if down else (b > kb))))


def _buckets() -> list:
    return [Case.urgency == u for u in URGENCIES] + [Case.urgency.not_in(URGENCIES)]


def _urgent_first_ids(base, skip: int, size: int) -> list[int]:
    """The ids of one page in urgency order, one urgency at a time: each is a walk down the
    (urgency, status, created_at) index, where ORDER BY on the rank would sort every open case."""
    ids: list[int] = []
    for bucket in _buckets():
        rows = base.where(bucket).order_by(Case.created_at.desc(), Case.id.desc())
        if skip:
            here = rows.limit(skip).count()  # bounded: only whether this bucket holds `skip` rows
            if here < skip:
                skip -= here
                continue
        ids += [i for (i,) in rows.limit(size - len(ids)).offset(skip).tuples()]
        skip = 0
        if len(ids) == size:
            break
    return ids


def _urgent_keyset_ids(base, cursor: Cursor, size: int) -> list[int]:
    """The ids of the page after (before) the cursor in urgency order: the cursor's urgency from
    its key on, then the next (previous) urgencies from their start (end). No key: from the end."""
    rank, *key = cursor.key or (len(URGENCIES),)
    buckets = list(enumerate(_buckets()))
    buckets = buckets[rank::-1] if cursor.before else buckets[rank:]
    order = [Case.created_at.asc(), Case.id.asc()] if cursor.before else [Case.created_at.desc(), Case.id.desc()]
    ids: list[int] = []
    for i, bucket in buckets:
        rows = base.where(bucket)
        if i == rank and key:
            rows = rows.where(_beyond(*_NEWEST, tuple(key), cursor.before))
        ids += [cid for (cid,) in rows.order_by(*order).limit(size - len(ids)).tuples()]
        if len(ids) == size:
            break
    return ids


def _page_ids(base, f: QueueFilter, page: int, size: int, cursor: Cursor | None) -> list[int]:
    """By number (OFFSET: the first page, a reload), or the `size` rows past the cursor."""
    if cursor is None and f.sort == "urgency":
        return _urgent_first_ids(base, page * size, size)
    if cursor is None:
        return [cid for (cid,) in base.order_by(*_order(f.sort)).limit(size).offset(page * size).tuples()]
    if f.sort == "urgency":
        return _urgent_keyset_ids(base, cursor, size)
    cols, desc = _KEYS.get(f.sort, _NEWEST)
    order = [c.asc() if desc == cursor.before else c.desc() for c in cols]
    rows = base.where(_beyond(cols, desc, cursor.key, cursor.before)) if cursor.key else base
    return [cid for (cid,) in rows.order_by(*order).limit(size).tuples()]


def list_cases(actor: Actor, f: QueueFilter = QueueFilter(), page: int = 0, page_size: int = PAGE_SIZE,
               cursor: Cursor | None = None) -> QueuePage:
    """One page of the queue. Officers and above (volunteers enter surveys only). With a cursor
    (QueuePage.next/previous of the page shown) the page is read by the sort key and `page` is only
    its number, corrected at either end: a page with nothing after it is the last, a previous page
    with nothing before it is the first (read from the top), and a next page whose cases were all
    closed meanwhile is the last page."""
    require(actor, "officer")
    where = _conditions(actor, f)
    base = Case.select(Case.id)
    if where:
        base = base.where(*where)
    total = base.limit(COUNT_CAP + 1).count()  # a bounded COUNT over a LIMITed subquery
    last = max(0, (min(total, COUNT_CAP) - 1) // page_size)
    page = max(0, min(page, last))
    if cursor is None:
        ids = _page_ids(base, f, page, page_size, None)
    else:
        ids = _page_ids(base, f, page, page_size + 1, cursor)  # one more: is there a page beyond?
        if not ids and not cursor.before:  # nothing after it any more: the last page, read from the end
            cursor = Cursor(None, before=True)
            ids = _page_ids(base, f, page, page_size + 1, cursor)
            page = last
        more, ids = len(ids) > page_size, ids[:page_size]
        if cursor.before and (not more or page == 0):
            page, ids = 0, _page_ids(base, f, 0, page_size, None)
        elif not cursor.before and not more:
            page = last
    query = (Case.select(Case.id, Case.ticket_no, Case.status, Case.category, Case.urgency, Case.created_at,
                         Case.updated_at, Case.organization, Person.prefix, Person.first_name, Person.last_name,
                         Person.moo, Staff.username)
             .join(Person, JOIN.LEFT_OUTER, on=(Case.subject == Person.id))
             .switch(Case).join(Staff, JOIN.LEFT_OUTER, on=(Case.assigned_to == Staff.id))
             .where(Case.id.in_(ids)).order_by(*_order(f.sort)).dicts())
    found = list(query)
    waiting = [r["id"] for r in found if r["status"] == referral.AWAITING]
    late = {cid for cid, (_due, over) in referral.awaiting(among=waiting).items() if over} if waiting else set()
    elsewhere = {r["organization"] for r in found if not scope.may_see(actor, r["organization"])}
    held = dict(Organization.select(Organization.id, Organization.ticket_prefix)
                .where(Organization.id.in_(list(elsewhere))).tuples()) if elsewhere else {}
    rows = [QueueRow(r["id"], r["ticket_no"], r["status"], r["category"], r["urgency"],
                     full_name(r["prefix"], r["first_name"], r["last_name"]),
                     r["moo"], r["created_at"], r["username"] or "", r["id"] in late, held.get(r["organization"], ""))
            for r in found]
    return QueuePage(rows, total, page, page_size, tuple(_key(f.sort, r) for r in found))


def waiting_days(created_at: datetime) -> int:
    return max(0, (utcnow() - created_at).days)


def areas() -> list[tuple[str, tuple[str, ...]]]:
    """Help areas and their sub-types (keys), for the filter lists."""
    return [(area, subs) for area, (_budget, subs) in CATEGORIES.items()]


def vulnerabilities() -> tuple[str, ...]:
    """The flags a request may carry (keys), for the filter list."""
    from .intake import VULNERABILITIES

    return VULNERABILITIES


def statuses() -> list[str]:
    return list(STATUSES)
