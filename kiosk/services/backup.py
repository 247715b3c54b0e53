"""Backups that restore. A backup is a consistent copy taken while the kiosk, the console and
the web server keep writing, checked before it is kept; a restore replaces the configured
database only after the copy passed the same checks, and never a database holding data unless
asked to.

SQLite: the online backup API copies the database inside one read transaction (the row counts
taken in that transaction are the ones the copy must have); the copy is one self-contained file
(journal_mode DELETE). A restore writes beside the database and renames over it.
PostgreSQL: `pg_dump` custom format (one snapshot by design), checked with `pg_restore --list`;
`pg_restore --single-transaction` restores all or nothing. Both tools come with the Debian
package postgresql-client.

This works on the database files and drivers directly, not through the bound models: a restore
must never go through a connection that the program keeps open."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from db.connection import redact, sqlite_path
from db.migrations import LATEST

from ..config import Settings
from ..errors import KioskError
from ..files import FILE_MODE, private_dir

BACKUP_NAME = re.compile(r"kiosk-(\d{4}-\d{2}-\d{2}T\d{6}Z)(?:-(\d+))?\.(?:sqlite3|pgdump)")
# what "holds data" means for restore: a database with any of these rows is not overwritten unasked
# (the field survey's teams and households too: a centre may have registered its teams before its first case)
DATA_TABLES = ("case", "person", "survey_record", "household", "household_member", "survey_change", "survey_team",
               "survey_team_member", "announcement")
PG_PACKAGE = "postgresql-client"


class BackupError(KioskError):
    """A backup or restore that did not happen; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    tables: int
    rows: int | None  # SQLite: rows checked in the copy; PostgreSQL: not counted (pg_restore --list)
    removed: tuple[Path, ...] = ()


@dataclass(frozen=True)
class RestoreResult:
    version: int
    counts: dict[str, int]  # rows per table in the restored database
    kept_aside: Path | None = None  # SQLite --force: the replaced database, kept beside it
    dropped: tuple[str, ...] = field(default=())  # PostgreSQL: tables of a newer schema, not in the backup


def default_name(kind: str, now: datetime | None = None) -> str:
    """kiosk-2026-11-26T020531Z.sqlite3: sorts by time, says UTC."""
    stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H%M%SZ")
    return f"kiosk-{stamp}.{'sqlite3' if kind == 'sqlite' else 'pgdump'}"


def backup(settings: Settings, out: Path | None = None) -> BackupResult:
    """Copy the configured database to `out` (0600), or into <home>/backups keeping the newest
    `[backup] keep`. Raises BackupError when the copy fails or does not pass its check (then no
    file is left behind)."""
    db_file = sqlite_path(settings.database_url)
    kind = "sqlite" if db_file is not None else "postgresql"
    try:
        folder = private_dir(settings.home / "backups") if out is None else None
        out = _unused(folder / default_name(kind)) if folder is not None else Path(out)
        private_dir(out.parent)
        result = _sqlite_backup(db_file, out) if db_file is not None else _pg_backup(settings.database_url, out)
    except OSError as exc:  # disk full, a folder not writable
        raise BackupError("backup.failed", str(exc), error=f"{exc.filename or ''}: {exc.strerror}") from None
    if folder is not None:
        result = replace(result, removed=prune(folder, settings.backup_keep))
    return result


def before_upgrade(settings: Settings, version: int) -> BackupResult:
    """The backup taken before a start migrates the schema: <home>/backups/before-schema-<N>-…,
    outside `prune`'s names, so the daily backups never remove it."""
    db_file = sqlite_path(settings.database_url)
    name = f"before-schema-{LATEST}-from-{version}-" + default_name("sqlite" if db_file is not None else "postgresql")
    try:
        folder = private_dir(settings.home / "backups")
    except OSError as exc:
        raise BackupError("backup.failed", str(exc), error=f"{exc.filename or ''}: {exc.strerror}") from None
    return backup(settings, _unused(folder / name))


def _unused(path: Path) -> Path:
    """`path`, or the same name with -1, -2… before the extension when it exists."""
    candidate, n = path, 1
    while candidate.exists():
        candidate, n = path.with_name(path.name.replace(".", f"-{n}.", 1)), n + 1
    return candidate


def prune(folder: Path, keep: int) -> tuple[Path, ...]:
    """Delete all but the newest `keep` backups this program named in `folder`."""
    named = [(m, p) for p in folder.iterdir() if (m := BACKUP_NAME.fullmatch(p.name)) and p.is_file()]
    ours = [p for m, p in sorted(named, key=lambda mp: (mp[0][1], int(mp[0][2] or 0)))]  # time, then -N
    old = ours[:-keep] if keep > 0 else ours
    for path in old:
        path.unlink(missing_ok=True)
    return tuple(old)


# ------------------------------------------------------------------------------------ SQLite

