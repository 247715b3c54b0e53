import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.thai.names import (
    PREFIXES,
    normalize_name,
    phonetic_key,
    split_prefix,
    strip_marks,
    wrong_layout_suggestion,
)


def test_prefixes_have_english_labels():
    for prefix in ("เด็กชาย", "เด็กหญิง", "นาย", "นาง", "นางสาว", "พระ", "ร.ต.อ.", "ดร."):
        assert PREFIXES[prefix]


@pytest.mark.parametrize(
    ("full", "expected"),
    [
        ("นายสมชาย ใจดี", ("นาย", "สมชาย ใจดี")),
        ("นางสาวสมศรี มีสุข", ("นางสาว", "สมศรี มีสุข")),  # not นาง + สาวสมศรี
        ("นางสมศรี มีสุข", ("นาง", "สมศรี มีสุข")),
        ("เด็กหญิงมานี", ("เด็กหญิง", "มานี")),
        ("ร.ต.อ. สมชาย", ("ร.ต.อ.", "สมชาย")),
        ("สมชาย ใจดี", ("", "สมชาย ใจดี")),
        ("นาย", ("", "นาย")),
    ],
)
def test_split_prefix(full, expected):
    assert split_prefix(full) == expected


def test_normalize_name():
    assert normalize_name("  สม\u200bชาย \t  ใจดี\x00 ") == "สมชาย ใจดี"
    assert normalize_name("นํ้าฝน") == "น้ำฝน"  # nikhahit + sara aa typed apart → sara am


def test_strip_marks():
    assert strip_marks("นํ้า") == strip_marks("น้ำ") == strip_marks("นำ") == "นำ"
    assert strip_marks("ศักดิ์ชัย") == "ศักดิชัย"
    assert strip_marks("José") == "Jose"
    assert strip_marks("สิน") != strip_marks("สีน")  # vowel signs stay


@pytest.mark.parametrize(
    ("a", "b"), [("ณัฐ", "นัท"), ("บุญมี", "บุนมี"), ("นายบุญมี ใจดี", "บุนมี ใจดี"), ("ศรี", "สี")]
)
def test_phonetic_pairs_share_a_key(a, b):
    assert phonetic_key(a) == phonetic_key(b) != ""


def test_phonetic_key_separates_different_names():
    assert phonetic_key("สมชาย") != phonetic_key("มานี")
    assert phonetic_key("John Smith") == "john smith"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("l;ylfu", "สวัสดี"),
        ("l,=kp", "สมชาย"),
        ("[6P,u", "บุญมี"),
        ("Iy{", "ณัฐ"),
        ("c,jlkp", "แม่สาย"),
        ("g=up'ikp", "เชียงราย"),
        ("veri", "อำพร"),  # letters only, lower case, has a vowel sign
        ("l,=kp .0fu", "สมชาย ใจดี"),
    ],
)
def test_wrong_layout_is_caught(typed, meant):
    assert wrong_layout_suggestion(typed) == meant


@pytest.mark.parametrize(
    "name",
    ["John", "Mary", "Anna", "David", "Tom", "Kim", "Somchai", "Nattapong", "Aung", "Maung", "O'Brien",
     "Jean-Luc", "mary", "david", "peter", "สมชาย", "", "123"],
)
def test_real_names_are_left_alone(name):
    assert wrong_layout_suggestion(name) is None


@given(st.text())
def test_name_helpers_never_fail(text):
    assert normalize_name(normalize_name(text)) == normalize_name(text)
    prefix, rest = split_prefix(text)
    assert prefix in PREFIXES or prefix == ""
    strip_marks(text)
    phonetic_key(text)
    suggestion = wrong_layout_suggestion(text)
    assert suggestion is None or all("\u0e00" <= c <= "\u0e7f" or c == " " for c in suggestion)
