"""Schema migrations. A new database is created from the models and stamped LATEST; an older
one is walked up step by step, each step in the same transaction as the version stamp.

To change the schema: change the models, add a function `_to_N(db)` doing the same to an
existing database, register it in STEPS, and add the old schema's fixture to the tests."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from peewee import Database, PostgresqlDatabase

from kiosk.errors import KioskError

from . import audit_chain, search_index
from .bulk import chunks
from .models import MODELS, SchemaVersion, utcnow
from .reference import ensure_reference_data, reference_data_complete

LATEST = 9


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


# Schema 6 as it was written (not built from the models, which later steps may change); {id},
# {bool} and {ts} are each database's own types for peewee's AutoField, BooleanField, DateTimeField.
SURVEY_TABLES = (
    'CREATE TABLE "survey_team" ("id" {id} NOT NULL PRIMARY KEY, "organization_id" INTEGER NOT NULL, '
    '"name" VARCHAR(255) NOT NULL, "kind" VARCHAR(30) NOT NULL, "villages" VARCHAR(255) NOT NULL, '
    '"active" {bool} NOT NULL, "created_at" {ts} NOT NULL, '
    'FOREIGN KEY ("organization_id") REFERENCES "organization" ("id"))',
    'CREATE TABLE "survey_team_member" ("id" {id} NOT NULL PRIMARY KEY, "team_id" INTEGER NOT NULL, '
    '"name" VARCHAR(255) NOT NULL, "phone" VARCHAR(255) NOT NULL, "moo" INTEGER, "staff_id" INTEGER, '
    '"active" {bool} NOT NULL, "created_at" {ts} NOT NULL, FOREIGN KEY ("team_id") REFERENCES "survey_team" ("id"), '
    'FOREIGN KEY ("staff_id") REFERENCES "staff" ("id"))',
    'CREATE TABLE "household" ("id" {id} NOT NULL PRIMARY KEY, "organization_id" INTEGER NOT NULL, '
    '"house_no" VARCHAR(255) NOT NULL, "moo" INTEGER, "village" VARCHAR(255) NOT NULL, '
    '"subdistrict_code" VARCHAR(6) NOT NULL, "latitude" REAL, "longitude" REAL, "import_key" VARCHAR(255), '
    '"created_at" {ts} NOT NULL, "updated_at" {ts} NOT NULL, '
    'FOREIGN KEY ("organization_id") REFERENCES "organization" ("id"))',
    'CREATE TABLE "household_member" ("id" {id} NOT NULL PRIMARY KEY, "household_id" INTEGER NOT NULL, '
    '"person_id" INTEGER NOT NULL, "created_at" {ts} NOT NULL, '
    'FOREIGN KEY ("household_id") REFERENCES "household" ("id") ON DELETE CASCADE, '
    'FOREIGN KEY ("person_id") REFERENCES "person" ("id"))',
    'CREATE TABLE "survey_change" ("id" {id} NOT NULL PRIMARY KEY, "household_id" INTEGER NOT NULL, '
    '"record_id" INTEGER, "at" {ts} NOT NULL, "actor" VARCHAR(255) NOT NULL, "changes" TEXT NOT NULL, '
    'FOREIGN KEY ("household_id") REFERENCES "household" ("id") ON DELETE CASCADE, '
    'FOREIGN KEY ("record_id") REFERENCES "survey_record" ("id") ON DELETE CASCADE)',
)
SURVEY_COLUMNS = (
    '"household_id" INTEGER REFERENCES "household" ("id")',
    '"surveyor_member_id" INTEGER REFERENCES "survey_team_member" ("id")',
    '"survey_team_id" INTEGER REFERENCES "survey_team" ("id")',
    """"vulnerabilities" TEXT NOT NULL DEFAULT ''""",
    """"living_situation" VARCHAR(30) NOT NULL DEFAULT ''""",
    '"consent" {bool} NOT NULL DEFAULT {false}',
    """"legal_basis" VARCHAR(40) NOT NULL DEFAULT 'public_task'""",
    """"updated_at" {ts} NOT NULL DEFAULT '1970-01-01 00:00:00'""",
)
SURVEY_INDEXES = (
    ("survey_team_organization_id", "survey_team", ("organization_id",)),
    ("survey_team_member_team_id", "survey_team_member", ("team_id",)),
    ("survey_team_member_staff_id", "survey_team_member", ("staff_id",)),
    ("household_organization_id", "household", ("organization_id",)),
    ("household_subdistrict_code_moo_house_no", "household", ("subdistrict_code", "moo", "house_no")),
    ("household_member_household_id", "household_member", ("household_id",)),
    ("household_member_person_id", "household_member", ("person_id",)),
    ("survey_change_household_id", "survey_change", ("household_id",)),
    ("survey_change_record_id", "survey_change", ("record_id",)),
    ("survey_record_household_id", "survey_record", ("household_id",)),
    ("survey_record_surveyor_member_id", "survey_record", ("surveyor_member_id",)),
    ("survey_record_survey_team_id", "survey_record", ("survey_team_id",)),
)
SURVEY_UNIQUE = (
    'CREATE UNIQUE INDEX "survey_team_organization_id_name" ON "survey_team" ("organization_id", "name")',
    'CREATE UNIQUE INDEX "household_import_key" ON "household" ("import_key")',
    'CREATE UNIQUE INDEX "household_member_household_id_person_id" ON "household_member" ("household_id", "person_id")',
)


def _to_6(db: Database) -> None:
    """Field surveys (issue 13): teams and their members, households and their members, the
    re-survey history; the survey record gains its household, team, vulnerabilities, living
    situation, consent and legal basis. Each existing record gets a household made from its
    person's address (one per person) and, when it names a team, a team of kind "other" by that
    name: nothing is lost and every record is reachable the new way."""
    pg = isinstance(db, PostgresqlDatabase)
    types = dict(id="SERIAL", bool="BOOLEAN", ts="TIMESTAMP", false="false") if pg else \
        dict(id="INTEGER", bool="INTEGER", ts="DATETIME", false="0")
    for sql in SURVEY_TABLES:
        db.execute_sql(sql.format(**types))
    for column in SURVEY_COLUMNS:
        db.execute_sql(f'ALTER TABLE "survey_record" ADD COLUMN {column.format(**types)}')
    _create_indexes(db, SURVEY_INDEXES)
    for sql in SURVEY_UNIQUE:
        db.execute_sql(sql)
    db.execute_sql('UPDATE "survey_record" SET "updated_at" = "created_at"')
    _survey_teams_from_names(db, pg)
    _households_for_old_records(db, pg)


def _insert(db: Database, pg: bool, table: str, values: dict) -> int:
    """Insert one row by plain SQL (this step's schema, whatever the models say later); its id."""
    cols = ", ".join(f'"{c}"' for c in values)
    marks = ", ".join([db.param] * len(values))
    cursor = db.execute_sql(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})' + (' RETURNING "id"' if pg else ""),
                            tuple(values.values()))
    return cursor.fetchone()[0] if pg else cursor.lastrowid


