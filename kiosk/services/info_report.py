"""The monthly job for DLA's INFO system (info.dla.go.th, the letter's order ④): officers type each
person helped and the month's counts into INFO's web forms by the 5th of the next month. Here:
the figures of a Bangkok month, the records INFO asks for one by one, and the marks of what was
already entered (db.models.InfoMark) — who, when, undo, and "changed since entered".

Months are Bangkok months although timestamps are naive UTC: a month's bounds are turned into UTC
once and compared with the stored times (indexable). A month is named in BE: "2569-10".

What counts (issue 14): a request belongs to the month it was made in; help belongs to the month
it was delivered in (each timeline step into "helped"). A case now a duplicate or withdrawn is
not counted as helped. "People helped" counts each person once (a merged record as the one it
was merged into); "times helped" counts each delivery. Baht are Decimal, summed exactly."""

from __future__ import annotations

import calendar
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from peewee import JOIN, fn

from db.bulk import chunks
from db.connection import write_transaction
from db.models import Case, CaseEvent, Category, InfoMark, Organization, Person, SurveyRecord, utcnow
from db.reference import CATEGORIES

from ..errors import ValidationError
from ..thai.dates import BANGKOK, BE_OFFSET, CE_LOOKING, now_bangkok
from ..thai.digits import to_arabic_digits
from ..workflow_spec import STATUSES
from . import audit, scope
from .cases import CHANNELS
from .staff import Actor, require

ROLE = "officer"  # who sees the report and marks what was entered
DEADLINE_DAY = 5  # INFO is brought up to date by the 5th of every month
NOT_HELPED = ("duplicate", "withdrawn")  # such a case's deliveries are not counted as help
AREAS = tuple(CATEGORIES)
CENT = Decimal("0.01")
KINDS = ("case", "survey")


# -- months ----------------------------------------------------------------------------------------
@dataclass(frozen=True, order=True)
class Month:
    """A calendar month on the Bangkok clock; `year` is CE, the label BE ("2569-10")."""

    year: int
    month: int

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @classmethod
    def current(cls) -> Month:
        return cls.of(now_bangkok().date())

    @property
    def label(self) -> str:
        return f"{self.year + BE_OFFSET}-{self.month:02d}"

    def shift(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """[start, end) in naive UTC, as timestamps are stored."""
        def utc(m: Month) -> datetime:
            return datetime(m.year, m.month, 1, tzinfo=BANGKOK).astimezone(UTC).replace(tzinfo=None)
        return utc(self), utc(self.shift(1))

    def name(self, lang: str = "th") -> str:
        """"ตุลาคม 2569" or "October 2569 BE"."""
        if lang == "en":
            return f"{calendar.month_name[self.month]} {self.year + BE_OFFSET} BE"
        from pythainlp.util.date import thai_full_months

        return f"{thai_full_months[self.month - 1]} {self.year + BE_OFFSET}"

    def short(self, lang: str = "th") -> str:
        """"ต.ค. 69" or "Oct 69" (BE year), for a chart's axis."""
        if lang == "en":
            return f"{calendar.month_abbr[self.month]} {(self.year + BE_OFFSET) % 100:02d}"
        from pythainlp.util.date import thai_abbr_months

        return f"{thai_abbr_months[self.month - 1]} {(self.year + BE_OFFSET) % 100:02d}"


_MONTH = re.compile(r"([0-9]{4})\s*[-/.]\s*([0-9]{1,2})|([0-9]{1,2})\s*[-/.]\s*([0-9]{4})")


def parse_month(text: str) -> tuple[Month, bool]:
    """A month typed "2569-10" (BE) or "10/2569"; a CE year ("2026-10") is accepted and said so:
    returns (month, was_ce)."""
    raw = to_arabic_digits(text or "").strip()
    m = _MONTH.fullmatch(raw)
    if not m:
        raise ValidationError("inforeport.month_format", f"bad month {text!r}", field="month", given=text)
    year, month = (int(m[1]), int(m[2])) if m[1] else (int(m[4]), int(m[3]))
    if not 1 <= month <= 12:
        raise ValidationError("inforeport.month_format", f"bad month {text!r}", field="month", given=text)
    was_ce = year in CE_LOOKING
    ce = year if was_ce else year - BE_OFFSET
    if not 1900 <= ce <= 2100:
        raise ValidationError("inforeport.month_format", f"bad year {text!r}", field="month", given=text)
    return Month(ce, month), was_ce


def next_deadline(today: date) -> date:
    """The next 5th on or after `today` (INFO's deadline for the month before it)."""
    if today.day <= DEADLINE_DAY:
        return today.replace(day=DEADLINE_DAY)
    return Month.of(today).shift(1).first_day.replace(day=DEADLINE_DAY)


def due_month(today: date) -> Month:
    """The month whose report the next deadline asks for."""
    return Month.of(next_deadline(today)).shift(-1)


# -- figures ---------------------------------------------------------------------------------------
@dataclass
class Helped:
    """Help delivered: distinct people, deliveries, baht (Decimal)."""

    people: int = 0
    times: int = 0
    baht: Decimal = Decimal("0.00")


@dataclass
class Backlog:
    """Records of a month not yet marked as entered, and those marked but changed since."""

    cases: int = 0
    surveys: int = 0
    cases_changed: int = 0
    surveys_changed: int = 0
    cases_entered: int = 0
    surveys_entered: int = 0

    @property
    def total(self) -> int:
        return self.cases + self.surveys + self.cases_changed + self.surveys_changed


@dataclass
class MonthFigures:
    month: Month
    requests: int = 0
    by_area: dict[str, int] = field(default_factory=dict)
    by_subtype: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)
    by_moo: dict[int | None, int] = field(default_factory=dict)
    helped: Helped = field(default_factory=Helped)
    helped_by_area: dict[str, Helped] = field(default_factory=dict)
    surveys: int = 0
    survey_households: int = 0
    surveys_by_moo: dict[int | None, int] = field(default_factory=dict)
    backlog: Backlog = field(default_factory=Backlog)


