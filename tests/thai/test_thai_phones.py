import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kiosk.errors import ValidationError
from kiosk.thai.digits import to_thai_digits
from kiosk.thai.phones import Phone, format_phone_thai, last4, parse_phone


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("081-234-5678", Phone("+66812345678", "mobile")),
        ("0812345678", Phone("+66812345678", "mobile")),
        ("+66 81 234 5678", Phone("+66812345678", "mobile")),
        ("๐๘๑ ๒๓๔ ๕๖๗๘", Phone("+66812345678", "mobile")),
        ("096-123-4567", Phone("+66961234567", "mobile")),
        ("053-123-456", Phone("+6653123456", "landline")),
        ("+6653123456", Phone("+6653123456", "landline")),
        ("02-123-4567", Phone("+6621234567", "landline")),
        ("1800-123-456", Phone("+661800123456", "other")),  # toll-free
    ],
)
def test_valid_phones(text, phone):
    assert parse_phone(text) == phone


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "thai.required"),
        ("abc", "thai.phone_invalid"),
        ("081-234-567", "thai.phone_invalid"),  # a digit short
        ("0812345678901", "thai.phone_invalid"),
        ("1300", "thai.phone_invalid"),  # a hotline, not a person's number
        ("+", "thai.phone_invalid"),
    ],
)
def test_invalid_phones(text, key):
    with pytest.raises(ValidationError) as e:
        parse_phone(text)
    assert e.value.key == key


def test_thai_national_format():
    assert format_phone_thai("+66812345678") == "081-234-5678"
    assert format_phone_thai("+6653123456") == "053-123-456"
    assert format_phone_thai("+6621234567") == "02-123-4567"
    assert last4("+66812345678") == "5678"


thai_mobiles = st.from_regex(r"0[689][0-9]{8}", fullmatch=True)


@given(thai_mobiles, st.booleans())
def test_mobile_round_trip(accepts_or_rejects, national, thai):
    phone = accepts_or_rejects(parse_phone, national)
    assume(isinstance(phone, Phone))  # some ranges are unallocated
    shown = format_phone_thai(phone.e164)
    assert parse_phone(to_thai_digits(shown) if thai else shown) == phone
    assert shown.replace("-", "") == national
    assert last4(phone.e164) == national[-4:]


@given(st.text())
def test_any_text_accepted_or_rejected(accepts_or_rejects, text):
    result = accepts_or_rejects(parse_phone, text)
    if isinstance(result, Phone):
        assert parse_phone(result.e164) == result


@given(st.text("0123456789+- ๐๑๒๓๔๕๖๗๘๙()", max_size=20))
def test_phone_like_text_accepted_or_rejected(accepts_or_rejects, text):
    accepts_or_rejects(parse_phone, text)
