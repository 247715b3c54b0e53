"""PickDialog, the one "choose one of these" modal: (value,) on Enter — a None value too — and
None on Escape; labels shown literally; the current value highlighted; labels and title follow
a language switch; an empty list says so. And the role change it serves on the users screen."""

from __future__ import annotations

from textual.widgets import DataTable, OptionList, Static

from db.models import Staff
from screens.widgets.pick import PickDialog

from .pilot import login, settle, staff_app, table_text

SIZE = (80, 24)


async def pick(pilot, dialog: PickDialog, *keys: str) -> list:
    results: list = []
    pilot.app.push_screen(dialog, results.append)
    await settle(pilot)
    await pilot.press(*keys)
    await settle(pilot)
    return results


async def test_values_none_and_cancel_are_told_apart(db, settings, actors):
    options = [("[b]bold[/b] [@click=app.quit]x[/]", "a"), ("any", None), ("last", "z")]
    app = staff_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "officer")
        dialog = PickDialog(options, current="z", list_id="test-list")
        app.push_screen(dialog)
        await settle(pilot)
        shown = app.screen.query_one("#test-list", OptionList)
        assert shown.highlighted == 2 and app.focused is shown
        assert str(shown.get_option_at_index(0).prompt) == options[0][0]
        await pilot.press("escape")
        await settle(pilot)
        assert await pick(pilot, PickDialog(options), "enter") == [(None,)]  # current None: "any"
        assert await pick(pilot, PickDialog(options, current="z"), "up", "up", "enter") == [("a",)]
        assert await pick(pilot, PickDialog(options), "escape") == [None]
        dialog = PickDialog([], title="case.choose_action", empty="case.no_actions")
        assert await pick(pilot, dialog, "escape") == [None]
        assert app.is_running


async def to_officer2(pilot) -> None:
    table = pilot.app.screen.query_one("#users-table", DataTable)
    table.move_cursor(row=[r[0] for r in table_text(pilot.app, "#users-table")].index("officer2"))
    await settle(pilot)


async def test_role_change_picks_from_translated_roles(db, settings, actors):
    app = staff_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "admin")
        await pilot.press("u")
        await settle(pilot)
        await to_officer2(pilot)
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("ctrl+l")  # to Thai while the dialog is open
        await settle(pilot)
        title = str(app.screen.query_one(".dialog-title", Static).render())
        roles = app.screen.query_one("#role-list", OptionList)
        assert title == app.t("users.choose_role") and app.lang == "th"
        assert str(roles.get_option("supervisor").prompt) == app.t("role.supervisor")
        await pilot.press("escape")
        await settle(pilot)
        assert Staff.get(Staff.username == "officer2").role == "officer"
        await to_officer2(pilot)  # the language switch re-drew the table
        await pilot.press("o")
        await settle(pilot)
        roles = app.screen.query_one("#role-list", OptionList)
        roles.highlighted = [o.id for o in roles.options].index("supervisor")
        await pilot.press("enter")
        await settle(pilot)
        assert Staff.get(Staff.username == "officer2").role == "supervisor"
