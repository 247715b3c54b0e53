"""The audit log is tamper-evident: every row is chained to the one before by a hash. An intact
log verifies; editing a row, deleting one in the middle or at the end, or appending one behind
the program's back is caught and named (id and time), on SQLite and PostgreSQL, by the service
and by `kiosk.py audit-verify`. Concurrent writers (real processes) keep one unbroken chain.
What it cannot catch alone (a log rewritten with fresh hashes) an anchor kept elsewhere does."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from db import migrations
from db.audit_chain import GENESIS, link
from db.connection import open_database
from db.migrations import LATEST, current_version, migrate
from db.models import AuditHead, AuditLog
from kiosk.errors import PermissionDenied
from kiosk.services import audit, staff
from kiosk.services.audit import verify_chain
from tests.test_cli import kiosk

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


def some_rows(n: int = 6) -> list[int]:
    """Rows written the ordinary way: an account, logins good and bad, and plain records."""
    staff.create_staff("somchai", "long-enough-1", "admin", "สมชาย ใจดี", first_admin=True)
    staff.login("somchai", "long-enough-1", "ssh:10.0.0.5")
    with pytest.raises(PermissionDenied):
        staff.login("somchai", "wrong password", "ssh:10.0.0.5")
    for i in range(n - 3):
        audit.record("case_note", actor="somchai", target_type="case", target_id=i, detail=f"WPK-69-{i:05d} ทดสอบ")
    return [r.id for r in AuditLog.select(AuditLog.id).order_by(AuditLog.id)]


def sql(db, text: str, *params) -> None:
    db.execute_sql(text.replace("?", "%s") if "Postgres" in type(db).__name__ else text, params)


def test_an_intact_log_verifies(any_db):
    ids = some_rows()
    report = verify_chain()
    assert report.ok and report.checked == len(ids) == 6
    assert report.head_id == ids[-1] and report.head_hash == AuditLog.get_by_id(ids[-1]).chain_hash


def test_each_hash_covers_its_row_and_the_one_before(any_db):
    """The stored hash is what the documented formula gives, row after row."""
    some_rows()
    previous = GENESIS
    for row in AuditLog.select().order_by(AuditLog.id):
        fields = (row.id, row.at, row.actor, row.action, row.target_type, row.target_id, row.detail, row.client)
        assert row.chain_hash == link(previous, fields)
        previous = row.chain_hash
    assert AuditHead.get_by_id(1).chain_hash == previous


@pytest.mark.parametrize("column, value", [("detail", "WPK-69-00001 แก้แล้ว"), ("actor", "admin"),
                                           ("at", "2020-01-01 00:00:00"), ("chain_hash", "0" * 64)])
def test_an_edited_row_is_named(any_db, column, value):
    ids = some_rows()
    victim = ids[3]
    at = AuditLog.get_by_id(victim).at
    sql(any_db, f'UPDATE "audit_log" SET "{column}" = ? WHERE "id" = ?', value, victim)
    report = verify_chain()
    assert not report.ok and report.problem == "row_changed" and report.bad_id == victim
    assert report.checked == 3
    if column != "at":
        assert report.bad_at == at


def test_a_deleted_row_in_the_middle_breaks_the_next_link(any_db):
    ids = some_rows()
    sql(any_db, 'DELETE FROM "audit_log" WHERE "id" = ?', ids[2])
    report = verify_chain()
    assert report.problem == "row_changed" and report.bad_id == ids[3]


def test_a_deleted_last_row_is_caught_by_the_head(any_db):
    ids = some_rows()
    sql(any_db, 'DELETE FROM "audit_log" WHERE "id" = ?', ids[-1])
    report = verify_chain()
    assert report.problem == "tail_removed" and report.bad_id == ids[-1] and report.checked == len(ids) - 1


def test_a_deleted_last_row_stays_caught_after_new_rows(any_db):
    """SQLite gives the next row the freed id; the new row still chains to the deleted one."""
    ids = some_rows()
    sql(any_db, 'DELETE FROM "audit_log" WHERE "id" = ?', ids[-1])
    audit.record("login", actor="somchai")
    report = verify_chain()
    assert report.problem == "row_changed" and report.bad_id == AuditLog.select().order_by(AuditLog.id.desc()).get().id


def test_an_emptied_log_is_caught(any_db):
    ids = some_rows()
    sql(any_db, 'DELETE FROM "audit_log"')
    report = verify_chain()
    assert report.problem == "tail_removed" and report.bad_id == ids[-1]


def test_a_row_slipped_in_behind_the_program_is_caught(any_db):
    """A forged row with a correctly computed hash, but the head was not moved."""
    ids = some_rows()
    last = AuditLog.get_by_id(ids[-1])
    forged = AuditLog.create(actor="admin", action="login", chain_hash="")
    fields = (forged.id, forged.at, "admin", "login", "", "", "", "")
    AuditLog.update(chain_hash=link(last.chain_hash, fields)).where(AuditLog.id == forged.id).execute()
    report = verify_chain()
    assert report.problem == "head_behind" and report.bad_id == forged.id


def test_a_deleted_head_is_caught(any_db):
    some_rows()
    sql(any_db, 'DELETE FROM "audit_head"')
    assert verify_chain().problem == "head_missing"
    audit.record("login", actor="somchai")  # the program recreates the head at the chain's start
    report = verify_chain()
    assert report.problem == "row_changed" and report.bad_id == AuditLog.select().order_by(AuditLog.id.desc()).get().id


def test_a_rewritten_chain_passes_alone_and_fails_against_an_anchor(any_db):
    """The honest limit: someone with write access who recomputes every hash from the edit on
    (and the head) leaves a consistent chain. An anchor noted earlier still catches it."""
    ids = some_rows()
    anchor = {ids[-2]: AuditLog.get_by_id(ids[-2]).chain_hash}
    assert verify_chain(anchor).ok
    sql(any_db, 'UPDATE "audit_log" SET "detail" = ? WHERE "id" = ?', "rewritten", ids[1])
    previous = GENESIS
    for row in AuditLog.select().order_by(AuditLog.id):
        previous = link(previous, (row.id, row.at, row.actor, row.action, row.target_type, row.target_id,
                                   row.detail, row.client))
        AuditLog.update(chain_hash=previous).where(AuditLog.id == row.id).execute()
    AuditHead.update(chain_hash=previous).execute()
    assert verify_chain().ok
    report = verify_chain(anchor)
    assert report.problem == "anchor_mismatch" and report.bad_id == ids[-2]
    assert verify_chain({ids[-1] + 100: "0" * 64}).problem == "anchor_missing"


def test_an_empty_log_verifies(any_db):
    report = verify_chain()
    assert report.ok and report.checked == 0


def test_concurrent_writer_processes_keep_one_chain(any_db, tmp_path):
    """Four processes append at once (plus this one): one chain, no two rows on the same link."""
    config = tmp_path / "kiosk.toml"
    procs = [subprocess.Popen([sys.executable, "-m", "tests.writers", "audit", str(config), "40"], cwd=ROOT)
             for _ in range(4)]
    for i in range(20):
        audit.record("test_write", actor="main", detail=str(i))
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0, 0]
    report = verify_chain()
    assert report.ok and report.checked == 4 * 40 + 20
    hashes = [r.chain_hash for r in AuditLog.select(AuditLog.chain_hash)]
    assert len(set(hashes)) == len(hashes)


def test_audit_verify_command(any_db, tmp_path):
    """0 and the count when intact; 1 naming the row and its time, in Thai and English."""
    ids = some_rows()
    config = str(tmp_path / "kiosk.toml")
    out = kiosk("--config", config, "audit-verify")
    assert out.returncode == 0, out.stderr
    assert "6 rows checked" in out.stdout and "ตรวจ 6 แถว" in out.stdout
    anchor = f"{ids[-1]}:{AuditLog.get_by_id(ids[-1]).chain_hash}"
    assert anchor in out.stdout
    assert kiosk("--config", config, "audit-verify", "--anchor", anchor).returncode == 0
    at = AuditLog.get_by_id(ids[2]).at
    sql(any_db, 'UPDATE "audit_log" SET "detail" = ? WHERE "id" = ?', "nothing to see", ids[2])
    out = kiosk("--config", config, "audit-verify")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert f"row {ids[2]} (at {at:%Y-%m-%d %H:%M:%S} UTC)" in out.stdout and f"แถว {ids[2]}" in out.stdout
    bad = kiosk("--config", config, "audit-verify", "--anchor", "12:nothex")
    assert bad.returncode == 2 and "ID:HASH" in bad.stderr


# ----------------------------------------------------------------------------- the upgrade

def _raw_audit_rows(conn, rows: list[tuple]) -> None:
    """Rows as a schema-4 program wrote them (no hash column)."""
    for row in rows:
        conn.execute("INSERT INTO audit_log (at, actor, action, target_type, target_id, detail, client) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)".replace("?", "%s" if isinstance(conn, psycopg.Connection) else "?"),
                     row)


OLD_ROWS = [("2026-11-26 03:00:00", "admin", "login", "", "", "", "ssh:10.0.0.2"),
            ("2026-11-26 03:01:00.5", "admin", "person_view", "person", "3", "WPK-69-00003", "ssh:10.0.0.2"),
            ("2026-11-26 03:02:00.123456", "officer", "case_assign", "case", "2", "ผู้ป่วยติดเตียง", "")]


def _to_schema_4(monkeypatch, db) -> None:
    monkeypatch.setattr(migrations, "LATEST", 4)
    assert migrate(db) == 4 and current_version(db) == 4
    monkeypatch.setattr(migrations, "LATEST", LATEST)


def test_sqlite_upgrade_from_4_computes_a_valid_chain(tmp_path, monkeypatch):
    old = tmp_path / "v1.sqlite3"
    with sqlite3.connect(old) as conn:
        conn.executescript((FIXTURES / "schema_v1_sample.sqlite.sql").read_text(encoding="utf-8"))
    db = open_database(f"sqlite:///{old}")
    _to_schema_4(monkeypatch, db)
    db.close()
    with sqlite3.connect(old) as conn:
        _raw_audit_rows(conn, OLD_ROWS)
    db = open_database(f"sqlite:///{old}")
    assert migrate(db) == LATEST  # through schema 5, which computed the chain
    report = verify_chain()
    assert report.ok and report.checked == 4 + len(OLD_ROWS)
    audit.record("login", actor="admin")  # the program appends to the computed chain
    assert verify_chain().ok
    db.execute_sql("UPDATE audit_log SET detail = 'x' WHERE id = 5")
    assert verify_chain().bad_id == 5
    db.close()


def test_postgres_upgrade_from_4_computes_a_valid_chain(pg_url, pg_db, monkeypatch):
    pg_db.close()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        conn.execute((FIXTURES / "schema_v1_sample.postgres.sql").read_text(encoding="utf-8"))
    db = open_database(pg_url)
    _to_schema_4(monkeypatch, db)
    with psycopg.connect(pg_url, autocommit=True) as conn:
        _raw_audit_rows(conn, OLD_ROWS)
    assert migrate(db) == LATEST
    report = verify_chain()
    assert report.ok and report.checked == 4 + len(OLD_ROWS)
    audit.record("login", actor="admin")
    assert verify_chain().ok
    db.execute_sql("DELETE FROM audit_log WHERE id = 2")
    assert verify_chain().bad_id == 3
    db.close()


def test_an_upgraded_empty_log_verifies(tmp_path, monkeypatch):
    """Migration 5 on a database whose audit log is empty: the head is the chain's start."""
    old = tmp_path / "v1.sqlite3"
    with sqlite3.connect(old) as conn:
        conn.executescript((FIXTURES / "schema_v1_sample.sqlite.sql").read_text(encoding="utf-8"))
        conn.execute("DELETE FROM audit_log")
    db = open_database(f"sqlite:///{old}")
    migrate(db)
    assert verify_chain().ok and AuditHead.get_by_id(1).chain_hash == GENESIS
    audit.record("login", actor="admin")
    assert verify_chain().checked == 1
    db.close()