def _org_ids(org: str | None) -> list[int] | None:
    if not org:
        return None
    prefixes = [p for p in org.split(",") if p]  # one LAO, or an LAO's staff's several (scoped_org)
    return [o.id for o in Organization.select(Organization.id).where(Organization.ticket_prefix.in_(prefixes))]


def scoped_org(actor: Actor | None, org: str | None) -> str | None:
    """The `org` a report covers for this actor: the whole centre (None) only for the whole
    centre's staff; an LAO's staff get their own LAO(s), and another LAO is not found
    (services/scope.py)."""
    prefixes = scope.lao_prefixes(actor, org)
    if prefixes is None:
        return None
    return ",".join(prefixes) or "-"  # "-" matches no LAO: an account whose LAO is gone sees nothing


def _ordered(counts: Counter, order: Iterable) -> dict:
    order = list(order)
    known = [k for k in order if counts.get(k)]
    rest = sorted((k for k in counts if k not in order), key=lambda k: (k is None, k if k is not None else 0))
    return {k: counts[k] for k in known + rest}


def _subject():
    """The person a case is about: its subject, else its requester (by id)."""
    return fn.COALESCE(Case.subject, Case.requester)


def month_case_rows(month: Month, org: str | None = None):
    """(case id, sub-type, area, status, channel, หมู่) of the requests made in the month."""
    lo, hi = month.utc_bounds()
    who = Person.alias()
    q = (Case.select(Case.id, Case.category, Category.parent, Case.status, Case.channel, who.moo)
         .join(Category, on=(Case.category == Category.key))
         .join_from(Case, who, JOIN.LEFT_OUTER, on=(who.id == _subject()))
         .where(Case.created_at >= lo, Case.created_at < hi))
    orgs = _org_ids(org)
    if orgs is not None:
        q = q.where(Case.organization << orgs)
    return q.tuples()


def help_rows(month: Month, org: str | None = None):
    """(event id, case id, area, person key, amount, at, data) of each delivery in the month."""
    lo, hi = month.utc_bounds()
    who = Person.alias()
    q = (CaseEvent.select(CaseEvent.id, CaseEvent.case, Category.parent, fn.COALESCE(who.merged_into, who.id),
                          CaseEvent.amount, CaseEvent.at, CaseEvent.data)
         .join(Case, on=(CaseEvent.case == Case.id))
         .join(Category, on=(Case.category == Category.key))
         .join_from(Case, who, JOIN.LEFT_OUTER, on=(who.id == _subject()))
         .where(CaseEvent.to_status == "helped", CaseEvent.at >= lo, CaseEvent.at < hi,
                Case.status.not_in(NOT_HELPED)))
    orgs = _org_ids(org)
    if orgs is not None:
        q = q.where(Case.organization << orgs)
    return q.order_by(CaseEvent.at, CaseEvent.id).tuples()


