"""Moving a centre's SQLite database into PostgreSQL (`kiosk.py migrate-db`), into a joint
centre's database that may already hold other LAOs.

How it is done, and why:
- **Both on the current schema.** The source is upgraded first by the usual start-up path (its
  pre-upgrade backup included: kiosk.services.setup.open_kiosk) when it is named by its
  kiosk.toml; a `--from sqlite:///…` file on an older schema is refused. An empty target is
  created; a target on an older schema is refused (start the joint centre's program once: it
  backs up and upgrades).
- **One transaction on the target**, all or nothing: a failure, a refusal found late or a
  `kill -9` leaves the target as it was (only sequence values move on: ids have gaps). A
  transaction-scoped advisory lock keeps two runs apart.
- **New ids, the source's identity kept.** Primary keys collide in a joint database, so every
  copied row gets a new id and its foreign keys are rewritten. The table `migrate_map`
  (source_key, table_name, source_id, target_id, how), created in the target on first use and
  written in the same transaction, remembers what became of each source row: a re-run copies
  only rows not in it ("already copied"), so nothing is duplicated. `source_key` names the
  source database: its first LAO's ticket prefix and creation time (stable across upgrades,
  renames and added LAOs). `how` is "copied" (a new row) or "matched" (an existing target row
  used for it: an LAO, a staff account, a survey team).
- **Matching.** An LAO (Organization) is matched by ticket prefix: the same prefix with the same
  Thai name is the same LAO (a joint centre that lists it already); with another name the run is
  refused, unless this source was copied there before. Categories and statuses are reference
  rows with the same keys on both sides (the keys are kept). A staff account is matched by
  username only when it is the same account (same full name, LAO and password hash: matching
  two people's accounts would let one sign in as the other); any other clash is not merged: the
  account is copied as `<username>.<prefix>` and the report names it (stdout only counts). A
  survey team is matched by (LAO, name). Everything else is new rows.
- **A one-LAO centre's own rows stay its own.** In a centre serving one LAO, staff accounts and
  announcements without an LAO belonged to the whole centre, i.e. to that LAO; in the joint
  centre "no LAO" means every LAO (scope.py), so they are placed under that LAO: an officer of
  the member LAO must not see the other LAOs' cases. A source that is already a joint centre
  keeps its whole-centre staff and announcements without an LAO.
  A case's (LAO, year, seq) / ticket number, token and short code, and a household's import key,
  must be free in the target: if one is taken by a row not copied from this source, the run is
  refused before anything is written.
- **Ticket counters** end at the greatest of the target's, the source's and the copied cases'
  highest sequence per LAO and year: the next ticket follows the copied ones, gapless.
- **The audit log.** The target's hash chain covers each row's id, so copied rows cannot keep
  their hashes. The source chain is verified first (a broken one is refused: a tampered log is
  not laundered into a fresh valid chain); its rows are then appended to the target's chain in
  their order, with their times, actors and details, their target ids rewritten to the new ids
  (a view of person 12 in the source must not become a view of the target's person 12) and the
  actor renamed like the account. Then one `migrate_db` audit event records the source, the
  source chain's head (id:hash, to compare with an anchor kept from `audit-verify` on the source)
  and the range of target ids the copied rows took. `kiosk.py audit-verify` on the target stays
  intact (checked after every run).
- **Search index**: the person and case index rows (db/search_index.py) are written for every
  copied person and case in the same transaction.
- **Verification**, inside the transaction before commit: per table the number of source rows,
  copied now, copied before, matched, and a SHA-256 over the copied rows' content (every column
  but the id, foreign keys through the map, the audit log without its hash) read back from the
  target, compared with the same over the source rows. A row copied by this run that differs
  rolls the run back. A row copied by an earlier run that differs now (changed in the source or
  the target since) is reported and not overwritten: the joint centre may have worked on it; the
  run then ends with exit status 1.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from peewee import Database, ForeignKeyField

from db import audit_chain, search_index
from db.bulk import chunks
from db.migrations import LATEST, SchemaTooNew, current_version, migrate
from db.models import (
    Announcement,
    AuditLog,
    BaseModel,
    Case,
    CaseEvent,
    Category,
    Household,
    HouseholdMember,
    InfoMark,
    Organization,
    Person,
    Staff,
    Status,
    SurveyChange,
    SurveyRecord,
    SurveyTeam,
    SurveyTeamMember,
    TicketCounter,
    utcnow,
)

from ..errors import KioskError
from . import audit

MIGRATE_LOCK = 0x6B696F736B + 16  # pg_advisory_xact_lock key: one migrate-db at a time per target
MAP_TABLE = "migrate_map"
MAP_DDL = ('CREATE TABLE IF NOT EXISTS "migrate_map" ("source_key" VARCHAR(64) NOT NULL, '
           '"table_name" VARCHAR(40) NOT NULL, "source_id" BIGINT NOT NULL, "target_id" BIGINT NOT NULL, '
           '"how" VARCHAR(8) NOT NULL, "copied_at" TIMESTAMP NOT NULL, '
           'PRIMARY KEY ("source_key", "table_name", "source_id"))')
# copied in this order (each after the tables it refers to); organization, staff, ticket_counter
# and audit_log have their own steps
GENERIC: tuple[type[BaseModel], ...] = (Person, Case, CaseEvent, Announcement, SurveyTeam, SurveyTeamMember,
                                        Household, HouseholdMember, SurveyRecord, SurveyChange, InfoMark)
KEYED = (Category, Status)  # reference rows: the key is the identity on both sides
# audit target types whose target_id is a row id of a copied table
AUDIT_TARGETS = {"case": "case", "person": "person", "staff": "staff", "household": "household",
                 "survey_team": "survey_team", "announcement": "announcement"}
INFO_TARGETS = {"case": "case", "survey": "survey_record"}
VERIFIED = ("organization", "staff", *(m._meta.table_name for m in GENERIC), "audit_log")


class MigrateRefused(KioskError):
    """migrate-db will not copy: the message says why and what to do. Nothing was written."""


@dataclass
class TableResult:
    table: str
    source: int = 0  # rows in the source
    new: int = 0  # copied by this run
    before: int = 0  # copied by an earlier run
    matched: int = 0  # an existing target row stands for it
    source_sum: str = ""  # sha256 over the copied rows' content, source side (ids through the map)
    target_sum: str = ""
    differs: int = 0  # copied rows whose content differs between the two

    @property
    def ok(self) -> bool:
        return self.differs == 0 and self.source_sum == self.target_sum


@dataclass
class MigrateResult:
    source_key: str
    laos: list[str]
    tables: list[TableResult] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)  # staff username clashes: (source, copied as)
    counters: list[tuple[str, int, int]] = field(default_factory=list)  # (prefix, year_be, last_seq) after
    placed_staff: int = 0  # accounts of a one-LAO centre without an LAO, now of that LAO
    shared_announcements: int = 0  # announcements without an LAO (shown to the whole joint centre)
    source_audit_head: str = ""  # id:hash of the source chain
    audit_range: tuple[int, int] | None = None  # target ids of the audit rows copied now

    @property
    def copied(self) -> int:
        return sum(t.new for t in self.tables)

    @property
    def ok(self) -> bool:
        return all(t.ok for t in self.tables)


# ------------------------------------------------------------------------------- reading rows

def _columns(model: type[BaseModel]) -> list:
    return list(model._meta.sorted_fields)


def _select(db: Database, model: type[BaseModel], where: str = "", params: tuple = ()) -> list[dict]:
    """Rows of `model` as {column: python value}, converted as peewee would, by primary key order."""
    fields = _columns(model)
    cols = ", ".join(f'"{f.column_name}"' for f in fields)
    pk = model._meta.primary_key.column_name
    sql = f'SELECT {cols} FROM "{model._meta.table_name}" {where} ORDER BY "{pk}"'
    return [{f.column_name: (None if v is None else f.python_value(v)) for f, v in zip(fields, raw)}
            for raw in db.execute_sql(sql, params).fetchall()]


def _by_ids(db: Database, model: type[BaseModel], ids: list[int]) -> dict[int, dict]:
    out: dict[int, dict] = {}
    for part in chunks(ids):
        marks = ", ".join([db.param] * len(part))
        for row in _select(db, model, f'WHERE "id" IN ({marks})', tuple(part)):
            out[row["id"]] = row
    return out


def _norm(value: object) -> object:
    """One comparable form of a value, whichever database it came from."""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return value.replace("\x00", "")
    return value


def row_digest(row: dict, skip: Iterable[str] = ("id",)) -> bytes:
    """The content of a row (every column but `skip`, in column order) hashed."""
    values = [[k, _norm(v)] for k, v in row.items() if k not in skip]
    return hashlib.sha256(json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()).digest()


def _clean(value: object) -> object:
    """PostgreSQL text cannot hold NUL, which SQLite keeps (as db.connection drops it on writes)."""
    return value.replace("\x00", "") if isinstance(value, str) and "\x00" in value else value


# ------------------------------------------------------------------------------------ the copy

class _Copy:
    def __init__(self, src: Database, dst: Database, progress: Callable[[str], None]) -> None:
        self.src, self.dst, self.progress = src, dst, progress
        self.maps: dict[str, dict[int, int]] = {}  # table → source id → target id
        self.how: dict[str, dict[int, str]] = {}
        self.new_ids: dict[str, set[int]] = {}  # table → source ids copied by this run
        self.source_rows: dict[str, list[dict]] = {}
        self.translated: dict[str, dict[int, dict]] = {}  # table → source id → row as written (target ids)
        self.map_rows: list[tuple] = []
        self.renamed_users: dict[str, str] = {}
        self.sole_lao: int | None = None  # the target id of the source's only LAO, when it has one
        self.placed = 0  # staff accounts without an LAO placed under the sole LAO
        self.now = utcnow()

    # the map -------------------------------------------------------------------------------
    def load_map(self, key: str) -> None:
        self.key = key
        self.dst.execute_sql(MAP_DDL)
        for table, sid, tid, how in self.dst.execute_sql(
                'SELECT "table_name", "source_id", "target_id", "how" FROM "migrate_map" WHERE "source_key" = %s',
                (key,)).fetchall():
            self.maps.setdefault(table, {})[sid] = tid
            self.how.setdefault(table, {})[sid] = how

    def remember(self, table: str, sid: int, tid: int, how: str) -> None:
        self.maps.setdefault(table, {})[sid] = tid
        self.how.setdefault(table, {})[sid] = how
        if how == "copied":
            self.new_ids.setdefault(table, set()).add(sid)
        self.map_rows.append((self.key, table, sid, tid, how, self.now))

    def save_map(self) -> None:
        self.dst.cursor().executemany(
            'INSERT INTO "migrate_map" ("source_key", "table_name", "source_id", "target_id", "how", "copied_at") '
            "VALUES (%s, %s, %s, %s, %s, %s)", self.map_rows)

    def ids(self, table: str, n: int) -> list[int]:
        """`n` new ids from the table's sequence, increasing."""
        if not n:
            return []
        rows = self.dst.execute_sql(f"SELECT nextval(pg_get_serial_sequence('\"{table}\"', 'id')) "
                                    "FROM generate_series(1, %s)", (n,)).fetchall()
        return sorted(r[0] for r in rows)

    def insert(self, model: type[BaseModel], rows: list[dict]) -> None:
        if not rows:
            return
        fields = _columns(model)
        cols = ", ".join(f'"{f.column_name}"' for f in fields)
        sql = f'INSERT INTO "{model._meta.table_name}" ({cols}) VALUES ({", ".join(["%s"] * len(fields))})'
        self.dst.cursor().executemany(sql, [tuple(_clean(None if r[f.column_name] is None else
                                                         f.db_value(r[f.column_name])) for f in fields)
                                            for r in rows])

    # organizations -------------------------------------------------------------------------
    def organizations(self) -> None:
        self.progress("organization")
        rows = _select(self.src, Organization)
        self.source_rows["organization"] = rows
        done = self.maps.get("organization", {})
        fresh = []
        for row in rows:
            if row["id"] in done:
                continue
            there = self.dst.execute_sql('SELECT "id", "name_th" FROM "organization" WHERE "ticket_prefix" = %s',
                                         (row["ticket_prefix"],)).fetchone()
            if there is None:
                fresh.append(row)
            elif there[1] == row["name_th"]:
                self.remember("organization", row["id"], there[0], "matched")
            else:
                raise MigrateRefused("migrate_db.prefix_clash", f"{row['ticket_prefix']}: another LAO in the target",
                                     prefix=row["ticket_prefix"])
        for row, tid in zip(fresh, self.ids("organization", len(fresh))):
            self.remember("organization", row["id"], tid, "copied")
            self.translated.setdefault("organization", {})[row["id"]] = row | {"id": tid}
        self.insert(Organization, [self.translated["organization"][r["id"]] for r in fresh])
        self.prefix = {r["id"]: r["ticket_prefix"] for r in rows}
        self.sole_lao = self.maps["organization"][rows[0]["id"]] if len(rows) == 1 else None

    # staff ---------------------------------------------------------------------------------
    def staff(self) -> None:
        self.progress("staff")
        rows = _select(self.src, Staff)
        self.source_rows["staff"] = rows
        done = self.maps.get("staff", {})
        for sid, tid in done.items():  # renames of an earlier run, for the audit rows' actors
            row = next((r for r in rows if r["id"] == sid), None)
            name = self.dst.execute_sql('SELECT "username" FROM "staff" WHERE "id" = %s', (tid,)).fetchone()
            if row and name and name[0] != row["username"]:
                self.renamed_users[row["username"]] = name[0]
        fresh = []
        for row in rows:
            if row["id"] in done:
                continue
            t = self.translate(Staff, row)
            there = self.dst.execute_sql('SELECT "id", "full_name", "organization_id", "password_hash" FROM "staff" '
                                         'WHERE "username" = %s', (row["username"],)).fetchone()
            if there is not None and there[1:] == (t["full_name"], t["organization_id"], t["password_hash"]):
                self.remember("staff", row["id"], there[0], "matched")
                continue
            if there is not None:
                self.renamed_users[row["username"]] = self._free_username(row)
            fresh.append(row)
        out = []
        for row, tid in zip(fresh, self.ids("staff", len(fresh))):
            self.remember("staff", row["id"], tid, "copied")
            t = self.translate(Staff, row) | {"id": tid, "username": self.renamed_users.get(row["username"],
                                                                                              row["username"])}
            if row["organization_id"] is None and self.sole_lao is not None:
                self.placed += 1
            self.translated.setdefault("staff", {})[row["id"]] = t
            out.append(t)
        self.insert(Staff, out)

    def _free_username(self, row: dict) -> str:
        prefixes = sorted(self.prefix.values())
        prefix = self.prefix.get(row["organization_id"], prefixes[0] if prefixes else "src").lower()
        base, n = f"{row['username']}.{prefix}"[:36], 1
        name = base
        while self.dst.execute_sql('SELECT 1 FROM "staff" WHERE "username" = %s', (name,)).fetchone() \
                or name in self.renamed_users.values():
            n += 1
            name = f"{base}-{n}"
        return name

    # reference rows, counters --------------------------------------------------------------
    def reference(self) -> None:
        """A category or status key the target lacks is inserted as the source has it."""
        for model in KEYED:
            for row in sorted(_select(self.src, model), key=lambda r: r.get("parent_id") is not None):
                exists = self.dst.execute_sql(f'SELECT 1 FROM "{model._meta.table_name}" WHERE "key" = %s',
                                              (row["key"],)).fetchone()
                if not exists:
                    self.insert(model, [row])

    def counters(self, result: MigrateResult) -> None:
        """Each copied LAO's counter per year ends at least at its highest copied sequence. Taken
        before the audit head, in the order an intake takes them (no deadlock with the counter)."""
        self.progress("ticket_counter")
        wanted: dict[tuple[int, int], int] = {}
        for row in _select(self.src, TicketCounter):
            k = (row["organization_id"], row["year_be"])
            wanted[k] = max(wanted.get(k, 0), row["last_seq"])
        for org, year, top in self.src.execute_sql(
                'SELECT "organization_id", "year_be", max("seq") FROM "case" GROUP BY 1, 2').fetchall():
            wanted[(org, year)] = max(wanted.get((org, year), 0), top)
        org_map = self.maps["organization"]
        for (org, year), top in sorted(wanted.items()):
            last = self.dst.execute_sql(
                'INSERT INTO "ticket_counter" ("organization_id", "year_be", "last_seq") VALUES (%s, %s, %s) '
                'ON CONFLICT ("organization_id", "year_be") DO UPDATE SET "last_seq" = '
                'GREATEST("ticket_counter"."last_seq", EXCLUDED."last_seq") RETURNING "last_seq"',
                (org_map[org], year, top)).fetchone()[0]
            result.counters.append((self.prefix[org], year, last))

    # the generic tables --------------------------------------------------------------------
    def translate(self, model: type[BaseModel], row: dict) -> dict:
        """`row` with its foreign keys (and an info mark's target) through the map."""
        out = dict(row)
        for f in _columns(model):
            if isinstance(f, ForeignKeyField) and f.rel_model not in KEYED and out[f.column_name] is not None:
                out[f.column_name] = self.maps[f.rel_model._meta.table_name][out[f.column_name]]
        if model in (Staff, Announcement) and out["organization_id"] is None and self.sole_lao is not None:
            out["organization_id"] = self.sole_lao  # a one-LAO centre's own: of that LAO in the joint centre
        if model is InfoMark and out["target_type"] in INFO_TARGETS:
            out["target_id"] = self.maps.get(INFO_TARGETS[out["target_type"]], {}).get(out["target_id"],
                                                                                       out["target_id"])
        return out

    def generic(self, model: type[BaseModel]) -> None:
        table = model._meta.table_name
        self.progress(table)
        rows = _select(self.src, model)
        self.source_rows[table] = rows
        done = self.maps.get(table, {})
        fresh = [r for r in rows if r["id"] not in done]
        if model is SurveyTeam:
            fresh = [r for r in fresh if not self._match_team(r)]
        self._check_free(model, fresh)
        self_refs = [f.column_name for f in _columns(model)
                     if isinstance(f, ForeignKeyField) and f.rel_model is model]
        for row, tid in zip(fresh, self.ids(table, len(fresh))):
            self.remember(table, row["id"], tid, "copied")
        out, later = [], []
        for row in fresh:
            t = self.translate(model, row) | {"id": self.maps[table][row["id"]]}
            self.translated.setdefault(table, {})[row["id"]] = t
            first = dict(t)
            for col in self_refs:  # a row may point at one inserted after it: set once all are in
                if first[col] is not None:
                    later.append((col, first[col], t["id"]))
                    first[col] = None
            out.append(first)
        self.insert(model, out)
        for col, value, tid in later:
            self.dst.execute_sql(f'UPDATE "{table}" SET "{col}" = %s WHERE "id" = %s', (value, tid))
        if model is Person:
            self.dst.cursor().executemany(
                "INSERT INTO person_search (person_id, search_text, name_key) VALUES (%s, %s, %s)",
                [(t["id"], search_index.person_text(t["first_name"], t["last_name"], t["doc_number"], t["phone"]),
                  t["name_key"]) for t in out])
        if model is Case:
            self.dst.cursor().executemany(
                "INSERT INTO case_search (case_id, search_text) VALUES (%s, %s)",
                [(t["id"], search_index.case_text(t["description"], t["ticket_no"])) for t in out])

    def _match_team(self, row: dict) -> bool:
        there = self.dst.execute_sql('SELECT "id" FROM "survey_team" WHERE "organization_id" = %s AND "name" = %s',
                                     (self.maps["organization"][row["organization_id"]], row["name"])).fetchone()
        if there:
            self.remember("survey_team", row["id"], there[0], "matched")
        return bool(there)

    def _check_free(self, model: type[BaseModel], rows: list[dict]) -> None:
        """Unique natural keys of the rows about to be copied must be free in the target."""
        checks = {Case: ("ticket_no", "token", "short_code", "request_key"), Household: ("import_key",)}.get(model, ())
        for col in checks:
            values = [r[col] for r in rows if r[col] is not None]
            for part in chunks(values):
                marks = ", ".join(["%s"] * len(part))
                taken = self.dst.execute_sql(f'SELECT count(*) FROM "{model._meta.table_name}" '
                                             f'WHERE "{col}" IN ({marks})', tuple(part)).fetchone()[0]
                if taken:
                    raise MigrateRefused("migrate_db.key_taken", f"{model._meta.table_name}.{col}: {taken} taken",
                                         table=model._meta.table_name, column=col, count=taken)

    # the audit log -------------------------------------------------------------------------
    def source_chain(self, result: MigrateResult) -> list[dict]:
        """The source's audit rows, its chain verified first."""
        rows = _select(self.src, AuditLog)
        previous = audit_chain.GENESIS
        for row in rows:
            values = tuple(row[f.column_name] for f in audit_chain.FIELDS)
            if audit_chain.link(previous, values) != row["chain_hash"]:
                raise MigrateRefused("migrate_db.source_chain", f"source audit row {row['id']} does not match",
                                     id=row["id"])
            previous = row["chain_hash"]
        head = self.src.execute_sql('SELECT "last_id", "chain_hash" FROM "audit_head" WHERE "id" = 1').fetchone()
        last = rows[-1]["id"] if rows else 0
        if (head or (0, audit_chain.GENESIS)) != (last, previous):
            raise MigrateRefused("migrate_db.source_chain", "source audit head does not match", id=last)
        result.source_audit_head = f"{last}:{previous}"
        return rows

    def audit_rows(self, result: MigrateResult) -> None:
        self.progress("audit_log")
        rows = self.source_chain(result)
        self.source_rows["audit_log"] = rows
        done = self.maps.get("audit_log", {})
        fresh = [r for r in rows if r["id"] not in done]
        previous = self.dst.execute_sql('SELECT "chain_hash" FROM "audit_head" WHERE "id" = 1 FOR UPDATE').fetchone()
        if previous is None:
            self.dst.execute_sql('INSERT INTO "audit_head" ("id", "last_id", "chain_hash") VALUES (1, 0, %s)',
                                 (audit_chain.GENESIS,))
            previous = (audit_chain.GENESIS,)
        previous = previous[0]
        out = []
        for row, tid in zip(fresh, self.ids("audit_log", len(fresh))):
            self.remember("audit_log", row["id"], tid, "copied")
            t = self.audit_translate(row) | {"id": tid}
            previous = t["chain_hash"] = audit_chain.link(previous, tuple(t[f.column_name]
                                                                          for f in audit_chain.FIELDS))
            self.translated.setdefault("audit_log", {})[row["id"]] = t
            out.append(t)
        self.insert(AuditLog, out)
        if out:
            self.dst.execute_sql('UPDATE "audit_head" SET "last_id" = %s, "chain_hash" = %s WHERE "id" = 1',
                                 (out[-1]["id"], previous))
            result.audit_range = (out[0]["id"], out[-1]["id"])

    def audit_translate(self, row: dict) -> dict:
        out = {k: _clean(v) for k, v in row.items()}
        out["actor"] = self.renamed_users.get(row["actor"], row["actor"])
        table = AUDIT_TARGETS.get(row["target_type"])
        if table and row["target_id"].isdigit():
            out["target_id"] = str(self.maps.get(table, {}).get(int(row["target_id"]), row["target_id"]))
        return out

    # verification --------------------------------------------------------------------------
    def verify(self, table: str, model: type[BaseModel]) -> TableResult:
        self.progress(f"verify {table}")
        rows = self.source_rows.get(table, [])
        how = self.how.get(table, {})
        res = TableResult(table, source=len(rows))
        new = self.new_ids.get(table, set())
        copied = [r for r in rows if how.get(r["id"]) == "copied"]
        res.matched = sum(1 for r in rows if how.get(r["id"]) == "matched")
        res.new = sum(1 for r in copied if r["id"] in new)
        res.before = len(copied) - res.new
        skip = ("id", "chain_hash") if model is AuditLog else ("id",)
        target = _by_ids(self.dst, model, [self.maps[table][r["id"]] for r in copied])
        src_sum, dst_sum = hashlib.sha256(), hashlib.sha256()
        for r in copied:
            expected = self.translated.get(table, {}).get(r["id"])
            if expected is None:  # copied by an earlier run: translate it now
                expected = (self.audit_translate(r) if model is AuditLog else self.translate(model, r))
                if model is Staff:
                    expected["username"] = self.renamed_users.get(r["username"], r["username"])
            a = row_digest(expected, skip)
            got = target.get(self.maps[table][r["id"]])
            b = row_digest(got, skip) if got is not None else b"missing"
            src_sum.update(a)
            dst_sum.update(b)
            if a != b:
                res.differs += 1
                if r["id"] in new:
                    raise MigrateRefused("migrate_db.copy_differs", f"{table}: row {r['id']} differs after copy",
                                         table=table)
        res.source_sum, res.target_sum = src_sum.hexdigest(), dst_sum.hexdigest()
        return res


