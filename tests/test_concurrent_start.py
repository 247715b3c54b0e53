"""Six processes starting together on an empty database (a centre's counter, staff consoles and
web service all started by systemd at boot) all come up: the migration runs once under a lock
(SQLite BEGIN IMMEDIATE, a PostgreSQL advisory lock), the others wait and find the schema at
LATEST, and the reference data and the configured LAOs exist exactly once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from db.migrations import LATEST
from db.reference import CATEGORIES, STATUSES
from tests.conftest import write_config

ROOT = Path(__file__).resolve().parent.parent
PROCESSES = 6

# Each child imports everything first, says it is ready, then waits for the same "go" file, so
# the six open_kiosk calls really start together.
CHILD = """
import os, sys, time
from pathlib import Path
from kiosk.config import load_settings
from kiosk.services.setup import open_kiosk
folder = Path(sys.argv[1])
settings = load_settings(Path(sys.argv[2]))
(folder / f"ready-{os.getpid()}").touch()
while not (folder / "go").exists():
    time.sleep(0.002)
open_kiosk(settings)
print("up")
"""


def start_together(config: Path, folder: Path) -> list[subprocess.CompletedProcess]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env["KIOSK_HOME"] = str(folder)
    procs = [subprocess.Popen([sys.executable, "-c", CHILD, str(folder), str(config)], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(PROCESSES)]
    deadline = time.monotonic() + 60
    while len(list(folder.glob("ready-*"))) < PROCESSES and time.monotonic() < deadline:
        if any(p.poll() is not None for p in procs):
            break
        time.sleep(0.01)
    (folder / "go").touch()
    results = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(p.args, p.returncode, out, err))
    return results


def check(results: list[subprocess.CompletedProcess], query) -> None:
    failed = [(r.returncode, r.stderr[-800:]) for r in results if r.returncode != 0 or r.stdout.strip() != "up"]
    assert failed == [], f"{len(failed)} of {PROCESSES} failed"
    assert query("SELECT version FROM schema_version") == [(LATEST,)]
    categories = sum(1 + len(subs) for _b, subs in CATEGORIES.values())
    assert query("SELECT count(*), count(DISTINCT key) FROM category") == [(categories, categories)]
    assert query("SELECT count(*) FROM status") == [(len(STATUSES),)]
    assert query("SELECT ticket_prefix, count(*) FROM organization GROUP BY ticket_prefix") == [("WPK", 1)]


@pytest.mark.sqlite_file
def test_six_first_starts_on_an_empty_sqlite_file(tmp_path):
    config = write_config(tmp_path)
    db_file = tmp_path / "kiosk.sqlite3"
    assert not db_file.exists()
    results = start_together(config, tmp_path)

    def query(sql):
        import sqlite3

        with sqlite3.connect(db_file) as conn:
            return conn.execute(sql).fetchall()

    check(results, query)


@pytest.mark.sqlite_file
def test_six_starts_upgrading_an_old_sqlite_file_together(tmp_path):
    """The same on a database saved by schema version 1: one process walks it up, the others wait."""
    import sqlite3

    config = write_config(tmp_path)
    db_file = tmp_path / "kiosk.sqlite3"
    with sqlite3.connect(db_file) as conn:
        conn.executescript((ROOT / "tests" / "fixtures" / "schema_v1_sample.sqlite.sql").read_text(encoding="utf-8"))
        cases = conn.execute('SELECT ticket_no FROM "case" ORDER BY id').fetchall()
    results = start_together(config, tmp_path)

    def query(sql):
        with sqlite3.connect(db_file) as conn:
            return conn.execute(sql).fetchall()

    check(results, query)
    assert query('SELECT ticket_no FROM "case" ORDER BY id') == cases and len(cases) == 5


@pytest.mark.postgres
def test_six_first_starts_on_an_empty_postgres_database(tmp_path, pg_url):
    config = write_config(tmp_path, database_url=pg_url)
    results = start_together(config, tmp_path)

    def query(sql):
        with psycopg.connect(pg_url) as conn:
            return conn.execute(sql).fetchall()

    check(results, query)
