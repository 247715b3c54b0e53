import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.errors import ValidationError
from kiosk.thai.digits import to_thai_digits
from kiosk.thai.ids import (
    Document,
    DocumentType,
    check_digit,
    format_national_id,
    mask_national_id,
    parse_document,
    parse_national_id,
)

ZERO_PREFIX = "0012345678909"


def _valid(first12: str) -> str:
    return first12 + str(check_digit(first12))


def test_check_digit_by_hand():
    # 1·13 + 2·12 + 3·11 + 4·10 + 5·9 + 6·8 + 7·7 + 8·6 + 9·5 + 0·4 + 1·3 + 2·2 = 352; 352 mod 11 = 0
    assert check_digit("123456789012") == 1  # (11 - 0) mod 10
    # 0·13 + 0·12 + 1·11 + 2·10 + 3·9 + 4·8 + 5·7 + 6·6 + 7·5 + 8·4 + 9·3 + 0·2 = 255; 255 mod 11 = 2
    assert check_digit("001234567890") == 9


def test_valid_ids():
    assert parse_national_id("1234567890121") == "1234567890121"
    assert parse_national_id("1-2345-67890-12-1") == "1234567890121"
    assert parse_national_id(" 1 2345 67890 12 1 ") == "1234567890121"
    assert parse_national_id("๑-๒๓๔๕-๖๗๘๙๐-๑๒-๑") == "1234567890121"


def test_leading_zero_is_valid():
    assert parse_national_id(ZERO_PREFIX) == ZERO_PREFIX
    assert parse_national_id("0-0123-45678-90-9") == ZERO_PREFIX


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "thai.required"),
        ("   ", "thai.required"),
        ("1234567890122", "thai.id_checksum"),
        ("1234567890211", "thai.id_checksum"),  # digits 11 and 12 swapped
        (_valid("912345678901"), "thai.id_first_digit_9"),
        ("123456789012", "thai.id_length"),
        ("12345678901211", "thai.id_length"),
        ("12345678901a1", "thai.id_chars"),
        ("๑๒๓x", "thai.id_chars"),
    ],
)
def test_invalid_ids(text, key):
    with pytest.raises(ValidationError) as e:
        parse_national_id(text)
    assert e.value.key == key
    assert e.value.field == "national_id"


def test_length_error_says_how_many():
    with pytest.raises(ValidationError) as e:
        parse_national_id("12345")
    assert e.value.params["length"] == 5


def test_format_and_mask():
    assert format_national_id("1234567890121") == "1-2345-67890-12-1"
    assert mask_national_id("1234567890121") == "x-xxxx-xxxxx-12-1"


national_ids = st.builds(
    lambda first, rest: _valid(first + rest),
    st.sampled_from("012345678"),
    st.text("0123456789", min_size=11, max_size=11),
)


@given(national_ids, st.booleans())
def test_format_parse_round_trip(number, thai):
    shown = format_national_id(number)
    assert parse_national_id(to_thai_digits(shown) if thai else shown) == number
    assert mask_national_id(number).endswith(shown[-4:])


@given(national_ids, st.integers(1, 9))
def test_any_wrong_check_digit_is_caught(number, delta):
    # (Not every slip in the first 12 digits is: sums ≡ 0 and ≡ 10 mod 11 share check digit 1.)
    with pytest.raises(ValidationError) as e:
        parse_national_id(number[:12] + str((int(number[12]) + delta) % 10))
    assert e.value.key == "thai.id_checksum"


@given(st.text())
def test_any_text_accepted_or_rejected(accepts_or_rejects, text):
    result = accepts_or_rejects(parse_national_id, text)
    if isinstance(result, str):
        assert len(result) == 13 and result.isascii() and result.isdigit()


def test_documents():
    assert parse_document("national_id", "0-0123-45678-90-9") == Document(DocumentType.NATIONAL_ID, ZERO_PREFIX)
    assert parse_document(DocumentType.PASSPORT, "aa 123456") == Document(DocumentType.PASSPORT, "AA123456")
    assert parse_document("pink_card", "0-0123-45678-90-1").number == "0012345678901"  # checksum not enforced
    assert parse_document("other", "  ใบสำคัญประจำตัวคนต่างด้าว 123  ").number == "ใบสำคัญประจำตัวคนต่างด้าว 123"
    assert parse_document("none", "  ") == Document(DocumentType.NONE, "")


@pytest.mark.parametrize(
    ("doc_type", "number", "key"),
    [
        ("national_id", "1234567890122", "thai.id_checksum"),
        ("passport", "A1234", "thai.passport_format"),
        ("passport", "AB12345678", "thai.passport_format"),
        ("passport", "ßßß123", "thai.passport_format"),  # upper() would make it ASCII
        ("pink_card", "12345", "thai.pink_card_format"),
        ("pink_card", "abcdefghijklm", "thai.pink_card_format"),
        ("other", "", "thai.document_other_format"),
        ("other", "x" * 41, "thai.document_other_format"),
        ("other", "a\x00b", "thai.document_other_format"),
        ("none", "123", "thai.document_none_has_number"),
        ("driving_licence", "123", "thai.document_type"),
    ],
)
def test_invalid_documents(doc_type, number, key):
    with pytest.raises(ValidationError) as e:
        parse_document(doc_type, number)
    assert e.value.key == key


@given(st.sampled_from([*DocumentType, "bogus"]), st.text())
def test_any_document_accepted_or_rejected(accepts_or_rejects, doc_type, number):
    result = accepts_or_rejects(parse_document, doc_type, number)
    if isinstance(result, Document):
        assert parse_document(result.type, result.number) == result
