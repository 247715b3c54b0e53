"""Every handler that calls a service on the UI thread through `safely(...)`, with that service
raising a locked SQLite database, a PostgreSQL server gone, and a plain bug. Handlers that act
for the person show the calm message and keep what was typed; the ones that only draw (a
screen's compose, a timer) go on with what their code says they show when the database cannot
answer, and the fault is in the log.

SCENARIOS is checked against the code by test_inventory.py: a new handler needs a scenario here."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import DataTable, Select, Static

from db.models import Announcement, Organization, Person, Staff, utcnow
from kiosk.services import announcements
from screens import case_action, centre_edit, gate, info, merge, queue, staff_announcements, staff_app, users
from screens.widgets.attract import AttractLoop
from tests.staff.test_console_gaps import twins

from ..conftest import STAFF_PIN as PIN
from . import survey_scenarios
from .flows import NAME, PHONE, choose, counter, open_first_case, staff, stored_person_case
from .harness import (
    Trial,
    assert_calm,
    click_again,
    input_value,
    registry,
    settle,
    type_into,
    unavailable,
    visible_text,
    wait_for,
)

SCENARIOS, scenario = registry()


def announcement(t: Trial, title: str = "งดจ่ายน้ำประปาวันพุธ") -> None:
    announcements.create(t.accounts["officer"], title, "ขออภัยในความไม่สะดวก",
                         starts_at=utcnow() - timedelta(hours=1))


# -- the counter: drawing goes on without the database ------------------------------------------

@scenario("screens.gate.GateScreen.has_staff")
async def gate_has_staff(t: Trial):
    """The code: if the database cannot say whether anyone has a PIN, the PIN field shows (and
    the PIN check then reports a fault of its own)."""
    async with counter(t) as (app, pilot):
        switch = t.inject(gate.staff_service, "has_staff")
        await pilot.click("#choice-staff")
        await settle(pilot)
        assert_calm(app, t, switch, screen="GateScreen", shown=False)
        assert app.screen.query("#gate-pin") and app.t("gate.no_staff") not in visible_text(app)
        await type_into(pilot, "#gate-pin", PIN)  # the PIN check itself still works
        await pilot.press("enter")
        await settle(pilot)
        assert app.unlocked_by is not None and app.unlocked_by.username == "supervisor"
        t.assert_logged((PIN,))


@scenario("screens.info.InfoScreen._announcements")
async def info_announcements(t: Trial):
    """The code: the centre's information shows without announcements ("none at the moment")."""
    announcement(t)
    async with counter(t) as (app, pilot):
        switch = t.inject(info.announcements, "current")
        await pilot.click("#choice-info")
        await settle(pilot)
        assert_calm(app, t, switch, screen="InfoScreen", shown=False)
        text = visible_text(app)
        assert app.t("info.no_announcements") in text and t.settings.centre_name(app.lang) in text
        assert app.screen.query("#info-open") and app.screen.query("#qr-map")
        switch.off()  # the database is back: the next visit shows the announcement
        await click_again(pilot, "#info-back")
        await settle(pilot)
        await click_again(pilot, "#choice-info")
        await settle(pilot)
        assert "งดจ่ายน้ำประปาวันพุธ" in visible_text(app)


@scenario("screens.widgets.attract.AttractLoop.advance")
async def attract_loop(t: Trial):
    """The code: no announcements can be read, so the home screen stays as it is (no attract
    screen), and the loop starts again by itself once the database answers."""
    announcement(t)
    switch = t.inject(announcements, "current")
    async with counter(t) as (app, pilot):
        loop = app.screen.query_one(AttractLoop)
        loop.configure(idle_after=0.1, interval=0.1)
        await wait_for(pilot, lambda: switch.calls >= 2)  # tried, and tried again after the next idle spell
        assert not loop.active
        assert_calm(app, t, switch, screen="HomeScreen", shown=False)
        assert app.screen.query("#choice-ask_help")
        switch.off()
        await wait_for(pilot, lambda: loop.active)
        assert str(loop.query_one("#attract-title", Static).render()) == "งดจ่ายน้ำประปาวันพุธ"


# -- the staff console --------------------------------------------------------------------------

@scenario("screens.queue.QueueScreen.load_first")
async def queue_first_page(t: Trial):
    stored_person_case()
    async with staff(t, role=None) as (app, pilot):
        switch = t.inject(queue.queue_service, "list_cases")
        app.logged_in(t.accounts["officer"])
        await settle(pilot)
        assert_calm(app, t, switch, screen="QueueScreen")
        assert unavailable(app) in str(app.screen.query_one("#queue-pager", Static).render())
        switch.off()
        await pilot.press("r")
        await settle(pilot)
        assert app.screen.query_one("#queue-table", DataTable).row_count == 1


