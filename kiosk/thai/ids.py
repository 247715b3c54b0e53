"""Thai national ID numbers and the other identity documents applicants bring.

Border districts such as Mae Sai serve many people without Thai ID cards, so the form accepts a
passport, a migrant worker "pink card", another document, or none at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from kiosk.errors import ValidationError
from kiosk.thai.digits import to_arabic_digits

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—]+")
_DIGITS = re.compile(r"[0-9]+")
_PASSPORT = re.compile(r"[A-Za-z0-9]{6,9}")


def _compact(text: str) -> str:
    """ASCII digits, with the spaces and dashes people type between groups removed."""
    return _SEPARATORS.sub("", to_arabic_digits(text))


def document_forms(text: str) -> set[str]:
    """Every stored form a document number typed in any way may have (for looking it up, not for
    validating it): Thai digits made Arabic, and as typed, without the spaces and dashes people
    put between groups, and in upper case (passports)."""
    typed = to_arabic_digits(text).strip()
    compact = _compact(typed)
    return {typed, typed.upper(), compact, compact.upper()} if compact else set()


def check_digit(first12: str) -> int:
    """The 13th digit of a national ID: (11 − Σ dᵢ·(13−i) mod 11) mod 10."""
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return (11 - total % 11) % 10


def _thirteen_digits(text: str, field: str, chars_key: str, length_key: str) -> str:
    number = _compact(text)
    if not number:
        raise ValidationError("thai.required", "empty", field=field)
    if not _DIGITS.fullmatch(number):
        raise ValidationError(chars_key, "digits only", field=field)
    if len(number) != 13:
        raise ValidationError(length_key, f"13 digits, got {len(number)}", field=field, length=len(number))
    return number


def parse_national_id(text: str) -> str:
    """Return the 13 ASCII digits of a valid national ID.

    A leading 0 is valid: it is the category for people without civil-registration status,
    common in border districts. 9 is reserved and rejected with its own message.
    """
    number = _thirteen_digits(text, "national_id", "thai.id_chars", "thai.id_length")
    if number[0] == "9":
        raise ValidationError("thai.id_first_digit_9", "first digit 9 is reserved", field="national_id")
    if check_digit(number[:12]) != int(number[12]):
        raise ValidationError("thai.id_checksum", "check digit mismatch", field="national_id")
    return number


def format_national_id(number: str) -> str:
    """13 digits as printed on the card: 1-2345-67890-12-3."""
    n = _compact(number)
    return f"{n[0]}-{n[1:5]}-{n[5:10]}-{n[10:12]}-{n[12]}"


def mask_national_id(number: str) -> str:
    """Card layout with all but the last three digits hidden: x-xxxx-xxxxx-12-3."""
    n = _compact(number)
    return f"x-xxxx-xxxxx-{n[10:12]}-{n[12]}"


class DocumentType(StrEnum):
    NATIONAL_ID = "national_id"
    PASSPORT = "passport"
    PINK_CARD = "pink_card"  # บัตรสีชมพู: migrant worker card, 13 digits
    OTHER = "other"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Document:
    type: DocumentType
    number: str


def parse_document(doc_type: DocumentType | str, number: str) -> Document:
    """Validate a document number for its type and return it in stored form.

    national_id: full check (see parse_national_id). passport: 6–9 letters or digits, upper case.
    pink_card: 13 digits; its check digit is not enforced (not verified that every card carries
    one). other: 1–40 printable characters. none: the number must be empty.
    """
    try:
        kind = DocumentType(doc_type)
    except ValueError:
        raise ValidationError("thai.document_type", f"unknown type {doc_type!r}", field="document_type") from None
    if kind is DocumentType.NATIONAL_ID:
        return Document(kind, parse_national_id(number))
    if kind is DocumentType.PINK_CARD:
        key = "thai.pink_card_format"
        return Document(kind, _thirteen_digits(number, "document_number", key, key))
    if kind is DocumentType.PASSPORT:
        passport = _compact(number)
        if not _PASSPORT.fullmatch(passport):
            raise ValidationError("thai.passport_format", "6-9 letters or digits", field="document_number")
        return Document(kind, passport.upper())
    text = number.strip()
    if kind is DocumentType.NONE:
        if text:
            raise ValidationError("thai.document_none_has_number", "no document, no number", field="document_number")
        return Document(kind, "")
    if not 1 <= len(text) <= 40 or not text.isprintable():
        raise ValidationError("thai.document_other_format", "1-40 printable characters", field="document_number")
    return Document(kind, text)
