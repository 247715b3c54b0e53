"""The users screen in a joint centre: an LAO column and `l` to put an account under an LAO or
the whole centre; with the sample's one LAO both stay hidden (the screen as before)."""

from __future__ import annotations

from db.models import Staff
from kiosk.services import staff as staff_service
from tests.conftest import STAFF_PASSWORD
from tests.staff.pilot import login, settle, staff_app, table_text

from .conftest import add_lao, org_id

SIZE = (80, 24)


async def test_one_lao_shows_no_lao_column_nor_key(db, settings, actors):
    app = staff_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "admin")
        app.open_users()
        await settle(pilot)
        assert "LAO" not in str(app.screen.query_one("#users-table").columns)
        await pilot.press("l")
        await settle(pilot)
        assert type(app.screen).__name__ == "UsersScreen"


async def test_the_centres_admin_puts_an_officer_under_an_lao(db, settings, actors):
    add_lao("NKL")
    app = staff_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "admin")
        app.open_users()
        await settle(pilot)
        rows = table_text(app, "#users-table")
        assert {r[-1] for r in rows} == {"Whole centre"}
        await pilot.press("down")  # officer
        await pilot.press("l")
        await settle(pilot)
        assert type(app.screen).__name__ == "PickDialog"
        await pilot.press("down", "down", "enter")  # whole centre, WPK, NKL
        await settle(pilot)
        assert type(app.screen).__name__ == "UsersScreen"
        assert table_text(app, "#users-table")[1][-1] == "NKL"
    nkl = org_id("NKL")
    assert Staff.get(Staff.username == "officer").organization_id == nkl
    assert staff_service.login("officer", STAFF_PASSWORD).lao_ids == (nkl,)
