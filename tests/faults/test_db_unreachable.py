"""The database really unreachable, not a patched service: the counter talks to PostgreSQL
through a TCP forwarder (tests/pgproxy.py) that is cut mid-intake — every connection closed,
new ones refused — and restored; and SQLite held by another process's exclusive lock. The
citizen's "send" shows the calm message (wait, or ask staff), everything typed stays in the
form, and once the database answers the same "send" files the request once."""

from __future__ import annotations

import subprocess
import sys

import pytest
from textual.widgets import Static

from db.models import Case, database
from kiosk.config import parse_settings
from kiosk.i18n import translate
from kiosk.services.setup import open_kiosk
from screens.app import make_app
from tests.conftest import write_config
from tests.intake.helpers import national_id, self_service_to_review
from tests.pgproxy import PgProxy

from .flows import COUNTER_SIZE
from .harness import assert_fault_logged, click_again, settle, visible_text, wait_for

NAME = "บุญมา"
ID = national_id("310150098765")
PHONE = "0891234567"
CALM_TH = translate("errors.unavailable", "th")


@pytest.fixture
def proxy(pg_url):
    proxy = PgProxy(pg_url)
    yield proxy
    proxy.cut()


def _settings(tmp_path, url=None):
    config = write_config(tmp_path, database_url=url)
    return parse_settings(config, config.read_text(encoding="utf-8"), environ={})


class ExclusiveLock:
    """Another process holding SQLite's exclusive lock (BEGIN EXCLUSIVE: no reader, no writer)."""

    def __init__(self, path) -> None:
        code = ("import sqlite3, sys\n"
                f"c = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
                "c.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); sys.stdin.read(); c.execute('ROLLBACK')\n")
        self.process = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True)
        assert self.process.stdout.readline().strip() == "locked"

    def release(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=10)


async def _send_while_down_then_again(app, pilot, restore) -> None:
    """On the review step with the database gone: send → the calm message, the answers kept;
    `restore()`; send again → the receipt."""
    await pilot.click("#nav-next")
    await wait_for(pilot, lambda: not app.screen.submitting)
    assert type(app.screen).__name__ == "ReviewStep" and app.is_running
    message = str(app.screen.query_one("#submit-message", Static).render())
    assert CALM_TH in message, message
    shown = visible_text(app)
    assert NAME in shown and "Traceback" not in shown  # the review still lists what was typed
    form = app.screen.form
    assert (form.first_name, form.doc_number, form.phone, form.description) == (NAME, ID, PHONE, "ไฟไหม้ครัว")
    restore()
    await click_again(pilot, "#nav-next")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "ReceiptScreen")
    await settle(pilot)


async def test_postgresql_cut_mid_intake_then_back_files_the_request_once(tmp_path, proxy, fault_log):
    settings = _settings(tmp_path, proxy.url)
    open_kiosk(settings)
    app = make_app(settings, "counter", "th")
    async with app.run_test(size=COUNTER_SIZE) as pilot:
        await pilot.pause()
        await self_service_to_review(pilot, first_name=NAME, doc=ID, phone=PHONE, description="ไฟไหม้ครัว")
        assert type(app.screen).__name__ == "ReviewStep"
        proxy.cut()  # the server's connections closed and no new one accepted
        await _send_while_down_then_again(app, pilot, proxy.restore)
        ticket = app.screen.created.ticket_no
        assert ticket in visible_text(app)
    assert [(c.ticket_no, c.requester.first_name) for c in Case.select()] == [(ticket, NAME)]  # once
    assert_fault_logged(fault_log, "OperationalError", (NAME, ID, PHONE))
    database.close()


