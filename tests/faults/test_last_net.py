"""The last net behind the boundary (screens/app.py `_handle_exception`, `recover_from_fault`,
and screens/faults.py when a worker's `done`/`failed` method itself fails): a bug that escapes a
plain handler drops the broken screen — never the kiosk — with the calm message; only a fault in
the app itself (or the counter's home screen) ends it, with exit code 3 and the log. Under Pilot
an escaped fault still fails the test unless `reraise_faults = False` (as in production)."""

from __future__ import annotations

import asyncio

import pytest
from textual import events

from kiosk.i18n import translate
from screens.app import CounterApp, make_app
from screens.audit_view import AuditScreen
from screens.home import HomeScreen
from screens.intake.wizard import StepScreen
from screens.queue import QueueScreen
from screens.track import TrackScreen
from screens.users import UsersScreen
from tests.intake.helpers import open_wizard

from ..conftest import STAFF_PASSWORD as PASSWORD
from .flows import COUNTER_SIZE, LAST4, NAME, STAFF_SIZE, stored_person_case
from .harness import assert_fault_logged, notifications, settle, type_into, visible_text, wait_for


def bug(message: str):
    def broken(*_args, **_kwargs):
        raise RuntimeError(message)

    return broken


async def until_exit(app) -> None:
    """Wait for the app to end by itself (Pilot's pauses wait for screens that are gone)."""
    for _ in range(500):
        if app.return_code is not None:
            return
        await asyncio.sleep(0.02)


async def on_track_screen(pilot, ticket: str) -> None:
    await pilot.click("#choice-track")
    await settle(pilot)
    await type_into(pilot, "#track-ticket", ticket)
    await type_into(pilot, "#track-last4", LAST4)


# -- the counter ------------------------------------------------------------------------------

async def test_a_bug_in_a_handler_above_home_goes_home_calmly(db, settings, fault_log, monkeypatch):
    """Back home, in the default language, the gate locked, with the calm message in Thai; the
    typed digits are gone with the screen and in no message or log."""
    _case, ticket = stored_person_case()
    monkeypatch.setattr(TrackScreen, "submit", bug("boom in submit"))
    app = make_app(settings, "counter", "en")
    app.reraise_faults = False
    async with app.run_test(size=COUNTER_SIZE) as pilot:
        await on_track_screen(pilot, ticket)
        await pilot.click("#track-submit")
        await settle(pilot)
        assert app.is_running and app.return_code is None
        assert isinstance(app.screen, HomeScreen) and len(app.screen_stack) == 1
        assert app.lang == "th" and app.unlocked_by is None
        assert notifications(app) == [translate("errors.unavailable", "th")]
        assert LAST4 not in visible_text(app)
        await pilot.click("#choice-track")  # the counter still works
        await settle(pilot)
        assert isinstance(app.screen, TrackScreen)
    assert_fault_logged(fault_log, "RuntimeError: boom in submit", (LAST4,))


async def test_a_bug_in_a_workers_done_method_goes_home_calmly(db, settings, fault_log, monkeypatch):
    """The worker succeeded but the screen's `done` method failed: the same as a handler."""
    _case, ticket = stored_person_case()
    monkeypatch.setattr(TrackScreen, "show", bug("boom in show"))
    app = make_app(settings, "counter")
    app.reraise_faults = False  # under Pilot a done method's bug is re-raised, like any escaped fault
    async with app.run_test(size=COUNTER_SIZE) as pilot:
        await on_track_screen(pilot, ticket)
        await pilot.click("#track-submit")
        await settle(pilot)
        assert app.is_running and app.return_code is None
        assert isinstance(app.screen, HomeScreen)
        assert notifications(app) == [translate("errors.unavailable", "th")]
    assert_fault_logged(fault_log, "RuntimeError: boom in show", (LAST4,))


async def test_a_bug_in_a_screens_key_binding_goes_home_calmly(db, settings, fault_log, monkeypatch):
    """Escape on a wizard step runs the step's `back` action through the app's key bindings
    (on the app's own message loop): a bug there is still the step's, not the app's."""
    monkeypatch.setattr(StepScreen, "action_back", bug("boom going back"))
    app = make_app(settings, "counter")
    app.reraise_faults = False
    async with app.run_test(size=COUNTER_SIZE) as pilot:
        await open_wizard(pilot)
        await pilot.click("#consent-accept")
        await pilot.press("1", "1")
        await type_into(pilot, "#first_name", NAME)
        await pilot.press("escape")
        await settle(pilot)
        assert app.is_running and app.return_code is None
        assert isinstance(app.screen, HomeScreen) and len(app.screen_stack) == 1
        assert notifications(app) == [translate("errors.unavailable", "th")]
        await open_wizard(pilot)  # a new, empty intake
        assert isinstance(app.screen, StepScreen) and app.screen.form.first_name == ""
    assert_fault_logged(fault_log, "RuntimeError: boom going back", (NAME,))


