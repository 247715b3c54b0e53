"""A database fault at the real counter: another process holds the database's write lock (SQLite
or PostgreSQL) past the busy (lock) timeout while a PIN is entered at the staff gate and while an intake is confirmed. The kiosk says
calmly that it cannot save, keeps what was typed (a PIN excepted), shows no traceback and stays in kiosk mode; once
the lock is released the same keys succeed, without a restart."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from db.connection import sqlite_path
from db.models import Case
from kiosk.config import parse_settings
from kiosk.i18n import translate
from kiosk.services.setup import open_kiosk
from kiosk.services.staff import create_staff
from tests.conftest import write_config
from tests.e2e.tmux import Pane
from tests.intake.helpers import national_id

pytestmark = pytest.mark.e2e

PIN = "864209"
UNAVAILABLE = translate("errors.unavailable", "th").split()[0]  # the first words fit on one line


class WriteLock:
    """Another process holding the database's write lock until released: on SQLite BEGIN
    IMMEDIATE; on PostgreSQL every table locked IN EXCLUSIVE MODE (reads go on, writes wait for
    lock_timeout, which the kiosk sets to SQLite's busy timeout)."""

    def __init__(self, url: str) -> None:
        path = sqlite_path(url)
        if path is not None:
            code = ("import sqlite3, sys\n"
                    f"c = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
                    "c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); sys.stdin.read(); c.execute('ROLLBACK')\n")
        else:
            code = ("import psycopg, sys\n"
                    f"c = psycopg.connect({url!r})\n"
                    "t = [r[0] for r in c.execute(\"SELECT tablename FROM pg_tables WHERE schemaname = 'public'\")]\n"
                    "c.execute('LOCK TABLE ' + ', '.join(f'\"{n}\"' for n in t) + ' IN EXCLUSIVE MODE')\n"
                    "print('locked', flush=True); sys.stdin.read(); c.rollback()\n")
        self.process = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True)
        assert self.process.stdout.readline().strip() == "locked"

    def release(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=10)


def _keys(pane: Pane, *keys: str, literal: bool = False, pause: float = 0.4) -> None:
    pane.keys(*keys, literal=literal)
    time.sleep(pause)


def _at(pane: Pane, text: str, timeout: float = 30.0) -> str:
    """Wait for a screen, then for its first field to take focus (keys sent sooner land elsewhere)."""
    screen = pane.wait_for(text, timeout=timeout)
    time.sleep(1.0)
    return screen


def _no_fault_shown(screen: str, *secrets: str) -> None:
    assert "Traceback" not in screen and "Error" not in screen, screen
    for secret in secrets:
        assert secret not in screen, f"{secret!r} on the public screen"


def test_a_locked_database_at_the_gate_and_at_confirm_is_survived_and_retried(tmp_path):
    config = write_config(tmp_path)
    settings = parse_settings(config, config.read_text(encoding="utf-8"), environ={})
    db = open_kiosk(settings)
    create_staff("head", "a-long-password", "admin", "หัวหน้าศูนย์ทดสอบ", pin=PIN, first_admin=True)
    db.close()
    database = settings.database_url
    locked = "database is locked" if sqlite_path(database) else "canceling statement due to lock timeout"
    id_number = national_id("310170020345")
    env = {"PYTHAINLP_OFFLINE": "1", "PYTHAINLP_READ_ONLY": "1", "KIOSK_HOME": str(tmp_path)}
    with Pane(f"uv run kiosk.py --config {config}", env=env) as pane:
        pane.wait_for("ขอความช่วยเหลือ")
        time.sleep(0.5)
        pid = pane.pid()

        # -- the staff gate ---------------------------------------------------------------------
        _keys(pane, "Tab", "Tab", "Tab", "Enter")  # from the first choice (focus starts there) to "staff"
        pane.wait_for("PIN")
        lock = WriteLock(database)
        try:
            _keys(pane, PIN, literal=True)
            _keys(pane, "Enter")
            screen = pane.wait_for(UNAVAILABLE, timeout=45)  # after the 15 s busy timeout
            _no_fault_shown(screen, PIN)
        finally:
            lock.release()
        _keys(pane, PIN, literal=True)  # a refused PIN is never left in the field: typed again
        _keys(pane, "Enter")
        pane.wait_for("หัวหน้าศูนย์ทดสอบ", timeout=20)
        _keys(pane, "Escape")  # leaving the gate locks it again
        pane.wait_for("ขอความช่วยเหลือ")

        # -- an intake, confirmed while the database is locked ---------------------------------------
        _keys(pane, "BTab", "BTab", "BTab", "Enter")  # focus came back to "staff": up to "ask for help"
        _at(pane, "รับทราบและยินยอม")
        _keys(pane, "Enter")
        _keys(pane, "1")
        _at(pane, "ประเภทของเรื่อง")
        _keys(pane, "1")
        _at(pane, "ผู้ยื่นคำขอ")
        for text, literal in (("นาย", True), ("Tab", False), ("สมชาย", True), ("Tab", False), ("ใจดี", True),
                              ("Tab", False), ("Tab", False), (id_number, True), ("Enter", False)):
            _keys(pane, text, literal=literal)
        _at(pane, "ช่องทางติดต่อ")
        _keys(pane, "081-234-5678", literal=True)
        _keys(pane, "Enter")
        _at(pane, "ผู้ที่ต้องการความช่วยเหลือ")
        _keys(pane, "Enter")
        _at(pane, "เกิดอะไรขึ้น")
        _keys(pane, "น้ำท่วมบ้าน", literal=True)
        _keys(pane, "Enter")
        _at(pane, "ตรวจสอบข้อมูลก่อนยืนยัน")
        lock = WriteLock(database)
        try:
            _keys(pane, "Enter")
            screen = pane.wait_for(UNAVAILABLE, timeout=45)
            assert "ตรวจสอบข้อมูลก่อนยืนยัน" in screen and "สมชาย" in screen  # still the review, answers kept
            _no_fault_shown(screen)
        finally:
            lock.release()
        _keys(pane, "Enter")  # confirm again
        pane.wait_for("รับเรื่องเรียบร้อยแล้ว", timeout=30)
        assert pane.pid() == pid  # the same kiosk process all along

    db = open_kiosk(settings)
    try:
        assert [c.requester.doc_number for c in Case.select()] == [id_number]  # stored once, on the retry
    finally:
        db.close()
    log = (tmp_path / "kiosk-error.log").read_text(encoding="utf-8")
    assert log.count(locked) >= 2 and "Traceback" in log
    for secret in (PIN, id_number, "สมชาย", "0812345678"):
        assert secret not in log  # a traceback without local variables
    assert (tmp_path / "kiosk-error.log").stat().st_mode & 0o777 == 0o600
