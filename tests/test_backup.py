"""Backups that restore. A backup taken while four real processes keep creating cases restores
into a fresh installation with integrity_check ok and every case acknowledged before the backup
began; a restore never overwrites a database holding data without --force, nor one a running
program has open; a bad file is refused and nothing changes; the default folder keeps the newest
[backup] keep; files are 0600 under umask 022; PostgreSQL goes through pg_dump/pg_restore."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest

from db.connection import sqlite_path
from db.migrations import LATEST
from db.models import Case, SchemaVersion
from kiosk.config import parse_settings
from kiosk.errors import ConfigError
from kiosk.services import intake
from kiosk.services.backup import BackupError, _pg_env, backup, restore
from tests.conftest import PG_ADMIN_URL, config_database, write_config
from tests.conftest import file_mode as mode
from tests.test_cli import kiosk
from tests.writers import form

ROOT = Path(__file__).resolve().parent.parent


pytestmark = pytest.mark.usefixtures("umask_022")


def need_pg_tools() -> None:
    missing = [t for t in ("pg_dump", "pg_restore") if shutil.which(t) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} missing: sudo apt install postgresql-client")


@pytest.fixture
def second_pg_url():
    """Another fresh, empty PostgreSQL database (a second installation), dropped afterwards."""
    name = f"kiosk_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def settings_of(path: Path):
    return parse_settings(path, path.read_text(encoding="utf-8"), environ={})


def fresh_config(folder: Path, database_url: str | None = None):
    folder.mkdir()
    path = write_config(folder, database_url=database_url, empty=True)
    return parse_settings(path, path.read_text(encoding="utf-8"), environ={})


def tickets_in(settings) -> set[str]:
    path = sqlite_path(settings.database_url)
    if path is not None:
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            return {t for (t,) in conn.execute('SELECT ticket_no FROM "case"')}
    with psycopg.connect(settings.database_url) as conn:
        return {t for (t,) in conn.execute('SELECT ticket_no FROM "case"')}


@pytest.mark.parametrize("kind", [pytest.param("sqlite", marks=pytest.mark.sqlite_file), "postgres"])
def test_backup_during_four_writers_restores_every_acknowledged_case(kind, request, tmp_path):
    """Four processes create cases through the intake service; each writes a ticket to its
    acknowledgement file only after submit() returned. The backup runs while they write; the
    restored copy (in a fresh installation) has every case acknowledged before it began."""
    if kind == "postgres":
        need_pg_tools()
    request.getfixturevalue("db" if kind == "sqlite" else "pg_db")
    config = tmp_path / "kiosk.toml"
    stop = tmp_path / "stop"
    acks = [tmp_path / f"ack{i}" for i in range(4)]
    writers = [subprocess.Popen([sys.executable, "-m", "tests.writers", "cases", str(config), str(a), str(stop)],
                                cwd=ROOT, stderr=subprocess.PIPE, text=True) for a in acks]
    try:
        deadline = time.monotonic() + 120
        while sum(len(a.read_text().split()) for a in acks if a.exists()) < 40 or not all(a.exists() for a in acks):
            assert time.monotonic() < deadline and all(w.poll() is None for w in writers)
            time.sleep(0.1)
        acknowledged = {t for a in acks for t in a.read_text().split()}  # before the backup begins
        out = tmp_path / "copy" / ("kiosk.sqlite3" if kind == "sqlite" else "kiosk.pgdump")
        done = kiosk("--config", str(config), "backup", "--out", str(out))
        assert all(w.poll() is None for w in writers)  # they wrote all along
    finally:
        stop.touch()
        results = [(w.wait(timeout=60), w.stderr.read()) for w in writers]
    assert done.returncode == 0, done.stderr
    assert "Backup written" in done.stdout and "สำรองข้อมูลแล้ว" in done.stdout
    assert [code for code, _ in results] == [0, 0, 0, 0], results
    assert mode(out) == 0o600 and mode(out.parent) == 0o700
    everything = {t for a in acks for t in a.read_text().split()}
    assert len(everything) > len(acknowledged)  # the writers went on after the backup began

    if kind == "sqlite":
        fresh = fresh_config(tmp_path / "fresh")
    else:
        fresh = fresh_config(tmp_path / "fresh", request.getfixturevalue("second_pg_url"))
    done = kiosk("--config", str(fresh.path), "restore", str(out))
    assert done.returncode == 0, done.stderr
    restored = tickets_in(fresh)
    assert acknowledged <= restored <= everything
    assert kiosk("--config", str(fresh.path), "audit-verify").returncode == 0  # one consistent snapshot
    if kind == "sqlite":
        assert mode(sqlite_path(fresh.database_url)) == 0o600


def with_keep(path: Path, value: str) -> Path:
    text = path.read_text(encoding="utf-8")
    assert "\nkeep = 14 " in text  # the sample documents the default
    path.write_text(text.replace("\nkeep = 14 ", f"\nkeep = {value} "), encoding="utf-8")
    return path


def make_cases(settings, n: int) -> list[str]:
    return [intake.submit(settings, form(i)).ticket_no for i in range(n)]


@pytest.mark.sqlite_file
def test_restore_refuses_a_database_holding_data_without_force(db, settings, tmp_path):
    make_cases(settings, 3)
    copy = tmp_path / "b.sqlite3"
    assert kiosk("--config", str(settings.path), "backup", "--out", str(copy)).returncode == 0
    make_cases(settings, 2)
    db.close()
    path = sqlite_path(settings.database_url)
    before = path.read_bytes()
    out = kiosk("--config", str(settings.path), "restore", str(copy))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "--force" in out.stderr and "5 cases" in out.stderr and "5 คำขอ" in out.stderr
    assert path.read_bytes() == before
    out = kiosk("--config", str(settings.path), "restore", str(copy), "--force")
    assert out.returncode == 0, out.stderr
    assert len(tickets_in(settings)) == 3
    aside = [p for p in path.parent.iterdir() if ".before-restore-" in p.name]
    assert len(aside) == 1 and mode(aside[0]) == 0o600
    with sqlite3.connect(aside[0]) as conn:  # the replaced database, whole (only its journal mode changed)
        assert conn.execute('SELECT count(*) FROM "case"').fetchone()[0] == 5
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0


@pytest.mark.sqlite_file
def test_restore_refuses_a_database_a_program_has_open(db, settings, tmp_path):
    make_cases(settings, 1)
    copy = backup(settings, tmp_path / "b.sqlite3").path
    Case.select().count()  # this process is the running program: its connection is open
    with pytest.raises(BackupError) as err:
        restore(settings, copy, force=True)
    assert err.value.key == "backup.in_use"
    db.close()
    assert restore(settings, copy, force=True).counts["case"] == 1


@pytest.mark.sqlite_file
def test_restore_removes_stale_wal_of_a_vanished_database(tmp_path, db, settings):
    """A -wal left beside a missing database would be replayed into the restored file."""
    make_cases(settings, 2)
    copy = backup(settings, tmp_path / "b.sqlite3").path
    fresh = fresh_config(tmp_path / "fresh")
    target = sqlite_path(fresh.database_url)
    Path(f"{target}-wal").write_bytes(b"\0" * 4096)
    Path(f"{target}-shm").write_bytes(b"\0" * 4096)
    restore(fresh, copy)
    assert not Path(f"{target}-wal").exists() and len(tickets_in(fresh)) == 2


@pytest.mark.parametrize("content", [b"", b"not a database at all" * 100])
def test_a_file_that_is_not_a_backup_is_refused(db, settings, tmp_path, content):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(content)
    db.close()
    fresh = fresh_config(tmp_path / "fresh")
    out = kiosk("--config", str(fresh.path), "restore", str(bad))
    assert out.returncode == 2 and "not a usable backup" in out.stderr and "Traceback" not in out.stderr
    target = sqlite_path(fresh.database_url)
    if target is not None:
        assert not target.exists()
    else:  # the empty PostgreSQL database write_config made stays empty
        conn = config_database(fresh.database_url)
        assert conn.get_tables() == []
        conn.close()


def test_a_backup_from_a_newer_program_is_refused(db, settings, tmp_path):
    SchemaVersion.update(version=LATEST + 1).execute()
    copy = backup(settings, tmp_path / "b.sqlite3").path
    fresh = fresh_config(tmp_path / "fresh")
    with pytest.raises(BackupError) as err:
        restore(fresh, copy)
    assert err.value.key == "backup.schema_unsupported" and err.value.params["found"] == LATEST + 1


def test_the_default_folder_keeps_the_newest(tmp_path):
    path = with_keep(write_config(tmp_path), "2")
    settings = parse_settings(path, path.read_text(encoding="utf-8"), environ={})
    assert settings.backup_keep == 2
    assert kiosk("--config", str(path), "demo", "--cases", "1").returncode == 0
    folder = tmp_path / "backups"
    folder.mkdir(mode=0o700)
    (folder / "notes.txt").write_text("mine")
    made = [backup(settings) for _ in range(3)]
    assert [r.path.parent for r in made] == [folder] * 3
    assert made[2].removed == (made[0].path,)
    left = sorted(p.name for p in folder.iterdir())
    assert left == sorted(["notes.txt", made[1].path.name, made[2].path.name])
    assert all(mode(folder / n) == 0o600 for n in left if n != "notes.txt")


def test_default_folder_is_made_private(tmp_path):
    path = write_config(tmp_path)
    assert kiosk("--config", str(path), "demo", "--cases", "1").returncode == 0
    out = kiosk("--config", str(path), "backup")
    assert out.returncode == 0, out.stderr
    (made,) = (tmp_path / "backups").iterdir()
    assert mode(tmp_path / "backups") == 0o700 and mode(made) == 0o600
    suffix = "Z.sqlite3" if sqlite_path(settings_of(path).database_url) else "Z.pgdump"
    assert made.name.startswith("kiosk-") and made.name.endswith(suffix) and str(made) in out.stdout


@pytest.mark.parametrize("value, problem", [("0", "1–1000"), ('"daily"', "whole number"), ("1001", "1–1000")])
def test_backup_keep_is_validated(tmp_path, value, problem):
    path = with_keep(write_config(tmp_path), value)
    with pytest.raises(ConfigError) as err:
        parse_settings(path, path.read_text(encoding="utf-8"), environ={})
    assert err.value.params["field"] == "backup.keep" and problem in err.value.params["problem"]


def test_backup_of_a_missing_database_says_so(tmp_path):
    """No SQLite file yet, or (KIOSK_TEST_DB=postgresql) a PostgreSQL database nobody has opened."""
    path = write_config(tmp_path, empty=True)
    out = kiosk("--config", str(path), "backup", "--out", str(tmp_path / "b.sqlite3"))
    assert out.returncode == 2 and "nothing to back up" in out.stderr
    assert not (tmp_path / "b.sqlite3").exists()


# -------------------------------------------------------------------------------- PostgreSQL

def test_postgres_round_trip(pg_db, tmp_path, second_pg_url):
    need_pg_tools()
    settings = parse_settings(tmp_path / "kiosk.toml", (tmp_path / "kiosk.toml").read_text(encoding="utf-8"),
                              environ={})
    kept = set(make_cases(settings, 3))
    result = backup(settings, tmp_path / "out" / "b.pgdump")
    assert mode(result.path) == 0o600 and result.tables >= 10 and result.rows is None
    later = set(make_cases(settings, 2))
    with pytest.raises(BackupError) as err:
        restore(settings, result.path)
    assert err.value.key == "backup.restore_refused" and err.value.params["cases"] == 5
    pg_db.close()
    done = restore(settings, result.path, force=True)
    assert done.version == LATEST and done.counts["case"] == 3
    assert tickets_in(settings) == kept and not later & tickets_in(settings)
    fresh = fresh_config(tmp_path / "fresh", second_pg_url)
    assert restore(fresh, result.path).counts["case"] == 3
    assert tickets_in(fresh) == kept
    out = kiosk("--config", str(fresh.path), "audit-verify")
    assert out.returncode == 0 and "rows checked" in out.stdout


def test_postgres_restore_of_an_older_backup_drops_the_newer_tables(pg_db, tmp_path, second_pg_url):
    """A backup from before migration 5 restored over an installed newer schema: the newer
    tables go, and the next start migrates the restored data forward."""
    need_pg_tools()
    settings = parse_settings(tmp_path / "kiosk.toml", (tmp_path / "kiosk.toml").read_text(encoding="utf-8"),
                              environ={})
    make_cases(settings, 2)
    # schema 4 is the latest without migration 9's request key and referral sender, migration 7's
    # INFO marks, migration 6's survey tables and columns, nor migration 5's chain
    pg_db.execute_sql('ALTER TABLE "case" DROP COLUMN "request_key"')
    pg_db.execute_sql('ALTER TABLE "case_event" DROP COLUMN "referred_from_id"')
    pg_db.execute_sql('DROP TABLE "info_mark"')
    pg_db.execute_sql('DROP TABLE "survey_change", "household_member", "household", "survey_team_member", '
                      '"survey_team" CASCADE')
    pg_db.execute_sql('ALTER TABLE "survey_record" ' + ", ".join(f'DROP COLUMN "{c}"' for c in (
        "household_id", "surveyor_member_id", "survey_team_id", "vulnerabilities", "living_situation", "consent",
        "legal_basis", "updated_at")))
    pg_db.execute_sql('DROP TABLE "audit_head"')
    pg_db.execute_sql('ALTER TABLE "audit_log" DROP COLUMN "chain_hash"')
    SchemaVersion.update(version=4).execute()
    old = backup(settings, tmp_path / "v4.pgdump").path
    pg_db.close()
    fresh = fresh_config(tmp_path / "fresh", second_pg_url)
    assert kiosk("--config", str(fresh.path), "init", stdin="admin\n\nlong-enough-1\n864209\n").returncode == 0
    done = restore(fresh, old)
    assert done.version == 4 and done.dropped == ("audit_head", "household", "household_member", "info_mark",
                                                  "survey_change", "survey_team", "survey_team_member")
    assert kiosk("--config", str(fresh.path), "audit-verify").returncode == 0  # migrates 4 → 9, chain computed
    assert len(tickets_in(fresh)) == 2


def test_missing_pg_dump_names_the_package(pg_db, tmp_path):
    """No pg_dump on PATH: a sentence naming postgresql-client, exit 2, no file."""
    bare = tmp_path / "bin"
    bare.mkdir()
    out = kiosk("--config", str(tmp_path / "kiosk.toml"), "backup", "--out", str(tmp_path / "b.pgdump"),
                env={"PATH": str(bare)})
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "pg_dump" in out.stderr and "sudo apt install postgresql-client" in out.stderr
    assert not (tmp_path / "b.pgdump").exists()


def test_pg_password_stays_off_the_command_line():
    """pg_dump/pg_restore get the URL without its password (argv shows in `ps` to every
    account) and the password in PGPASSWORD."""
    url, env = _pg_env("postgresql://kiosk:s3cret@db.example:5433/kiosk?sslmode=require")
    assert url == "postgresql://kiosk@db.example:5433/kiosk?sslmode=require" and "s3cret" not in url
    assert env["PGPASSWORD"] == "s3cret"
    assert _pg_env("postgresql://kiosk@db.example/kiosk")[0] == "postgresql://kiosk@db.example/kiosk"


def test_an_unwritable_destination_is_a_sentence(db, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    out = kiosk("--config", str(settings.path), "backup", "--out", str(blocker / "b.sqlite3"))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "The backup failed" in out.stderr and "สำรองข้อมูลไม่สำเร็จ" in out.stderr