def source_key(src: Database) -> str:
    """The source database's identity: its first LAO's ticket prefix and creation time."""
    row = src.execute_sql('SELECT "ticket_prefix", "created_at" FROM "organization" ORDER BY "id" LIMIT 1').fetchone()
    if row is None:
        raise MigrateRefused("migrate_db.source_empty", "the source has no LAO")
    created = Organization.created_at.python_value(row[1])
    return hashlib.sha256(f"{row[0]}|{_norm(created)}".encode()).hexdigest()[:32]


def check_source(src: Database) -> None:
    """The source is a kiosk database on this program's schema (read by its own connection: the
    models are bound to the target)."""
    version = None
    if src.table_exists("schema_version"):
        row = src.execute_sql('SELECT max("version") FROM "schema_version"').fetchone()
        version = row[0] or 0
    if version is None:
        raise MigrateRefused("migrate_db.source_not_kiosk", "the source is not a kiosk database")
    if version > LATEST:
        raise SchemaTooNew("errors.db_too_new", f"database schema {version} is newer than this program's {LATEST}",
                           found=version, supported=LATEST)
    if version < LATEST:
        raise MigrateRefused("migrate_db.source_old", f"source schema {version} < {LATEST}",
                             found=version, latest=LATEST)


def copy(src: Database, dst: Database, progress: Callable[[str], None] = lambda _t: None) -> MigrateResult:
    """Copy the source (SQLite, on the current schema) into the bound target (PostgreSQL) in
    one transaction; verified before it commits. Raises MigrateRefused (nothing written)."""
    check_source(src)
    key = source_key(src)
    laos = [p for (p,) in src.execute_sql('SELECT "ticket_prefix" FROM "organization" ORDER BY "id"').fetchall()]
    result = MigrateResult(key, laos)
    with dst.atomic():
        dst.execute_sql("SELECT pg_advisory_xact_lock(%s)", (MIGRATE_LOCK,))
        version = current_version(dst)
        if version is not None and version < LATEST:
            raise MigrateRefused("migrate_db.target_old", f"target schema {version} < {LATEST}",
                                 found=version, latest=LATEST)
        migrate(dst)  # an empty target: the tables, in this same transaction
        c = _Copy(src, dst, progress)
        c.load_map(key)
        c.organizations()
        c.counters(result)
        c.reference()
        c.staff()
        for model in GENERIC:
            c.generic(model)
        models = {m._meta.table_name: m for m in (Organization, Staff, *GENERIC)}
        result.tables = [c.verify(t, models[t]) for t in VERIFIED if t != "audit_log"]
        # the audit head is locked from here to the commit (every audited action of the joint
        # centre waits): only the audit rows' own copy and check are done under it
        c.audit_rows(result)
        result.tables.append(c.verify("audit_log", AuditLog))
        c.save_map()
        result.renamed = sorted(c.renamed_users.items())
        result.placed_staff = c.placed
        if c.sole_lao is None:
            result.shared_announcements = sum(1 for r in c.source_rows["announcement"] if r["organization_id"] is None)
        audit.record("migrate_db", actor="cli", target_type="database", target_id=key, client="cli", detail=json.dumps(
            {"laos": laos, "copied": result.copied, "source_audit_head": result.source_audit_head,
             "audit_rows": list(result.audit_range) if result.audit_range else None}, separators=(",", ":")))
    return result