async def test_sqlite_held_by_another_process_is_the_same_calm_message(tmp_path, fault_log, monkeypatch):
    settings = _settings(tmp_path, "sqlite:///kiosk.sqlite3")
    open_kiosk(settings)
    database.obj.execute_sql("PRAGMA busy_timeout = 200")  # this connection only: not 15 s per try
    monkeypatch.setattr(database.obj, "_pragmas", [("busy_timeout", 200)] + [
        p for p in database.obj._pragmas if p[0] != "busy_timeout"])
    app = make_app(settings, "counter", "th")
    async with app.run_test(size=COUNTER_SIZE) as pilot:
        await pilot.pause()
        await self_service_to_review(pilot, first_name=NAME, doc=ID, phone=PHONE, description="ไฟไหม้ครัว")
        lock = ExclusiveLock(tmp_path / "kiosk.sqlite3")
        try:
            await _send_while_down_then_again(app, pilot, lock.release)
        finally:
            lock.release()
        ticket = app.screen.created.ticket_no
    assert [(c.ticket_no, c.requester.first_name) for c in Case.select()] == [(ticket, NAME)]
    assert_fault_logged(fault_log, "database is locked", (NAME, ID, PHONE))
    database.close()


async def test_the_counter_started_while_postgresql_is_down_waits_then_opens_home(tmp_path, proxy, fault_log,
                                                                                  monkeypatch):
    from kiosk.services.setup import unreachable
    from screens.db_wait import DatabaseWaitScreen

    settings = _settings(tmp_path, proxy.url)
    proxy.cut()
    with pytest.raises(Exception) as refused:
        open_kiosk(settings)
    assert unreachable(refused.value)  # what kiosk/cli/counter.py waits on instead of exiting
    monkeypatch.setattr(DatabaseWaitScreen, "RETRY", 0.1)
    app = make_app(settings, "counter", "th", database_down=True)
    async with app.run_test(size=COUNTER_SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, DatabaseWaitScreen) and app.screen.tries >= 3)
        shown = visible_text(app)
        assert "ระบบขัดข้องชั่วคราว" in shown and translate("app.db_down_body", "th", seconds=0) in shown
        app.last_input -= 3600  # nobody there for an hour: no idle question over the wait screen
        await pilot.pause(1.2)
        assert isinstance(app.screen, DatabaseWaitScreen)
        proxy.restore()
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HomeScreen")
        assert not app.database_down
        await self_service_to_review(pilot, first_name=NAME, doc=ID, phone=PHONE, description="ไฟไหม้ครัว")
        await pilot.click("#nav-next")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReceiptScreen")
    assert Case.select().count() == 1
    assert not fault_log.exists()  # an unreachable database is expected, not a fault to log each try
    database.close()


async def test_postgresql_cut_at_home_info_and_track_then_back(tmp_path, proxy, fault_log):
    from kiosk.services.cases import CaseData, create_case
    from kiosk.services.people import PersonData

    from .harness import type_into

    settings = _settings(tmp_path, proxy.url)
    open_kiosk(settings)
    ticket = create_case("WPK", CaseData(category="flood", description="น้ำท่วมบ้าน"),
                         PersonData(first_name=NAME, last_name="ทองดี", phone="+66891234567")).ticket_no
    app = make_app(settings, "counter", "th")
    async with app.run_test(size=COUNTER_SIZE) as pilot:
        await pilot.pause()
        proxy.cut()
        await pilot.click("#choice-info")  # the centre's information, from the config: still shown
        await settle(pilot)
        assert type(app.screen).__name__ == "InfoScreen" and app.is_running
        assert app.t("info.no_announcements") in visible_text(app)
        await pilot.click("#info-back")
        await settle(pilot)
        await pilot.click("#choice-track")
        await settle(pilot)
        await type_into(pilot, "#track-ticket", ticket)
        await type_into(pilot, "#track-last4", PHONE[-4:])
        await pilot.click("#track-submit")
        await settle(pilot)
        assert type(app.screen).__name__ == "TrackScreen" and app.is_running
        assert CALM_TH in str(app.screen.query_one("#track-message", Static).render())
        assert app.screen.query_one("#track-ticket").value == ticket  # kept for the retry
        proxy.restore()
        await click_again(pilot, "#track-submit")
        await settle(pilot)
        assert str(app.screen.query_one("#track-case-ticket", Static).render()) == ticket
    assert_fault_logged(fault_log, "OperationalError", (NAME, PHONE))
    database.close()
