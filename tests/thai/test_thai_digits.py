from hypothesis import given
from hypothesis import strategies as st

from kiosk.thai.digits import to_arabic_digits, to_thai_digits


def test_known_vectors():
    assert to_arabic_digits("๐๑๒๓๔๕๖๗๘๙") == "0123456789"
    assert to_thai_digits("26/11/2569") == "๒๖/๑๑/๒๕๖๙"
    assert to_arabic_digits("บ้านเลขที่ ๑๒๓/๔") == "บ้านเลขที่ 123/4"


@given(st.text())
def test_round_trip_and_no_thai_digits_left(s):
    arabic = to_arabic_digits(s)
    assert not any("๐" <= c <= "๙" for c in arabic)
    assert to_arabic_digits(to_thai_digits(arabic)) == arabic
