"""Driving the intake wizard from tests: Thai typed as one events.Key per character (Pilot's
`press` drops tone marks), and small waits for screens and workers."""

from __future__ import annotations

from textual import events
from textual.widgets import Input, TextArea


def key_for(ch: str) -> events.Key:
    return events.Key("space" if ch == " " else ch, ch)


NAMED_KEYS = ("enter", "tab", "ctrl+l", "ctrl+s")


def burst(app, *parts: str) -> None:
    """Text and named keys (NAMED_KEYS) queued on the app at once, before it handles any: keys
    typed ahead, as a card reader, a slow SSH link or a busy machine delivers them."""
    for part in parts:
        for event in ([events.Key(part, None)] if part in NAMED_KEYS else map(key_for, part)):
            app.post_message(event)


async def type_text(pilot, text: str) -> None:
    """Type into the focused widget, one key event per character, like a terminal."""
    widget = pilot.app.focused
    for ch in text:
        widget.post_message(key_for(ch))
    await pilot.pause()


async def focus(pilot, widget) -> None:
    """Focus `widget` and wait until it has focus: a field a choice above has just revealed takes
    focus only once laid out (under load that is later than one pause)."""
    deadline = 250
    while pilot.app.focused is not widget:
        widget.focus()
        await pilot.pause(0.02)
        deadline -= 1
        assert deadline, f"#{widget.id} never took focus; {pilot.app.focused!r} has it"


async def fill(pilot, field_id: str, text: str) -> None:
    """Clear a field and type `text` into it."""
    widget = pilot.app.screen.query_one(f"#{field_id}")
    await focus(pilot, widget)
    if isinstance(widget, TextArea):  # "what happened" is several lines
        widget.text = ""
    else:
        assert isinstance(widget, Input)
        widget.value = ""
    await pilot.pause()
    await type_text(pilot, text)


async def wait_for(pilot, predicate, timeout: float = 30.0) -> None:
    import asyncio
    import time

    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting; screen is {pilot.app.screen!r}")
        await pilot.pause(0.02)
        await asyncio.sleep(0)


def step(app) -> str:
    return getattr(getattr(app.screen, "state", None), "step_name", type(app.screen).__name__)


def national_id(first12: str) -> str:
    """A valid 13-digit ID from its first 12 digits."""
    from kiosk.thai.ids import check_digit

    return first12 + str(check_digit(first12))


async def open_wizard(pilot) -> None:
    await pilot.click("#choice-ask_help")
    await pilot.pause()


async def next_step(pilot) -> None:
    await pilot.click("#nav-next")
    await pilot.pause()


async def self_service_to_review(pilot, *, first_name="สมชาย", description="น้ำท่วมบ้าน", phone="0812345678",
                                 doc=None) -> None:
    """Consent → flood → identity → contact → requester → situation: leaves the review step open."""
    await open_wizard(pilot)
    await pilot.click("#consent-accept")
    await pilot.pause()
    await pilot.press("1")  # disaster
    await pilot.press("1")  # flood
    await pilot.pause()
    await fill(pilot, "first_name", first_name)
    await fill(pilot, "doc_number", doc or national_id("110170020345"))
    await next_step(pilot)
    await fill(pilot, "phone", phone)
    await next_step(pilot)
    await next_step(pilot)  # the person asking needs the help
    await fill(pilot, "description", description)
    await next_step(pilot)