def _amount(value: object) -> Decimal:
    return Decimal(str(value)).quantize(CENT) if value is not None else Decimal("0.00")


def _sum_help(rows: Iterable[tuple]) -> tuple[Helped, dict[str, Helped]]:
    people: set = set()
    by_area: dict[str, Helped] = {}
    area_people: dict[str, set] = defaultdict(set)
    total = Helped()
    for _ev, case_id, area, person, amount, _at, _data in rows:
        key = person if person is not None else ("case", case_id)
        people.add(key)
        area_people[area].add(key)
        h = by_area.setdefault(area, Helped())
        h.times += 1
        total.times += 1
        baht = _amount(amount)
        h.baht += baht
        total.baht += baht
    total.people = len(people)
    for area, h in by_area.items():
        h.people = len(area_people[area])
    return total, {a: by_area[a] for a in [*AREAS, *sorted(set(by_area) - set(AREAS))] if a in by_area}


def month_survey_rows(month: Month, org: str | None = None):
    """(record id, household id, หมู่) of the survey records of the month (the day of the visit)."""
    who = Person.alias()
    q = (SurveyRecord.select(SurveyRecord.id, SurveyRecord.household, who.moo)
         .join(who, on=(SurveyRecord.person == who.id))
         .where(SurveyRecord.surveyed_on >= month.first_day, SurveyRecord.surveyed_on <= month.last_day))
    orgs = _org_ids(org)
    if orgs is not None:
        q = q.where(SurveyRecord.organization << orgs)
    return q.tuples()


def _asked_ids(month: Month, org: str | None = None) -> set[int]:
    lo, hi = month.utc_bounds()
    q = Case.select(Case.id).where(Case.created_at >= lo, Case.created_at < hi)
    orgs = _org_ids(org)
    return {i for (i,) in (q.where(Case.organization << orgs) if orgs is not None else q).tuples()}


def _case_set(month: Month, org: str | None = None):
    """The month's cases (asked or helped in it) as a subquery of ids: no id list to send back.
    A UNION of the two, each walking its own index ((organization, created_at) and (to_status,
    at)): one WHERE with "asked OR helped" reads every case of the LAO (7 s at 100,000 cases)."""
    lo, hi = month.utc_bounds()
    orgs = _org_ids(org)
    asked = Case.select(Case.id).where(Case.created_at >= lo, Case.created_at < hi)
    helped = (CaseEvent.select(CaseEvent.case).join(Case, on=(CaseEvent.case == Case.id))
              .where(CaseEvent.to_status == "helped", CaseEvent.at >= lo, CaseEvent.at < hi,
                     Case.status.not_in(NOT_HELPED)))
    if orgs is not None:
        asked, helped = asked.where(Case.organization << orgs), helped.where(Case.organization << orgs)
    return asked | helped


def _survey_set(month: Month, org: str | None = None):
    q = SurveyRecord.select(SurveyRecord.id).where(SurveyRecord.surveyed_on >= month.first_day,
                                                   SurveyRecord.surveyed_on <= month.last_day)
    orgs = _org_ids(org)
    return q.where(SurveyRecord.organization << orgs) if orgs is not None else q


def month_case_ids(month: Month, org: str | None = None) -> list[int]:
    """The cases INFO hears about for a month: those asked in it and those helped in it."""
    ids = {row[0] for row in month_case_rows(month, org)} | {row[1] for row in help_rows(month, org)}
    return sorted(ids)


def figures(actor: Actor, month: Month, org: str | None = None) -> MonthFigures:
    """Every figure of the month's report (counts only: no personal data, no audit row)."""
    require(actor, ROLE)
    org = scoped_org(actor, org)
    return _figures(month, org)


