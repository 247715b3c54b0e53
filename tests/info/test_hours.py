"""Opening hours in Bangkok time: open now / closes at / opens at, around midnight, weekends and
configured holidays. Pure functions with an explicit `now`."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from kiosk.services.centre import opening_status, status_text, week_lines
from kiosk.thai.dates import BANGKOK

OFFICE = {d: (time(8, 30), time(16, 30)) for d in ("mon", "tue", "wed", "thu", "fri")} | {"sat": None, "sun": None}
HOLIDAYS = (date(2026, 12, 7), date(2026, 12, 31), date(2027, 1, 1))  # a Monday, a Thursday, a Friday


def bkk(y, m, d, hh=0, mm=0, ss=0):
    return datetime(y, m, d, hh, mm, ss, tzinfo=BANGKOK)


def test_open_on_a_weekday_says_when_it_closes():
    s = opening_status(OFFICE, (), bkk(2026, 12, 2, 10, 0))  # Wednesday
    assert s.open_now and s.closes_at == bkk(2026, 12, 2, 16, 30)
    assert status_text(s, "en") == "Open now · closes today at 16:30"
    assert status_text(s, "th") == "เปิดอยู่ขณะนี้ · ปิดวันนี้ เวลา 16:30 น."


def test_opening_and_closing_minutes_are_inclusive_then_exclusive():
    assert opening_status(OFFICE, (), bkk(2026, 12, 2, 8, 30)).open_now
    assert not opening_status(OFFICE, (), bkk(2026, 12, 2, 8, 29, 59)).open_now
    after = opening_status(OFFICE, (), bkk(2026, 12, 2, 16, 30))
    assert not after.open_now and after.opens_at == bkk(2026, 12, 3, 8, 30)
    assert status_text(after, "en") == "Closed now · opens tomorrow at 08:30"


def test_before_opening_says_today():
    s = opening_status(OFFICE, (), bkk(2026, 12, 2, 6, 0))
    assert not s.open_now and status_text(s, "en") == "Closed now · opens today at 08:30"


def test_friday_evening_and_the_weekend_point_to_monday():
    for now in (bkk(2026, 12, 4, 17, 0), bkk(2026, 12, 5, 12, 0), bkk(2026, 12, 6, 23, 59)):
        s = opening_status(OFFICE, (), now)
        assert not s.open_now and s.opens_at == bkk(2026, 12, 7, 8, 30)
    assert status_text(opening_status(OFFICE, (), bkk(2026, 12, 5, 12)), "en") == \
        "Closed now · opens Mon 07/12/2569 at 08:30"


def test_a_holiday_closes_a_weekday_and_the_next_opening_skips_it():
    s = opening_status(OFFICE, HOLIDAYS, bkk(2026, 12, 7, 10, 0))  # Monday, a holiday
    assert not s.open_now and s.holiday_today and s.opens_at == bkk(2026, 12, 8, 8, 30)
    assert status_text(s, "en").startswith("Closed today (public holiday)")
    weekend = opening_status(OFFICE, HOLIDAYS, bkk(2026, 12, 5, 10, 0))  # Saturday before it
    assert weekend.opens_at == bkk(2026, 12, 8, 8, 30) and not weekend.holiday_today


def test_new_year_run_of_holidays_and_weekend():
    s = opening_status(OFFICE, HOLIDAYS, bkk(2026, 12, 30, 17, 0))  # Wed evening; Thu+Fri holidays
    assert s.opens_at == bkk(2027, 1, 4, 8, 30)


def test_the_day_boundary_is_bangkok_not_utc():
    # 2026-12-04 18:00 UTC is Saturday 01:00 in Bangkok: closed, opens Monday.
    s = opening_status(OFFICE, (), datetime(2026, 12, 4, 18, 0))  # naive = UTC
    assert not s.open_now and s.opens_at == bkk(2026, 12, 7, 8, 30)
    # 2026-12-02 02:00 UTC is 09:00 Wednesday in Bangkok: open.
    assert opening_status(OFFICE, (), datetime(2026, 12, 2, 2, 0, tzinfo=UTC)).open_now


LATE = {"mon": (time(18, 0), time(23, 59)), "tue": (time(0, 0), time(2, 0)), "wed": None, "thu": None,
        "fri": None, "sat": None, "sun": None}


def test_a_span_to_midnight_joins_the_next_morning():
    """"18:00-24:00" Monday and "00:00-02:00" Tuesday read as one night: open until 02:00."""
    s = opening_status(LATE, (), bkk(2026, 12, 7, 23, 59, 30))
    assert s.open_now and s.closes_at == bkk(2026, 12, 8, 2, 0)
    assert status_text(s, "en") == "Open now · closes tomorrow at 02:00"
    after_midnight = opening_status(LATE, (), bkk(2026, 12, 8, 0, 30))
    assert after_midnight.open_now and after_midnight.closes_at == bkk(2026, 12, 8, 2, 0)
    assert status_text(after_midnight, "en") == "Open now · closes today at 02:00"


def test_until_midnight_reads_24_00_today():
    hours = dict(OFFICE, fri=(time(8, 30), time(23, 59)))
    s = opening_status(hours, (), bkk(2026, 12, 4, 22, 0))
    assert s.open_now and s.closes_at == bkk(2026, 12, 5, 0, 0)
    assert status_text(s, "en") == "Open now · closes today at 24:00"
    assert not opening_status(hours, (), bkk(2026, 12, 5, 0, 0)).open_now


def test_a_holiday_cuts_an_all_night_run():
    hours = {d: (time(0, 0), time(23, 59)) for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    s = opening_status(hours, (date(2026, 12, 10),), bkk(2026, 12, 8, 12, 0))
    assert s.open_now and s.closes_at == bkk(2026, 12, 10, 0, 0)
    always = opening_status(hours, (), bkk(2026, 12, 8, 12, 0))
    assert always.open_now and always.closes_at is None
    assert status_text(always, "th") == "เปิดตลอด 24 ชั่วโมง"


def test_never_open_says_only_closed():
    s = opening_status({d: None for d in OFFICE}, (), bkk(2026, 12, 8, 12, 0))
    assert not s.open_now and s.opens_at is None and status_text(s, "en") == "Closed now"


def test_week_lines_join_equal_days():
    assert week_lines(OFFICE, "en") == [("Mon–Fri", "08:30–16:30"), ("Sat–Sun", "closed")]
    assert week_lines(LATE, "th")[0] == ("จันทร์", "18:00–24:00")


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1)))
def test_status_is_consistent_at_any_moment(now):
    s = opening_status(OFFICE, HOLIDAYS, now)
    local = now.replace(tzinfo=UTC).astimezone(BANGKOK)
    if s.open_now:
        assert s.closes_at > local and s.closes_at - local <= timedelta(hours=8)
    else:
        assert local < s.opens_at <= local + timedelta(days=5)
        assert s.opens_at.time() == time(8, 30) and s.opens_at.weekday() < 5
