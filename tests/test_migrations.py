"""Schema migrations: a fresh database is stamped LATEST; a database saved by schema version 1
(tests/fixtures, with data) upgrades to LATEST keeping its data and ending with the same tables
and columns as a fresh one; a database from a newer program is refused and left untouched."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg
import pytest

from db.connection import open_database
from db.migrations import LATEST, SchemaTooNew, current_version, migrate
from db.models import Case, SchemaVersion

FIXTURES = Path(__file__).parent / "fixtures"


def columns(db) -> dict[str, set[str]]:
    return {t: {c.name for c in db.get_columns(t)} for t in db.get_tables()}


def test_fresh_database_is_latest(db):
    assert current_version(db) == LATEST


@pytest.mark.sqlite_file
def test_sqlite_v1_upgrades_with_its_data(tmp_path, db):
    fresh = columns(db)
    old = tmp_path / "v1.sqlite3"
    with sqlite3.connect(old) as conn:
        conn.executescript((FIXTURES / "schema_v1_sample.sqlite.sql").read_text(encoding="utf-8"))
    upgraded = open_database(f"sqlite:///{old}")
    assert current_version(upgraded) == 1
    tickets = [c.ticket_no for c in Case.select().order_by(Case.id)]
    assert migrate(upgraded) == LATEST
    assert current_version(upgraded) == LATEST
    assert [c.ticket_no for c in Case.select().order_by(Case.id)] == tickets and len(tickets) == 5
    assert columns(upgraded) == fresh


def test_postgres_v1_upgrades_with_its_data(pg_url, pg_db):
    fresh = columns(pg_db)
    pg_db.close()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        conn.execute((FIXTURES / "schema_v1_sample.postgres.sql").read_text(encoding="utf-8"))
    upgraded = open_database(pg_url)
    assert current_version(upgraded) == 1
    assert migrate(upgraded) == LATEST
    assert Case.select().count() == 5
    assert columns(upgraded) == fresh
    upgraded.close()


def test_newer_schema_is_refused_untouched(tmp_path, db):
    SchemaVersion.update(version=LATEST + 1).execute()
    before = columns(db)
    with pytest.raises(SchemaTooNew) as err:
        migrate(db)
    assert err.value.params == {"found": LATEST + 1, "supported": LATEST}
    assert columns(db) == before and current_version(db) == LATEST + 1


@pytest.mark.sqlite_file
def test_upgraded_sqlite_has_the_same_indexes_as_a_fresh_one(tmp_path, db):
    """Indexes too, not only columns: migrations 3 and 4 create what the models declare."""
    def indexes(conn) -> set[str]:
        return {name for (name,) in conn.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'").fetchall()}

    fresh = indexes(db)
    old = tmp_path / "v1.sqlite3"
    with sqlite3.connect(old) as conn:
        conn.executescript((FIXTURES / "schema_v1_sample.sqlite.sql").read_text(encoding="utf-8"))
    upgraded = open_database(f"sqlite:///{old}")
    migrate(upgraded)
    assert indexes(upgraded) == fresh and "audit_log_target_type_target_id" in fresh


@pytest.mark.sqlite_file
def test_schema_6_gains_the_info_marks_keeping_its_data(tmp_path, db):
    """Migration 7 on a schema-6 database (today's, without the INFO marks table): the table and its
    indexes are made as a fresh database has them, the cases stay, and a mark can be written."""
    from db.models import InfoMark

    fresh = columns(db)
    old = tmp_path / "v1.sqlite3"
    with sqlite3.connect(old) as conn:
        conn.executescript((FIXTURES / "schema_v1_sample.sqlite.sql").read_text(encoding="utf-8"))
    upgraded = open_database(f"sqlite:///{old}")
    migrate(upgraded)
    upgraded.execute_sql('DROP TABLE "info_mark"')  # back to schema 6
    SchemaVersion.update(version=6).execute()
    assert "info_mark" not in upgraded.get_tables()
    assert migrate(upgraded) == LATEST
    assert columns(upgraded) == fresh and Case.select().count() == 5
    assert {i.name for i in upgraded.get_indexes("info_mark")} == {i.name for i in db.get_indexes("info_mark")}
    InfoMark.create(target_type="case", target_id=1, month="2569-10", seen_version=1, marked_by="officer")
    assert InfoMark.select().count() == 1


@pytest.mark.sqlite_file
def test_schema_7_gains_the_joint_centre_indexes_and_a_referred_case_keeps_its_number(tmp_path, db):
    """Migration 8 on a schema-7 database: the indexes for 150 LAOs are made as a fresh database
    has them, the cases stay, and (organization, year_be, seq), unique at 7 so that a case referred
    to an LAO with the same number could not move there, is plain."""
    old = tmp_path / "v1.sqlite3"
    with sqlite3.connect(old) as conn:
        conn.executescript((FIXTURES / "schema_v1_sample.sqlite.sql").read_text(encoding="utf-8"))
    upgraded = open_database(f"sqlite:///{old}")
    migrate(upgraded)
    to_schema_7(upgraded)
    assert migrate(upgraded) == LATEST == 8
    assert Case.select().count() == 5
    for table in ("case", "case_event"):
        assert {(i.name, i.unique) for i in upgraded.get_indexes(table)} == {
            (i.name, i.unique) for i in db.get_indexes(table)}
    assert {"case_organization_id_status_id_created_at_id", "case_event_to_status_at",
            "case_event_action_case_id"} <= {i.name for t in ("case", "case_event") for i in db.get_indexes(t)}
    first = Case.select().order_by(Case.id).first()
    twin = Case.select().where(Case.id != first.id).first()
    twin.organization, twin.year_be, twin.seq = first.organization, first.year_be, first.seq
    twin.save()  # refused with the unique index, as at schema 7


def to_schema_7(db) -> None:
    """Undo migration 8 on a database at 8."""
    from db.migrations import REFERRAL_INDEXES, SCALE_INDEXES

    for name, _table, _columns in REFERRAL_INDEXES + SCALE_INDEXES:
        db.execute_sql(f'DROP INDEX "{name}"')
    db.execute_sql('CREATE UNIQUE INDEX "case_organization_id_year_be_seq" ON "case" ("organization_id", "year_be", "seq")')
    SchemaVersion.update(version=7).execute()


def test_postgres_schema_7_gains_the_joint_centre_indexes(pg_db):
    fresh = {t: {(i.name, i.unique) for i in pg_db.get_indexes(t)} for t in ("case", "case_event")}
    to_schema_7(pg_db)
    assert migrate(pg_db) == LATEST
    assert {t: {(i.name, i.unique) for i in pg_db.get_indexes(t)} for t in ("case", "case_event")} == fresh
    assert ("case_organization_id_year_be_seq", False) in fresh["case"]
