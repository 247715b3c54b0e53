"""Phone numbers, parsed by `phonenumbers` with Thailand as the default region.

Thai numbers: +66 or trunk 0; mobiles 06/08/09 + 8 digits, landlines 9 digits (053 = Chiang Rai).
A valid foreign number (a Myanmar SIM, say) is accepted with kind "other".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from kiosk.errors import ValidationError
from kiosk.thai.digits import to_arabic_digits

PhoneKind = Literal["mobile", "landline", "other"]

_KINDS: dict[int, PhoneKind] = {PhoneNumberType.MOBILE: "mobile", PhoneNumberType.FIXED_LINE: "landline"}


@dataclass(frozen=True, slots=True)
class Phone:
    e164: str
    kind: PhoneKind


def parse_phone(text: str) -> Phone:
    """Parse what a person typed (Thai digits, spaces, dashes, +66 all fine) into E.164."""
    raw = to_arabic_digits(text).strip()
    if not raw:
        raise ValidationError("thai.required", "empty", field="phone")
    try:
        number = phonenumbers.parse(raw, "TH")
    except phonenumbers.NumberParseException:
        raise ValidationError("thai.phone_invalid", "not a phone number", field="phone") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError("thai.phone_invalid", "not a valid phone number", field="phone")
    kind = _KINDS.get(phonenumbers.number_type(number), "other") if number.country_code == 66 else "other"
    return Phone(phonenumbers.format_number(number, PhoneNumberFormat.E164), kind)


def format_phone_thai(e164: str) -> str:
    """Thai national format with dashes ("081-234-5678", "053-123-456"); international if foreign."""
    number = phonenumbers.parse(e164, "TH")
    if number.country_code != 66:
        return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL).replace(" ", "-")


def last4(e164: str) -> str:
    """The last four digits, for confirming a number without showing it."""
    return e164[-4:]
