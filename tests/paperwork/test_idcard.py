"""The Thai national ID card reader, against a replay of a card's answers to the publicly documented
commands (SELECT of the applet, READ BINARY per field, GET RESPONSE for the bytes waiting): the
exact commands sent, TIS-620 text, '#'-separated names and address, BE dates, the subdistrict found
by name; a refusal or a misread ID is a CardError, and with no pyscard nothing happens."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk import idcard
from kiosk.idcard import CardError, read_card

CARD = {  # offset → what the card holds there (padded with spaces to the length read)
    0x0004: "1101700230708",
    0x0011: "นาง#บุญมี##ใจดี",
    0x0075: "Mrs.#Bunmee##Jaidee",
    0x00D9: "24930314",
    0x00E1: "2",
    0x1579: "12/3#หมู่ที่ 3#บ้านสันทราย####ตำบลเวียงพางคำ#อำเภอแม่สาย#จังหวัดเชียงราย",
}


def hexes(apdu) -> str:
    return bytes(apdu).hex(" ").upper()


class ReplayCard:
    """A card as the reader sees it: every command it gets is recorded; it answers SELECT and
    READ BINARY with 61 xx and the bytes on the following GET RESPONSE."""

    def __init__(self, card: dict[int, str], *, get_response_p2: int = 0, refuse_select: bool = False) -> None:
        self.card, self.p2, self.refuse = card, get_response_p2, refuse_select
        self.sent: list[str] = []
        self.waiting: list[int] = []

    def transmit(self, apdu: list[int]) -> tuple[list[int], int, int]:
        self.sent.append(hexes(apdu))
        if apdu[:4] == [0x00, 0xA4, 0x04, 0x00]:
            if self.refuse:
                return [], 0x6A, 0x82  # file not found: not a Thai ID card
            self.waiting = []
            return [], 0x61, 0x0A
        if apdu[:2] == [0x80, 0xB0]:
            offset, length = apdu[2] << 8 | apdu[3], apdu[6]
            self.waiting = list(self.card[offset].encode("tis-620").ljust(length, b" "))
            return [], 0x61, length
        if apdu[:3] == [0x00, 0xC0, 0x00] and apdu[3] == self.p2:
            data, self.waiting = self.waiting[: apdu[4]], []
            return data, 0x90, 0x00
        return [], 0x6D, 0x00  # instruction not supported


EXPECTED = [
    "00 A4 04 00 08 A0 00 00 00 54 48 00 01", "00 C0 00 00 0A",
    "80 B0 00 04 02 00 0D", "00 C0 00 00 0D",
    "80 B0 00 11 02 00 64", "00 C0 00 00 64",
    "80 B0 00 75 02 00 64", "00 C0 00 00 64",
    "80 B0 00 D9 02 00 08", "00 C0 00 00 08",
    "80 B0 00 E1 02 00 01", "00 C0 00 00 01",
    "80 B0 15 79 02 00 64", "00 C0 00 00 64",
]


def test_a_card_is_read_with_the_documented_commands():
    card = ReplayCard(CARD)
    data = read_card(card, [0x3B, 0x78, 0x18, 0x00])
    assert card.sent == EXPECTED
    assert (data.national_id, data.prefix, data.first_name, data.last_name) == ("1101700230708", "นาง", "บุญมี", "ใจดี")
    assert data.name_en == "Mrs. Bunmee Jaidee" and data.birth_date == date(1950, 3, 14) and data.gender == "2"
    assert (data.house_no, data.moo, data.village, data.soi, data.road) == ("12/3", 3, "บ้านสันทราย", "", "")
    assert data.subdistrict_code == "570906"
    assert data.address_text == "12/3 หมู่ที่ 3 บ้านสันทราย ตำบลเวียงพางคำ อำเภอแม่สาย จังหวัดเชียงราย"
    assert data.form_values() == {
        "prefix": "นาง", "first_name": "บุญมี", "last_name": "ใจดี", "doc_type": "national_id",
        "doc_number": "1101700230708", "birth_date": "14/03/2493", "house_no": "12/3", "moo": "3",
        "village": "บ้านสันทราย", "soi": "", "road": "", "subdistrict_code": "570906"}


def test_an_older_card_takes_get_response_with_p2_one():
    card = ReplayCard(CARD, get_response_p2=1)
    read_card(card, [0x3B, 0x67, 0x00, 0x00])
    assert card.sent[1] == "00 C0 00 01 0A" and all(s.startswith(("00 A4", "80 B0", "00 C0 00 01")) for s in card.sent)


def test_unknown_birth_day_a_middle_name_and_a_road():
    card = ReplayCard(CARD | {0x00D9: "25130000", 0x0011: "นาย#สมชาย#ศักดิ์#กล้าหาญ",
                              0x1579: "99#หมู่ที่ 1##ซอยสุขใจ#ถนนพหลโยธิน#ตำบลเวียงพางคำ#อำเภอแม่สาย#จังหวัดเชียงราย"})
    data = read_card(card)
    assert data.birth_date is None and (data.first_name, data.last_name) == ("สมชาย ศักดิ์", "กล้าหาญ")
    assert (data.house_no, data.moo, data.soi, data.road, data.village) == ("99", 1, "ซอยสุขใจ", "ถนนพหลโยธิน", "")


def test_a_card_that_refuses_or_a_misread_id_is_a_card_error():
    with pytest.raises(CardError) as err:
        read_card(ReplayCard(CARD, refuse_select=True))
    assert err.value.key == "idcard.read_failed"
    with pytest.raises(CardError):
        read_card(ReplayCard(CARD | {0x0004: "1101700230709"}))  # wrong check digit


def test_without_pyscard_there_is_no_card(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "smartcard", None)
    monkeypatch.setitem(sys.modules, "smartcard.System", None)
    assert idcard.first_reader_card() is None
