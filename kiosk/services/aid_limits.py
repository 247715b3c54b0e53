"""The regulation's aid limits (`[aid_limits]` in the config) checked when help is handed over.

A limit is per area of help (disaster, disease, quality of life: every sub-type of the area
counts), per family, per Thai fiscal year (1 Oct – 30 Sep, Bangkok time): at most `per_time`
baht each time, at most `times_per_year` times. The regulation counts families; the kiosk has no
family register, so a family is the person helped and everyone on file at the same house number,
หมู่ and subdistrict (a person without a house number is a family of one).

`kiosk.services.workflow.perform` calls `check` inside the step's transaction for an action
marked `capped` (help delivered); over a limit the step takes a supervisor and a reason, and
the check's figures are kept in the timeline event (`limit`) beside the reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal

from db.models import Case, CaseEvent, Person
from db.reference import CATEGORIES

from ..config import AidLimit
from ..thai.dates import BANGKOK, BE_OFFSET, fiscal_year, now_bangkok
from .staff import Actor, require


@dataclass(frozen=True)
class LimitCheck:
    """One handing-over measured against its area's limit. `used` counts the times help was
    already handed over to the family in this area this fiscal year (this one not included)."""

    area: str
    limit: AidLimit
    amount: Decimal | None
    used: int
    fiscal_year: int  # BE

    @property
    def over_amount(self) -> bool:
        return self.limit.per_time is not None and self.amount is not None and self.amount > self.limit.per_time

    @property
    def over_times(self) -> bool:
        return self.limit.times_per_year is not None and self.used + 1 > self.limit.times_per_year

    @property
    def over(self) -> bool:
        return self.over_amount or self.over_times

    def params(self) -> dict[str, object]:
        """The figures for a message (`workflow.over_limit_*`)."""
        per_time = self.limit.per_time
        return {"per_time": f"{per_time:,.2f}" if per_time is not None else "—",
                "times": self.limit.times_per_year or "—", "used": self.used, "fiscal_year": self.fiscal_year,
                "amount": f"{self.amount:,.2f}" if self.amount is not None else "—"}

    def stored(self) -> dict[str, object]:
        """As the timeline event keeps it (JSON)."""
        return {"area": self.area, "per_time": str(self.limit.per_time) if self.limit.per_time is not None else None,
                "times_per_year": self.limit.times_per_year, "used": self.used, "fiscal_year": self.fiscal_year,
                "over": [k for k, over in (("amount", self.over_amount), ("times", self.over_times)) if over]}


def area_of(category: str) -> str:
    """The area of help a category key belongs to (an area is its own); from the reference data
    (db/reference.py), no query."""
    for area, (_in_budget, subtypes) in CATEGORIES.items():
        if category == area or category in subtypes:
            return area
    return category


def fiscal_span(year_be: int) -> tuple[datetime, datetime]:
    """The fiscal year `year_be` as naive-UTC bounds [start, end) of stored timestamps."""
    start = datetime.combine(date(year_be - BE_OFFSET - 1, 10, 1), time(), BANGKOK)
    end = datetime.combine(date(year_be - BE_OFFSET, 10, 1), time(), BANGKOK)
    return start.astimezone(UTC).replace(tzinfo=None), end.astimezone(UTC).replace(tzinfo=None)


def family_of(case: Case) -> list[int]:
    """The people counted as the family of the case's person helped (see the module docstring)."""
    person_id = case.subject_id or case.requester_id
    if person_id is None:
        return []
    person = Person.get_by_id(person_id)
    if not person.house_no or not person.subdistrict_code:
        return [person.id]
    same_house = Person.select(Person.id).where(
        Person.house_no == person.house_no, Person.moo == person.moo, Person.subdistrict_code == person.subdistrict_code)
    return sorted({person.id, *(p.id for p in same_house)})


def times_helped(case: Case, area: str, year_be: int) -> int:
    """How many times help was handed over to the case's family in `area` in fiscal year `year_be`."""
    start, end = fiscal_span(year_be)
    keys = [area, *CATEGORIES.get(area, (False, ()))[1]]
    family = family_of(case)
    whose = Case.subject.in_(family) | (Case.subject.is_null() & Case.requester.in_(family)) if family else (
        Case.id == case.id)
    return (CaseEvent.select().join(Case)
            .where(CaseEvent.action == "deliver", CaseEvent.at >= start, CaseEvent.at < end,
                   Case.category.in_(keys), whose).count())


def check(limits: dict[str, AidLimit], case: Case, amount: Decimal | None, on: date | None = None) -> LimitCheck | None:
    """The case's help of `amount` (None: goods only) handed over `on` (default today in Bangkok)
    against its area's limit; None when the area has none."""
    area = area_of(case.category_id)
    limit = limits.get(area)
    if limit is None:
        return None
    year = fiscal_year(on or now_bangkok().date())
    return LimitCheck(area, limit, amount, times_helped(case, area, year), year)


def preview(actor: Actor, limits: dict[str, AidLimit], case_id: int, amount: Decimal | None) -> LimitCheck | None:
    """What `check` would say now, for the step form to show before saving."""
    require(actor, "officer")
    case = Case.get_or_none(Case.id == case_id)
    return check(limits, case, amount) if case is not None else None
