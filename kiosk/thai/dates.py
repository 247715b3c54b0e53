"""Buddhist Era dates as people write them (dd/mm/2569), Bangkok time, the Thai fiscal year.

A year that looks like CE (2026) is never converted silently: the error offers the BE reading
so the screen can ask "did you mean 2569?".
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from kiosk.errors import ValidationError
from kiosk.thai.digits import to_arabic_digits, to_thai_digits

BANGKOK = ZoneInfo("Asia/Bangkok")
BE_OFFSET = 543
CE_LOOKING = range(1900, 2101)  # as BE these would be 1357–1558 CE: absurd for our records
OLDEST_BE = 2400  # 1857 CE; anything older is a typing mistake

_DATE = re.compile(r"([0-9]{1,2})\s*[/.\-]\s*([0-9]{1,2})\s*[/.\-]\s*([0-9]{4})")


def now_bangkok() -> datetime:
    """The current time, aware, in Asia/Bangkok."""
    return datetime.now(BANGKOK)


def parse_be_date(text: str, *, today: date | None = None, field: str = "date") -> date:
    """Parse "d/m/yyyy" in Buddhist Era ("-" or "." also separate; Thai digits fine).

    `today` (default: today in Bangkok) bounds the year: up to 100 years ahead is accepted.
    """
    raw = to_arabic_digits(text).strip()
    if not raw:
        raise ValidationError("thai.required", "empty", field=field)
    m = _DATE.fullmatch(raw)
    if not m:
        raise ValidationError("thai.date_format", "expected dd/mm/yyyy (BE)", field=field)
    day, month, year = (int(g) for g in m.groups())
    if not 1 <= month <= 12:
        raise ValidationError("thai.date_month_range", f"month {month}", field=field, month=month)
    if year in CE_LOOKING:
        _check_day(day, month, year, field)  # CE year Y and BE Y+543 are the same calendar year
        be = year + BE_OFFSET
        raise ValidationError(
            "thai.date_looks_ce", f"{year} looks CE; BE would be {be}", field=field,
            year=year, be_year=be, suggestion=f"{day:02d}/{month:02d}/{be}",
        )
    latest = (today or now_bangkok().date()).year + BE_OFFSET + 100
    if not OLDEST_BE <= year <= latest:
        raise ValidationError("thai.date_year_range", f"BE year {year}", field=field, year=year)
    _check_day(day, month, year - BE_OFFSET, field)
    return date(year - BE_OFFSET, month, day)


def _check_day(day: int, month: int, ce_year: int, field: str) -> None:
    last = calendar.monthrange(ce_year, month)[1]
    if month == 2 and day == 29 and last == 28:
        raise ValidationError(
            "thai.date_not_leap_year", "29 Feb in a common year", field=field, year=ce_year + BE_OFFSET
        )
    if not 1 <= day <= last:
        raise ValidationError(
            "thai.date_day_range", f"day {day} of month {month}", field=field, day=day, month=month, last=last
        )


def parse_birth_date(text: str, *, today: date | None = None) -> date:
    """A BE birth date that is not in the future nor more than 130 years ago."""
    today = today or now_bangkok().date()
    born = parse_be_date(text, today=today, field="birth_date")
    if born > today:
        raise ValidationError("thai.birth_date_future", "born in the future", field="birth_date")
    if age_on(born, today) > 130:
        raise ValidationError("thai.birth_date_too_old", "older than 130", field="birth_date")
    return born


def format_be_date(d: date, style: Literal["short", "long"] = "short", thai_digits: bool = False) -> str:
    """"26/11/2569" (short) or "26 พฤศจิกายน 2569" (long), optionally in Thai digits."""
    if style == "long":
        from pythainlp.util.date import thai_full_months

        text = f"{d.day} {thai_full_months[d.month - 1]} {d.year + BE_OFFSET}"
    else:
        text = f"{d.day:02d}/{d.month:02d}/{d.year + BE_OFFSET}"
    return to_thai_digits(text) if thai_digits else text


def format_be_datetime(
    dt: datetime, style: Literal["short", "long"] = "short", thai_digits: bool = False
) -> str:
    """Date and time in Bangkok: "26/11/2569 14:30" or "26 พฤศจิกายน 2569 14:30 น.".

    A naive datetime is taken as UTC, which is how the core stores time.
    """
    local = (dt if dt.tzinfo else dt.replace(tzinfo=UTC)).astimezone(BANGKOK)
    text = f"{format_be_date(local.date(), style)} {local:%H:%M}" + (" น." if style == "long" else "")
    return to_thai_digits(text) if thai_digits else text


def age_on(birth: date, on: date) -> int:
    """Age in completed years on a day (a 29 Feb birthday counts from 1 Mar in common years)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def fiscal_year(d: date) -> int:
    """Thai government fiscal year (1 Oct – 30 Sep) as BE: 1 Oct 2026 → 2570."""
    return d.year + BE_OFFSET + (d.month >= 10)