def _figures(month: Month, org: str | None, rows: tuple[list[dict], list[dict]] | None = None) -> MonthFigures:
    """`rows`: the month's record_rows and survey_rows, when the caller has them (the export): the
    backlog is then counted from their INFO states instead of looking every mark up again."""
    out = MonthFigures(month)
    areas, subs, statuses, channels, moos = Counter(), Counter(), Counter(), Counter(), Counter()
    asked = []
    for case_id, sub, area, status, channel, moo in month_case_rows(month, org):
        asked.append(case_id)
        areas[area] += 1
        subs[sub] += 1
        statuses[status] += 1
        channels[channel] += 1
        moos[moo] += 1
    out.requests = len(asked)
    out.by_area = _ordered(areas, AREAS)
    out.by_subtype = _ordered(subs, [s for _a, (_b, ss) in CATEGORIES.items() for s in ss])
    out.by_status = _ordered(statuses, STATUSES)
    out.by_channel = _ordered(channels, CHANNELS)
    out.by_moo = _ordered(moos, range(1, 100))
    helps = list(help_rows(month, org))
    out.helped, out.helped_by_area = _sum_help(helps)
    surveys = list(month_survey_rows(month, org))
    out.surveys = len(surveys)
    out.survey_households = len({h for _r, h, _m in surveys if h is not None})
    out.surveys_by_moo = _ordered(Counter(m for _r, _h, m in surveys), range(1, 100))
    case_ids = sorted(set(asked) | {row[1] for row in helps})
    # the cases' marks by their ids (known here), in chunks: PostgreSQL matched the marks against
    # the _case_set subquery by reading every mark (800,000 at scale, 0.3 s) instead of its index
    if rows is not None:
        out.backlog = _backlog_of(*rows)
    else:
        out.backlog = _backlog(case_ids, [r for r, _h, _m in surveys], None, _survey_set(month, org))
    return out


def figures_by_lao(actor: Actor, month: Month) -> list[tuple[str, MonthFigures]]:
    """The month's figures of each LAO the actor may see, by ticket prefix (the whole centre's
    staff: every LAO; an LAO's staff: their own), in the order the LAOs were set up. A case counts
    under the LAO that holds it now (a referral moves it), so the LAOs' figures add up to the
    whole centre's."""
    require(actor, ROLE)
    prefixes = scope.lao_prefixes(actor)
    if prefixes is None:
        prefixes = [p for (p,) in Organization.select(Organization.ticket_prefix).order_by(Organization.id).tuples()]
    return [(p, _figures(month, p)) for p in prefixes]


def history(actor: Actor, last: Month, months: int = 12, org: str | None = None) -> list[tuple[Month, dict[str, int]]]:
    """Requests per area for each of the `months` months ending with `last` (the chart)."""
    require(actor, ROLE)
    org = scoped_org(actor, org)
    return _history(last, months, org)


def _history(last: Month, months: int, org: str | None) -> list[tuple[Month, dict[str, int]]]:
    orgs = _org_ids(org)
    out = []
    for back in range(months - 1, -1, -1):
        m = last.shift(-back)
        lo, hi = m.utc_bounds()
        q = (Case.select(Category.parent, fn.COUNT(Case.id)).join(Category, on=(Case.category == Category.key))
             .where(Case.created_at >= lo, Case.created_at < hi))
        if orgs is not None:
            q = q.where(Case.organization << orgs)
        counts = dict(q.group_by(Category.parent).tuples())
        out.append((m, {a: counts.get(a, 0) for a in AREAS}))
    return out


# -- marks -----------------------------------------------------------------------------------------
def _pieces(ids: list[int], within) -> Iterable:
    """What to match ids against: the subquery `within` once, else the ids in chunks."""
    if within is not None:
        yield within
    else:
        yield from chunks(ids)


def _live_marks(kind: str, ids: list[int], within=None) -> dict[int, InfoMark]:
    out: dict[int, InfoMark] = {}
    for piece in _pieces(ids, within):
        for mark in InfoMark.select().where(InfoMark.target_type == kind, InfoMark.target_id.in_(piece),
                                            InfoMark.undone_at.is_null()):
            out[mark.target_id] = mark
    return out


