"""The command line as people meet it: bilingual help, and for every bad start (broken config,
unwritable database, a database from a newer program) a clear message and a non-zero exit,
never a traceback and never a changed database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import config_database, database_env, query_config_database, schema_of, write_config

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
    conn = config_database(path)
    try:
        with conn.atomic():
            conn.execute_sql("UPDATE schema_version SET version = 999")
        before = schema_of(conn)
        cases = conn.execute_sql('SELECT count(*) FROM "case"').fetchone()
    finally:
        conn.close()
    out = kiosk("--config", str(path), "counter")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "999" in out.stderr and "รุ่นใหม่กว่า" in out.stderr
    conn = config_database(path)
    try:
        assert schema_of(conn) == before
        assert conn.execute_sql('SELECT count(*) FROM "case"').fetchone() == cases
        assert conn.execute_sql("SELECT version FROM schema_version").fetchall() == [(999,)]
        if conn.param == "?":  # SQLite: the file itself is sound
            assert conn.execute_sql("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()


def home_database(home: Path, env: dict) -> Path | str:
    """The database a `kiosk.py` run with KIOSK_HOME=home and `env` (database_env) uses."""
    return env.get("KIOSK_DATABASE_URL") or home / "kiosk.toml"


def test_init_creates_config_database_and_admin(tmp_path):
    env = database_env()
    out = kiosk("init", stdin="chief\nหัวหน้าศูนย์\nsecret-pass-1\n602569\n", home=tmp_path, env=env)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "kiosk.toml").exists()
    assert (tmp_path / "kiosk.sqlite3").exists() != bool(env)  # no SQLite file when the URL is PostgreSQL's
    [(role, hash_)] = query_config_database(home_database(tmp_path, env),
                                            "SELECT role, password_hash FROM staff WHERE username='chief'")
    assert role == "admin" and hash_.startswith("$argon2id$") and "secret-pass-1" not in hash_


def test_init_rejects_a_short_password(tmp_path):
    out = kiosk("init", stdin="chief\n\nshort\n602569\n", home=tmp_path)
    assert out.returncode == 2 and "อย่างน้อย 8" in out.stderr and "Traceback" not in out.stderr


def test_init_refuses_a_pin_shorter_than_six_digits(tmp_path):
    out = kiosk("init", stdin="chief\n\nsecret-pass-1\n2569\n", home=tmp_path)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "6–12 หลัก" in out.stderr and "6–12 digits" in out.stderr


def test_passwd_sets_a_counter_pin(tmp_path):
    env = database_env()
    db = home_database(tmp_path, env)
    assert kiosk("init", stdin="chief\n\nsecret-pass-1\n602569\n", home=tmp_path, env=env).returncode == 0
    before = query_config_database(db, "SELECT pin_hash FROM staff WHERE username='chief'")
    weak = kiosk("passwd", "chief", "--pin", stdin="123456\n", home=tmp_path, env=env)
    assert weak.returncode == 2 and "123456" in weak.stderr and "Traceback" not in weak.stderr
    out = kiosk("passwd", "chief", "--pin", stdin="735124\n", home=tmp_path, env=env)
    assert out.returncode == 0, out.stderr
    after = query_config_database(db, "SELECT pin_hash FROM staff WHERE username='chief'")
    audited = query_config_database(db, "SELECT count(*) FROM audit_log WHERE action='pin_set'")
    assert after != before and after[0][0].startswith("$argon2id$") and audited == [(2,)]


def test_demo_asks_nothing(tmp_path):
    env = database_env()
    out = kiosk("demo", "--cases", "5", home=tmp_path, env=env)  # stdin is empty: any question would fail
    assert out.returncode == 0, out.stderr
    db = home_database(tmp_path, env)
    assert query_config_database(db, 'SELECT count(*) FROM "case"') == [(5,)]
    assert query_config_database(db, "SELECT count(*) FROM staff") == [(4,)]


def test_building_the_cli_loads_nothing_heavy():
    """Every command's module is imported to build --help; none may drag in the database, the UI,
    PDF, web or NLP libraries (they cost the counter's start-up)."""
    code = ("import sys; from kiosk.cli import build_parser; build_parser(); "
            "heavy = {'peewee', 'textual', 'fpdf', 'starlette', 'uvicorn', 'pythainlp', 'PIL', 'argon2', 'psycopg'}; "
            "print(sorted(m for m in heavy if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
