from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.errors import ValidationError
from kiosk.thai.dates import (
    BANGKOK,
    age_on,
    fiscal_year,
    format_be_date,
    format_be_datetime,
    now_bangkok,
    parse_be_date,
    parse_birth_date,
)

TODAY = date(2026, 11, 26)  # 26/11/2569


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("26/11/2569", date(2026, 11, 26)),
        ("๒๖/๑๑/๒๕๖๙", date(2026, 11, 26)),
        ("1-2-2569", date(2026, 2, 1)),
        ("01.02.2569", date(2026, 2, 1)),
        (" 5 / 6 / 2500 ", date(1957, 6, 5)),
        ("29/02/2567", date(2024, 2, 29)),  # BE 2567 = CE 2024, a leap year
        ("31/12/2568", date(2025, 12, 31)),
        ("01/01/2569", date(2026, 1, 1)),
    ],
)
def test_valid_be_dates(text, expected):
    assert parse_be_date(text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "thai.required"),
        ("26/11", "thai.date_format"),
        ("26/11/69", "thai.date_format"),
        ("วันนี้", "thai.date_format"),
        ("29/02/2566", "thai.date_not_leap_year"),
        ("31/02/2569", "thai.date_day_range"),
        ("31/04/2569", "thai.date_day_range"),
        ("0/1/2569", "thai.date_day_range"),
        ("1/13/2569", "thai.date_month_range"),
        ("1/0/2569", "thai.date_month_range"),
        ("1/1/1800", "thai.date_year_range"),
        ("1/1/2800", "thai.date_year_range"),
        ("26/11/2026", "thai.date_looks_ce"),
    ],
)
def test_invalid_be_dates(text, key):
    with pytest.raises(ValidationError) as e:
        parse_be_date(text, today=TODAY)
    assert e.value.key == key


def test_ce_looking_year_offers_be_reading():
    with pytest.raises(ValidationError) as e:
        parse_be_date("๒๖/๑๑/๒๐๒๖", today=TODAY)
    assert e.value.params.items() >= {"year": 2026, "be_year": 2569, "suggestion": "26/11/2569"}.items()
    assert parse_be_date(e.value.params["suggestion"], today=TODAY) == TODAY


def test_ce_looking_year_with_impossible_day_reports_the_day():
    with pytest.raises(ValidationError) as e:
        parse_be_date("29/02/2023", today=TODAY)
    assert e.value.key == "thai.date_not_leap_year"


def test_birth_dates():
    assert parse_birth_date("26/11/2569", today=TODAY) == TODAY
    with pytest.raises(ValidationError) as e:
        parse_birth_date("27/11/2569", today=TODAY)
    assert (e.value.key, e.value.field) == ("thai.birth_date_future", "birth_date")
    with pytest.raises(ValidationError) as e:
        parse_birth_date("01/01/2430", today=TODAY)
    assert e.value.key == "thai.birth_date_too_old"


def test_formats():
    assert format_be_date(TODAY) == "26/11/2569"
    assert format_be_date(date(2026, 1, 5)) == "05/01/2569"
    assert format_be_date(TODAY, "long") == "26 พฤศจิกายน 2569"
    assert format_be_date(TODAY, "long", thai_digits=True) == "๒๖ พฤศจิกายน ๒๕๖๙"
    assert format_be_date(TODAY, thai_digits=True) == "๒๖/๑๑/๒๕๖๙"


def test_datetime_in_bangkok():
    utc = datetime(2568 - 543, 12, 31, 17, 30, tzinfo=UTC)  # 00:30 next day in Bangkok
    assert format_be_datetime(utc) == "01/01/2569 00:30"
    assert format_be_datetime(utc.replace(tzinfo=None)) == "01/01/2569 00:30"
    assert format_be_datetime(utc, "long") == "1 มกราคม 2569 00:30 น."
    assert now_bangkok().utcoffset() == timedelta(hours=7)


def test_age_and_fiscal_year():
    assert age_on(date(2000, 11, 26), TODAY) == 26
    assert age_on(date(2000, 11, 27), TODAY) == 25
    assert age_on(date(2024, 2, 29), date(2025, 2, 28)) == 0
    assert age_on(date(2024, 2, 29), date(2025, 3, 1)) == 1
    assert fiscal_year(date(2026, 9, 30)) == 2569
    assert fiscal_year(date(2026, 10, 1)) == 2570


@given(st.dates(date(1857, 1, 1), date(2126, 12, 31)), st.booleans(), st.sampled_from("/-."))
def test_format_parse_round_trip(d, thai, sep):
    text = format_be_date(d, thai_digits=thai).replace("/", sep)
    assert parse_be_date(text, today=TODAY) == d


@given(st.datetimes(timezones=st.just(BANGKOK)))
def test_datetime_shows_the_bangkok_date(dt):
    assert format_be_datetime(dt).startswith(format_be_date(dt.astimezone(BANGKOK).date()))


@given(st.text())
def test_any_text_accepted_or_rejected(accepts_or_rejects, text):
    accepts_or_rejects(parse_be_date, text, today=TODAY)
    accepts_or_rejects(parse_birth_date, text, today=TODAY)


@given(st.from_regex(r"[0-9๐-๙]{1,3}[/.\-][0-9๐-๙]{1,3}[/.\-][0-9๐-๙]{3,5}", fullmatch=True))
def test_date_like_text_accepted_or_rejected(accepts_or_rejects, text):
    result = accepts_or_rejects(parse_be_date, text, today=TODAY)
    if isinstance(result, date):
        assert parse_be_date(format_be_date(result), today=TODAY) == result
