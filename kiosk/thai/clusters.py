"""Grapheme clusters for cursor movement: a base character with the marks typed after it
(Thai vowels above/below, tone marks, ์, ำ, and any combining mark).

A text cursor must never stop inside a cluster: a terminal draws the marks in the base's cell,
so a cursor between them is invisible and typing there scrambles the word.
"""

from __future__ import annotations

import unicodedata

_SARA_AM = "\u0e33"  # ำ: spacing, but written as one unit with the consonant before it


def joins_previous(ch: str) -> bool:
    """True for a character that belongs to the cluster before it."""
    return ch == _SARA_AM or unicodedata.category(ch) in ("Mn", "Me") or unicodedata.combining(ch) != 0


def is_boundary(text: str, index: int) -> bool:
    """May a cursor stand at `index`?  (Both ends always; a mark with no base starts a cluster.)"""
    if index <= 0 or index >= len(text):
        return True
    return not joins_previous(text[index])


def next_boundary(text: str, index: int) -> int:
    """The end of the cluster that starts at or contains `index`."""
    i = max(0, index) + 1
    while i < len(text) and not is_boundary(text, i):
        i += 1
    return min(i, len(text))


def previous_boundary(text: str, index: int) -> int:
    """The start of the cluster just before `index`."""
    i = min(len(text), index) - 1
    while i > 0 and not is_boundary(text, i):
        i -= 1
    return max(i, 0)


def snap(text: str, index: int) -> int:
    """`index` moved forward to the nearest boundary (to the end of a cluster it falls in)."""
    index = max(0, min(len(text), index))
    while not is_boundary(text, index):
        index += 1
    return index


def clusters(text: str) -> list[str]:
    """`text` split into clusters; "".join(clusters(t)) == t."""
    out: list[str] = []
    for i, ch in enumerate(text):
        if out and not is_boundary(text, i):
            out[-1] += ch
        else:
            out.append(ch)
    return out
