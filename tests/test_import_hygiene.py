"""Deferred imports stay deferred (after harlequin's import-hygiene test). The launcher imports the
Textual app only once it knows it has a terminal; the command line imports each command's libraries
only when that command runs; on SQLite, peewee is told psycopg is absent (kiosk/cli/common.py), so
the counter's start-up pays for neither the UI stack nor a PostgreSQL driver it never uses; and
the app with its home screen imports no service before the first paint. Each check runs in a fresh
interpreter and reads its sys.modules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import write_config

ROOT = Path(__file__).resolve().parent.parent

# Run kiosk.py as `python kiosk.py ARGS` would, then write which modules were loaded and which were
# refused (None in sys.modules) as JSON to the file named by the first argument.
RUN_AND_REPORT = """
import json, runpy, sys
report, sys.argv = sys.argv[1], ["kiosk.py", *sys.argv[2:]]
sys.path.insert(0, ".")
code = 0
try:
    runpy.run_path("kiosk.py", run_name="__main__")
except SystemExit as exc:
    code = exc.code
with open(report, "w") as f:
    json.dump({"code": code, "loaded": sorted(m for m, v in sys.modules.items() if v is not None),
               "refused": sorted(m for m, v in sys.modules.items() if v is None)}, f)
"""

# Libraries that cost start-up time and that no command needs before it runs.
HEAVY = {"textual", "rich", "psycopg", "psycopg2", "pythainlp", "fpdf", "PIL", "qrcode", "starlette", "uvicorn",
         "argon2", "escpos", "uharfbuzz", "geothai", "phonenumbers", "httpx", "usb", "tomlkit", "openpyxl"}


def run_kiosk(tmp_path: Path, *args: str) -> dict:
    """`kiosk.py ARGS` with no terminal and KIOSK_HOME in tmp_path: its exit code, the top-level
    packages it loaded, the full module names loaded, and the modules it refused."""
    report = tmp_path / "modules.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env["KIOSK_HOME"] = str(tmp_path)
    out = subprocess.run([sys.executable, "-c", RUN_AND_REPORT, str(report), *args], stdin=subprocess.DEVNULL,
                         capture_output=True, text=True, timeout=120, env=env, cwd=ROOT)
    assert report.exists(), out.stdout + out.stderr
    result = json.loads(report.read_text())
    result["top"] = {name.split(".")[0] for name in result["loaded"]}
    result["stderr"] = out.stderr
    return result


def test_help_loads_no_database_ui_or_heavy_library(tmp_path):
    """Every command's module is imported to build --help: none drags in peewee, the UI or the rest."""
    run = run_kiosk(tmp_path, "--help")
    assert run["code"] == 0, run["stderr"]
    assert "kiosk.cli.serve" in run["loaded"]  # the check sees the command modules it is about
    assert run["top"] & (HEAVY | {"peewee", "playhouse", "screens"}) == set()


def test_counter_on_sqlite_opens_the_database_without_ui_or_postgres_driver(tmp_path):
    """The counter opens, migrates and syncs its SQLite database, then finds no terminal and stops
    (exit 2) before the Textual app is imported; psycopg was refused, never loaded."""
    run = run_kiosk(tmp_path, "counter")
    assert run["code"] == 2 and "Traceback" not in run["stderr"], run["stderr"]
    assert (tmp_path / "kiosk.sqlite3").exists() and "peewee" in run["top"]  # it did open the database
    assert {"psycopg", "psycopg2"} <= set(run["refused"])
    assert run["top"] & (HEAVY | {"screens"}) == set()


def test_counter_on_postgresql_does_load_psycopg(tmp_path, pg_url):
    """The other side of the SQLite check: with a PostgreSQL URL the driver is loaded and seen, so
    its absence above means something. The UI stays unloaded here too."""
    config = write_config(tmp_path, database_url=pg_url)
    run = run_kiosk(tmp_path, "--config", str(config), "counter")
    assert run["code"] == 2 and "Traceback" not in run["stderr"], run["stderr"]
    assert "psycopg" in run["top"]
    assert run["top"] & {"textual", "rich", "screens", "fpdf", "PIL", "pythainlp"} == set()


def test_the_counter_app_and_its_home_screen_import_no_service():
    """The Textual app and the home screen load no service module, nor argon2 or pythainlp: what the
    home screen calls (the announcements while idle, a scanned receipt's link) is imported at its
    first use, after the first paint. (peewee is loaded by then: the launcher opened the database.)"""
    code = "import json, sys; import screens.app; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    loaded = set(json.loads(out.stdout or "null") or ())
    assert "screens.home" in loaded, out.stderr
    assert sorted(m for m in loaded if m.startswith("kiosk.services")) == []
    assert {m.split(".")[0] for m in loaded} & {"peewee", "argon2", "pythainlp"} == set()