@scenario("screens.case_action.CaseActionScreen.assignable")
async def assign_list(t: Trial):
    """The code: the list of who may be assigned is empty and the form says why."""
    stored_person_case()
    async with staff(t) as (app, pilot):
        await open_first_case(pilot)
        switch = t.inject(case_action.staff_service, "assignable_staff")
        await pilot.press("a")
        await settle(pilot)
        await choose(pilot, "action-list", "assign")
        assert_calm(app, t, switch, screen="CaseActionScreen")
        assert unavailable(app) in str(app.screen.query_one("#action-error", Static).render())
        offered = app.screen.query_one("#f-assignee", Select)._options  # (Select has no public list)
        assert [value for _label, value in offered if value is not Select.NULL] == []
        await pilot.press("escape")  # the form still works: Cancel goes back to the case
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseDetailScreen"


@scenario("screens.case_action.CaseActionScreen.referral_targets")
async def referral_list(t: Trial):
    """The code: the list of LAOs and agencies to refer to is empty and the form says why."""
    stored_person_case()
    async with staff(t) as (app, pilot):
        await open_first_case(pilot)
        switch = t.inject(case_action.referral, "targets")
        await pilot.press("a")
        await settle(pilot)
        await choose(pilot, "action-list", "refer")
        assert_calm(app, t, switch, screen="CaseActionScreen")
        assert unavailable(app) in str(app.screen.query_one("#action-error", Static).render())
        offered = app.screen.query_one("#f-refer_to", Select)._options  # (Select has no public list)
        assert [value for _label, value in offered if value is not Select.NULL] == []
        await pilot.press("escape")  # the form still works: Cancel goes back to the case
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseDetailScreen"
        switch.off()
        await pilot.press("a")  # the service is back: the agencies are offered
        await settle(pilot)
        await choose(pilot, "action-list", "refer")
        offered = app.screen.query_one("#f-refer_to", Select)._options
        assert [value for _label, value in offered if value is not Select.NULL]