def _tables(conn: sqlite3.Connection) -> list[str]:
    return [name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows per table (ordinary and full-text index tables alike)."""
    return {t: conn.execute(f'SELECT count(*) FROM "{t.replace(chr(34), chr(34) * 2)}"').fetchone()[0]
            for t in _tables(conn)}


def _check(conn: sqlite3.Connection) -> str:
    """'' when `PRAGMA integrity_check` passes, else its first complaint."""
    found = conn.execute("PRAGMA integrity_check").fetchall()
    return "" if found == [("ok",)] else str(found[0][0] if found else "no answer")


def _copy(src: sqlite3.Connection, tmp: Path) -> sqlite3.Connection:
    """The online backup of `src` into the new file `tmp`, made one self-contained file."""
    dst = sqlite3.connect(tmp, isolation_level=None)
    src.backup(dst)  # all pages in one step: the snapshot of src's open transaction
    dst.execute("PRAGMA journal_mode=DELETE")  # no -wal beside the copy
    return dst


def _sync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _temp_beside(path: Path, tag: str) -> Path:
    """A new empty 0600 file in `path`'s folder (so a rename onto `path` is atomic)."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=f".{tag}", dir=path.parent)
    os.close(fd)
    return Path(name)


def _sqlite_backup(db_file: Path, out: Path) -> BackupResult:
    if not db_file.is_file():
        raise BackupError("backup.no_database", f"{db_file}: no such file", path=str(db_file))
    tmp = _temp_beside(out, "tmp")
    src = sqlite3.connect(db_file, timeout=15, isolation_level=None)
    dst = None
    try:
        src.execute("BEGIN")  # one snapshot for the counts and the copy; writers go on (WAL)
        counts = _counts(src)
        dst = _copy(src, tmp)
        src.execute("COMMIT")
        problem = _check(dst)
        copied = _counts(dst)
        if not problem and copied != counts:
            problem = "row counts differ: " + ", ".join(f"{t} {counts.get(t)}→{copied.get(t)}"
                                                        for t in sorted(set(counts) | set(copied))
                                                        if counts.get(t) != copied.get(t))
        dst.close()
        if problem:
            raise BackupError("backup.check_failed", f"{out}: {problem}", path=str(out), problem=problem)
        _sync(tmp)
        os.replace(tmp, out)
        _sync(out.parent)
    except sqlite3.Error as exc:
        raise BackupError("backup.failed", f"{db_file}: {exc}", error=str(exc)) from None
    finally:
        src.close()
        if dst is not None:
            dst.close()
        tmp.unlink(missing_ok=True)
    return BackupResult(out, len(counts), sum(counts.values()))


def _open_backup(source: Path) -> sqlite3.Connection:
    """A backup file opened read-only, checked: a SQLite database that passes integrity_check,
    with a schema version this program can use."""
    if not source.is_file():
        raise BackupError("backup.no_file", f"{source}: no such file", path=str(source))
    try:
        conn = sqlite3.connect(f"file:{quote(str(source.resolve()))}?mode=ro", uri=True, isolation_level=None)
        problem = _check(conn)
        if problem:
            raise BackupError("backup.not_a_backup", f"{source}: {problem}", path=str(source), problem=problem)
        version = _sqlite_version(conn)
    except sqlite3.Error as exc:
        raise BackupError("backup.not_a_backup", f"{source}: {exc}", path=str(source), problem=str(exc)) from None
    if version is None:
        problem = "no schema_version table: not a database of this program"
        raise BackupError("backup.not_a_backup", f"{source}: {problem}", path=str(source), problem=problem)
    _supported(version)
    return conn


def _sqlite_version(conn: sqlite3.Connection) -> int | None:
    if "schema_version" not in _tables(conn):
        return None
    return conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]


def _supported(version: int | None) -> None:
    if version is None or version > LATEST:
        raise BackupError("backup.schema_unsupported", f"schema {version}, supported up to {LATEST}",
                          found=version if version is not None else "-", supported=LATEST)


def _held(counts: dict[str, int]) -> dict[str, int]:
    return {t: counts.get(t, 0) for t in DATA_TABLES}


def _refuse_if_held(target: str, held: dict[str, int], force: bool) -> None:
    if any(held.values()) and not force:
        raise BackupError("backup.restore_refused", f"{target} holds data; use --force", target=target,
                          cases=held["case"], people=held["person"],
                          other=sum(n for t, n in held.items() if t not in ("case", "person")))


def _sqlite_held(target: Path) -> dict[str, int]:
    """Rows of data in the database about to be replaced (an unreadable file counts as data)."""
    if not target.exists() or target.stat().st_size == 0:
        return _held({})
    try:
        conn = sqlite3.connect(f"file:{quote(str(target.resolve()))}?mode=ro", uri=True)
        try:
            tables = set(_tables(conn))
            return _held({t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                          for t in DATA_TABLES if t in tables})
        finally:
            conn.close()
    except sqlite3.Error:
        return {**_held({}), "case": 1, "person": 1}


