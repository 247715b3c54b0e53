"""The one fault log (kiosk.faults): a traceback without local variables, in a file only its owner
can read whatever the umask, and never an exception of its own; the command line exits 3 with it."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from kiosk.cli import Env, main
from kiosk.faults import log_fault
from tests.conftest import TEST_DB, query_config_database, write_config

ROOT = Path(__file__).resolve().parent.parent


def _raise_with_secret():
    citizen_id = "1101700230708"  # noqa: F841 — a local a traceback with locals would show
    raise RuntimeError("the database went away")


def test_log_fault_writes_traceback_without_locals_0600(tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_HOME", str(tmp_path / "home"))
    old = os.umask(0o222)  # a umask that would leave a freshly created file read-only for everyone
    try:
        try:
            _raise_with_secret()
        except RuntimeError as exc:
            path = log_fault(exc, "intake review")
        try:
            raise ValueError("second")
        except ValueError as exc:
            assert log_fault(exc) == path
    finally:
        os.umask(old)
    assert path == tmp_path / "home" / "kiosk-error.log"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text(encoding="utf-8")
    assert "intake review" in text and "RuntimeError: the database went away" in text
    assert "_raise_with_secret" in text and "ValueError: second" in text
    assert "1101700230708" not in text
    assert text.count("\n--- ") + text.startswith("--- ") == 2


def test_log_fault_tightens_an_old_wide_file(tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_HOME", str(tmp_path))
    old = tmp_path / "kiosk-error.log"
    old.write_text("earlier\n")
    old.chmod(0o644)
    assert log_fault(RuntimeError("x")) == old
    assert stat.S_IMODE(old.stat().st_mode) == 0o600 and old.read_text().startswith("earlier\n")


def test_log_fault_never_raises(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("KIOSK_HOME", str(blocker / "home"))
    assert log_fault(RuntimeError("x")) is None


def test_cli_unexpected_fault_exits_3_with_the_log(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KIOSK_HOME", str(tmp_path))
    config = write_config(tmp_path)

    def run_app(settings, mode, lang=None):
        _raise_with_secret()

    assert main(["--config", str(config), "counter"], Env(run_app=run_app)) == 3
    err = capsys.readouterr().err
    assert "Traceback" not in err and "ไม่คาดคิด" in err and "unexpected" in err
    assert str(tmp_path / "kiosk-error.log") in err and "1101700230708" not in err
    log = (tmp_path / "kiosk-error.log").read_text(encoding="utf-8")
    assert "kiosk.py counter" in log and "RuntimeError: the database went away" in log
    assert stat.S_IMODE((tmp_path / "kiosk-error.log").stat().st_mode) == 0o600


def test_a_real_unexpected_fault_through_kiosk_py(tmp_path):
    """kiosk.py on a database whose schema_version table is not ours (sqlite3.OperationalError, or
    on PostgreSQL a ProgrammingError (undefined column): no KioskError): exit 3, a calm sentence,
    the traceback only in <home>/kiosk-error.log (0600)."""
    config = write_config(tmp_path, empty=True)
    query_config_database(config, "CREATE TABLE schema_version (something_else TEXT)")
    error = "OperationalError" if TEST_DB == "sqlite" else "ProgrammingError"
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")} | {"KIOSK_HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, str(ROOT / "kiosk.py"), "--config", str(config), "demo"], capture_output=True,
                         text=True, timeout=60, env=environ, cwd=ROOT, stdin=subprocess.DEVNULL)
    assert out.returncode == 3 and "Traceback" not in out.stderr
    assert "ไม่คาดคิด" in out.stderr and error in out.stderr
    log = tmp_path / "kiosk-error.log"
    assert str(log) in out.stderr and stat.S_IMODE(log.stat().st_mode) == 0o600
    assert "Traceback" in log.read_text(encoding="utf-8") and "kiosk.py demo" in log.read_text(encoding="utf-8")


def test_once_the_config_is_read_faults_are_logged_beside_it(tmp_path, monkeypatch):
    """A centre started with --config elsewhere keeps its fault log with its own files."""
    import argparse

    from kiosk import faults
    from kiosk.cli.common import settings_from
    from tests.conftest import write_config

    centre = tmp_path / "centre"
    centre.mkdir()
    config = write_config(centre)
    monkeypatch.setenv("KIOSK_HOME", str(tmp_path / "elsewhere"))
    settings_from(argparse.Namespace(config=str(config)))
    assert faults.log_fault(RuntimeError("boom"), "test") == centre / "kiosk-error.log"
