"""The attract loop on the counter's home screen: while idle it shows the current
announcements in turn, pinned first; expired ones never show; a key or a touch stops it.
Timings are shrunk through `AttractLoop.configure` (no real minutes of waiting)."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Static

from db.models import utcnow
from kiosk.services import announcements as ann
from screens.app import make_app
from screens.home import HomeScreen
from screens.widgets.attract import AttractLoop

from .conftest import NASTY


async def wait_for(pilot, condition, timeout: float = 3.0) -> None:
    for _ in range(int(timeout / 0.02)):
        if condition():
            return
        await pilot.pause(0.02)
    assert condition(), "timed out"


def shown_title(loop: AttractLoop) -> str:
    return str(loop.query_one("#attract-title", Static).render())


async def test_rotates_pinned_first_skips_expired_and_stops_on_a_key(db, settings, actors):
    officer, now = actors["officer"], utcnow()
    ann.create(officer, "ข่าวเก่า", starts_at=now - timedelta(days=2))
    ann.create(officer, "ข่าวใหม่", starts_at=now - timedelta(hours=1))
    ann.create(officer, "ประกาศปักหมุด", starts_at=now - timedelta(days=9), pinned=True)
    ann.create(officer, "หมดเวลา", starts_at=now - timedelta(days=1), ends_at=now - timedelta(seconds=1))
    ann.retire(officer, ann.create(officer, "เลิกแล้ว").id)
    app = make_app(settings, "counter")
    async with app.run_test(size=(120, 40)) as pilot:
        loop = app.screen.query_one(AttractLoop)
        assert not loop.active
        loop.configure(idle_after=0.2, interval=0.15)
        await wait_for(pilot, lambda: loop.active)
        seen = [shown_title(loop)]
        while len(seen) < 6:
            await wait_for(pilot, lambda: shown_title(loop) != seen[-1])
            seen.append(shown_title(loop))
        assert seen == ["ประกาศปักหมุด", "ข่าวใหม่", "ข่าวเก่า"] * 2
        assert app.screen.focused is loop
        await pilot.press("enter")  # would open a choice if it reached the buttons
        await pilot.pause()
        assert not loop.active and isinstance(app.screen, HomeScreen)
        assert app.screen.focused is not loop


async def test_a_touch_stops_it_and_idleness_restarts_it(db, settings, actors):
    ann.create(actors["officer"], "ประกาศ")
    app = make_app(settings, "counter")
    async with app.run_test(size=(120, 40)) as pilot:
        loop = app.screen.query_one(AttractLoop)
        loop.configure(idle_after=0.2, interval=5)
        await wait_for(pilot, lambda: loop.active)
        await pilot.click(loop, offset=(60, 20))
        await pilot.pause()
        assert not loop.active and isinstance(app.screen, HomeScreen)
        await wait_for(pilot, lambda: loop.active)  # idle again


async def test_activity_keeps_it_away(db, settings, actors):
    ann.create(actors["officer"], "ประกาศ")
    app = make_app(settings, "counter")
    async with app.run_test(size=(120, 40)) as pilot:
        loop = app.screen.query_one(AttractLoop)
        loop.configure(idle_after=1.5, interval=5)
        for _ in range(10):  # 2 s of typing, never 1.5 s without a key
            await pilot.press("tab")
            await pilot.pause(0.2)
            assert not loop.active
        await wait_for(pilot, lambda: loop.active)  # and it does come once the typing stops


async def test_an_announcement_that_expires_while_showing_is_dropped(db, settings, actors):
    officer, now = actors["officer"], utcnow()
    ann.create(officer, "อยู่ต่อ", starts_at=now - timedelta(hours=1))
    ann.create(officer, "กำลังจะหมด", starts_at=now - timedelta(minutes=1), ends_at=now + timedelta(seconds=0.8),
               pinned=True)
    app = make_app(settings, "counter")
    async with app.run_test(size=(120, 40)) as pilot:
        loop = app.screen.query_one(AttractLoop)
        loop.configure(idle_after=0.1, interval=0.1)
        await wait_for(pilot, lambda: loop.active)
        await wait_for(pilot, lambda: utcnow() > now + timedelta(seconds=1))
        await pilot.pause(0.3)
        seen = set()
        for _ in range(5):
            seen.add(shown_title(loop))
            await pilot.pause(0.12)
        assert seen == {"อยู่ต่อ"}


async def test_nothing_current_means_no_attract_screen(db, settings, actors):
    ann.create(actors["officer"], "ยังไม่เริ่ม", starts_at=utcnow() + timedelta(days=1))
    app = make_app(settings, "counter")
    async with app.run_test(size=(120, 40)) as pilot:
        loop = app.screen.query_one(AttractLoop)
        loop.configure(idle_after=0.1, interval=0.1)
        await pilot.pause(0.5)
        assert not loop.active


async def test_stored_text_is_shown_literally(db, settings, actors):
    for text in NASTY:
        ann.create(actors["officer"], f"T{text}", f"B{text}")
    app = make_app(settings, "counter")
    async with app.run_test(size=(120, 40)) as pilot:
        loop = app.screen.query_one(AttractLoop)
        loop.configure(idle_after=0.1, interval=0.1)
        await wait_for(pilot, lambda: loop.active)
        seen = {}
        for _ in range(100):
            seen[shown_title(loop)] = str(loop.query_one("#attract-body", Static).render())
            if len(seen) == 3:
                break
            await pilot.pause(0.03)
        assert seen == {"T[@click=app.quit]x[/]": "B[@click=app.quit]x[/]", "T[b": "B[b", "T[2Jclear": "B[2Jclear"}
        assert app.is_running
