"""Benchmark a standard counter intake driven by Pilot, keyboard only: keystrokes and wall time
for (a) a new person in self-service and (b) a returning person in staff-assisted mode (found
by ID, details pre-filled). Prints the figures; asserts nothing.

    uv run python tests/bench/intake.py [--runs 3]

Target (issue 4): a returning person's request in ≤ 40 keystrokes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

from textual import events  # noqa: E402

from kiosk.config import parse_settings  # noqa: E402
from kiosk.services import staff  # noqa: E402
from kiosk.services.setup import open_kiosk  # noqa: E402
from kiosk.thai.ids import check_digit  # noqa: E402
from screens.app import make_app  # noqa: E402
from screens.receipt import ReceiptScreen  # noqa: E402
from tests.conftest import write_config  # noqa: E402

ID = "310170020345" + str(check_digit("310170020345"))


class Keyboard:
    """Sends keys as a terminal would (Thai as one Key event per character) and counts them."""

    def __init__(self, pilot) -> None:
        self.pilot, self.count = pilot, 0

    async def press(self, *keys: str) -> None:
        for key in keys:
            self.count += 1
            await self.pilot.press(key)

    async def type(self, text: str) -> None:
        for ch in text:
            self.count += 1
            if ch.isascii():
                await self.pilot.press("space" if ch == " " else ch)
            else:
                self.pilot.app.focused.post_message(events.Key(ch, ch))
        await self.pilot.pause()

    async def until(self, predicate, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise RuntimeError(f"stuck on {self.pilot.app.screen!r}")
            await self.pilot.pause(0.01)


async def new_person(settings) -> tuple[int, float]:
    app = make_app(settings, "counter", "th")
    async with app.run_test(size=(120, 40)) as pilot:
        kb = Keyboard(pilot)
        started = time.perf_counter()
        await kb.press("tab", "enter")  # language toggle → "ask for help"
        await kb.press("enter")  # accept the privacy notice
        await kb.press("1", "1")  # disaster → flood
        await kb.type("นาย")
        await kb.press("tab")
        await kb.type("สมชาย")
        await kb.press("tab")
        await kb.type("ใจดี")
        await kb.press("tab", "tab")  # past the document type (Thai ID card)
        await kb.type(ID)
        await kb.press("enter")
        await kb.type("0812345678")
        await kb.press("enter")
        await kb.press("enter")  # the person asking needs the help
        await kb.type("น้ำท่วมบ้าน")
        await kb.press("enter")
        await kb.press("enter")  # confirm on the review
        await kb.until(lambda: isinstance(app.screen, ReceiptScreen))
        return kb.count, time.perf_counter() - started


async def returning_person(settings) -> tuple[int, int, float]:
    """(keystrokes in the wizard, keystrokes to unlock the staff gate, seconds)."""
    app = make_app(settings, "counter", "th")
    async with app.run_test(size=(120, 40)) as pilot:
        kb = Keyboard(pilot)
        started = time.perf_counter()
        await kb.press("tab", "tab", "tab", "tab", "enter")  # to "staff" on the home screen
        await kb.type("246813")
        await kb.press("enter")
        await kb.until(lambda: bool(app.screen.query("#gate-intake")))
        while app.focused is None or app.focused.id != "gate-intake":
            await kb.press("tab")
        gate = kb.count
        await kb.press("enter")  # "staff-assisted intake"
        await kb.press("enter")  # accept the privacy notice
        await kb.press("3", "1")  # quality of life → elderly
        await kb.type(ID)  # look the person up
        await kb.press("enter")
        await kb.until(lambda: bool(app.screen.query("#first_name")) and app.screen.query_one("#first_name").value)
        await kb.press("enter")  # identity pre-filled: Next
        await kb.press("enter")  # contact pre-filled
        await kb.press("enter")  # the person asking needs the help
        await kb.type("อยู่คนเดียว")
        await kb.press("enter")
        await kb.press("enter")  # confirm
        await kb.until(lambda: isinstance(app.screen, ReceiptScreen))
        return kb.count - gate, gate, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kiosk-bench-intake-"))
    path = write_config(folder)
    settings = parse_settings(path, path.read_text(encoding="utf-8"), environ={})
    open_kiosk(settings)
    admin = staff.create_staff("admin", "long-password", "admin", first_admin=True)
    staff.create_staff("clerk", "long-password", "supervisor", "Clerk", by=admin, pin="246813")
    new, returning = [], []
    for _ in range(args.runs):
        new.append(asyncio.run(new_person(settings)))
    for _ in range(args.runs):
        returning.append(asyncio.run(returning_person(settings)))
    keys_new = new[0][0]
    keys_back, keys_gate = returning[0][0], returning[0][1]
    print(f"intake benchmark (Pilot, 120x40, {args.runs} runs each; SQLite {settings.database_url})")
    print(f"  new person, self-service:      {keys_new:3d} keystrokes, "
          f"median {statistics.median(t for _, t in new):.2f} s")
    print(f"  returning person, staff mode:  {keys_back:3d} keystrokes (+{keys_gate} to unlock the staff gate), "
          f"median {statistics.median(t for *_, t in returning):.2f} s")
    print(f"  target: returning person <= 40 keystrokes: {'met' if keys_back <= 40 else 'NOT met'}")


if __name__ == "__main__":
    main()