def _current(kind: str, ids: list[int], within=None) -> dict[int, tuple]:
    """Each record's (version, updated_at) now, what a mark remembers, and when its person was
    last changed (an address corrected after entry means INFO needs it again)."""
    out = {}
    who = Person.alias()
    for piece in _pieces(ids, within):
        if kind == "case":
            rows = (Case.select(Case.id, Case.version, Case.updated_at, who.updated_at)
                    .join(who, JOIN.LEFT_OUTER, on=(who.id == _subject())).where(Case.id.in_(piece)).tuples())
        else:
            rows = (SurveyRecord.select(SurveyRecord.id, SurveyRecord.id, SurveyRecord.updated_at, who.updated_at)
                    .join(who, on=(SurveyRecord.person == who.id)).where(SurveyRecord.id.in_(piece)).tuples())
        for rid, version, updated, person_updated in rows:
            out[rid] = (version if kind == "case" else None, updated, person_updated)
    return out


def _changed(kind: str, mark: InfoMark, now: tuple) -> bool:
    version, updated, person_updated = now
    if person_updated is not None and (mark.seen_person_at is None or person_updated > mark.seen_person_at):
        return True
    if kind == "case":
        return version != mark.seen_version
    return mark.seen_updated_at is None or (updated is not None and updated > mark.seen_updated_at)


def states(kind: str, ids: list[int], within=None) -> dict[int, tuple[str, InfoMark | None]]:
    """Each record's INFO state: "todo" (not entered), "entered", or "changed" (entered, changed since).
    `within`: a subquery holding the ids (faster than sending thousands of ids)."""
    marks = _live_marks(kind, ids, within)
    current = _current(kind, list(marks), within) if within is not None else _current(kind, list(marks))
    out: dict[int, tuple[str, InfoMark | None]] = {}
    for rid in ids or marks:
        mark = marks.get(rid)
        if mark is None:
            out[rid] = ("todo", None)
        else:
            out[rid] = ("changed" if _changed(kind, mark, current.get(rid, (None, None, None))) else "entered", mark)
    return out


def _backlog(case_ids: list[int], survey_ids: list[int], cases_within=None, surveys_within=None) -> Backlog:
    b = Backlog()
    for state, _m in states("case", case_ids, cases_within).values():
        b.cases += state == "todo"
        b.cases_changed += state == "changed"
        b.cases_entered += state == "entered"
    for state, _m in states("survey", survey_ids, surveys_within).values():
        b.surveys += state == "todo"
        b.surveys_changed += state == "changed"
        b.surveys_entered += state == "entered"
    return b


def _backlog_of(records: list[dict], surveys: list[dict]) -> Backlog:
    """The backlog of the records (record_rows, survey_rows) by the INFO state each already holds."""
    b = Backlog()
    for r in records:
        b.cases += r["info_state"] == "todo"
        b.cases_changed += r["info_state"] == "changed"
        b.cases_entered += r["info_state"] == "entered"
    for r in surveys:
        b.surveys += r["info_state"] == "todo"
        b.surveys_changed += r["info_state"] == "changed"
        b.surveys_entered += r["info_state"] == "entered"
    return b


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValidationError("inforeport.kind_unknown", f"unknown kind {kind}", field="kind")


def mark(actor: Actor, kind: str, ids: Iterable[int], month: Month) -> int:
    """Mark records as entered in INFO with `month`'s report; a record already marked and unchanged
    is left alone, one changed since is marked anew (the old mark kept, ended). Returns how many
    were marked now."""
    require(actor, ROLE)
    _check_kind(kind)
    ids = _visible_ids(actor, kind, sorted(set(ids)))
    now = utcnow()
    with write_transaction():
        current = _current(kind, ids)
        marks = _live_marks(kind, ids)
        made = []
        for rid in ids:
            if rid not in current:
                continue  # gone (purged) meanwhile
            old = marks.get(rid)
            if old is not None and not _changed(kind, old, current[rid]):
                continue
            if old is not None:
                InfoMark.update(undone_at=now, undone_by=actor.username).where(InfoMark.id == old.id).execute()
            version, updated, person_updated = current[rid]
            made.append(dict(target_type=kind, target_id=rid, month=month.label, seen_version=version,
                             seen_updated_at=updated, seen_person_at=person_updated, marked_by=actor.username,
                             marked_at=now, undone_by=""))
        for chunk in range(0, len(made), 200):
            InfoMark.insert_many(made[chunk:chunk + 200]).execute()
        if made:
            audit.record("info_mark", actor=actor.username, target_type=kind,
                         target_id=made[0]["target_id"] if len(made) == 1 else "",
                         detail=f"{month.label} {len(made)}: " + _id_list([m["target_id"] for m in made]),
                         client=actor.client)
    return len(made)


