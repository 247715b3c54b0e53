"""Stored text: what a free-text field may hold once saved. No terminal control or format
characters — a citizen's `\\x1b[2J` must never reach a staff terminal as an escape sequence."""

from __future__ import annotations

import unicodedata

_DROPPED = ("Cc", "Cf", "Cs", "Co")  # control, format, surrogate, private use


def clean_text(text: object, limit: int | None = None, *, multiline: bool = False) -> str:
    """Tabs become spaces, newlines stay only where the field allows them (else spaces), other
    control and format characters go; trimmed, then cut to `limit` characters."""
    out = []
    for ch in str(text or "").replace("\r\n", "\n"):
        if ch == "\n":
            out.append("\n" if multiline else " ")
        elif ch == "\t":
            out.append(" ")
        elif unicodedata.category(ch) not in _DROPPED:
            out.append(ch)
    cleaned = "".join(out).strip()
    return cleaned if limit is None else cleaned[:limit]


def typed_text(text: str) -> str:
    """Text as a terminal may show it while it is being typed or pasted: newlines and tabs kept
    (a multi-line field decides), every other control and format character dropped, so a pasted
    `\x1b[6n` or `\x1b]52;…` is never written back to the terminal as an escape sequence."""
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in _DROPPED)
