"""Private by default, under the usual umask 022: the data folder is 0700 and every file the
program writes there (config, SQLite database with its -wal and -shm, receipts, error log) is
0600, so another Unix account on the server reads none of it. Files that were already readable
are named on stderr with the chmod that fixes them. (Backups: tests/test_backup.py.)"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from db.models import Case
from kiosk.faults import log_fault
from kiosk.files import exposed_files, fix_command, write_private
from kiosk.services import intake, receipt
from kiosk.services.centre_config import update_centre_info
from kiosk.services.staff import Actor
from tests.conftest import file_mode as mode
from tests.test_cli import kiosk
from tests.writers import form

pytestmark = pytest.mark.usefixtures("umask_022")


def test_first_run_makes_the_folder_config_and_database_private(tmp_path):
    home = tmp_path / "home"  # does not exist yet: the quick start creates it
    out = kiosk("demo", "--cases", "2", home=home)
    assert out.returncode == 0, out.stderr
    assert mode(home) == 0o700
    assert mode(home / "kiosk.toml") == 0o600
    assert mode(home / "kiosk.sqlite3") == 0o600
    assert "chmod" not in out.stderr  # nothing to warn about on a fresh install


@pytest.mark.sqlite_file
def test_sqlite_wal_and_shm_take_the_database_files_mode(db, settings):
    """SQLite creates -wal and -shm with its database file's mode: 0600 here, umask or not."""
    Case.select().count()
    intake.submit(settings, form(1))
    path = settings.home / "kiosk.sqlite3"
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    assert wal.exists() and shm.exists()
    assert (mode(path), mode(wal), mode(shm)) == (0o600, 0o600, 0o600)


def test_receipts_are_private(db, settings):
    created = intake.submit(settings, form(2))
    png, pdf = receipt.save_receipt_files(settings, receipt.build_receipt(settings, created, "flood"))
    assert mode(settings.home / "receipts") == 0o700
    assert (mode(Path(png)), mode(Path(pdf))) == (0o600, 0o600)
    assert Path(pdf).read_bytes().startswith(b"%PDF") and Path(png).read_bytes().startswith(b"\x89PNG")


def test_the_centre_editor_writes_the_config_0600(db, settings):
    settings.path.chmod(0o644)  # as an older version left it
    admin = Actor(0, "cli", "", "admin", "cli")
    update_centre_info(admin, settings, {("centre", "line_id"): "@wpk-help"})
    assert mode(settings.path) == 0o600 and 'line_id = "@wpk-help"' in settings.path.read_text(encoding="utf-8")


def test_the_error_log_is_private(tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_HOME", str(tmp_path / "home"))
    log = log_fault(RuntimeError("citizen 1101700203451"))
    assert log and mode(Path(log)) == 0o600 and mode(tmp_path / "home") == 0o700


def test_write_private_replaces_atomically_and_keeps_0600(tmp_path):
    path = tmp_path / "f.txt"
    path.write_text("old")
    assert mode(path) == 0o644
    write_private(path, "ใหม่")
    assert path.read_text(encoding="utf-8") == "ใหม่" and mode(path) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]  # no temporary file left


def test_exposed_files_are_named_with_their_fix(db, settings):
    home = settings.home
    home.chmod(0o755)
    settings.path.chmod(0o644)  # write_config wrote it under umask 022
    (home / "receipts").mkdir(mode=0o755)
    found = exposed_files(settings)
    assert set(found) == {home, settings.path, home / "receipts"}
    assert fix_command(home) == f"chmod 700 {home}" and fix_command(settings.path) == f"chmod 600 {settings.path}"
    for path in found:
        os.system(fix_command(path))
    assert exposed_files(settings) == []


def test_the_program_warns_on_stderr_at_open(db, settings):
    settings.path.chmod(0o644)
    out = kiosk("--config", str(settings.path), "audit-verify")
    assert out.returncode == 0
    assert f"chmod 600 {settings.path}" in out.stderr
    assert "other accounts on this machine" in out.stderr and "บัญชีผู้ใช้อื่น" in out.stderr
