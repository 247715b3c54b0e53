"""Schema 6 on a database with survey records from before it (SQLite and PostgreSQL): every old
record keeps its answers and gets a household made from its person's address (one per person,
the record's coordinates taken over), its recorded team name becomes a registered team of kind
"other", and the upgraded database has the same tables, columns and indexes as a fresh one."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import psycopg
import pytest

from db.connection import open_database
from db.migrations import LATEST, current_version, migrate
from db.models import Household, HouseholdMember, SurveyChange, SurveyRecord, SurveyTeam
from tests.test_migrations import columns

FIXTURES = Path(__file__).parents[1] / "fixtures"
OLD_SURVEYS = """INSERT INTO {table} (organization_id, person_id, surveyor_id, team, surveyed_on, needs, notes,
    latitude, longitude, created_at) VALUES
    (1, 1, NULL, 'อสม. หมู่ 9', '2025-01-05', 'home_repair', 'หลังคารั่ว', 20.41, 99.88, '2025-01-05 03:00:00'),
    (1, 1, NULL, 'อสม. หมู่ 9', '2025-06-05', 'survival_bag', '', NULL, NULL, '2025-06-05 03:00:00'),
    (1, 2, NULL, '', '2025-02-01', '', 'อยู่คนเดียว', NULL, NULL, '2025-02-01 03:00:00');"""


def old_sqlite(tmp_path: Path):
    old = tmp_path / "v1.sqlite3"
    with sqlite3.connect(old) as conn:
        conn.executescript((FIXTURES / "schema_v1_sample.sqlite.sql").read_text(encoding="utf-8"))
        conn.executescript(OLD_SURVEYS.format(table="survey_record"))
    return open_database(f"sqlite:///{old}")


def old_postgres(pg_url: str):
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        conn.execute((FIXTURES / "schema_v1_sample.postgres.sql").read_text(encoding="utf-8"))
        conn.execute(OLD_SURVEYS.format(table="public.survey_record"))  # pg_dump empties search_path
    return open_database(pg_url)


@pytest.mark.parametrize("kind", [pytest.param("sqlite", marks=pytest.mark.sqlite_file), "postgres"])
def test_old_survey_records_get_households_and_teams(kind, request, tmp_path):
    fresh_db = request.getfixturevalue("db" if kind == "sqlite" else "pg_db")
    fresh = columns(fresh_db)
    fresh_db.close()
    upgraded = old_sqlite(tmp_path) if kind == "sqlite" else old_postgres(request.getfixturevalue("pg_url"))
    assert current_version(upgraded) == 1
    assert migrate(upgraded) == LATEST
    assert columns(upgraded) == fresh

    records = list(SurveyRecord.select().order_by(SurveyRecord.id))
    assert [(r.person_id, r.needs, r.notes, r.surveyed_on) for r in records] == [
        (1, "home_repair", "หลังคารั่ว", date(2025, 1, 5)), (1, "survival_bag", "", date(2025, 6, 5)),
        (2, "", "อยู่คนเดียว", date(2025, 2, 1))]
    assert records[0].household_id == records[1].household_id != records[2].household_id
    home = records[0].household
    assert (home.house_no, home.moo, home.village, home.subdistrict_code) == ("132", 9, "บ้านดอยเวา", "570906")
    assert (round(home.latitude, 2), round(home.longitude, 2)) == (20.41, 99.88)
    assert [m.person_id for m in home.members] == [1]
    assert HouseholdMember.select().count() == Household.select().count() == 2
    team = SurveyTeam.get()
    assert (team.name, team.kind) == ("อสม. หมู่ 9", "other")
    assert [r.survey_team_id for r in records] == [team.id, team.id, None]
    assert [r.updated_at for r in records] == [r.created_at for r in records]
    assert {(r.consent, r.legal_basis, r.vulnerabilities) for r in records} == {(False, "public_task", "")}
    assert SurveyChange.select().count() == 0
    upgraded.close()


@pytest.mark.sqlite_file
def test_upgraded_sqlite_has_the_survey_indexes_of_a_fresh_one(db, tmp_path):
    def indexes(conn) -> set[str]:
        return {name for (name,) in conn.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'").fetchall()}

    fresh = indexes(db)
    upgraded = old_sqlite(tmp_path)
    migrate(upgraded)
    assert indexes(upgraded) == fresh and "household_member_household_id_person_id" in fresh
