"""A USB QR scanner is a keyboard: it types the receipt's link `<public_base_url>/t/<token>`
and Enter, faster than any hand. `ScanCatcher` is a Screen mixin that notices such a burst
and opens the case's public view; ordinary key presses pass through untouched.

    class HomeScreen(ScanCatcher, KioskScreen): ...

(Textual calls `on_key` of every class in the MRO, so a screen's own `on_key` still runs.)"""

from __future__ import annotations

import time

from textual import events

MAX_GAP = 0.08  # seconds between a scanner's keystrokes (people type slower)
MIN_LENGTH = 12


class ScanBuffer:
    """Collects printable keystrokes that follow each other within MAX_GAP; Enter after a burst
    of at least MIN_LENGTH characters gives the burst's text."""

    def __init__(self, clock=time.monotonic) -> None:
        self.clock, self.chars, self.last = clock, [], 0.0

    def feed(self, key: str, character: str | None) -> str | None:
        now = self.clock()
        if now - self.last > MAX_GAP:
            self.chars = []
        self.last = now
        if key == "enter":
            text, self.chars = "".join(self.chars), []
            return text if len(text) >= MIN_LENGTH else None
        if character and character.isprintable():
            self.chars.append(character)
        else:
            self.chars = []
        return None


def scanned_token(text: str) -> str | None:
    """The token in a scanned link; a scanner typing under a Thai keyboard layout gives Thai
    letters, which are mapped back to the keys pressed."""
    from kiosk.services.public_case import token_from_url  # not before the home screen's first paint

    if any("\u0e00" <= c <= "\u0e7f" for c in text):
        from pythainlp.util import thai_to_eng

        text = thai_to_eng(text)
    return token_from_url(text)


class ScanCatcher:
    """Mixin for a Screen: a scanned receipt link opens the track screen on that case."""

    def on_key(self, event: events.Key) -> None:
        buffer = self.__dict__.setdefault("_scan_buffer", ScanBuffer())
        text = buffer.feed(event.key, event.character)
        if text is None:
            return
        token = scanned_token(text)
        if token:
            event.stop()
            event.prevent_default()
            from ..track import TrackScreen

            self.app.push_screen(TrackScreen(token=token))
