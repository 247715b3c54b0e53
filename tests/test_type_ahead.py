"""Keys typed ahead, in one burst, as they reach the app over a slow SSH link, from a card
reader, or on a busy machine: every key lands where the person meant it to, whatever the app had
still to do when it arrived. Pilot's `press` waits after each key; these post the whole burst
first (all queued before any is handled). tests/e2e/test_ssh.py types the same over real SSH."""

from __future__ import annotations

import json

from textual.widgets import Input

from db.models import Announcement, Case, CaseEvent
from kiosk.services import staff as staff_service
from screens.app import make_app
from screens.login import LoginScreen
from tests.intake.helpers import burst, next_step, step, wait_for

from .conftest import STAFF_PASSWORD
from .counter.test_keys import to_subject
from .paperwork.conftest import new_case, person
from .paperwork.test_screens import open_committee
from .staff.pilot import login, settle, staff_app
from .staff.test_screens import SIZE
from .test_gate_screen import PASSWORD, add, open_gate
from .test_gate_screen import settle as gate_settle


async def test_a_story_typed_and_sent_in_one_burst_is_kept(settings, db):
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_subject(pilot)
        await next_step(pilot)
        await wait_for(pilot, lambda: step(app) == "situation" and app.focused is not None)
        burst(app, "น้ำท่วมบ้าน ที่นอนเปียกหมด", "enter")
        await wait_for(pilot, lambda: step(app) != "situation" or bool(app.screen.state.errors))
        assert step(app) == "review" and app.screen.state.form.description == "น้ำท่วมบ้าน ที่นอนเปียกหมด"


async def test_a_password_typed_ahead_after_the_username_goes_to_the_password_field(settings, db, actors):
    app = make_app(settings, "staff", "en")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.focused.id == "login-username"
        burst(app, "officer", "enter", STAFF_PASSWORD, "enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, LoginScreen))
        assert app.actor.username == "officer"


async def test_the_gates_password_typed_ahead_goes_to_the_password_field(settings, db):
    add("somsri", "officer")
    app = make_app(settings, "counter", "th")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_gate(pilot)
        await pilot.click("#gate-mode")
        await gate_settle(pilot)
        app.screen.query_one("#gate-username", Input).focus()
        await pilot.pause()
        burst(app, "somsri", "enter", PASSWORD, "enter")
        await gate_settle(pilot)
        assert app.unlocked_by is not None and app.unlocked_by.username == "somsri"



async def test_a_new_pin_typed_twice_in_one_burst_is_saved(settings, db, actors):
    app = make_app(settings, "staff", "en")
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot)
        app.open_my_pin()
        await settle(pilot)
        assert app.focused.id == "p-pin"
        burst(app, "582937", "enter", "582937", "enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ != "SetPinDialog")
        await settle(pilot)
    assert staff_service.unlock_with_pin("582937").username == "officer"


async def test_a_name_typed_then_the_language_switched_in_one_burst_is_kept(settings, db):
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_subject(pilot)
        await pilot.press("escape", "escape")
        await wait_for(pilot, lambda: step(app) == "identity")
        app.screen.query_one("#first_name", Input).focus()
        await pilot.press("end")  # focus selects the whole name: go on from its end
        burst(app, "ศรี", "ctrl+l")
        await wait_for(pilot, lambda: app.lang == "en")
        await pilot.pause()
        assert app.screen.query_one("#first_name", Input).value == "สมชายศรี"
        assert app.screen.state.form.first_name == "สมชายศรี"


async def test_the_committees_meeting_typed_then_saved_in_one_burst_is_saved_whole(db, settings, actors):
    case_id = new_case(who=person("บุญมี"), status="awaiting_committee")
    app = staff_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "supervisor")
        await open_committee(pilot)
        await pilot.press("space")  # approve
        app.screen.query_one("#meeting-date", Input).value = "20/11/2569"
        app.screen.query_one("#meeting-no", Input).focus()
        await pilot.pause()
        burst(app, "5/2569", "ctrl+s")
        await wait_for(pilot, lambda: Case.get_by_id(case_id).status_id == "approved")
        await settle(pilot)
    approve = CaseEvent.get(CaseEvent.case == case_id, CaseEvent.action == "approve")
    assert json.loads(approve.data)["meeting_no"] == "5/2569"


async def test_an_announcement_typed_then_saved_in_one_burst_is_saved_whole(db, settings, actors):
    app = staff_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "supervisor")
        dict(app.staff_places())["Announcements"]()
        await settle(pilot)
        assert type(app.screen).__name__ == "AnnouncementsScreen"
        app.screen.query_one("#ann-body").text = "ขออภัยในความไม่สะดวก"
        app.screen.query_one("#ann-title", Input).focus()
        await pilot.pause()
        burst(app, "งดจ่ายน้ำประปาวันพุธ", "ctrl+s")
        await wait_for(pilot, lambda: Announcement.select().exists())
        await settle(pilot)
    assert [a.title for a in Announcement.select()] == ["งดจ่ายน้ำประปาวันพุธ"]
