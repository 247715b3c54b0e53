"""The test databases on PostgreSQL are reused between tests (tests/pg_databases.py): a reused
one must be as good as a new copy of the template, and one a test changed in any other way than
its rows must be dropped, never handed to the next test."""

from __future__ import annotations

import psycopg
import pytest

from tests import pg_databases

pytestmark = pytest.mark.postgres


def _exists(name: str) -> bool:
    with pg_databases.admin() as conn:
        return conn.execute("select exists (select from pg_database where datname = %s)", (name,)).fetchone()[0]


def _used(sql: str) -> str:
    """A migrated database, changed by `sql`, then released: its name."""
    keep = pg_databases.made()
    url = pg_databases.fresh(migrated=True)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)
    pg_databases.release(keep)
    return url.rsplit("/", 1)[1]


def test_a_database_with_new_rows_comes_back_empty_with_its_counters_restarted():
    name = _used("insert into organization (subdistrict_code, name_th, name_en, kind, ticket_prefix, is_sample, created_at) values ('100101', 'ก', 'a', 'sao', 'AAA', false, now());"
                 "select nextval('case_id_seq'); select nextval('case_id_seq');")
    assert name in pg_databases._ready and _exists(name)
    keep = pg_databases.made()
    url = pg_databases.fresh(migrated=True)
    assert url.endswith("/" + name)  # the same database, handed out again
    with psycopg.connect(url, autocommit=True) as conn:
        assert conn.execute("select count(*) from organization").fetchone()[0] == 0
        assert conn.execute("select nextval('case_id_seq')").fetchone()[0] == 1
        assert conn.execute("select nextval('organization_id_seq')").fetchone()[0] == 1
        assert conn.execute("select count(*) from category").fetchone()[0] > 0  # reference rows kept
    pg_databases.release(keep)


@pytest.mark.parametrize("change", [
    "alter table person add column extra text",
    "drop index if exists case_ticket_no",
    "create table leftover (id int)",
    "update category set sort_order = sort_order + 1 where key = (select min(key) from category)",
    "delete from schema_version",
    "revoke all on table person from public; grant select on table person to public",
    "create function f() returns int language sql as 'select 1'",
])
def test_a_database_changed_beyond_its_rows_is_dropped(change):
    name = _used(change)
    assert name not in pg_databases._ready
    assert not _exists(name)
