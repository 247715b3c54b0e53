"""Fresh PostgreSQL databases for the tests, made fast.

Making a database for each test (CREATE DATABASE … TEMPLATE, then DROP DATABASE, which forces a
checkpoint) costs 0.5–1.5 s a test on this server; the SQLite suite's test costs ~50 ms. So a test
process keeps the migrated databases its tests used and hands them out again once they are as
good as new: every table that is empty in the template emptied,
every sequence back to the template's value, and — checked, not assumed — the schema, the
reference rows and the database's settings identical to the template's. A database a test changed
in any other way (a dropped table, a revoked grant, an edited reference row) is dropped, as before.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from functools import cache
from pathlib import Path

PG_ADMIN_URL = os.environ.get("KIOSK_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")

_made: list[tuple[str, bool]] = []  # (name, migrated) of the databases the running tests made
_templates: list[str] = []  # this process's template database, dropped at the end
_ready: list[str] = []  # migrated databases reset to the template, ready for the next test

_USER_NAMESPACES = "n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_to%%' " \
                   "and n.nspname not like 'pg\\_temp%%'"
# Everything about a database a test could change besides its rows: schemas, relations and their
# grants, columns, indexes, constraints, triggers, functions, extensions and the database's settings.
SCHEMA_FINGERPRINT = f"""
select md5(coalesce(string_agg(line, E'\\n' order by line), '')) from (
  select 'nsp ' || n.nspname || ' ' || coalesce(n.nspacl::text, '') as line from pg_namespace n where {_USER_NAMESPACES}
  union all
  select 'rel ' || n.nspname || '.' || c.relname || ' ' || c.relkind::text || ' ' || c.relpersistence::text || ' '
         || coalesce(c.relacl::text, '') || ' ' || coalesce(pg_get_viewdef(c.oid), '')
  from pg_class c join pg_namespace n on n.oid = c.relnamespace where {_USER_NAMESPACES}
  union all
  select 'col ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' '
         || a.attnotnull || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
  from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
  left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
  where a.attnum > 0 and not a.attisdropped and {_USER_NAMESPACES}
  union all
  select 'idx ' || pg_get_indexdef(i.indexrelid)
  from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
  where {_USER_NAMESPACES}
  union all
  select 'con ' || co.conname || ' ' || pg_get_constraintdef(co.oid)
  from pg_constraint co join pg_namespace n on n.oid = co.connamespace where {_USER_NAMESPACES}
  union all
  select 'trg ' || pg_get_triggerdef(t.oid) from pg_trigger t where not t.tgisinternal
  union all
  select 'fn ' || p.oid::regprocedure::text || ' ' || md5(coalesce(p.prosrc, ''))
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace where {_USER_NAMESPACES}
  union all
  select 'ext ' || extname || ' ' || extversion from pg_extension
  union all
  select 'set ' || coalesce(s.setconfig::text, '') from pg_db_role_setting s
  where s.setdatabase = (select oid from pg_database where datname = current_database())
) q
"""
TABLES = """select n.nspname, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where c.relkind in ('r', 'p') and c.relispartition is false and {ns} order by 1, 2""".format(
    ns=_USER_NAMESPACES.replace("%%", "%"))
SEQUENCES = "select schemaname, sequencename, last_value from pg_sequences order by 1, 2"


def admin():
    import psycopg

    return psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)


def url_of(name: str) -> str:
    return f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}"


def _quoted(schema: str, name: str) -> str:
    return '"{}"."{}"'.format(schema.replace('"', '""'), name.replace('"', '""'))


class _Template:
    """The template's state a reused database must match: its fingerprint, each table's rows (as
    a checksum, for the reference tables that have rows) and each sequence's value."""

    def __init__(self, conn) -> None:
        self.fingerprint = conn.execute(SCHEMA_FINGERPRINT).fetchone()[0]
        tables = conn.execute(TABLES).fetchall()
        self.rows = {t: _checksum(conn, *t) for t in tables}
        self.empty = [t for t, checksum in self.rows.items() if checksum is None]
        self.sequences = {(s, n): v for s, n, v in conn.execute(SEQUENCES).fetchall()}


