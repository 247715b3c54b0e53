"""Thai addresses on top of `geothai` (77 provinces, 928 districts, 7,436 subdistricts, DOPA codes,
postcodes; data CC-BY-4.0, credit "GeoThai").

Type-ahead matches Thai or English, ignoring case, spaces, dots, hyphens, tone marks and a
leading level word (จังหวัด, อำเภอ/อ., เขต, ตำบล/ต., แขวง).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

import geothai
from geothai.types import District, Province

from kiosk.errors import ValidationError
from kiosk.thai.digits import to_arabic_digits
from kiosk.thai.names import strip_marks

__all__ = [
    "Address", "District", "Province", "Subdistrict", "find_subdistrict", "format_address_thai",
    "parse_house_no", "parse_moo", "search_districts", "search_provinces", "search_subdistricts",
    "subdistrict", "subdistricts_by_postcode",
]

BANGKOK_CODE = "10"
_LEVEL_WORD = re.compile(r"^(?:จังหวัด|อำเภอ|เขต|ตำบล|แขวง|[จอต]\.)")
_IGNORED = re.compile(r"[\s.'\-]")
_HOUSE_NO = re.compile(r"[0-9]{1,5}(?:/[0-9]{1,5})?")
_MOO = re.compile(r"[0-9]{1,2}")
_POSTCODE = re.compile(r"[0-9]{5}")



class _Named(Protocol):
    code: str
    name_th: str
    name_en: str


T = TypeVar("T", bound=_Named)


@dataclass(frozen=True, slots=True)
class Subdistrict:
    """A subdistrict (ตำบล/แขวง) with its district and province, ready to show or store."""

    code: str
    name_th: str
    name_en: str
    postcode: str
    district_code: str
    district_th: str
    district_en: str
    province_code: str
    province_th: str
    province_en: str

    @property
    def in_bangkok(self) -> bool:
        return self.province_code == BANGKOK_CODE


@dataclass(frozen=True, slots=True)
class Address:
    house_no: str | None = None  # "123/4"
    moo: int | None = None  # หมู่ที่ 1–99
    village: str = ""  # "บ้านสันทราย", written as the person gives it
    soi: str = ""
    road: str = ""
    subdistrict_code: str = ""


def _key(text: str) -> str:
    """Comparable form of a place name or a query."""
    return _LEVEL_WORD.sub("", _IGNORED.sub("", strip_marks(text).casefold()))


def _search(areas: Iterable[T], query: str) -> list[T]:
    """Names starting with the query first, then names containing it; each group in code order."""
    q = _key(query)
    scored = []
    for area in areas:
        names = (_key(area.name_th), _key(area.name_en))
        if any(n.startswith(q) for n in names):
            scored.append((0, area.code, area))
        elif any(q in n for n in names):
            scored.append((1, area.code, area))
    return [area for *_, area in sorted(scored, key=lambda s: s[:2])]


def _subdistrict(s: geothai.types.Subdistrict) -> Subdistrict:
    d = geothai.district(s.district_code)
    p = geothai.province(s.province_code)
    return Subdistrict(
        s.code, s.name_th, s.name_en, s.postal_codes[0],
        d.code, d.name_th, d.name_en, p.code, p.name_th, p.name_en,
    )


def search_provinces(query: str) -> list[Province]:
    """Provinces whose Thai or English name starts with or contains the query."""
    return _search(geothai.provinces(), query)


def search_districts(province_code: str, query: str) -> list[District]:
    """Districts (อำเภอ/เขต) of a province matching the query."""
    return _search(geothai.districts(province_code), query)


def search_subdistricts(district_code: str, query: str) -> list[Subdistrict]:
    """Subdistricts (ตำบล/แขวง) of a district matching the query."""
    return _search(map(_subdistrict, geothai.subdistricts(district_code)), query)


def subdistrict(code: str) -> Subdistrict | None:
    """The subdistrict with this six-digit DOPA code, or None."""
    found = geothai.subdistrict(code)
    return _subdistrict(found) if found else None


def subdistricts_by_postcode(code: str) -> list[Subdistrict]:
    """Every subdistrict served by a five-digit postcode (Thai digits fine)."""
    postcode = to_arabic_digits(code).strip()
    if not _POSTCODE.fullmatch(postcode):
        raise ValidationError("thai.postcode_format", "five digits", field="postcode")
    return [_subdistrict(s) for s in geothai.by_postal_code(postcode)]


def find_subdistrict(name_th: str, district_th: str, province_th: str) -> Subdistrict | None:
    """The one subdistrict with these names (ต./อ./จ. and เมือง are understood), or None."""
    found = geothai.match(name_th, district=district_th, province=province_th)
    return _subdistrict(found[0].subdistrict) if len(found) == 1 else None


def parse_house_no(text: str) -> str | None:
    """House number such as "123" or "123/4" (Thai digits fine); None when left empty."""
    house_no = re.sub(r"\s*/\s*", "/", to_arabic_digits(text).strip())
    if not house_no:
        return None
    if not _HOUSE_NO.fullmatch(house_no):
        raise ValidationError("thai.house_no_format", "like 123 or 123/4", field="house_no")
    return house_no


def parse_moo(text: str) -> int | None:
    """หมู่ที่ (village number) 1–99; a leading "หมู่", "หมู่ที่" or "ม." is allowed; None when empty."""
    moo = re.sub(r"^(?:หมู่ที่|หมู่|ม\.)\s*", "", to_arabic_digits(text).strip())
    if not moo and not text.strip():
        return None
    if not _MOO.fullmatch(moo) or int(moo) == 0:
        raise ValidationError("thai.moo_range", "1 to 99", field="moo")
    return int(moo)


def format_address_thai(addr: Address, postcode: str | None = None) -> str:
    """One line as Thai post expects: "123/4 หมู่ที่ 5 บ้านสันทราย ซอย.. ถนน.. ตำบล.. อำเภอ.. จังหวัด.. 57130".

    Bangkok uses แขวง/เขต and no จังหวัด. `postcode` picks one when the subdistrict has several.
    """
    area = subdistrict(addr.subdistrict_code)
    if area is None:
        raise ValidationError("thai.address_unknown_subdistrict", addr.subdistrict_code, field="subdistrict")
    if area.in_bangkok:
        place = [f"แขวง{area.name_th}", f"เขต{area.district_th.removeprefix('เขต')}", area.province_th]
    else:
        place = [f"ตำบล{area.name_th}", f"อำเภอ{area.district_th}", f"จังหวัด{area.province_th}"]
    return " ".join(p for p in (format_house_thai(addr), *place, postcode or area.postcode) if p)


def format_house_thai(addr: Address) -> str:
    """The part before the subdistrict: "123/4 หมู่ที่ 5 บ้านสันทราย ซอย.. ถนน..", or ""."""
    parts = [
        addr.house_no or "",
        f"หมู่ที่ {addr.moo}" if addr.moo else "",
        addr.village.strip(),
        _labelled("ซอย", ("ซ.",), addr.soi),
        _labelled("ถนน", ("ถ.",), addr.road),
    ]
    return " ".join(p for p in parts if p)


def _labelled(word: str, short: tuple[str, ...], value: str) -> str:
    """"ซอย7" from "7", and the same from "ซอย 7" or "ซ.7": the label is written once."""
    value = value.strip()
    for label in (word, *short):
        if value.startswith(label):
            value = value[len(label):].strip()
            break
    return f"{word}{value}" if value else ""
