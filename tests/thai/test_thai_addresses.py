import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.errors import ValidationError
from kiosk.thai.addresses import (
    Address,
    find_subdistrict,
    format_address_thai,
    parse_house_no,
    parse_moo,
    search_districts,
    search_provinces,
    search_subdistricts,
    subdistrict,
    subdistricts_by_postcode,
)
from kiosk.thai.digits import to_thai_digits

WIANG_PHANG_KHAM = "570906"


def test_sample_centre_resolves():
    s = find_subdistrict("เวียงพางคำ", "แม่สาย", "เชียงราย")
    assert s is not None and s.code == WIANG_PHANG_KHAM
    assert (s.name_en, s.district_th, s.province_th, s.postcode) == ("Wiang Phang Kham", "แม่สาย", "เชียงราย", "57130")
    assert find_subdistrict("ต.เวียงพางคำ", "อ.แม่สาย", "จ.เชียงราย") == s
    assert find_subdistrict("เวียงพางคำ", "เมือง", "เชียงราย") is None
    assert subdistrict(WIANG_PHANG_KHAM) == s
    assert subdistrict("999999") is None


def test_postcode_lists_wiang_phang_kham():
    found = subdistricts_by_postcode("๕๗๑๓๐")
    assert "Wiang Phang Kham" in [s.name_en for s in found]
    assert {s.district_en for s in found} == {"Mae Sai"}
    assert subdistricts_by_postcode("00000") == []
    with pytest.raises(ValidationError) as e:
        subdistricts_by_postcode("5713")
    assert e.value.key == "thai.postcode_format"


def test_type_ahead_thai_and_english():
    assert [p.name_en for p in search_provinces("เชียง")] == ["Chiang Mai", "Chiang Rai"]
    assert [p.code for p in search_provinces("CHIANG r")] == ["57"]
    assert search_provinces("จังหวัดเชียงราย")[0].code == "57"
    assert search_provinces("rai")[0].name_en == "Chiang Rai"  # substring
    assert len(search_provinces("")) == 77
    assert search_districts("57", "mae sai")[0].code == "5709"
    assert search_districts("57", "แมสาย")[0].name_th == "แม่สาย"  # no tone mark typed
    assert [d.name_th for d in search_districts("10", "พระนคร")][0] == "เขตพระนคร"
    assert [s.code for s in search_subdistricts("5709", "เวียงพาง")] == [WIANG_PHANG_KHAM]
    assert search_subdistricts("5709", "zzz") == []


def test_prefix_matches_come_before_substring_matches():
    names = [p.name_en for p in search_provinces("buri")]
    assert names[0] == "Buri Ram"
    assert "Chon Buri" in names


def test_format_address_upcountry():
    addr = Address("123/4", 5, "บ้านสันทราย", "ซ.3", "ถนนพหลโยธิน", WIANG_PHANG_KHAM)
    assert format_address_thai(addr) == (
        "123/4 หมู่ที่ 5 บ้านสันทราย ซอย3 ถนนพหลโยธิน ตำบลเวียงพางคำ อำเภอแม่สาย จังหวัดเชียงราย 57130"
    )
    only_area = format_address_thai(Address(subdistrict_code=WIANG_PHANG_KHAM))
    assert only_area == "ตำบลเวียงพางคำ อำเภอแม่สาย จังหวัดเชียงราย 57130"


def test_format_address_bangkok_uses_khwaeng_and_khet():
    line = format_address_thai(Address("99", road="สุขุมวิท", subdistrict_code="100101"))
    assert line == "99 ถนนสุขุมวิท แขวงพระบรมมหาราชวัง เขตพระนคร กรุงเทพมหานคร 10200"


def test_format_address_unknown_subdistrict():
    with pytest.raises(ValidationError) as e:
        format_address_thai(Address(subdistrict_code="999999"))
    assert e.value.key == "thai.address_unknown_subdistrict"


@pytest.mark.parametrize(("text", "expected"), [("123", "123"), ("๑๒๓/๔", "123/4"), (" 12 / 3 ", "12/3"), ("", None)])
def test_house_no(text, expected):
    assert parse_house_no(text) == expected


@pytest.mark.parametrize("text", ["abc", "12/", "/4", "1/2/3", "123456"])
def test_bad_house_no(text):
    with pytest.raises(ValidationError) as e:
        parse_house_no(text)
    assert e.value.key == "thai.house_no_format"


@pytest.mark.parametrize(("text", "expected"), [("5", 5), ("๙๙", 99), ("หมู่ที่ 5", 5), ("ม.๓", 3), ("", None)])
def test_moo(text, expected):
    assert parse_moo(text) == expected


@pytest.mark.parametrize("text", ["0", "100", "ห้า", "หมู่ที่", "-1"])
def test_bad_moo(text):
    with pytest.raises(ValidationError) as e:
        parse_moo(text)
    assert e.value.key == "thai.moo_range"


@given(st.from_regex(r"[1-9][0-9]{0,4}(/[1-9][0-9]{0,4})?", fullmatch=True), st.booleans())
def test_house_no_round_trip(house_no, thai):
    assert parse_house_no(to_thai_digits(house_no) if thai else house_no) == house_no


@given(st.integers(1, 99))
def test_moo_round_trip(moo):
    assert parse_moo(to_thai_digits(str(moo))) == moo


@given(st.text())
def test_any_text_accepted_or_rejected(accepts_or_rejects, text):
    accepts_or_rejects(parse_house_no, text)
    accepts_or_rejects(parse_moo, text)
    accepts_or_rejects(subdistricts_by_postcode, text)
    search_provinces(text)
    search_districts("57", text)