def undo(actor: Actor, kind: str, ids: Iterable[int]) -> int:
    """Take back marks made by mistake: the records are in the backlog again. Returns how many."""
    require(actor, ROLE)
    _check_kind(kind)
    ids = _visible_ids(actor, kind, sorted(set(ids)))
    with write_transaction():
        marks = _live_marks(kind, ids)
        if marks:
            for chunk in chunks(sorted(m.id for m in marks.values())):
                InfoMark.update(undone_at=utcnow(), undone_by=actor.username).where(InfoMark.id << chunk).execute()
            audit.record("info_unmark", actor=actor.username, target_type=kind,
                         target_id=next(iter(marks)) if len(marks) == 1 else "",
                         detail=f"{len(marks)}: " + _id_list(sorted(marks)), client=actor.client)
    return len(marks)


def _visible_ids(actor: Actor, kind: str, ids: list[int]) -> list[int]:
    """Of `ids`, those of the actor's LAO(s) (all for the whole centre's staff)."""
    if scope.sees_all(actor) or not ids:
        return ids
    model, within = (Case, scope.cases_visible(actor)) if kind == "case" else (SurveyRecord, scope.surveys_visible(actor))
    seen = set()
    for chunk in chunks(ids):
        seen |= {i for (i,) in model.select(model.id).where(model.id << chunk, within).tuples()}
    return [i for i in ids if i in seen]


def _id_list(ids: list[int], most: int = 50) -> str:
    shown = ",".join(str(i) for i in ids[:most])
    return shown + (f",…(+{len(ids) - most})" if len(ids) > most else "")


def mark_month(actor: Actor, month: Month, org: str | None = None) -> tuple[int, int]:
    """Mark every case and survey record of the month not yet entered (or changed since):
    (cases, surveys) marked now."""
    require(actor, ROLE)
    org = scoped_org(actor, org)
    cases = mark(actor, "case", month_case_ids(month, org), month)
    surveys = mark(actor, "survey", [r for r, _h, _m in month_survey_rows(month, org)], month)
    return cases, surveys


def undo_month(actor: Actor, month: Month, org: str | None = None) -> tuple[int, int]:
    """Undo the live marks made with this month's report, of this month's records."""
    require(actor, ROLE)
    org = scoped_org(actor, org)
    out = []
    for kind, ids in (("case", month_case_ids(month, org)),
                      ("survey", [r for r, _h, _m in month_survey_rows(month, org)])):
        marks = _live_marks(kind, ids)
        out.append(undo(actor, kind, [rid for rid, m in marks.items() if m.month == month.label]))
    return out[0], out[1]


# -- the dashboard and the reminder ----------------------------------------------------------------
@dataclass
class Dashboard:
    today: date
    deadline: date
    days_left: int
    figures: MonthFigures
    history: list[tuple[Month, dict[str, int]]]
    words: str = ""  # the month's baht in Thai words

    @property
    def month_deadline(self) -> date:
        """The shown month's own deadline: the 5th of the month after it."""
        return self.figures.month.shift(1).first_day.replace(day=DEADLINE_DAY)

    @property
    def overdue(self) -> bool:
        """The shown month's own deadline has passed with records not entered."""
        return self.figures.backlog.total > 0 and self.today > self.month_deadline


def dashboard(actor: Actor, month: Month | None = None, org: str | None = None) -> Dashboard:
    """What the staff dashboard shows: the deadline, a month's figures (by default last month's,
    the one being entered or overdue) and twelve months of requests by area up to it."""
    require(actor, ROLE)
    org = scoped_org(actor, org)
    today = now_bangkok().date()
    deadline = next_deadline(today)
    month = month or Month.of(today).shift(-1)
    f = _figures(month, org)
    words = ""
    if f.helped.baht:
        from .workflow import amount_words

        words = amount_words(f.helped.baht)
    return Dashboard(today, deadline, (deadline - today).days, f, _history(month, 12, org), words)