async def test_a_failed_bare_worker_only_says_so(db, settings, fault_log):
    """A worker started without the boundary (none is, test_inventory.py checks): its failure
    arrives as WorkerFailed, the screen is still whole, so only the message shows."""
    _case, ticket = stored_person_case()
    app = make_app(settings, "counter")
    app.reraise_faults = False
    async with app.run_test(size=COUNTER_SIZE) as pilot:
        await on_track_screen(pilot, ticket)
        app.screen.run_worker(bug("boom in a bare worker"), thread=True)
        await wait_for(pilot, lambda: bool(notifications(app)))  # (workers.wait_for_complete re-raises)
        assert app.is_running and isinstance(app.screen, TrackScreen)
        assert app.screen.query_one("#track-last4").value == LAST4  # nothing typed was lost
        assert notifications(app) == [translate("errors.unavailable", "th")]
    assert_fault_logged(fault_log, "RuntimeError: boom in a bare worker")


async def test_a_broken_home_screen_exits_with_code_3(db, settings, fault_log, monkeypatch):
    monkeypatch.setattr(HomeScreen, "on_button_pressed", bug("boom on home"))
    app = make_app(settings, "counter")
    app.reraise_faults = False
    async with app.run_test(size=COUNTER_SIZE) as pilot:
        await pilot.click("#choice-track")
        await until_exit(app)
    assert app.return_code == 3 and not app.is_running
    assert_fault_logged(fault_log, "RuntimeError: boom on home")


async def test_a_fault_in_the_app_itself_exits_with_code_3(db, settings, fault_log, monkeypatch):
    monkeypatch.setattr(CounterApp, "action_toggle_language", bug("boom in the app"))
    app = make_app(settings, "counter")
    app.reraise_faults = False
    async with app.run_test(size=COUNTER_SIZE):
        app.post_message(events.Key("ctrl+l", None))  # an app binding: the app's own loop runs it
        await until_exit(app)  # (not pilot.press: its pause waits for screens that are gone)
    assert app.return_code == 3 and not app.is_running
    assert_fault_logged(fault_log, "RuntimeError: boom in the app")


async def test_under_pilot_an_escaped_fault_still_fails_the_test(db, settings, fault_log, monkeypatch):
    """`reraise_faults` None: headless (Pilot) re-raises, so no test hides a fault that got past
    the boundary; the log has it first."""
    monkeypatch.setattr(TrackScreen, "submit", bug("boom under pilot"))
    app = make_app(settings, "counter")
    with pytest.raises(RuntimeError, match="boom under pilot"):
        async with app.run_test(size=COUNTER_SIZE) as pilot:
            await on_track_screen(pilot, "WPK-69-00001")
            await pilot.click("#track-submit")
            await settle(pilot)
    assert_fault_logged(fault_log, "RuntimeError: boom under pilot")


# -- the staff console --------------------------------------------------------------------------

async def test_staff_a_broken_screen_above_the_base_is_dropped(db, settings, fault_log, monkeypatch, actors):
    monkeypatch.setattr(UsersScreen, "action_toggle_active", bug("boom on users"))
    app = make_app(settings, "staff", "en")
    app.reraise_faults = False
    async with app.run_test(size=STAFF_SIZE) as pilot:
        app.logged_in(actors["admin"])
        await settle(pilot)
        app.open_users()
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, QueueScreen) and app.actor is not None
        assert notifications(app) == [translate("errors.unavailable", "en")]
    assert_fault_logged(fault_log, "RuntimeError: boom on users")


async def test_staff_a_failing_done_method_drops_its_screen(db, settings, fault_log, monkeypatch, actors):
    monkeypatch.setattr(AuditScreen, "show", bug("boom in audit show"))
    app = make_app(settings, "staff", "en")
    app.reraise_faults = False
    async with app.run_test(size=STAFF_SIZE) as pilot:
        app.logged_in(actors["admin"])
        await settle(pilot)
        app.open_audit()
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, QueueScreen) and app.actor is not None
        assert notifications(app) == [translate("errors.unavailable", "en")]
    assert_fault_logged(fault_log, "RuntimeError: boom in audit show")


async def test_staff_a_broken_base_screen_signs_out_to_the_login(db, settings, fault_log, monkeypatch, actors):
    monkeypatch.setattr(QueueScreen, "action_reload", bug("boom on the queue"))
    app = make_app(settings, "staff", "en")
    app.reraise_faults = False
    async with app.run_test(size=STAFF_SIZE) as pilot:
        app.logged_in(actors["officer"])
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert app.is_running and app.return_code is None
        assert type(app.screen).__name__ == "LoginScreen" and app.actor is None
        assert translate("errors.unavailable", "en") in visible_text(app)
        await type_into(pilot, "#login-username", "officer")  # and one can sign in again
        await type_into(pilot, "#login-password", PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        assert app.actor is not None and app.actor.username == "officer"
    assert_fault_logged(fault_log, "RuntimeError: boom on the queue")
