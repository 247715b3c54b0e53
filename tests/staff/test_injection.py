"""Markup and escape injection: people, cases, notes and accounts holding markup, an action
link, an unterminated tag, terminal escapes, control characters and long Thai text are shown
literally on every staff screen and table; no action runs; nothing crashes."""

from __future__ import annotations

from dataclasses import replace

from db.models import CaseEvent, Staff
from kiosk.services import audit
from kiosk.services.demo import fake_people
from screens.widgets.pick import PickDialog

from ..conftest import HOSTILE, TEST_DB
from .conftest import new_case
from .pilot import login, settle, staff_app, table_text

# PostgreSQL text cannot hold NUL: the database layer drops it there (db.connection), SQLite keeps it
NUL_SHOWN = "bell␇tab\tnul" + ("" if TEST_DB == "postgresql" else "␀")


def shown(app) -> str:
    from textual.widgets import Static

    return "\n".join(str(w.render()) for w in app.screen.query(Static))


def nasty_case() -> int:
    person = replace(next(fake_people(1)), first_name=HOSTILE[0], last_name=HOSTILE[1], village=HOSTILE[2],
                     house_no=HOSTILE[3], soi=HOSTILE[4], road=HOSTILE[5][:200])
    cid = new_case(" ".join(HOSTILE), person)
    CaseEvent.create(case=cid, action="note", public_note=HOSTILE[1], internal_note=HOSTILE[3] + HOSTILE[2])
    return cid


async def test_every_staff_screen_shows_hostile_text_literally(db, settings, actors):
    nasty_case()
    Staff.update(full_name=HOSTILE[1] + HOSTILE[3]).where(Staff.username == "officer2").execute()
    audit.record("note", actor="x", detail=HOSTILE[1] + HOSTILE[3] + HOSTILE[4])
    app = staff_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin")
        row = table_text(app, "#queue-table")[0]
        assert HOSTILE[0] in row[1] and HOSTILE[1] in row[1]  # the person: right after the ticket
        await pilot.click("#queue-table", offset=(40, 1))  # click where the injected link would be
        await settle(pilot)
        assert app.is_running
        app.screen.query_one("#queue-table").focus()
        if type(app.screen).__name__ == "QueueScreen":
            await pilot.press("enter")
            await settle(pilot)
        assert type(app.screen).__name__ == "CaseDetailScreen"
        text = shown(app)
        for piece in (HOSTILE[0], HOSTILE[1], HOSTILE[2], "␛[2Jclear", NUL_SHOWN, HOSTILE[5][:200]):
            assert piece in text, piece
        assert "\x1b" not in text and "\x07" not in text
        for y in range(3, 23):  # click over every line of the detail: no injected action may fire
            await pilot.click(offset=(30, y))
        await settle(pilot)
        assert app.is_running and app.actor is not None
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, PickDialog)
        menu = app.screen.query_one("#action-list")
        menu.highlighted = [o.id for o in menu.options].index("assign")
        await pilot.press("enter")
        await settle(pilot)
        select = app.screen.query_one("#f-assignee")
        assert any(HOSTILE[1] in str(label) for label, _v in select._options)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape", "u")
        await settle(pilot)
        assert [r for r in table_text(app, "#users-table") if r[0] == "officer2"][0][1] == HOSTILE[1] + "␛[2Jclear"
        await pilot.press("escape", "g")
        await settle(pilot)
        details = [r[4] for r in table_text(app, "#audit-table")]
        assert any(HOSTILE[1] + "␛[2Jclear" in d and NUL_SHOWN[-4:] in d.replace(" ", "\t") for d in details), details
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert app.is_running
