"""What the public needs to find and reach the centre: opening hours (open now / opens at /
closes at, in Bangkok time), the address in words from the DOPA codes, map links and the status
page. Pure functions of the settings and an explicit `now`, so they test without a clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from ..config import DAYS, Lao, Settings
from ..i18n import translate
from ..thai.addresses import Address, format_address_thai, subdistrict
from ..thai.dates import BANGKOK, format_be_date

Hours = dict[str, tuple[time, time] | None]
_LAST_MINUTE = time(23, 59)  # the config writes "24:00" as 23:59
_HORIZON_DAYS = 30  # how far ahead to look for the next opening (a long holiday run)


@dataclass(frozen=True)
class OpenStatus:
    """Whether the centre is open at `now`, and the next change (Bangkok-aware datetimes).
    `closes_at` is None when open with no end within the horizon (24/7); `opens_at` is None when
    no opening is found within the horizon."""

    now: datetime
    open_now: bool
    closes_at: datetime | None = None
    opens_at: datetime | None = None
    holiday_today: bool = False


def to_bangkok(now: datetime) -> datetime:
    """An aware Bangkok time; a naive `now` is UTC, as the core stores time."""
    return (now if now.tzinfo else now.replace(tzinfo=UTC)).astimezone(BANGKOK)


def _span(hours: Hours, holidays: frozenset[date], day: date) -> tuple[datetime, datetime] | None:
    """The opening span of one Bangkok calendar day, or None when closed (weekly or a holiday)."""
    if day in holidays:
        return None
    spec = hours.get(DAYS[day.weekday()])
    if spec is None:
        return None
    opens, closes = spec
    start = datetime.combine(day, opens, BANGKOK)
    end = datetime.combine(day, closes, BANGKOK)
    if closes == _LAST_MINUTE:
        end = datetime.combine(day + timedelta(days=1), time(0, 0), BANGKOK)  # "until midnight"
    return start, end


def opening_status(hours: Hours, holidays: tuple[date, ...] | frozenset[date], now: datetime) -> OpenStatus:
    """Open now?  When it closes, or when it next opens. A day that runs to midnight joins the
    next day's span when that opens at 00:00 (an all-night centre closes when the run ends)."""
    local = to_bangkok(now)
    holidays = frozenset(holidays)
    today = local.date()
    for offset in range(-1, 1):  # yesterday's span may run past midnight into today
        span = _span(hours, holidays, today + timedelta(days=offset))
        if span and span[0] <= local < span[1]:
            end = span[1]
            for ahead in range(1, _HORIZON_DAYS):
                following = _span(hours, holidays, today + timedelta(days=offset + ahead))
                if following is None or following[0] != end:
                    return OpenStatus(local, True, closes_at=end, holiday_today=today in holidays)
                end = following[1]
            return OpenStatus(local, True, holiday_today=today in holidays)
    for ahead in range(_HORIZON_DAYS):
        span = _span(hours, holidays, today + timedelta(days=ahead))
        if span and span[0] > local:
            return OpenStatus(local, False, opens_at=span[0], holiday_today=today in holidays)
    return OpenStatus(local, False, holiday_today=today in holidays)


def to_utc_naive(now: datetime) -> datetime:
    """The core's stored form of a time: naive UTC."""
    return now.astimezone(UTC).replace(tzinfo=None) if now.tzinfo else now


def status_of(settings: Settings, now: datetime) -> OpenStatus:
    return opening_status(settings.hours, settings.holidays, now)


def _clock(t: datetime | time) -> str:
    return "24:00" if isinstance(t, datetime) and t.time() == time(0, 0) else f"{t:%H:%M}"


def _day_name(day: date | int, lang: str) -> str:
    index = day if isinstance(day, int) else day.weekday()
    return translate(f"hours.day_{DAYS[index]}", lang)


def status_text(status: OpenStatus, lang: str = "th") -> str:
    """"Open now · closes at 16:30" or "Closed · opens tomorrow at 08:30", in `lang`."""
    def when(at: datetime) -> str:
        clock = _clock(at)
        if at.time() == time(0, 0):  # "today at 24:00" reads better than "tomorrow at 00:00"
            at -= timedelta(minutes=1)
        gap = (at.date() - status.now.date()).days
        if gap == 0:
            return translate("hours.today_at", lang, time=clock)
        if gap == 1:
            return translate("hours.tomorrow_at", lang, time=clock)
        return translate("hours.day_at", lang, day=_day_name(at, lang), date=format_be_date(at.date()), time=clock)

    if status.open_now:
        if status.closes_at is None:
            return translate("hours.open_always", lang)
        return translate("hours.open_now", lang, until=when(status.closes_at))
    head = translate("hours.closed_holiday" if status.holiday_today else "hours.closed_now", lang)
    if status.opens_at is None:
        return head
    return translate("hours.closed_opens", lang, head=head, at=when(status.opens_at))