def _survey_teams_from_names(db: Database, pg: bool) -> None:
    q = db.param
    now = utcnow()
    names = db.execute_sql("""SELECT DISTINCT "organization_id", "team" FROM "survey_record" WHERE "team" <> ''""")
    for org_id, name in names.fetchall():
        team_id = _insert(db, pg, "survey_team", dict(organization_id=org_id, name=name, kind="other", villages="",
                                                      active=True, created_at=now))
        db.execute_sql(f'UPDATE "survey_record" SET "survey_team_id" = {q} WHERE "organization_id" = {q} AND '
                       f'"team" = {q}', (team_id, org_id, name))


def _households_for_old_records(db: Database, pg: bool) -> None:
    q = db.param
    now = utcnow()
    rows = db.execute_sql(
        'SELECT r."id", r."organization_id", r."person_id", r."latitude", r."longitude", p."house_no", p."moo", '
        'p."village", p."subdistrict_code", p."latitude", p."longitude" FROM "survey_record" r '
        'JOIN "person" p ON p."id" = r."person_id" ORDER BY r."id"').fetchall()
    made: dict[int, int] = {}  # person → the household made for them
    for rid, org_id, person_id, lat, lon, house_no, moo, village, code, p_lat, p_lon in rows:
        if person_id not in made:
            made[person_id] = _insert(db, pg, "household", dict(
                organization_id=org_id, house_no=house_no, moo=moo, village=village, subdistrict_code=code,
                latitude=lat if lat is not None else p_lat, longitude=lon if lon is not None else p_lon,
                created_at=now, updated_at=now))
            _insert(db, pg, "household_member", dict(household_id=made[person_id], person_id=person_id,
                                                     created_at=now))
        db.execute_sql(f'UPDATE "survey_record" SET "household_id" = {q} WHERE "id" = {q}', (made[person_id], rid))


INFO_MARK_TABLE = (
    'CREATE TABLE "info_mark" ("id" {id} NOT NULL PRIMARY KEY, "target_type" VARCHAR(10) NOT NULL, '
    '"target_id" INTEGER NOT NULL, "month" VARCHAR(7) NOT NULL, "seen_version" INTEGER, "seen_updated_at" {ts}, '
    '"seen_person_at" {ts}, '
    '"marked_by" VARCHAR(255) NOT NULL, "marked_at" {ts} NOT NULL, "undone_by" VARCHAR(255) NOT NULL, '
    '"undone_at" {ts})'
)
INFO_MARK_INDEXES = (
    ("info_mark_target_type_target_id", "info_mark", ("target_type", "target_id")),
    ("info_mark_month", "info_mark", ("month",)),
)


