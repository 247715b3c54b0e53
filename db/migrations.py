"""Schema migrations. A new database is created from the models and stamped LATEST; an older
one is walked up step by step, each step in the same transaction as the version stamp.

To change the schema: change the models, add a function `_to_N(db)` doing the same to an
existing database, register it in STEPS, and add the old schema's fixture to the tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from peewee import Database, PostgresqlDatabase

from kiosk.errors import KioskError

from . import audit_chain, search_index
from .models import MODELS, SchemaVersion
from .reference import ensure_reference_data, reference_data_complete

LATEST = 5


def _to_2(db: Database) -> None:
    """Thai search: the full-text index tables (db/search_index.py), filled from existing rows."""
    search_index.create(db)
    search_index.backfill(db)


# (name, table, columns): the same indexes the models declare in Meta.indexes (peewee's names)
QUEUE_INDEXES = (
    ("person_moo", "person", ("moo",)),
    ("case_urgency_status_id_created_at", "case", ("urgency", "status_id", "created_at")),
    ("case_status_id_created_at", "case", ("status_id", "created_at")),
    ("case_subject_id_category_id_status_id_created_at", "case", ("subject_id", "category_id", "status_id",
                                                                  "created_at")),
)


def _create_indexes(db: Database, indexes: tuple[tuple[str, str, tuple[str, ...]], ...]) -> None:
    for name, table, columns in indexes:
        cols = ", ".join(f'"{c}"' for c in columns)
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ({cols})')


def _to_3(db: Database) -> None:
    """The staff queue's filters at 100,000 cases: indexes only (same SQL on SQLite and PostgreSQL)."""
    _create_indexes(db, QUEUE_INDEXES)
    # Statistics that predate the new indexes would mislead the planner: refresh them (SQLite
    # keeps none until someone runs ANALYZE; then its defaults pick these indexes well).
    if isinstance(db, PostgresqlDatabase) or "sqlite_stat1" in db.get_tables():
        for table in ("case", "person"):
            db.execute_sql(f'ANALYZE "{table}"')


AUDIT_INDEXES = (
    ("audit_log_target_type_target_id", "audit_log", ("target_type", "target_id")),
    ("audit_log_actor", "audit_log", ("actor",)),
)


def _to_4(db: Database) -> None:
    """The audit screen's filters (by target, by user): every case view adds a row."""
    _create_indexes(db, AUDIT_INDEXES)


def _to_5(db: Database) -> None:
    """Tamper-evident audit log: a hash per row chained to the previous row, and the chain's
    head (db/audit_chain.py); the chain is computed for the rows already there."""
    db.execute_sql("""ALTER TABLE "audit_log" ADD COLUMN "chain_hash" VARCHAR(64) NOT NULL DEFAULT ''""")
    db.execute_sql('CREATE TABLE "audit_head" ("id" INTEGER NOT NULL PRIMARY KEY, "last_id" INTEGER NOT NULL, '
                   '"chain_hash" VARCHAR(64) NOT NULL)')
    audit_chain.backfill(db)


# version N → the function that upgrades a database at N-1 to N
STEPS: dict[int, Callable[[Database], None]] = {2: _to_2, 3: _to_3, 4: _to_4, 5: _to_5}


class SchemaTooNew(KioskError):
    """The database was written by a newer version of the program: refuse, change nothing."""


def current_version(db: Database) -> int | None:
    """The stamped version, or None for an empty database."""
    if not db.table_exists(SchemaVersion._meta.table_name):
        return None
    row = SchemaVersion.select().order_by(SchemaVersion.version.desc()).first()
    return row.version if row else 0


# pg_advisory_xact_lock key for "a process is migrating this database" (any constant bigint)
MIGRATION_LOCK = 0x6B696F736B  # "kiosk"


def _refuse_newer(version: int | None) -> None:
    if version is not None and version > LATEST:
        raise SchemaTooNew("errors.db_too_new", f"database schema {version} is newer than this program's {LATEST}",
                           found=version, supported=LATEST)


@contextmanager
def _migration_lock(db: Database) -> Iterator[None]:
    """One transaction that only one process at a time is inside: several processes starting
    together on an empty database (a counter, staff consoles, the web service) must not all
    create the tables. SQLite: BEGIN IMMEDIATE takes the write lock at once (a deferred
    transaction fails with "database is locked" when it upgrades); PostgreSQL: an advisory lock
    held to the end of the transaction (concurrent CREATE TABLE fails on pg_type)."""
    if isinstance(db, PostgresqlDatabase):
        with db.atomic():
            db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            yield
    else:
        with db.atomic("IMMEDIATE"):
            yield


def migrate(db: Database) -> int:
    """Bring the bound database to LATEST and insert missing reference data. Returns the version.
    Safe when several processes start at once: the work is done under a lock, after reading the
    version again inside it."""
    version = current_version(db)
    _refuse_newer(version)
    if version == LATEST and reference_data_complete():
        return LATEST  # the usual start-up: nothing to do, no lock taken
    with _migration_lock(db):
        version = current_version(db)  # another process may have migrated while this one waited
        _refuse_newer(version)
        if version is None:
            db.create_tables(MODELS)
            search_index.create(db)
            SchemaVersion.create(version=LATEST)
        else:
            for step in range(version + 1, LATEST + 1):
                STEPS[step](db)
                SchemaVersion.delete().execute()
                SchemaVersion.create(version=step)
        ensure_reference_data()
    return LATEST
