"""Schema migrations. A new database is created from the models and stamped LATEST; an older
one is walked up step by step, each step in the same transaction as the version stamp.

To change the schema: change the models, add a function `_to_N(db)` doing the same to an
existing database, register it in STEPS, and add the old schema's fixture to the tests."""

from __future__ import annotations

from collections.abc import Callable

from peewee import Database, PostgresqlDatabase

from kiosk.errors import KioskError

from . import audit_chain, search_index
from .models import MODELS, SchemaVersion
from .reference import ensure_reference_data

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


def migrate(db: Database) -> int:
    """Bring the bound database to LATEST and insert missing reference data. Returns the version."""
    version = current_version(db)
    if version is not None and version > LATEST:
        raise SchemaTooNew("errors.db_too_new", f"database schema {version} is newer than this program's {LATEST}",
                           found=version, supported=LATEST)
    with db.atomic():
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
