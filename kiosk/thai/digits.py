"""Thai digits (๐–๙) ⇄ ASCII digits.

Python's int(), str.isdigit() and `\\d` all accept Thai digits, so every parser normalises with
`to_arabic_digits` first and then validates with an explicit `[0-9]`.
"""

from __future__ import annotations

_THAI = "๐๑๒๓๔๕๖๗๘๙"
_ASCII = "0123456789"
_TO_ARABIC = str.maketrans(_THAI, _ASCII)
_TO_THAI = str.maketrans(_ASCII, _THAI)


def to_arabic_digits(s: str) -> str:
    """Replace Thai digits with ASCII digits; everything else is kept."""
    return s.translate(_TO_ARABIC)


def to_thai_digits(s: str) -> str:
    """Replace ASCII digits with Thai digits; everything else is kept."""
    return s.translate(_TO_THAI)
