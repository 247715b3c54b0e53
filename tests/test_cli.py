"""The command line as people meet it: bilingual help, and for every bad start (broken config,
unwritable database, a database from a newer program) a clear message and a non-zero exit,
never a traceback and never a changed database."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.conftest import write_config

ROOT = Path(__file__).resolve().parent.parent


def kiosk(*args: str, stdin: str = "", env: dict | None = None, home: Path | None = None) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    if home:
        environ["KIOSK_HOME"] = str(home)
    environ.update(env or {})
    return subprocess.run([sys.executable, str(ROOT / "kiosk.py"), *args], input=stdin, capture_output=True,
                          text=True, timeout=60, env=environ, cwd=ROOT)


def test_help_is_bilingual():
    out = kiosk("--help")
    assert out.returncode == 0
    for word in ("counter", "staff", "init", "demo", "ตู้บริการ", "kiosk"):
        assert word in out.stdout


def test_bad_config_names_file_line_field(tmp_path):
    path = write_config(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("idle_timeout = 90", "idle_timeout = \"soon\""),
                    encoding="utf-8")
    out = kiosk("--config", str(path), "counter")
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert str(path) in out.stderr and "kiosk.idle_timeout" in out.stderr and "ไฟล์ตั้งค่าผิดพลาด" in out.stderr


def test_missing_config_for_staff_says_run_init(tmp_path):
    out = kiosk("--config", str(tmp_path / "nope.toml"), "staff")
    assert out.returncode == 2 and "kiosk.py init" in out.stderr and "Traceback" not in out.stderr


def test_unwritable_database_path(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    path = write_config(tmp_path, database_url=f"sqlite:///{blocker}/kiosk.sqlite3")
    out = kiosk("--config", str(path), "demo")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "เขียนฐานข้อมูล" in out.stderr and str(blocker) in out.stderr


def test_newer_schema_refused_and_untouched(tmp_path):
    path = write_config(tmp_path)
    assert kiosk("--config", str(path), "demo", "--cases", "2").returncode == 0
    db_file = tmp_path / "kiosk.sqlite3"
    with sqlite3.connect(db_file) as conn:
        conn.execute("UPDATE schema_version SET version = 999")
        before = conn.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
        cases = conn.execute("SELECT count(*) FROM \"case\"").fetchone()
    out = kiosk("--config", str(path), "counter")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "999" in out.stderr and "รุ่นใหม่กว่า" in out.stderr
    with sqlite3.connect(db_file) as conn:
        assert conn.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall() == before
        assert conn.execute("SELECT count(*) FROM \"case\"").fetchone() == cases
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_init_creates_config_database_and_admin(tmp_path):
    out = kiosk("init", stdin="chief\nหัวหน้าศูนย์\nsecret-pass-1\n602569\n", home=tmp_path)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "kiosk.toml").exists() and (tmp_path / "kiosk.sqlite3").exists()
    with sqlite3.connect(tmp_path / "kiosk.sqlite3") as conn:
        role, hash_ = conn.execute("SELECT role, password_hash FROM staff WHERE username='chief'").fetchone()
    assert role == "admin" and hash_.startswith("$argon2id$") and "secret-pass-1" not in hash_


def test_init_rejects_a_short_password(tmp_path):
    out = kiosk("init", stdin="chief\n\nshort\n602569\n", home=tmp_path)
    assert out.returncode == 2 and "อย่างน้อย 8" in out.stderr and "Traceback" not in out.stderr


def test_init_refuses_a_pin_shorter_than_six_digits(tmp_path):
    out = kiosk("init", stdin="chief\n\nsecret-pass-1\n2569\n", home=tmp_path)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "6–12 หลัก" in out.stderr and "6–12 digits" in out.stderr


def test_passwd_sets_a_counter_pin(tmp_path):
    assert kiosk("init", stdin="chief\n\nsecret-pass-1\n602569\n", home=tmp_path).returncode == 0
    with sqlite3.connect(tmp_path / "kiosk.sqlite3") as conn:
        before = conn.execute("SELECT pin_hash FROM staff WHERE username='chief'").fetchone()
    weak = kiosk("passwd", "chief", "--pin", stdin="123456\n", home=tmp_path)
    assert weak.returncode == 2 and "123456" in weak.stderr and "Traceback" not in weak.stderr
    out = kiosk("passwd", "chief", "--pin", stdin="735124\n", home=tmp_path)
    assert out.returncode == 0, out.stderr
    with sqlite3.connect(tmp_path / "kiosk.sqlite3") as conn:
        after = conn.execute("SELECT pin_hash FROM staff WHERE username='chief'").fetchone()
        audited = conn.execute("SELECT count(*) FROM audit_log WHERE action='pin_set'").fetchone()
    assert after != before and after[0].startswith("$argon2id$") and audited == (2,)


def test_demo_asks_nothing(tmp_path):
    out = kiosk("demo", "--cases", "5", home=tmp_path)  # stdin is empty: any question would fail
    assert out.returncode == 0, out.stderr
    with sqlite3.connect(tmp_path / "kiosk.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM \"case\"").fetchone() == (5,)
        assert conn.execute("SELECT count(*) FROM staff").fetchone() == (4,)


def test_building_the_cli_loads_nothing_heavy():
    """Every command's module is imported to build --help; none may drag in the database, the UI,
    PDF, web or NLP libraries (they cost the counter's start-up)."""
    code = ("import sys; from kiosk.cli import build_parser; build_parser(); "
            "heavy = {'peewee', 'textual', 'fpdf', 'starlette', 'uvicorn', 'pythainlp', 'PIL', 'argon2', 'psycopg'}; "
            "print(sorted(m for m in heavy if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
