"""Where focus starts (screens/base.py FirstFocus): never on the language toggle; a staff step's
dialog on its first field; the staff-member list opens with Enter."""

from __future__ import annotations

from textual.widgets import Select

from screens.app import make_app
from tests.intake.helpers import type_text, wait_for
from tests.staff.pilot import login, settle

from ..staff.conftest import new_case


async def test_first_enter_on_home_opens_the_first_choice_not_english(settings, db):
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "choice-ask_help"
        await pilot.press("enter")
        await pilot.pause()
        assert app.lang == "th"
        assert type(app.screen).__name__ == "ConsentStep"


async def test_typing_on_the_track_screen_goes_to_the_ticket(settings, db):
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#choice-track")
        await pilot.pause()
        await type_text(pilot, "WPK-69-00001")
        assert app.screen.query_one("#track-ticket").value == "WPK-69-00001"


async def test_language_switch_keeps_focus_off_the_toggle(settings, db):
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.lang == "en"
        assert app.focused is not None and app.focused.id == "choice-ask_help"


async def open_step(pilot, action: str) -> None:
    from textual.widgets import OptionList

    await login(pilot, "supervisor")
    await pilot.press("enter")
    await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "CaseDetailScreen")
    await settle(pilot)
    await pilot.press("a")
    await settle(pilot)
    menu = pilot.app.screen.query_one("#action-list", OptionList)
    while menu.highlighted_option.id != action:
        await pilot.press("down")
    await pilot.press("enter")
    await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "CaseActionScreen")
    await settle(pilot)


async def test_step_dialog_opens_on_its_first_field_with_a_border(settings, actors):
    new_case()
    app = make_app(settings, "staff", "th")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_step(pilot, "send_field")
        assert app.focused is not None and app.focused.id == "f-team"
        await type_text(pilot, "ทีมหมู่ 4")
        assert app.screen.values["team"] == "ทีมหมู่ 4"
        assert app.focused.styles.border_top[0] not in ("", "none", "hidden")


async def test_staff_member_list_opens_with_enter(settings, actors):
    new_case()
    app = make_app(settings, "staff", "th")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_step(pilot, "assign")
        select = app.screen.query_one(Select)
        assert app.focused is not None and select in app.focused.ancestors_with_self
        await pilot.press("enter")
        await pilot.pause()
        assert select.expanded


async def test_a_step_opens_at_its_top_with_the_first_label_in_sight(settings, db):
    from .test_keys import to_identity

    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_identity(pilot)
        await pilot.pause()
        assert app.focused.id == "prefix"
        assert app.screen.query_one("#step-body").scroll_y == 0
