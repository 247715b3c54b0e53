"""The connection factory: SQLite (embedded default, WAL) or PostgreSQL (joint centres)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from urllib.parse import urlparse

from peewee import Database, InterfaceError, OperationalError, PostgresqlDatabase, SqliteDatabase

from kiosk.errors import KioskError
from kiosk.files import private_dir, touch_private

from .models import database

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 15000,
    "synchronous": "normal",
}
LOCK_WAIT_MS = SQLITE_PRAGMAS["busy_timeout"]  # how long a statement waits for a lock, both backends


# PostgreSQL connection options unless the URL sets them (`?connect_timeout=10&prepare_threshold=5`):
# - connect_timeout: a server that does not answer (down, a cable out, a firewall dropping packets)
#   fails a connection in seconds, so the counter says so instead of hanging on libpq's default
#   (no limit); the counter's "temporarily unavailable" screen retries on its own.
# - keepalives_* and tcp_user_timeout: a connection whose server vanished without a word (no
#   reset: a dead host or link) is found dead in about half a minute, not the kernel's two hours
#   idle or fifteen minutes of retransmission.
# - prepare_threshold None: no server-side prepared statements (psycopg prepares a query run 5
#   times on a connection), so the app works through pgbouncer in transaction pooling (Debian 12's
#   1.18 cannot carry them), where the next transaction may run on another server connection that
#   never saw the PREPARE. The cost, measured on a point query: ~0.2 ms more per query; a direct
#   connection may turn them on with `?prepare_threshold=5`. Otherwise the app keeps no session
#   state: only transaction-scoped advisory locks, no SET, no LISTEN, no temporary tables.
PG_CONNECT_DEFAULTS = {"connect_timeout": 5, "keepalives_idle": 15, "keepalives_interval": 5, "keepalives_count": 3,
                       "tcp_user_timeout": 30000, "prepare_threshold": None}


class DatabaseUnavailable(KioskError):
    """The database cannot be opened or written; the message says where and why."""


def sqlite_path(url: str) -> Path | None:
    """The file behind a `sqlite:///` URL, or None for other databases."""
    if not url.startswith("sqlite:"):
        return None
    return Path("/" + urlparse(url).path.lstrip("/") if url.startswith("sqlite:////") else url[len("sqlite:///"):])


class ReconnectingPostgres(PostgresqlDatabase):
    """PostgreSQL that opens a new connection when the server has closed this thread's old one (a
    restart, a failover, an idle timeout), at the next statement outside a transaction: the
    counter, the console and the web go on without a restart. A read that found the connection
    dead is tried once more; a write is not (it may have been done): its error stands, and the
    fault boundary reports it, as it does for anything inside a transaction."""

    def _initialize_connection(self, conn):
        # SQLite waits busy_timeout for a lock and then fails ("database is locked"); PostgreSQL
        # would wait for ever (a stuck staff session holding a table would hang the counter and
        # the web's workers): the same bound here, and the fault boundary shows the calm message.
        # A SET after connecting, not a startup `options`, which pgbouncer refuses.
        with conn.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = {LOCK_WAIT_MS}")

    def execute_sql(self, sql, params=None):
        if params:  # PostgreSQL text cannot hold NUL, which SQLite keeps; every write passes here
            params = [p.replace("\x00", "") if isinstance(p, str) and "\x00" in p else p for p in params]
        try:
            return super().execute_sql(sql, params)
        except (OperationalError, InterfaceError):
            conn = self._state.conn
            if self.in_transaction() or conn is None or not conn.closed or not sql.lstrip()[:6].upper() == "SELECT":
                raise
            return super().execute_sql(sql, params)

    def cursor(self, named_cursor=None):
        conn = self._state.conn
        if conn is not None and conn.closed and not self.in_transaction():
            try:
                conn.close()
            finally:
                self._state.reset()
        return super().cursor(named_cursor)


def make_database(url: str) -> Database:
    """A database object for `url`, not yet bound to the models."""
    path = sqlite_path(url)
    if path is not None:
        folder = path.parent if str(path.parent) else Path(".")
        try:
            private_dir(folder)
        except OSError as exc:
            raise DatabaseUnavailable("errors.db_unwritable", f"{folder}: {exc.strerror}", path=str(path)) from exc
        if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
            raise DatabaseUnavailable("errors.db_unwritable", f"{path}: not writable", path=str(path))
        if not path.exists():
            try:  # SQLite keeps an existing file's mode and gives it to -wal and -shm: make it 0600
                touch_private(path)
            except OSError as exc:
                raise DatabaseUnavailable("errors.db_unwritable", f"{path}: {exc.strerror}", path=str(path)) from exc
        return SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, timeout=15)
    if url.startswith(("postgresql://", "postgres://")):
        from playhouse.db_url import parse as parse_url  # it imports every playhouse backend: ~4 ms

        params = parse_url(url)
        for name, value in PG_CONNECT_DEFAULTS.items():  # the URL may set either (`?connect_timeout=10`)
            params.setdefault(name, value)
        return ReconnectingPostgres(**params)
    raise DatabaseUnavailable("errors.db_url", f"unsupported database URL: {url!r}", url=url)


def open_database(url: str) -> Database:
    """Connect, bind the models and check the connection answers."""
    db = make_database(url)
    deadline = time.monotonic() + SQLITE_PRAGMAS["busy_timeout"] / 1000
    while True:
        try:
            db.connect(reuse_if_open=True)
            db.execute_sql("SELECT 1")
            break
        except Exception as exc:  # sqlite3 and psycopg raise different types
            db.close()
            if isinstance(db, SqliteDatabase) and "locked" in str(exc) and time.monotonic() < deadline:
                # several processes opening a new file at once: switching it to WAL can fail at
                # once, without waiting on busy_timeout, while another process does the same
                time.sleep(0.05)
                continue
            raise DatabaseUnavailable("errors.db_connect", f"{redact(url)}: {exc}", url=redact(url)) from exc
    database.initialize(db)
    return db


def is_postgres(db: Database | None = None) -> bool:
    target = db if db is not None else database.obj
    return isinstance(target, PostgresqlDatabase)


def redact(url: str) -> str:
    """A URL safe to print: the password replaced."""
    p = urlparse(url)
    if p.password:
        return url.replace(f":{p.password}@", ":***@")
    return url


def write_transaction():
    """A transaction that takes the write lock at BEGIN on SQLite (so concurrent writers queue
    on busy_timeout instead of failing on lock upgrade); a plain one on PostgreSQL."""
    db = database.obj
    return db.atomic() if is_postgres(db) or db.in_transaction() else db.atomic("IMMEDIATE")
