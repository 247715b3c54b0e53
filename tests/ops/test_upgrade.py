"""Upgrades: a database made by the first released schema (tests/fixtures/schema_v1_sample,
five cases) is upgraded by an ordinary start, which first writes a checked backup of it as it was
(restorable, at schema 1); the next start, with nothing to migrate, takes none. A backup that
cannot be written stops the upgrade with the database untouched. `kiosk.py --version`, doctor
and the staff console's about box name the version and the schema."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from db.migrations import LATEST
from kiosk.cli import main
from kiosk.services.backup import BACKUP_NAME
from kiosk.version import VERSION
from tests.conftest import write_config

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "schema_v1_sample.sqlite.sql"


def kiosk(config: Path, *args: str) -> subprocess.CompletedProcess:
    """The real command in its own process (an in-process command keeps the database open)."""
    return subprocess.run([sys.executable, str(ROOT / "kiosk.py"), "--config", str(config), *args],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)


def schema_and_cases(path: Path) -> tuple[int, int]:
    conn = sqlite3.connect(path)  # closed here: a connection left to the garbage collector holds the file open
    try:
        version = conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]
        cases = conn.execute('SELECT count(*) FROM "case"').fetchone()[0]
    finally:
        conn.close()
    return version, cases


@pytest.fixture
def v1_centre(tmp_path: Path) -> Path:
    config = write_config(tmp_path)
    conn = sqlite3.connect(tmp_path / "kiosk.sqlite3")
    conn.executescript(FIXTURE.read_text(encoding="utf-8"))
    conn.close()
    (tmp_path / "kiosk.sqlite3").chmod(0o600)
    assert schema_and_cases(tmp_path / "kiosk.sqlite3") == (1, 5)
    return config


@pytest.mark.sqlite_file
def test_a_start_backs_up_then_upgrades_the_first_schema(v1_centre: Path) -> None:
    home = v1_centre.parent
    assert kiosk(v1_centre, "audit-verify").returncode == 0  # any command that opens the database
    assert schema_and_cases(home / "kiosk.sqlite3") == (LATEST, 5)
    saved = sorted((home / "backups").iterdir())
    assert [p.name.startswith(f"before-schema-{LATEST}-from-1-kiosk-") for p in saved] == [True]
    assert schema_and_cases(saved[0]) == (1, 5)  # the database as it was before the upgrade
    assert saved[0].stat().st_mode & 0o777 == 0o600
    assert not BACKUP_NAME.fullmatch(saved[0].name)  # the daily backups' pruning never removes it

    assert kiosk(v1_centre, "audit-verify").returncode == 0
    assert sorted((home / "backups").iterdir()) == saved  # nothing to migrate: no backup

    # and it restores: back to schema 1, then up again at the next start
    done = kiosk(v1_centre, "restore", str(saved[0]), "--force")
    assert done.returncode == 0, done.stderr
    assert schema_and_cases(home / "kiosk.sqlite3") == (1, 5)


@pytest.mark.sqlite_file
def test_no_backup_no_upgrade(v1_centre: Path, capsys) -> None:
    home = v1_centre.parent
    (home / "backups").write_text("a file where the folder should be")
    assert main(["--config", str(v1_centre), "audit-verify"]) == 2
    err = capsys.readouterr().err
    assert "backup failed" in err.lower() or "สำรอง" in err
    assert schema_and_cases(home / "kiosk.sqlite3") == (1, 5)  # untouched


def test_version_flag_and_pyproject_agree() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "kiosk.py"), "--version"], capture_output=True, text=True,
                          timeout=30, cwd=ROOT)
    assert (done.returncode, done.stdout) == (0, f"help-centre-kiosk {VERSION} (schema {LATEST})\n")
    assert tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"] == VERSION


async def test_staff_about_box_shows_version_and_schema(db, settings, actors) -> None:
    from textual.widgets import Static

    from tests.staff.pilot import login, settle, staff_app

    app = staff_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "volunteer")
        dict(app.staff_places())["About this program"]()
        await settle(pilot)
        assert type(app.screen).__name__ == "NoticeScreen"
        body = str(app.screen.query_one(".dialog-body", Static).render())
        assert f"Version {VERSION}" in body and f"Database schema {LATEST}" in body
        from db.connection import redact, sqlite_path

        file = sqlite_path(settings.database_url)
        assert (file.name if file is not None else redact(settings.database_url)) in body  # which database


def test_postgres_first_schema_is_backed_up_with_pg_dump_then_upgraded(tmp_path: Path, pg_url: str) -> None:
    import psycopg

    from tests.test_backup import need_pg_tools

    need_pg_tools()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute((ROOT / "tests" / "fixtures" / "schema_v1_sample.postgres.sql").read_text(encoding="utf-8"))
    config = write_config(tmp_path, database_url=pg_url)
    done = kiosk(config, "audit-verify")
    assert done.returncode == 0, done.stderr
    saved = sorted((tmp_path / "backups").iterdir())
    assert [p.name.startswith(f"before-schema-{LATEST}-from-1-kiosk-") and p.suffix == ".pgdump" for p in saved] == [True]
    listing = subprocess.run(["pg_restore", "--list", str(saved[0])], capture_output=True, text=True, check=True).stdout
    assert "TABLE DATA public case" in listing
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] == LATEST
        assert conn.execute('SELECT count(*) FROM "case"').fetchone()[0] == 5
