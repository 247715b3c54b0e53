"""`kiosk.py doctor`: a healthy centre passes (exit 0); a bad config, an unreachable database or
one from a newer program blocks (exit 1); files others can read and a loopback public address
are warnings (exit 0); run without a terminal, the terminal checks say "not checked"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from db.migrations import LATEST
from db.models import SchemaVersion
from kiosk.cli.doctor import message
from kiosk.config import parse_settings
from kiosk.services import doctor
from kiosk.services.backup import backup
from kiosk.terminal import TerminalFacts
from tests.conftest import TEST_DB, config_database, write_config

ROOT = Path(__file__).resolve().parents[2]


def run_doctor(config: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """The real command in its own session: no controlling terminal, as under cron or systemd."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_") or k == "KIOSK_CATALOGUE_STRICT"}
    return subprocess.run([sys.executable, str(ROOT / "kiosk.py"), "--config", str(config), "doctor", *args],
                          capture_output=True, text=True, timeout=60, cwd=ROOT, stdin=subprocess.DEVNULL,
                          start_new_session=True, env={**environ, **(env or {})})


def by_check(report: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for item in report["checks"]:
        out.setdefault(item["check"], []).append(item)
    return out


@pytest.fixture
def private_config(config_file: Path, db) -> Path:
    """The sample centre, migrated, with its files private (as `init` leaves them)."""
    config_file.chmod(0o600)
    config_file.parent.chmod(0o700)
    return config_file


def test_healthy_centre_passes_with_json_and_no_terminal(private_config: Path, settings) -> None:
    backup(settings)
    done = run_doctor(private_config, "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    checks = by_check(report)
    assert report["ok"] is True and report["schema"] == LATEST == report["schema_supported"]
    assert report["version"]
    for name in ("config", "database", "schema", "database_write", "files", "backup", "font", "shaping"):
        assert [c["level"] for c in checks[name]] == ["ok"], checks[name]
    assert checks["terminal"] == [{"check": "terminal", "level": "skip", "key": "doctor.no_terminal",
                                   "th": message("doctor.no_terminal", "th", {}),
                                   "en": message("doctor.no_terminal", "en", {})}]
    assert "not checked" in checks["terminal"][0]["en"] and "ไม่ได้ตรวจ" in checks["terminal"][0]["th"]
    assert not [c for c in report["checks"] if c["level"] == "fail"]


def test_human_output_is_thai_then_english_and_says_ready(private_config: Path) -> None:
    done = run_doctor(private_config)
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert lines[0].startswith("ตู้บริการ") and lines[1].startswith("Help Centre Kiosk")
    assert f"schema {LATEST}" in lines[1]
    assert any(line.startswith("[ ok ] เชื่อมต่อฐานข้อมูลได้") for line in lines)
    assert lines[-1].startswith("Ready")


def test_bad_config_blocks_and_names_the_field(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    config.write_text(config.read_text(encoding="utf-8").replace("port = 8080", 'port = "eighty"'), encoding="utf-8")
    done = run_doctor(config, "--json")
    assert done.returncode == 1
    checks = by_check(json.loads(done.stdout))
    assert checks["config"][0]["level"] == "fail" and "port" in checks["config"][0]["en"]
    assert checks["database"][0]["level"] == "skip"


def test_unreachable_postgres_blocks(tmp_path: Path) -> None:
    config = write_config(tmp_path, database_url="postgresql://kiosk@127.0.0.1:1/kiosk")  # nobody listens on 1
    done = run_doctor(config, "--json")
    assert done.returncode == 1
    checks = by_check(json.loads(done.stdout))
    assert checks["database"][0]["level"] == "fail"
    assert checks["database"][0]["key"] == "errors.db_connect"
    assert "127.0.0.1:1" in checks["database"][0]["en"]


def test_database_from_a_newer_program_blocks(private_config: Path, settings) -> None:
    SchemaVersion.update(version=LATEST + 1).execute()
    report = doctor.diagnose(settings, None, None)
    assert report.blocked
    schema = [f for f in report.findings if f.check == "schema"]
    assert [(f.level, f.key) for f in schema] == [("fail", "errors.db_too_new")]
    assert str(LATEST + 1) in message(schema[0].key, "en", schema[0].params)


def test_older_schema_is_a_warning_it_is_upgraded_at_next_start(private_config: Path, settings) -> None:
    SchemaVersion.update(version=LATEST - 1).execute()
    report = doctor.diagnose(settings, None, None)
    assert [(f.level, f.key) for f in report.findings if f.check == "schema"] == [("warn", "doctor.schema_old")]


@pytest.mark.sqlite_file
def test_files_readable_by_others_are_named_with_their_fix(private_config: Path, settings) -> None:
    db_file = private_config.parent / "kiosk.sqlite3"
    db_file.chmod(0o644)
    done = run_doctor(private_config, "--json")
    assert done.returncode == 0  # a warning: the counter still works
    files = by_check(json.loads(done.stdout))["files"]
    assert [f["level"] for f in files] == ["warn"]
    assert f"chmod 600 {db_file}" in files[0]["en"]


def test_loopback_public_address_is_a_warning(private_config: Path, settings) -> None:
    assert settings.public_base_url.startswith("http://127.0.0.1")
    found = doctor.check_public_url(settings)
    assert found[0] == doctor.Finding("public_url", "warn", "doctor.url_loopback", {"url": settings.public_base_url})
    assert "not open on a citizen's phone" in message(found[0].key, "en", found[0].params)
    assert found[1].check == "public_url_reachable" and found[1].level == "warn"  # nobody serves it here


def test_public_https_address_that_answers(tmp_path: Path) -> None:
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from threading import Thread

    class Answer(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        config = write_config(tmp_path)
        settings = parse_settings(config, config.read_text(encoding="utf-8"),
                                  environ={"KIOSK_PUBLIC_BASE_URL": f"http://127.0.0.1:{server.server_port}"})
        found = doctor.check_public_url(settings)
    finally:
        server.shutdown()
        server.server_close()
    assert found[1] == doctor.Finding("public_url_reachable", "ok", "doctor.url_answers",
                                      {"url": settings.public_base_url, "status": 200})


def test_no_database_file_is_not_created(tmp_path: Path) -> None:
    """No SQLite file: missing, and not made. On PostgreSQL (KIOSK_TEST_DB=postgresql) the server
    has the database write_config made, empty: reached, no schema, and none made."""
    config = write_config(tmp_path, empty=True)
    done = run_doctor(config, "--json")
    assert done.returncode == 1
    found = by_check(json.loads(done.stdout))
    assert not (tmp_path / "kiosk.sqlite3").exists()
    if TEST_DB == "sqlite":
        assert found["database"][0]["key"] == "doctor.db_missing"
    else:
        assert [f["key"] for f in found["database"]] == ["doctor.db_ok"]
        assert [(f["level"], f["key"]) for f in found["schema"]] == [("fail", "doctor.schema_empty")]
        conn = config_database(config)
        assert conn.get_tables() == []
        conn.close()


@pytest.mark.parametrize(("facts", "levels"), [
    (TerminalFacts(120, 40, "xterm-256color", "truecolor", 3), {"terminal_size": "ok", "colours": "ok", "thai": "ok"}),
    (TerminalFacts(70, 20, "linux", "", 6), {"terminal_size": "warn", "colours": "warn", "thai": "warn"}),
    (TerminalFacts(80, 24, "screen-256color", "", None), {"terminal_size": "ok", "colours": "ok", "thai": "skip"}),
])
def test_terminal_findings(facts: TerminalFacts, levels: dict[str, str]) -> None:
    assert {f.check: f.level for f in doctor.check_terminal(facts)} == levels


def test_backup_age(private_config: Path, settings) -> None:
    from datetime import UTC, datetime, timedelta

    assert doctor.check_backup(settings)[0].key == "doctor.backup_none"
    made = backup(settings)
    later = datetime.now(UTC) + timedelta(days=3)
    stale = doctor.check_backup(settings, later)[0]
    assert (stale.level, stale.key) == ("warn", "doctor.backup_old") and stale.params["path"] == str(made.path)
    assert "/25" in message(stale.key, "th", stale.params)  # a Buddhist-Era year


def test_counter_screen_not_checked_before_the_counter_ever_started(private_config: Path, settings) -> None:
    assert doctor.check_counter_terminal(settings) == [
        doctor.Finding("counter_terminal", "skip", "doctor.counter_not_started")]


def test_healthy_postgres(tmp_path: Path, pg_db) -> None:
    config = tmp_path / "kiosk.toml"  # pg_db wrote it
    settings = parse_settings(config, config.read_text(encoding="utf-8"), environ={})
    found, schema = doctor.check_database(settings)
    assert schema == LATEST
    assert [(f.check, f.level) for f in found] == [("database", "ok"), ("schema", "ok"), ("database_write", "ok")]
