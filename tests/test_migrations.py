"""Schema migrations: a fresh database is stamped LATEST; a database saved by schema version 1
(tests/fixtures, with data) upgrades to LATEST keeping its data and ending with the same tables
and columns as a fresh one; a database from a newer program is refused and left untouched."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg
import pytest
from peewee import IntegrityError

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
    tickets = [t for (t,) in Case.select(Case.ticket_no).order_by(Case.id).tuples()]  # v1's columns only
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
    to_schema_7(upgraded)
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
    assert migrate(upgraded) == LATEST
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
    """Undo migrations 9 and 8 on a database at 9."""
    from db.migrations import REFERRAL_INDEXES, SCALE_INDEXES

    to_schema_8(db)
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


def to_schema_8(db) -> None:
    """Undo migration 9 on a database at 9 (its columns were added by ALTER TABLE: SQLite ≥ 3.35
    drops them as PostgreSQL does)."""
    from db.migrations import REFERRED_FROM_INDEXES

    for name, _table, _columns in REFERRED_FROM_INDEXES:
        db.execute_sql(f'DROP INDEX "{name}"')
    db.execute_sql('DROP INDEX "case_request_key"')
    db.execute_sql('ALTER TABLE "case" DROP COLUMN "request_key"')
    db.execute_sql('ALTER TABLE "case_event" DROP COLUMN "referred_from_id"')
    SchemaVersion.update(version=8).execute()


def referred_at_schema_8(db) -> dict:
    """WPK's officer refers one case to a second LAO (NKL) and another to an agency; then the
    database goes back to schema 8. The `refer` steps are then as schema 8 wrote them: the LAO they
    came from only inside the JSON (`"from_lao": "WPK"`), no column."""
    from datetime import timedelta

    from db.models import Organization
    from kiosk.services import workflow
    from kiosk.services.workflow import Step
    from kiosk.thai.dates import now_bangkok
    from tests.scoping.conftest import A_PERSON, B_PERSON, new_case, staff_of

    nkl = Organization.create(subdistrict_code="570907", name_th="องค์การบริหารส่วนตำบลหนองแก้ว", kind="sao",
                              ticket_prefix="NKL")
    officers = {"a": staff_of("officer.a", "officer", "WPK"), "b": staff_of("officer.b", "officer", "NKL")}
    moved, _ticket, _person = new_case("WPK", A_PERSON)
    out, _ticket, _person = new_case("WPK", B_PERSON)
    for case_id, to in ((moved, "lao:NKL"), (out, "agency:msdhs")):
        workflow.perform(officers["a"], case_id, Step("refer", Case.get_by_id(case_id).version, refer_to=to,
                                                      reason="เกินอำนาจหน้าที่",
                                                      reply_due=now_bangkok().date() + timedelta(days=7)))
    to_schema_8(db)
    assert current_version(db) == 8
    assert "referred_from_id" not in columns(db)["case_event"] and "request_key" not in columns(db)["case"]
    steps = db.execute_sql("""SELECT "data" FROM "case_event" WHERE "action" = 'refer'""").fetchall()
    assert len(steps) == 2 and all('"from_lao": "WPK"' in data for (data,) in steps)
    return {"moved": moved, "out": out, "nkl": nkl.id, "wpk": Organization.get(ticket_prefix="WPK").id,
            "officers": officers}


def check_schema_9(db, fresh_columns: dict, fresh_indexes: dict, before: dict) -> None:
    """Migration 9 made what a fresh database has and filled the old referrals' sender."""
    from db.models import CaseEvent
    from kiosk.services import scope

    assert migrate(db) == LATEST == 9
    assert columns(db) == fresh_columns
    assert {t: {(i.name, i.unique) for i in db.get_indexes(t)} for t in fresh_indexes} == fresh_indexes
    assert ("case_request_key", True) in fresh_indexes["case"]
    assert ("case_event_referred_from_id_case_id", False) in fresh_indexes["case_event"]
    sent = dict(CaseEvent.select(CaseEvent.case, CaseEvent.referred_from).where(CaseEvent.action == "refer").tuples())
    assert sent == {before["moved"]: before["wpk"], before["out"]: before["wpk"]}
    assert CaseEvent.select().where(CaseEvent.action != "refer", CaseEvent.referred_from.is_null(False)).count() == 0
    officers = before["officers"]
    assert scope.referred_out_ids(officers["a"]) == sorted([before["moved"], before["out"]])
    assert scope.referred_out_ids(officers["b"]) == []
    assert scope.case_readable(officers["a"], before["moved"]).organization_id == before["nkl"]
    assert Case.select().where(Case.request_key.is_null(False)).count() == 0  # old cases: no key
    keyed = Case.get_by_id(before["moved"])
    keyed.request_key = "k" * 32
    keyed.save()
    twin = Case.get_by_id(before["out"])
    twin.request_key = "k" * 32
    with pytest.raises(IntegrityError), db.atomic():  # unique, as on a fresh database
        twin.save()


def _indexes(db) -> dict:
    return {t: {(i.name, i.unique) for i in db.get_indexes(t)} for t in ("case", "case_event")}


@pytest.mark.sqlite_file
def test_schema_8_gains_the_referral_sender_and_the_request_key(tmp_path, db):
    """Migration 9 on a schema-8 SQLite database holding referrals made at 8: the referral's sender
    (case_event.referred_from_id) is filled from the step's JSON, the sending LAO still reads them
    through scope.referred_out, and case.request_key is unique; columns and indexes as a fresh one."""
    fresh_columns, fresh_indexes = columns(db), _indexes(db)
    old = tmp_path / "v1.sqlite3"
    with sqlite3.connect(old) as conn:
        conn.executescript((FIXTURES / "schema_v1_sample.sqlite.sql").read_text(encoding="utf-8"))
    upgraded = open_database(f"sqlite:///{old}")
    migrate(upgraded)
    before = referred_at_schema_8(upgraded)
    check_schema_9(upgraded, fresh_columns, fresh_indexes, before)
    assert Case.select().count() == 5 + 2


def test_postgres_schema_8_gains_the_referral_sender_and_the_request_key(pg_db):
    fresh_columns, fresh_indexes = columns(pg_db), _indexes(pg_db)
    before = referred_at_schema_8(pg_db)
    check_schema_9(pg_db, fresh_columns, fresh_indexes, before)
