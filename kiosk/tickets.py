"""Ticket numbers as people type them: the one parser the track screen, the /track page, Open311
and the staff search share.

A ticket is `WPK-69-00001`: the LAO's letters, the Buddhist year's last two digits, a sequence
number. People type it from the receipt's large digits as `69-00001` or `6900001`, run together
as `WPK6900001`, in lower case, with Thai digits, spaces, dots, slashes or dashes of any kind,
or with the full year (`WPK-2569-1`). All of these give the same `TicketRef`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .thai.digits import to_arabic_digits

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―−/._,:#]+")
_PREFIX = re.compile(r"([A-Z]{2,5})-?(.*)")
_SPLIT = re.compile(r"([0-9]{2}|25[0-9]{2})-([0-9]{1,5})")
_RUN_TOGETHER = re.compile(r"([0-9]{2})([0-9]{5})")


@dataclass(frozen=True)
class TicketRef:
    prefix: str  # "" when typed without the LAO's letters
    year: int  # the Buddhist year's last two digits
    seq: int

    def ticket_no(self, prefix: str = "") -> str:
        """The stored form, "WPK-69-00001" (`prefix` when none was typed)."""
        return f"{self.prefix or prefix}-{self.year:02d}-{self.seq:05d}"

    def years_be(self) -> tuple[int, ...]:
        """The full Buddhist years these two digits can stand for."""
        return tuple(century + self.year for century in (2500, 2600))


def parse_ticket(text: str) -> TicketRef | None:
    """The ticket in what was typed, or None when it is not one. With letters the digits may run
    together (`WPK6900001`, `wpk 69 1`); without them a separator (`69-00001`) or all seven
    digits (`6900001`) say it is a ticket, not some other number."""
    raw = _SEPARATORS.sub("-", to_arabic_digits(text or "").strip().upper()).strip("-")
    if not raw.isascii():
        return None
    prefix, rest = "", raw
    if m := _PREFIX.fullmatch(raw):
        prefix, rest = m[1], m[2]
        if m := re.fullmatch(r"([0-9]{2})([0-9]{1,5})", rest):  # WPK6900001, WPK691
            return _ref(prefix, m[1], m[2])
    if m := _SPLIT.fullmatch(rest):
        return _ref(prefix, m[1], m[2])
    if m := _RUN_TOGETHER.fullmatch(rest):
        return _ref(prefix, m[1], m[2])
    return None


def _ref(prefix: str, year: str, seq: str) -> TicketRef | None:
    number = int(seq)
    return TicketRef(prefix, int(year) % 100, number) if number > 0 else None