@dataclass(frozen=True)
class Reminder:
    month: Month
    deadline: date
    days_left: int
    backlog: int


def reminder(actor: Actor | None, org: str | None = None) -> Reminder | None:
    """From the 1st to the 5th (Bangkok), while last month has records not entered in INFO (or
    changed since), for an officer or above; else None."""
    if actor is None or not actor.at_least(ROLE):
        return None
    org = scoped_org(actor, org)
    today = now_bangkok().date()
    if today.day > DEADLINE_DAY:
        return None
    month = Month.of(today).shift(-1)
    case_ids = month_case_ids(month, org)
    left = _backlog(case_ids, [r for r, _h, _m in month_survey_rows(month, org)], _case_set(month, org),
                    _survey_set(month, org)).total
    if not left:
        return None
    deadline = next_deadline(today)
    return Reminder(month, deadline, (deadline - today).days, left)


@dataclass(frozen=True)
class RecordState:
    """One record of a month and its INFO state, without personal data (the dashboard's list)."""

    kind: str  # case, survey
    id: int
    ref: str  # the ticket number, or S-<id> for a survey record
    what: str  # catalogue key: the case's sub-type, or the survey's living situation
    on: date  # asked on (Bangkok) or surveyed on
    state: str  # todo, changed, entered
    entered_by: str


STATE_ORDER = {"todo": 0, "changed": 1, "entered": 2}


def month_records(actor: Actor, month: Month, org: str | None = None, limit: int = 300) -> tuple[list[RecordState], int]:
    """The month's cases and survey records with their INFO state, those still to enter first:
    (at most `limit` of them, how many there are)."""
    require(actor, ROLE)
    org = scoped_org(actor, org)
    surveys = _survey_set(month, org)
    out = []
    cases = [i for (i,) in _case_set(month, org).tuples()]  # by id, in chunks: see record_rows
    case_info = states("case", cases)
    for chunk in chunks(cases):
        for cid, ticket, sub, created in (Case.select(Case.id, Case.ticket_no, Case.category, Case.created_at)
                                          .where(Case.id.in_(chunk)).tuples()):
            state, mark_row = case_info.get(cid, ("todo", None))
            on = created.replace(tzinfo=UTC).astimezone(BANGKOK).date()
            out.append(RecordState("case", cid, ticket, f"category.{sub}", on, state,
                                   mark_row.marked_by if mark_row else ""))
    survey_info = states("survey", [], surveys)
    for rid, on in SurveyRecord.select(SurveyRecord.id, SurveyRecord.surveyed_on).where(
            SurveyRecord.id.in_(surveys)).tuples():
        state, mark_row = survey_info.get(rid, ("todo", None))
        out.append(RecordState("survey", rid, f"S-{rid}", "inforeport.survey_record", on, state,
                               mark_row.marked_by if mark_row else ""))
    out.sort(key=lambda r: (STATE_ORDER[r.state], r.on, r.kind, r.id))
    return out[:limit], len(out)


# -- the records INFO asks for, one by one ---------------------------------------------------------
def _decision(events: list[tuple]) -> tuple[str, str]:
    """The last committee decision: (approve|not_approve, meeting date ISO) or ("", "")."""
    for action, data, _at in reversed(events):
        if action in ("approve", "not_approve"):
            try:
                when = json.loads(data).get("meeting_date", "") if data.startswith("{") else ""
            except ValueError:
                when = ""
            return action, when
    return "", ""


