"""The staff announcements screen: an officer writes (Thai), schedules, pins and retires; a
volunteer is refused by the service and told so; stored text shows literally in the table."""

from __future__ import annotations

from textual import events
from textual.widgets import DataTable, Input, Static, TextArea

from kiosk.services import announcements as ann
from screens.app import make_app
from screens.staff_announcements import AnnouncementsScreen

from .conftest import NASTY


async def test_officer_writes_pins_and_retires(db, settings, actors):
    app = make_app(settings, "staff")
    async with app.run_test(size=(120, 40)) as pilot:
        app.actor = actors["officer"]
        await app.push_screen(AnnouncementsScreen())
        await pilot.pause()
        screen = app.screen
        screen.query_one("#ann-title", Input).focus()
        screen.query_one("#ann-title", Input).post_message(events.Paste("งดจ่ายน้ำประปา [b"))
        screen.query_one("#ann-body", TextArea).text = "วันพุธ 9:00–12:00 น."
        screen.query_one("#ann-ends", Input).value = "31/12/2599 16:30"
        await pilot.pause()
        await pilot.click("#ann-save")
        await pilot.pause()
        [item] = ann.current()
        assert (item.title, item.body, item.ends_at.year) == ("งดจ่ายน้ำประปา [b", "วันพุธ 9:00–12:00 น.", 2056)
        table = screen.query_one("#ann-table", DataTable)
        assert table.row_count == 1 and str(table.get_row_at(0)[0]) == "งดจ่ายน้ำประปา [b"
        await pilot.click("#ann-pin")
        await pilot.pause()
        assert ann.get(item.id).pinned
        await pilot.click("#ann-retire")
        await pilot.pause()
        assert ann.get(item.id).retired and ann.current() == []
        screen.query_one("#ann-title", Input).value = "ร่างที่ยังไม่บันทึก"
        await pilot.press("ctrl+l")  # the language toggle keeps what was typed
        await pilot.pause()
        assert app.screen.query_one("#ann-title", Input).value == "ร่างที่ยังไม่บันทึก"
        assert app.screen.query_one("#ann-table", DataTable).row_count == 1


async def test_bad_dates_and_volunteers_get_a_message(db, settings, actors):
    app = make_app(settings, "staff", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        app.actor = actors["officer"]
        await app.push_screen(AnnouncementsScreen())
        await pilot.pause()
        app.screen.query_one("#ann-title", Input).value = "x"
        app.screen.query_one("#ann-starts", Input).value = "32/13/2569"
        await pilot.click("#ann-save")
        await pilot.pause()
        assert str(app.screen.query_one("#ann-message", Static).render()) != ""
        assert ann.current() == []
        app.actor = actors["volunteer"]
        app.screen.query_one("#ann-starts", Input).value = ""
        await pilot.pause(0.3)  # a button ignores a second press while it still shows the first
        await pilot.click("#ann-save")
        await pilot.pause()
        assert str(app.screen.query_one("#ann-message", Static).render()) == "Your role does not allow this."
        assert ann.all_for_staff(actors["officer"]) == []


async def test_table_cells_are_literal(db, settings, actors):
    for text in NASTY:
        ann.create(actors["officer"], text)
    app = make_app(settings, "staff")
    async with app.run_test(size=(120, 40)) as pilot:
        app.actor = actors["officer"]
        await app.push_screen(AnnouncementsScreen())
        await pilot.pause()
        table = app.screen.query_one("#ann-table", DataTable)
        assert sorted(str(table.get_row_at(i)[0]) for i in range(table.row_count)) == \
            sorted(["[@click=app.quit]x[/]", "[b", "[2Jclear"])


async def test_new_clears_the_form(db, settings, actors):
    """After saving one announcement, "new" starts an empty form: the next save is a second
    announcement, not a copy of the first."""
    app = make_app(settings, "staff")
    async with app.run_test(size=(120, 40)) as pilot:
        app.actor = actors["officer"]
        await app.push_screen(AnnouncementsScreen())
        await pilot.pause()
        app.screen.query_one("#ann-title", Input).value = "first"
        await pilot.pause()
        await pilot.click("#ann-save")
        await pilot.pause()
        await pilot.click("#ann-new")
        await pilot.pause()
        assert app.screen.query_one("#ann-title", Input).value == ""
        app.screen.query_one("#ann-title", Input).value = "second"
        await pilot.pause()
        await pilot.click("#ann-save")
        await pilot.pause()
        assert sorted(a.title for a in ann.current()) == ["first", "second"]