def _to_7(db: Database) -> None:
    """Marks of what was entered in DLA's INFO system (issue 14): who marked a case or survey
    record, when, undo, and the record's version then (kiosk.services.info_report)."""
    pg = isinstance(db, PostgresqlDatabase)
    db.execute_sql(INFO_MARK_TABLE.format(id="SERIAL" if pg else "INTEGER", ts="TIMESTAMP" if pg else "DATETIME"))
    _create_indexes(db, INFO_MARK_INDEXES)


# (name, table, columns): the same indexes the models declare in Meta.indexes (peewee's names)
SCALE_INDEXES = (
    ("case_organization_id_status_id_created_at_id", "case", ("organization_id", "status_id", "created_at", "id")),
    ("case_organization_id_created_at", "case", ("organization_id", "created_at")),
    ("case_seq_year_be", "case", ("seq", "year_be")),
    ("case_event_to_status_at", "case_event", ("to_status", "at")),
)
REFERRAL_INDEXES = (
    ("case_organization_id_year_be_seq", "case", ("organization_id", "year_be", "seq")),
    ("case_event_action_case_id", "case_event", ("action", "case_id")),
)


def _to_8(db: Database) -> None:
    """The joint centre (issue 16). Referral: a case referred to another LAO keeps its number, so
    (organization, year_be, seq) is no longer unique (ticket_no stays unique), and the `refer` steps
    an LAO sent are found by action (kiosk/services/scope.referred_out). Scale, 150 LAOs and
    1,000,000 cases (tests/bench/scale.py): one LAO's queue and month, a ticket typed without the
    LAO's letters and the month's deliveries each walk an index instead of every LAO's cases or every
    timeline step. Indexes only (same SQL on SQLite and PostgreSQL); statistics refreshed as in step 3."""
    db.execute_sql('DROP INDEX IF EXISTS "case_organization_id_year_be_seq"')
    _create_indexes(db, REFERRAL_INDEXES + SCALE_INDEXES)
    if isinstance(db, PostgresqlDatabase) or "sqlite_stat1" in db.get_tables():
        for table in ("case", "case_event"):
            db.execute_sql(f'ANALYZE "{table}"')


# (name, table, columns): the same indexes the models declare in Meta.indexes (peewee's names)
REFERRED_FROM_INDEXES = (
    ("case_event_referred_from_id_case_id", "case_event", ("referred_from_id", "case_id")),
)


def _to_9(db: Database) -> None:
    """Issue 16's two defects. A `refer` step keeps the LAO it was sent from in its own indexed
    column (case_event.referred_from_id, read by kiosk/services/scope.referred_out), filled here
    from the step's JSON (`from_lao`, a ticket prefix) for referrals made before. A case keeps the
    counter's per-request key (case.request_key, unique; null for the cases already there): a
    retry after the link dropped past the commit finds the case instead of filing it twice."""
    db.execute_sql('ALTER TABLE "case" ADD COLUMN "request_key" VARCHAR(40)')
    db.execute_sql('CREATE UNIQUE INDEX "case_request_key" ON "case" ("request_key")')
    db.execute_sql('ALTER TABLE "case_event" ADD COLUMN "referred_from_id" INTEGER REFERENCES "organization" ("id")')
    _create_indexes(db, REFERRED_FROM_INDEXES)
    _referred_from_old_steps(db)


def _referred_from_old_steps(db: Database) -> None:
    q = db.param
    laos = dict(db.execute_sql('SELECT "ticket_prefix", "id" FROM "organization"').fetchall())
    sent: dict[int, list[int]] = {}  # LAO id → its `refer` steps
    for event_id, data in db.execute_sql("""SELECT "id", "data" FROM "case_event" WHERE "action" = 'refer'""").fetchall():
        try:
            prefix = json.loads(data or "{}").get("from_lao")
        except (ValueError, AttributeError):
            continue
        if prefix in laos:
            sent.setdefault(laos[prefix], []).append(event_id)
    for lao_id, ids in sent.items():
        for part in chunks(ids):
            marks = ", ".join([q] * len(part))
            db.execute_sql(f'UPDATE "case_event" SET "referred_from_id" = {q} WHERE "id" IN ({marks})', (lao_id, *part))


# version N → the function that upgrades a database at N-1 to N
STEPS: dict[int, Callable[[Database], None]] = {2: _to_2, 3: _to_3, 4: _to_4, 5: _to_5, 6: _to_6, 7: _to_7,
                                                 8: _to_8, 9: _to_9}


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
