"""Reading a Thai national ID card (smart card) through a PC/SC reader.

The card's applet answers the publicly documented commands every Thai card reader program uses:
SELECT of the applet A0 00 00 00 54 48 00 01, then one READ BINARY (class 0x80) per field at a fixed
offset. The card answers each with the status 61 xx ("xx bytes waiting") and hands the bytes over
on a GET RESPONSE (00 C0 00 00 xx; 00 C0 00 01 xx for the older cards whose ATR starts 3B 67). Text
is TIS-620; names and the address are fields separated by '#'; dates are BE "YYYYMMDD" (00 for an
unknown day or month). The photo is not read: the kiosk keeps no photos.

Only `read_card` talks to a card, through any object with pyscard's `transmit(apdu) -> (data, sw1,
sw2)`; tests give it a replay of a card's answers. `first_reader_card` uses pyscard, which is NOT a
dependency: it has no wheel for Linux and builds only against PC/SC's headers (on Debian:
`apt-get install pcscd libpcsclite-dev swig`, then `uv pip install pyscard` on the counter PC).
Without it, or without a reader or a card, it returns None and nothing changes. A base module:
no database, no Textual."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from .errors import KioskError
from .thai.addresses import find_subdistrict
from .thai.dates import BE_OFFSET
from .thai.ids import check_digit

SELECT = [0x00, 0xA4, 0x04, 0x00, 0x08, 0xA0, 0x00, 0x00, 0x00, 0x54, 0x48, 0x00, 0x01]
# field → (offset, length) of its READ BINARY: 80 B0 <offset hi> <offset lo> 02 00 <length>
FIELDS = {
    "national_id": (0x0004, 13),
    "name_th": (0x0011, 100),
    "name_en": (0x0075, 100),
    "birth_date": (0x00D9, 8),
    "gender": (0x00E1, 1),
    "address": (0x1579, 100),
}
OLD_ATR = [0x3B, 0x67]  # cards whose GET RESPONSE takes P2 = 01


class CardError(KioskError):
    """The card could not be read (taken out, not a Thai ID card, a damaged chip)."""


class Connection(Protocol):
    def transmit(self, apdu: list[int]) -> tuple[list[int], int, int]: ...


@dataclass(frozen=True)
class CardData:
    """What the card says, in the kiosk's own terms (PersonData's fields and the address parts)."""

    national_id: str
    prefix: str
    first_name: str
    last_name: str
    name_en: str
    birth_date: date | None
    gender: str  # "1" male, "2" female, as on the card
    house_no: str
    moo: int | None
    village: str
    soi: str
    road: str
    subdistrict_code: str  # "" when the names did not match one subdistrict
    address_text: str  # the card's address as printed, for a person to check

    def form_values(self) -> dict[str, str]:
        """The values the intake's identity and address steps take, as a person would type them
        (the same keys as kiosk.services.person_view.ReturningPerson.form_values)."""
        from .thai.dates import format_be_date

        return dict(prefix=self.prefix, first_name=self.first_name, last_name=self.last_name,
                    doc_type="national_id", doc_number=self.national_id,
                    birth_date=format_be_date(self.birth_date) if self.birth_date else "",
                    house_no=self.house_no, moo=str(self.moo or ""), village=self.village, soi=self.soi,
                    road=self.road, subdistrict_code=self.subdistrict_code)


def read_binary(offset: int, length: int) -> list[int]:
    return [0x80, 0xB0, offset >> 8, offset & 0xFF, 0x02, 0x00, length]


def get_response(length: int, atr: Sequence[int] = ()) -> list[int]:
    return [0x00, 0xC0, 0x00, 0x01 if list(atr[:2]) == OLD_ATR else 0x00, length]


def _exchange(conn: Connection, apdu: list[int], atr: Sequence[int]) -> list[int]:
    data, sw1, sw2 = conn.transmit(apdu)
    if sw1 == 0x61:  # the answer waits: fetch it
        data, sw1, sw2 = conn.transmit(get_response(sw2, atr))
    if (sw1, sw2) != (0x90, 0x00):
        raise CardError("idcard.read_failed", f"card answered {sw1:02X} {sw2:02X} to {bytes(apdu[:4]).hex()}")
    return list(data)


def _text(data: list[int]) -> str:
    return bytes(data).decode("tis-620", errors="replace").rstrip(" \x00").strip()


def _date(text: str) -> date | None:
    """A BE "YYYYMMDD"; None when the day or month is unknown (00) or it is not a date."""
    if len(text) != 8 or not text.isdigit():
        return None
    try:
        return date(int(text[:4]) - BE_OFFSET, int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def _address(text: str) -> dict:
    """The card's '#'-separated address: house number, หมู่ที่, then ตรอก/ซอย/ถนน and the
    subdistrict, district and province by their leading words; anything else is the village."""
    parts = [p.strip() for p in text.split("#") if p.strip()]
    out: dict = {"house_no": parts[0] if parts else "", "moo": None, "village": "", "soi": "", "road": "",
                 "subdistrict_code": ""}
    place = {"sub": "", "dist": "", "prov": ""}
    others = []
    for part in parts[1:]:
        if part.startswith("หมู่ที่"):
            digits = part.removeprefix("หมู่ที่").strip()
            out["moo"] = int(digits) if digits.isdigit() and 0 < int(digits) < 100 else None
        elif part.startswith(("ซอย", "ตรอก")):
            out["soi"] = part
        elif part.startswith("ถนน"):
            out["road"] = part
        elif part.startswith(("ตำบล", "แขวง")):
            place["sub"] = part
        elif part.startswith(("อำเภอ", "เขต")):
            place["dist"] = part
        elif part.startswith("จังหวัด") or part == "กรุงเทพมหานคร":
            place["prov"] = part
        else:
            others.append(part)
    out["village"] = " ".join(others)
    if all(place.values()):
        area = find_subdistrict(place["sub"], place["dist"], place["prov"])
        out["subdistrict_code"] = area.code if area else ""
    return out


def read_card(conn: Connection, atr: Sequence[int] = ()) -> CardData:
    """Select the applet and read the fields. Raises CardError when the card refuses, or when
    the ID on it fails its check digit (a misread)."""
    _exchange(conn, list(SELECT), atr)
    raw = {name: _text(_exchange(conn, read_binary(*where), atr)) for name, where in FIELDS.items()}
    number = raw["national_id"]
    if len(number) != 13 or not number.isdigit() or check_digit(number[:12]) != int(number[12]):
        raise CardError("idcard.read_failed", "national ID misread")
    name = (raw["name_th"].split("#") + ["", "", "", ""])[:4]  # prefix#first#middle#last
    prefix, first, middle, last = (p.strip() for p in name)
    return CardData(number, prefix, " ".join(x for x in (first, middle) if x), last,
                    " ".join(p for p in raw["name_en"].split("#") if p.strip()), _date(raw["birth_date"]),
                    raw["gender"], address_text=" ".join(p for p in raw["address"].split("#") if p.strip()),
                    **_address(raw["address"]))


def first_reader_card() -> CardData | None:
    """The card in the first PC/SC reader, or None when pyscard, a reader or a card is missing."""
    try:
        from smartcard.Exceptions import CardConnectionException, NoCardException
        from smartcard.System import readers
    except ImportError:
        return None
    try:
        found = readers()
    except Exception:  # noqa: BLE001 - no PC/SC service: as if no reader
        return None
    for reader in found:
        conn = reader.createConnection()
        try:
            conn.connect()
        except (NoCardException, CardConnectionException):
            continue
        try:
            return read_card(conn, conn.getATR())
        finally:
            conn.disconnect()
    return None
