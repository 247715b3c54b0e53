"""The lookup parsers of kiosk.services.public_case and kiosk.services.open311: garbage gives a clear ValidationError, nothing
else; good input in its many typed forms normalises to one form."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.errors import ValidationError
from kiosk.services import open311, public_case


@pytest.mark.parametrize("parse", [public_case.normalise_ticket, public_case.parse_last4, public_case.normalise_short_code,
                                   lambda s: open311.parse_datetime(s, "start_date")])
@given(text=st.text(max_size=40))
def test_garbage_gives_validation_error_only(parse, text):
    try:
        parse(text)
    except ValidationError as exc:
        assert exc.key.split(".")[0] in ("public_case", "open311")


@pytest.mark.parametrize("typed", ["WPK-69-00123", "wpk 69 123", "WPK6900123", "wpk-๖๙-๐๐๑๒๓", " WPK-69-123 "])
def test_ticket_forms(typed):
    assert public_case.normalise_ticket(typed) == "WPK-69-00123"


def test_short_code_is_forgiving_like_crockford():
    assert public_case.normalise_short_code("abcd-efgh") == "ABCDEFGH"
    assert public_case.normalise_short_code("o1il 2345") == "01112345"
    assert public_case.looks_like_short_code("7KQ2M9XR") and not public_case.looks_like_short_code("WPK-69-00123")


def test_token_from_url():
    assert public_case.token_from_url("https://help.example/t/abcDEF123_-xyz\n") == "abcDEF123_-xyz"
    assert public_case.token_from_url("https://help.example/x/abcdef123") is None


def test_open311_datetime_without_zone_is_bangkok():
    assert str(open311.parse_datetime("2026-05-01T07:00:00", "d")) == "2026-05-01 00:00:00"
    assert str(open311.parse_datetime("2026-05-01T00:00:00Z", "d")) == "2026-05-01 00:00:00"


@pytest.mark.parametrize("text", ["0001-01-01", "0001-01-01T06:00:00", "9999-12-31T23:00:00-12:00",
                                  "9999-12-31T23:59:59-00:01"])
def test_open311_datetime_without_a_utc_form_is_a_format_error(text):
    with pytest.raises(ValidationError) as caught:
        open311.parse_datetime(text, "start_date")
    assert caught.value.key == "open311.date_format"


def test_short_codes_are_never_read_as_ticket_numbers():
    """A code like "AB123456" would match the ticket pattern and be asked for a phone; issued
    codes start with a digit, so every one is taken as a short code, in any case."""
    from kiosk.services.cases import _short_code
    from kiosk.services.public_case import looks_like_short_code

    codes = [_short_code() for _ in range(3000)]
    assert all(looks_like_short_code(c) and looks_like_short_code(c.lower()) for c in codes)