def _take_offline(target: Path) -> None:
    """Prove nobody has the database open, and fold its WAL into it: leaving WAL mode needs every
    other connection closed (else SQLite answers "locked" at once) and removes -wal and -shm."""
    if not target.exists():
        for suffix in ("-wal", "-shm", "-journal"):  # left by a database that is gone: not ours to replay
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        return
    try:
        conn = sqlite3.connect(target, timeout=1, isolation_level=None)
        try:
            mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:
        mode = "locked"
    if str(mode).lower() != "delete":
        raise BackupError("backup.in_use", f"{target} is in use", target=str(target))


def _sqlite_restore(source: Path, target: Path, force: bool) -> RestoreResult:
    src = _open_backup(source)
    try:
        counts = _counts(src)
        _refuse_if_held(str(target), _sqlite_held(target), force)
        private_dir(target.parent)
        _take_offline(target)
        tmp = _temp_beside(target, "restore")
        try:
            dst = _copy(src, tmp)
            problem, copied = _check(dst), _counts(dst)
            dst.close()
            if problem or copied != counts:
                raise BackupError("backup.restore_check_failed", f"{tmp}: {problem or 'row counts differ'}",
                                  problem=problem or "row counts differ")
            _sync(tmp)
            aside = None
            if target.exists() and target.stat().st_size:
                stamp = f"{datetime.now(UTC):%Y-%m-%dT%H%M%SZ}"
                aside = _unused(target.with_name(f"{target.name}.before-restore-{stamp}"))
                os.link(target, aside)  # the old database stays whole beside the new one
                os.chmod(aside, FILE_MODE)
            os.replace(tmp, target)
            _sync(target.parent)
        finally:
            tmp.unlink(missing_ok=True)
    except (sqlite3.Error, OSError) as exc:
        raise BackupError("backup.restore_failed", f"{target}: {exc}", error=str(exc)) from None
    finally:
        src.close()
    return RestoreResult(_verify_sqlite(target, counts, aside), counts, aside)


def _verify_sqlite(target: Path, expected: dict[str, int], aside: Path | None) -> int:
    """The restored file passes integrity_check, has the backup's rows and a usable schema."""
    conn = sqlite3.connect(f"file:{quote(str(target.resolve()))}?mode=ro", uri=True)
    try:
        problem = _check(conn)
        if not problem and _counts(conn) != expected:
            problem = "row counts differ from the backup"
        version = _sqlite_version(conn)
    finally:
        conn.close()
    if problem:  # after the rename: the old database is beside it (if there was one)
        raise BackupError("backup.restored_bad", f"{target}: {problem}", problem=problem,
                          aside=str(aside or "-"))
    _supported(version)
    return version


def restore(settings: Settings, source: Path, *, force: bool = False) -> RestoreResult:
    """Replace the configured database with the backup `source`, after checking it. Refuses a
    database that holds cases, people, surveys or announcements unless `force`, and one that a
    running program has open (SQLite)."""
    source = Path(source)
    target = sqlite_path(settings.database_url)
    if target is not None:
        return _sqlite_restore(source, target, force)
    return _pg_restore(settings.database_url, source, force)


# -------------------------------------------------------------------------------- PostgreSQL

def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError("backup.tool_missing", f"{name} not found; apt install {PG_PACKAGE}", tool=name,
                          package=PG_PACKAGE)
    return path


def _pg_env(url: str) -> tuple[str, dict[str, str]]:
    """The URL without its password (command lines are visible to every account) and an
    environment carrying the password instead."""
    parts = urlsplit(url)
    env = dict(os.environ)
    if parts.password is not None:
        env["PGPASSWORD"] = parts.password
        host = parts.hostname or ""
        netloc = (f"{parts.username}@" if parts.username else "") + host + (f":{parts.port}" if parts.port else "")
        url = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return url, env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=env, capture_output=True, text=True)


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _archive_tables(listing: str) -> list[str]:
    """Table names with data in a `pg_restore --list` listing."""
    return re.findall(r"^\d+; \d+ \d+ TABLE DATA \S+ (\S+) ", listing, re.MULTILINE)