@scenario("screens.merge.MergeConfirm.action_merge")
async def merge_people(t: Trial):
    keep, drop, _case = twins(first=NAME)
    async with staff(t, "supervisor") as (app, pilot):
        await open_first_case(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        switch = t.inject(merge.merge, "merge_people")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert_calm(app, t, switch, screen="MergeConfirm", typed=(NAME,))
        assert unavailable(app) in str(app.screen.query_one("#merge-error", Static).render())
        assert Person.get_by_id(drop).merged_into_id is None
        switch.off()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseDetailScreen"
        assert Person.get_by_id(drop).merged_into_id == keep


@scenario("screens.users.UsersScreen.fill")
async def users_list(t: Trial):
    async with staff(t, "admin") as (app, pilot):
        switch = t.inject(users.staff_service, "list_staff")
        app.open_users()
        await settle(pilot)
        assert_calm(app, t, switch, screen="UsersScreen")
        assert unavailable(app) in str(app.screen.query_one("#users-message", Static).render())
        assert app.screen.query_one("#users-table", DataTable).row_count == 0
        switch.off()
        await pilot.press("ctrl+l")  # any redraw reads the list again
        await settle(pilot)
        assert app.screen.query_one("#users-table", DataTable).row_count == len(t.accounts)


async def users_at(pilot, username: str) -> None:
    app = pilot.app
    app.open_users()
    await settle(pilot)
    table = app.screen.query_one("#users-table", DataTable)
    table.move_cursor(row=[r.username for r in app.screen.rows.values()].index(username))
    await pilot.pause()


@scenario("screens.users.UsersScreen.action_toggle_active")
async def users_deactivate(t: Trial):
    async with staff(t, "admin") as (app, pilot):
        await users_at(pilot, "officer")
        switch = t.inject(users.staff_service, "set_active")
        await pilot.press("d")
        await settle(pilot)
        assert_calm(app, t, switch, screen="UsersScreen")
        assert unavailable(app) in str(app.screen.query_one("#users-message", Static).render())
        assert Staff.get(Staff.username == "officer").active
        switch.off()
        await pilot.press("d")
        await settle(pilot)
        assert not Staff.get(Staff.username == "officer").active


@scenario("screens.users.UsersScreen.change_role")
async def users_role(t: Trial):
    async with staff(t, "admin") as (app, pilot):
        await users_at(pilot, "officer")
        switch = t.inject(users.staff_service, "set_role")
        await pilot.press("o")
        await settle(pilot)
        await choose(pilot, "role-list", "supervisor")
        assert_calm(app, t, switch, screen="UsersScreen")
        assert unavailable(app) in str(app.screen.query_one("#users-message", Static).render())
        assert Staff.get(Staff.username == "officer").role == "officer"


@scenario("screens.users.UsersScreen.change_lao")
async def users_lao(t: Trial):
    Organization.create(subdistrict_code="570907", name_th="องค์การบริหารส่วนตำบลหนองแก้ว", kind="sao",
                        ticket_prefix="NKL")  # a joint centre: the LAO column and key show
    async with staff(t, "admin") as (app, pilot):
        await users_at(pilot, "officer")
        switch = t.inject(users.staff_service, "set_lao")
        await pilot.press("l")
        await settle(pilot)
        await choose(pilot, "lao-list", "NKL")
        assert_calm(app, t, switch, screen="UsersScreen")
        assert unavailable(app) in str(app.screen.query_one("#users-message", Static).render())
        assert Staff.get(Staff.username == "officer").organization_id is None


@scenario("screens.centre_edit.CentreEditScreen.action_save")
async def centre_save(t: Trial):
    before = t.settings.path.read_text(encoding="utf-8")
    phones = "053-999-888, 081-222-3333"
    async with staff(t, "admin") as (app, pilot):
        app.open_centre_edit()
        await settle(pilot)
        switch = t.inject(centre_edit.centre_config, "update_centre_info")
        await type_into(pilot, "#c-phones", phones)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert_calm(app, t, switch, screen="CentreEditScreen")
        assert unavailable(app) in str(app.screen.query_one("#centre-message", Static).render())
        assert input_value(app, "#c-phones") == phones
        assert t.settings.path.read_text(encoding="utf-8") == before
        switch.off()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.settings.phones == ("053-999-888", "081-222-3333")


@scenario("screens.staff_announcements.AnnouncementsScreen.reload")
async def announcements_list(t: Trial):
    announcement(t)
    async with staff(t) as (app, pilot):
        switch = t.inject(staff_announcements.ann, "all_for_staff")
        app.open_announcements()
        await settle(pilot)
        assert_calm(app, t, switch, screen="AnnouncementsScreen")
        assert unavailable(app) in str(app.screen.query_one("#ann-message", Static).render())
        assert app.screen.query_one("#ann-table", DataTable).row_count == 0
        switch.off()
        await pilot.press("ctrl+n")  # a fresh form reads the list again
        await settle(pilot)
        assert app.screen.query_one("#ann-table", DataTable).row_count == 1


@scenario("screens.staff_announcements.AnnouncementsScreen.act")
async def announcements_save(t: Trial):
    title = f"ติดต่อ {NAME} โทร {PHONE}"
    async with staff(t) as (app, pilot):
        app.open_announcements()
        await settle(pilot)
        switch = t.inject(staff_announcements.ann, "create")
        await type_into(pilot, "#ann-title", title)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert_calm(app, t, switch, screen="AnnouncementsScreen", typed=(title, NAME, PHONE))
        assert unavailable(app) in str(app.screen.query_one("#ann-message", Static).render())
        assert input_value(app, "#ann-title") == title and not Announcement.select().exists()
        switch.off()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert Announcement.get().title == title


@scenario("screens.staff_app.StaffApp.audit_quietly")
async def audit_on_lock(t: Trial):
    """The code: logging out and the idle lock still lock the console when the audit write fails."""
    async with staff(t) as (app, pilot):
        switch = t.inject(staff_app.audit, "record")
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert_calm(app, t, switch, screen="LoginScreen", shown=False)
        assert app.actor is None
        app.logged_in(t.accounts["officer"])
        await settle(pilot)
        app.last_input -= app.idle_lock + 1
        app.lock_if_idle()
        await settle(pilot)
        assert switch.calls == 2 and app.actor is None and type(app.screen).__name__ == "LoginScreen"
        assert app.t("staff.idle_locked") in visible_text(app)


SCENARIOS.update(survey_scenarios.HANDLERS)  # the survey entry form's and the teams screen's


@pytest.mark.parametrize("where", sorted(SCENARIOS))
async def test_handler_fault_is_calm(trial: Trial, where: str):
    await SCENARIOS[where](trial)