def record_rows(month: Month, org: str | None = None) -> list[dict]:
    """One dict per case of the month (asked or helped in it): the person, the request, the
    decision, the month's help and the INFO state. Personal data: the caller audits."""
    helps: dict[int, list[tuple]] = defaultdict(list)
    for _ev, case_id, _area, _p, amount, at, data in help_rows(month, org):
        helps[case_id].append((amount, at, data))
    # the ids once (asked: an index-only walk; helped: the rows above), then every lookup by id in
    # chunks: matched against the _case_set subquery, PostgreSQL read all marks and, for the
    # committee's decisions, hashed the LAO's every case (1,000,000 cases: 2 s of a 4-10 s export)
    ids = sorted(_asked_ids(month, org) | set(helps))
    info = states("case", ids)
    who = Person.alias()
    out = []
    for chunk in chunks(ids):
        events: dict[int, list[tuple]] = defaultdict(list)
        for case_id, action, data, at in (CaseEvent.select(CaseEvent.case, CaseEvent.action, CaseEvent.data,
                                                           CaseEvent.at)
                                          .where(CaseEvent.case.in_(chunk),
                                                 CaseEvent.action << ("approve", "not_approve"))
                                          .order_by(CaseEvent.id).tuples()):
            events[case_id].append((action, data, at))
        rows = (Case.select(Case.id, Case.ticket_no, Case.created_at, Case.category, Category.parent, Case.channel,
                            Case.status, who.prefix, who.first_name, who.last_name, who.doc_type, who.doc_number,
                            who.house_no, who.moo, who.village, who.subdistrict_code, who.phone, who.birth_date)
                .join(Category, on=(Case.category == Category.key))
                .join_from(Case, who, JOIN.LEFT_OUTER, on=(who.id == _subject()))
                .where(Case.id.in_(chunk)).tuples())
        for (cid, ticket, created, sub, area, channel, status, prefix, first, last, doc_type, doc_no, house, moo,
             village, code, phone, born) in rows:
            decision, decided_on = _decision(events.get(cid, []))
            given = helps.get(cid, [])
            items = []
            for _a, _at, data in given:
                try:
                    item = json.loads(data).get("items", "") if data and data.startswith("{") else ""
                except ValueError:
                    item = ""
                if item:
                    items.append(item)
            state, mark_row = info.get(cid, ("todo", None))
            out.append(dict(
                case_id=cid, ticket_no=ticket, asked_at=created, prefix=prefix or "", first_name=first or "",
                last_name=last or "", doc_type=doc_type or "", doc_number=doc_no or "", birth_date=born,
                house_no=house or "", moo=moo, village=village or "", subdistrict_code=code or "", phone=phone or "",
                area=area, subtype=sub, channel=channel, status=status, decision=decision, decided_on=decided_on,
                helped_at=given[-1][1] if given else None, times_helped=len(given),
                amount=sum((_amount(a) for a, _at, _d in given), Decimal("0.00")) if given else None,
                items="; ".join(items), info_state=state,
                entered_by=mark_row.marked_by if mark_row else "", entered_at=mark_row.marked_at if mark_row else None))
    out.sort(key=lambda r: (r["asked_at"], r["case_id"]))
    return out


def survey_rows(month: Month, org: str | None = None) -> list[dict]:
    """One dict per survey record of the month, with the person, the household and the INFO state."""
    within = _survey_set(month, org)
    info = states("survey", [], within)
    who = Person.alias()
    out = []
    for chunk in (within,):
        rows = (SurveyRecord.select(SurveyRecord.id, SurveyRecord.surveyed_on, SurveyRecord.team,
                                    SurveyRecord.vulnerabilities, SurveyRecord.needs, SurveyRecord.living_situation,
                                    SurveyRecord.consent, who.prefix, who.first_name, who.last_name, who.doc_type,
                                    who.doc_number, who.house_no, who.moo, who.village, who.subdistrict_code,
                                    who.birth_date)
                .join(who, on=(SurveyRecord.person == who.id)).where(SurveyRecord.id.in_(chunk)).tuples())
        for (rid, on, team, vulns, needs, living, consent, prefix, first, last, doc_type, doc_no, house, moo,
             village, code, born) in rows:
            state, mark_row = info.get(rid, ("todo", None))
            out.append(dict(
                record_id=rid, surveyed_on=on, team=team, vulnerabilities=vulns, needs=needs,
                living_situation=living, consent=consent, prefix=prefix or "", first_name=first, last_name=last or "",
                doc_type=doc_type or "", doc_number=doc_no or "", house_no=house or "", moo=moo,
                village=village or "", subdistrict_code=code or "", birth_date=born, info_state=state,
                entered_by=mark_row.marked_by if mark_row else "", entered_at=mark_row.marked_at if mark_row else None))
    out.sort(key=lambda r: (r["surveyed_on"], r["record_id"]))
    return out