def _checksum(conn, schema: str, table: str) -> str | None:
    """md5 of a table's rows in a stable order; None when it has none."""
    return conn.execute(f"select md5(string_agg(t::text, E'\\n' order by t::text)) from {_quoted(schema, table)} t"
                        ).fetchone()[0]


@cache
def _template() -> tuple[str, _Template]:
    """A database at the latest schema with its reference data, made once per test process (each
    xdist worker is one): CREATE DATABASE … TEMPLATE copies it in a fraction of the ~2.5 s that
    migrating a new database takes. Built in a child process so this one's models stay unbound;
    dropped at the end of the session."""
    import psycopg

    name = f"kiosk_tpl_{uuid.uuid4().hex[:12]}"
    with admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    _templates.append(name)
    subprocess.run([sys.executable, "-c", "import sys; from db.connection import open_database; "
                    "from db.migrations import migrate; db = open_database(sys.argv[1]); migrate(db); db.close()",
                    url_of(name)], check=True, cwd=Path(__file__).parent.parent)
    with psycopg.connect(url_of(name), autocommit=True) as conn:
        state = _Template(conn)
    return name, state


def fresh(*, migrated: bool = False) -> str:
    """The URL of a database for one test, dropped or reset when it ends (`release`): empty, or
    `migrated` (the latest schema with its reference data: a reset database, or a new copy of
    this process's template)."""
    if migrated and _ready:
        name = _ready.pop()
    else:
        name = f"kiosk_test_{uuid.uuid4().hex[:12]}"
        template = f' TEMPLATE "{_template()[0]}"' if migrated else ""
        with admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"{template}')
    _made.append((name, migrated))
    return url_of(name)


def made() -> int:
    """How many databases the tests have made and not yet released."""
    return len(_made)


def release(keep: int) -> None:
    """Reset for reuse (or drop) the databases made after the first `keep`: those before belong
    to a fixture shared by several tests and outlive this one."""
    if len(_made) <= keep:
        return
    with admin() as conn:
        while len(_made) > keep:
            name, migrated = _made.pop()
            conn.execute("select pg_terminate_backend(pid) from pg_stat_activity "
                         "where datname = %s and pid <> pg_backend_pid()", (name,))
            if migrated and _reset(name):
                _ready.append(name)
            else:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _reset(name: str) -> bool:
    """Bring a migrated database back to its template's state; False if it cannot be (the test
    changed its schema, reference rows or settings), and it must be dropped."""
    import psycopg

    template = _template()[1]
    try:
        with psycopg.connect(url_of(name), autocommit=True, connect_timeout=3) as conn:
            if conn.execute(SCHEMA_FINGERPRINT).fetchone()[0] != template.fingerprint:
                return False
            filled = [t for t in template.empty
                      if conn.execute(f"select exists (select from {_quoted(*t)})").fetchone()[0]]
            if filled:  # DELETE, not TRUNCATE (~15 ms a table), in one transaction with the
                # foreign-key triggers off (session_replication_role), so the order does not matter
                with conn.transaction():
                    conn.execute("SET LOCAL session_replication_role = replica")
                    for table in filled:
                        conn.execute(f"DELETE FROM {_quoted(*table)}")
            if any(checksum is not None and _checksum(conn, *table) != checksum
                   for table, checksum in template.rows.items()):
                return False
            sequences = {(s, n): v for s, n, v in conn.execute(SEQUENCES).fetchall()}
            if sequences.keys() != template.sequences.keys():
                return False
            for (schema, sequence), value in sequences.items():
                was = template.sequences[(schema, sequence)]
                if value == was:
                    continue
                if was is None:
                    conn.execute(f"ALTER SEQUENCE {_quoted(schema, sequence)} RESTART")
                else:
                    conn.execute("select setval(%s, %s, true)", (_quoted(schema, sequence), was))
            return True
    except psycopg.Error:
        return False


def drop_all() -> None:
    """At the end of the test process: drop every database it made, its template last."""
    release(0)
    with admin() as conn:
        for name in [*_ready, *_templates]:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _ready.clear()