def week_lines(hours: Hours, lang: str = "th") -> list[tuple[str, str]]:
    """The weekly table with equal neighbouring days joined: [("Mon–Fri", "08:30–16:30"),
    ("Sat–Sun", "closed")]."""
    groups: list[list[int]] = []
    for index, day in enumerate(DAYS):
        if groups and hours.get(DAYS[groups[-1][-1]]) == hours.get(day):
            groups[-1].append(index)
        else:
            groups.append([index])
    lines = []
    for group in groups:
        days = _day_name(group[0], lang) if len(group) == 1 else \
            f"{_day_name(group[0], lang)}–{_day_name(group[-1], lang)}"
        spec = hours.get(DAYS[group[0]])
        lines.append((days, translate("hours.closed", lang) if spec is None
                      else f"{_clock(spec[0])}–{'24:00' if spec[1] == _LAST_MINUTE else _clock(spec[1])}"))
    return lines


def week_text(hours: Hours, lang: str = "th", sep: str = ", ") -> str:
    """The weekly table on one line (receipts, posters)."""
    return sep.join(f"{days} {spec}" for days, spec in week_lines(hours, lang))


# ------------------------------------------------------------------------------- address

def address_text(settings: Settings, lang: str = "th") -> str:
    """The centre's address in words: Thai as the post writes it, or English from the DOPA names."""
    if lang != "en":
        return format_address_thai(Address(house_no=settings.house_no or None, moo=settings.moo,
                                           road=settings.road, subdistrict_code=settings.subdistrict_code))
    area = subdistrict(settings.subdistrict_code)
    parts = [settings.house_no, f"Moo {settings.moo}" if settings.moo else "",
             f"{settings.road} Road" if settings.road else ""]
    if area is not None:
        parts += [f"{area.name_en} Subdistrict", f"{area.district_en} District", f"{area.province_en} {area.postcode}"]
    return ", ".join(p for p in parts if p)


def directions(settings: Settings, lang: str = "th") -> str:
    return (settings.directions_en if lang == "en" and settings.directions_en else settings.directions_th)


# ------------------------------------------------------------------------------- links

def _coord(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


def geo_uri(settings: Settings) -> str:
    """RFC 5870 `geo:` URI: Android map apps open it directly."""
    return f"geo:{_coord(settings.latitude)},{_coord(settings.longitude)}"


def maps_url(settings: Settings) -> str:
    """An https map link every phone camera opens (the QR uses this; iPhones ignore `geo:`).
    Kept short so its QR code stays small (version 3, 37×19 cells)."""
    return f"https://maps.google.com/?q={_coord(settings.latitude)},{_coord(settings.longitude)}"


def lao_contact(settings: Settings, prefix: str, lang: str = "th") -> str:
    """A member LAO's name and its own contacts in one line ("name · โทร 053-… · LINE @…"), for
    the public pages of a joint centre; "" for a centre of one LAO (the centre's own contacts
    say it all) or a prefix this config does not list. No personal data: the LAO's own."""
    lao = settings.lao(prefix) if settings.joint else None
    if lao is None:
        return ""
    return " · ".join([lao.name(lang), *lao_contacts(lao, lang)])


def lao_contacts(lao: Lao, lang: str = "th") -> list[str]:
    """A member LAO's own phones and LINE account, as the public reads them."""
    parts = [translate("info.lao_phones", lang, phones=", ".join(lao.phones))] if lao.phones else []
    return parts + ([f"LINE {lao.line_id}"] if lao.line_id else [])


def status_page_url(settings: Settings) -> str:
    """Where citizens follow a request (the status server's track form)."""
    return f"{settings.public_base_url}/track"


EMERGENCY_ORDER = ("medical", "fire", "police", "disaster")


def emergency_lines(settings: Settings, lang: str = "th") -> list[tuple[str, str]]:
    """[(label, number)] for the emergency numbers, in a fixed order."""
    return [(translate(f"info.emergency_{key}", lang), settings.emergency[key])
            for key in EMERGENCY_ORDER if settings.emergency.get(key)]
