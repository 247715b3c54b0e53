"""Migration 2 builds the search index for a database saved by schema 1 (tests/fixtures): the
people and cases already there are found afterwards, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg

from db.connection import open_database
from db.migrations import migrate
from db.models import Organization
from kiosk.services import people, search
from kiosk.services.people import PersonData

FIXTURES = Path(__file__).parent.parent / "fixtures"


def check_backfilled():
    assert search.people_matching("ทองดี ไชยวงค์") == [1]
    assert search.people_matching("ไชยวงค") == [1]  # stored ไชยวงค์, typed without the mark
    assert search.find_person_by_id_number("0-5102-58628-90-7") == 1
    assert search.people_matching("085-277-3124") == [1]
    assert search.case_ids_matching("WPK-69-00002") == [2]
    assert 1 in search.case_ids_matching("ไม่ปลอดภัย")
    new = people.create(Organization.get_by_id(1), PersonData("ณัฐพล", "ทดสอบใหม่"))  # the index takes new rows
    assert search.people_matching("นัทพล ทดสอบ") == [new.id]


def test_sqlite_v1_upgrade_indexes_existing_rows(tmp_path):
    old = tmp_path / "v1.sqlite3"
    with sqlite3.connect(old) as conn:
        conn.executescript((FIXTURES / "schema_v1_sample.sqlite.sql").read_text(encoding="utf-8"))
    upgraded = open_database(f"sqlite:///{old}")
    migrate(upgraded)
    check_backfilled()
    upgraded.close()


def test_postgres_v1_upgrade_indexes_existing_rows(pg_url):
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute((FIXTURES / "schema_v1_sample.postgres.sql").read_text(encoding="utf-8"))
    upgraded = open_database(pg_url)
    migrate(upgraded)
    check_backfilled()
    upgraded.close()