def _pg_backup(url: str, out: Path) -> BackupResult:
    pg_dump, pg_restore = _tool("pg_dump"), _tool("pg_restore")
    import psycopg

    try:  # as for a missing SQLite file: nothing to back up in a database this program never opened
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
            ours = conn.execute("SELECT to_regclass('public.schema_version')").fetchone()[0]
    except psycopg.Error as exc:
        raise BackupError("backup.failed", str(exc), error=_last_line(str(exc))) from None
    if ours is None:
        raise BackupError("backup.no_database", f"{redact(url)}: no tables of this program", path=redact(url))
    url, env = _pg_env(url)
    tmp = _temp_beside(out, "tmp")  # 0600; pg_dump writes into it and keeps the mode
    try:
        done = _run([pg_dump, "--format=custom", "--file", str(tmp), "--dbname", url], env)
        if done.returncode != 0:
            raise BackupError("backup.failed", done.stderr.strip(), error=_last_line(done.stderr))
        listed = _run([pg_restore, "--list", str(tmp)], env)
        tables = _archive_tables(listed.stdout)
        if listed.returncode != 0 or not tables:
            problem = _last_line(listed.stderr) or "no tables in the archive"
            raise BackupError("backup.check_failed", f"{out}: {problem}", path=str(out), problem=problem)
        _sync(tmp)
        os.replace(tmp, out)
        _sync(out.parent)
    finally:
        tmp.unlink(missing_ok=True)
    return BackupResult(out, len(tables), None)


def _pg_connect(url: str):
    import psycopg

    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        raise BackupError("backup.restore_failed", str(exc), error=_last_line(str(exc))) from None


def _pg_counts(conn) -> dict[str, int]:
    names = [n for (n,) in conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
    return {n: conn.execute(f'SELECT count(*) FROM public."{n}"').fetchone()[0] for n in names}


def _archive_foreign_keys(listing: str) -> set[tuple[str, str]]:
    """(table, constraint) of the foreign keys in a `pg_restore --list` listing."""
    return set(re.findall(r"^\d+; \d+ \d+ FK CONSTRAINT \S+ (\S+) (\S+) ", listing, re.MULTILINE))


def _unlink_newer(conn, ours: set[str], archived: set[str], archived_keys: set[tuple[str, str]]) -> None:
    """Drop the foreign keys a newer schema added (of its tables not in the backup, or of its
    columns of a table that is, as migration 9's case_event.referred_from_id): one pointing at a
    table the backup restores stops `pg_restore --clean` from dropping that table's primary key.
    Only the keys go now, so a failed restore loses no data; the tables go once it succeeded."""
    keys = conn.execute("SELECT table_name, constraint_name FROM information_schema.table_constraints "
                        "WHERE table_schema = 'public' AND constraint_type = 'FOREIGN KEY'").fetchall()
    for table, name in keys:
        if table in ours and (table not in archived or (table, name) not in archived_keys):
            conn.execute(f'ALTER TABLE public."{table}" DROP CONSTRAINT "{name}"')


def _pg_restore(url: str, source: Path, force: bool) -> RestoreResult:
    from db.models import MODELS

    from .migrate_db import MAP_TABLE

    pg_restore = _tool("pg_restore")
    if not source.is_file():
        raise BackupError("backup.no_file", f"{source}: no such file", path=str(source))
    plain_url, env = _pg_env(url)
    listed = _run([pg_restore, "--list", str(source)], env)
    archived = set(_archive_tables(listed.stdout))
    if listed.returncode != 0 or "schema_version" not in archived:
        problem = _last_line(listed.stderr) or "not a backup of this program"
        raise BackupError("backup.not_a_backup", f"{source}: {problem}", path=str(source), problem=problem)
    # migrate-db's map too: restored to a time before a copy, the target must not keep a map
    # saying rows are there that the restore took away (a re-run would copy nothing)
    ours = {m._meta.table_name for m in MODELS} | {"person_search", "case_search", MAP_TABLE}
    with _pg_connect(url) as conn:
        _refuse_if_held(plain_url, _held(_pg_counts(conn)), force)
        _unlink_newer(conn, ours, archived, _archive_foreign_keys(listed.stdout))
    # COMMENT ON EXTENSION needs the extension's owner (a superuser): skip it, keep the rest
    wanted = "\n".join(line for line in listed.stdout.splitlines() if " COMMENT - EXTENSION " not in line)
    with tempfile.NamedTemporaryFile("w", suffix=".list", encoding="utf-8") as toc:
        toc.write(wanted + "\n")
        toc.flush()
        env = {**env, "PGOPTIONS": "-c lock_timeout=10000"}  # a program holding the tables: fail, don't hang
        done = _run([pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                     "--exit-on-error", "--use-list", toc.name, "--dbname", plain_url, str(source)], env)
    if done.returncode != 0:
        raise BackupError("backup.restore_failed", done.stderr.strip(), error=_last_line(done.stderr))
    with _pg_connect(url) as conn:
        newer = sorted((set(_pg_counts(conn)) & ours) - archived)  # left by a newer schema: its migrations remake them
        for name in newer:
            conn.execute(f'DROP TABLE IF EXISTS public."{name}" CASCADE')
        counts = _pg_counts(conn)
        version = conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]
    _supported(version)
    return RestoreResult(version, counts, None, tuple(newer))
