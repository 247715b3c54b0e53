"""`kiosk.py doctor`: is this machine ready to run the counter? Each check gives findings: ok,
warn (works, but someone should look), fail (the counter cannot serve people) or skip (not
checked here, and why). Messages are catalogue keys (doctor.*, or the error's own key) so they
read the same in Thai and English in the terminal and in `--json`.

Nothing here changes anything: the database is opened, read and a write lock taken and rolled
back; it is never created, migrated or synced (a missing SQLite file is reported, not made).
The terminal's facts (size, colours, how wide it draws a Thai cluster) are measured by the
command line, which owns the terminal, and judged here."""

from __future__ import annotations

import os
import shutil
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from ipaddress import ip_address
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from ..config import Settings
from ..errors import KioskError
from ..terminal import THAI_PROBE_COLUMNS, TerminalFacts
from ..version import VERSION

Level = Literal["ok", "warn", "fail", "skip"]
LEVELS: tuple[Level, ...] = ("ok", "warn", "fail", "skip")
MIN_COLUMNS, MIN_ROWS = 80, 24
DISK_WARN, DISK_FAIL = 1024**3, 100 * 1024**2  # free bytes
BACKUP_STALE = timedelta(hours=36)  # a daily timer that missed a day
BANGKOK_OFFSET = 7 * 3600
HTTP_TIMEOUT = 4.0


@dataclass(frozen=True)
class Finding:
    check: str  # stable machine name: config, database, schema, files, public_url, printer, disk, backup, clock, ...
    level: Level
    key: str  # catalogue key of the message
    params: dict[str, str | int | dict[str, str]] = field(default_factory=dict)


@dataclass
class Report:
    findings: list[Finding]
    version: str = VERSION
    schema: int | None = None  # the database's schema version, when it could be read
    schema_supported: int = 0

    @property
    def blocked(self) -> bool:
        return any(f.level == "fail" for f in self.findings)


def diagnose(settings: Settings | None, config_error: KioskError | None, terminal: TerminalFacts | None,
             *, now: datetime | None = None) -> Report:
    """Run every check. `settings` is None when the config could not be read (`config_error` says why)."""
    from db.migrations import LATEST

    report = Report([], schema_supported=LATEST)
    add = report.findings.extend
    add(check_terminal(terminal))
    if settings is not None:
        add(check_counter_terminal(settings))
    if settings is None:
        assert config_error is not None
        add([Finding("config", "fail", config_error.key, _strs(config_error.params))])
        add([Finding(name, "skip", "doctor.needs_config") for name in
             ("database", "files", "public_url", "printer", "disk", "backup")])
    else:
        add([Finding("config", "ok", "doctor.config_ok", {"path": str(settings.path)})])
        database, report.schema = check_database(settings)
        add(database)
        add(check_files(settings))
        add(check_public_url(settings))
        add(check_printer(settings))
        add(check_disk(settings))
        add(check_backup(settings, now))
    add(check_clock(now))
    add(check_dependencies(settings))
    return report


def _strs(params: dict) -> dict[str, str | int]:
    return {k: v if isinstance(v, int) else str(v) for k, v in params.items()}


# ------------------------------------------------------------------------------------ terminal

def check_terminal(facts: TerminalFacts | None) -> list[Finding]:
    if facts is None:
        return [Finding("terminal", "skip", "doctor.no_terminal")]
    found = []
    size = {"columns": facts.columns, "rows": facts.rows, "min_columns": MIN_COLUMNS, "min_rows": MIN_ROWS}
    if facts.columns >= MIN_COLUMNS and facts.rows >= MIN_ROWS:
        found.append(Finding("terminal_size", "ok", "doctor.size_ok", size))
    else:
        found.append(Finding("terminal_size", "warn", "doctor.size_small", size))
    if facts.colorterm.lower() in ("truecolor", "24bit"):
        found.append(Finding("colours", "ok", "doctor.colours_true"))
    elif "256" in facts.term:
        found.append(Finding("colours", "ok", "doctor.colours_256"))
    else:
        found.append(Finding("colours", "warn", "doctor.colours_few", {"term": facts.term or "-"}))
    if facts.thai_columns is None:
        found.append(Finding("thai", "skip", "doctor.thai_no_answer"))
    elif facts.thai_columns == THAI_PROBE_COLUMNS:
        found.append(Finding("thai", "ok", "doctor.thai_ok"))
    else:
        found.append(Finding("thai", "warn", "doctor.thai_wrong",
                             {"columns": facts.thai_columns, "expected": THAI_PROBE_COLUMNS}))
    return found


def check_counter_terminal(settings: Settings) -> list[Finding]:
    """The counter's own terminal (foot under cage, where nobody can run doctor), as the counter
    measured it at its last start (kiosk.cli.counter → <home>/logs/counter.jsonl)."""
    import json

    from ..logs import log_folder

    last = None
    try:
        with open(log_folder(settings.home) / "counter.jsonl", encoding="utf-8") as log:
            for line in log:
                if '"event": "terminal"' in line:
                    last = line
    except OSError:
        pass
    try:
        record = json.loads(last) if last else None
        facts = None if record is None else TerminalFacts(
            int(record["columns"]), int(record["rows"]), str(record.get("term", "")),
            str(record.get("colorterm", "")), record.get("thai_columns"))
    except (ValueError, KeyError, TypeError):
        facts = None
    if facts is None:
        return [Finding("counter_terminal", "skip", "doctor.counter_not_started")]
    from ..i18n import translate

    when = str(record.get("ts", ""))[:16].replace("T", " ") + " UTC"
    return [replace(f, check="counter_" + f.check, key="doctor.counter_screen",
                    params={"when": when, "message": {lang: translate(f.key, lang, **f.params) for lang in ("th", "en")}})
            for f in check_terminal(facts)]


# ------------------------------------------------------------------------------------ database

def check_database(settings: Settings) -> tuple[list[Finding], int | None]:
    """Reachable, writable and at this program's schema; never creates or migrates anything."""
    from peewee import PostgresqlDatabase

    from db.connection import open_database, redact, sqlite_path
    from db.migrations import LATEST, current_version

    url = settings.database_url
    where = {"url": redact(url)}
    db_file = sqlite_path(url)
    if db_file is not None and not db_file.is_file():
        return [Finding("database", "fail", "doctor.db_missing", {"path": str(db_file)})], None
    if db_file is None and "connect_timeout" not in url:
        url += ("&" if "?" in url else "?") + "connect_timeout=5"  # a firewalled host: an answer in 5 s
    try:
        db = open_database(url)
    except KioskError as exc:
        return [Finding("database", "fail", exc.key, {**_strs(exc.params), **where})], None
    try:
        found = [Finding("database", "ok", "doctor.db_ok", where)]
        version = current_version(db)
        if version is None:
            found.append(Finding("schema", "fail", "doctor.schema_empty"))
        elif version > LATEST:
            found.append(Finding("schema", "fail", "errors.db_too_new", {"found": version, "supported": LATEST}))
        elif version < LATEST:
            found.append(Finding("schema", "warn", "doctor.schema_old", {"found": version, "supported": LATEST}))
        else:
            found.append(Finding("schema", "ok", "doctor.schema_ok", {"version": version}))
        if isinstance(db, PostgresqlDatabase):
            found.append(_pg_writable(db))
        else:
            found.append(_sqlite_writable(db, db_file))
        return found, version
    except Exception as exc:  # a driver error mid-check: the class only (messages can quote data)
        return [Finding("database", "fail", "doctor.db_error", {"error": type(exc).__name__, **where})], None
    finally:
        db.close()


def _sqlite_writable(db, path: Path | None) -> Finding:
    if path is not None and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        return Finding("database_write", "fail", "errors.db_unwritable", {"path": str(path)})
    try:
        db.execute_sql("BEGIN IMMEDIATE")  # the write lock, as a save takes it; nothing written
        db.execute_sql("ROLLBACK")
    except Exception as exc:
        return Finding("database_write", "fail", "doctor.db_not_writable", {"error": str(exc)[:120]})
    return Finding("database_write", "ok", "doctor.db_writable")


def _pg_writable(db) -> Finding:
    (standby,) = db.execute_sql("SELECT pg_is_in_recovery()").fetchone()
    if standby:
        return Finding("database_write", "fail", "doctor.db_not_writable", {"error": "read-only standby"})
    if db.table_exists("case"):
        (allowed,) = db.execute_sql("""SELECT has_table_privilege('"case"', 'INSERT, UPDATE')""").fetchone()
        if not allowed:
            return Finding("database_write", "fail", "doctor.db_not_writable", {"error": "no INSERT/UPDATE on case"})
    return Finding("database_write", "ok", "doctor.db_writable")


# ------------------------------------------------------------------------------------ files, URL, printer

def check_files(settings: Settings) -> list[Finding]:
    from ..files import exposed_files, fix_command

    exposed = exposed_files(settings)
    if not exposed:
        return [Finding("files", "ok", "doctor.files_ok")]
    return [Finding("files", "warn", "files.exposed", {"path": str(p), "command": fix_command(p)}) for p in exposed]


def _is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return True
    try:
        return ip_address(host).is_loopback or ip_address(host).is_unspecified
    except ValueError:
        return False


def check_public_url(settings: Settings) -> list[Finding]:
    url = settings.public_base_url
    host = urlsplit(url).hostname or ""
    found = []
    if _is_loopback(host):
        found.append(Finding("public_url", "warn", "doctor.url_loopback", {"url": url}))
    elif urlsplit(url).scheme != "https":
        found.append(Finding("public_url", "warn", "doctor.url_http", {"url": url}))
    else:
        found.append(Finding("public_url", "ok", "doctor.url_ok", {"url": url}))
    try:
        request = urllib.request.Request(url.rstrip("/") + "/", headers={"User-Agent": "kiosk-doctor"})
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as answer:  # noqa: S310 (http/https only)
            status = answer.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        found.append(Finding("public_url_reachable", "warn", "doctor.url_unreachable",
                             {"url": url, "error": str(reason)[:120]}))
        return found
    level: Level = "ok" if status < 500 else "warn"
    found.append(Finding("public_url_reachable", level, "doctor.url_answers", {"url": url, "status": status}))
    return found


def check_printer(settings: Settings) -> list[Finding]:
    printer = settings.printer
    match printer.kind:
        case "none":
            return [Finding("printer", "skip", "doctor.printer_none")]
        case "network":
            where = f"{printer.host}:{printer.port}"
            try:
                socket.create_connection((printer.host, printer.port), timeout=3).close()
            except OSError as exc:
                return [Finding("printer", "warn", "doctor.printer_unreachable",
                                {"printer": where, "error": exc.strerror or type(exc).__name__})]
            return [Finding("printer", "ok", "doctor.printer_ok", {"printer": where})]
        case "file":
            device = Path(printer.device or "")
            if not device.exists():
                return [Finding("printer", "warn", "doctor.printer_unreachable",
                                {"printer": str(device), "error": "no such device"})]
            if not os.access(device, os.W_OK):
                return [Finding("printer", "warn", "doctor.printer_no_access", {"printer": str(device)})]
            return [Finding("printer", "ok", "doctor.printer_ok", {"printer": str(device)})]
        case _:  # usb
            where = f"{printer.usb_vendor_id:04x}:{printer.usb_product_id:04x}"
            try:
                import usb.core

                device = usb.core.find(idVendor=printer.usb_vendor_id, idProduct=printer.usb_product_id)
            except Exception as exc:  # usb.core.NoBackendError: libusb missing
                return [Finding("printer", "warn", "doctor.printer_usb_backend", {"error": type(exc).__name__})]
            if device is None:
                return [Finding("printer", "warn", "doctor.printer_unreachable",
                                {"printer": where, "error": "not connected"})]
            return [Finding("printer", "ok", "doctor.printer_ok", {"printer": where})]


# ------------------------------------------------------------------------------------ disk, backup, clock

def check_disk(settings: Settings) -> list[Finding]:
    from db.connection import sqlite_path

    folders = [settings.home]
    db_file = sqlite_path(settings.database_url)
    if db_file is not None and db_file.parent != settings.home:
        folders.append(db_file.parent)
    found = []
    for folder in folders:
        try:
            free = shutil.disk_usage(folder).free
        except OSError:
            continue
        params = {"path": str(folder), "free": f"{free / 1024**3:.1f} GiB"}
        level: Level = "fail" if free < DISK_FAIL else "warn" if free < DISK_WARN else "ok"
        key = {"ok": "doctor.disk_ok", "warn": "doctor.disk_low", "fail": "doctor.disk_full"}[level]
        found.append(Finding("disk", level, key, params))
    return found


def last_backup(settings: Settings) -> tuple[Path, datetime] | None:
    """The newest backup `kiosk.py backup` wrote into <home>/backups, and when (from its name)."""
    from .backup import BACKUP_NAME

    folder = settings.home / "backups"
    newest: tuple[Path, datetime] | None = None
    try:
        entries = list(folder.iterdir())
    except OSError:
        return None
    for path in entries:
        m = BACKUP_NAME.fullmatch(path.name)
        if m and path.is_file() and path.stat().st_size > 0:
            when = datetime.strptime(m[1], "%Y-%m-%dT%H%M%SZ").replace(tzinfo=UTC)
            if newest is None or when > newest[1]:
                newest = (path, when)
    return newest


def check_backup(settings: Settings, now: datetime | None = None) -> list[Finding]:
    from ..thai.dates import BANGKOK

    found = last_backup(settings)
    if found is None:
        return [Finding("backup", "warn", "doctor.backup_none", {"folder": str(settings.home / "backups")})]
    path, when = found
    local = when.astimezone(BANGKOK)
    params = {"path": str(path), "when": {"th": _be(local), "en": local.strftime("%Y-%m-%d %H:%M")}}
    age = (now or datetime.now(UTC)) - when
    hours = int(age.total_seconds() // 3600)
    if age > BACKUP_STALE:
        return [Finding("backup", "warn", "doctor.backup_old", {**params, "hours": hours})]  # type: ignore[dict-item]
    return [Finding("backup", "ok", "doctor.backup_ok", {**params, "hours": hours})]  # type: ignore[dict-item]


def _be(moment: datetime) -> str:
    from ..thai.dates import format_be_datetime

    return format_be_datetime(moment)


def check_clock(now: datetime | None = None, *, run: Callable[..., str] | None = None) -> list[Finding]:
    """The machine's time zone (logs and the backup timer use it) and whether NTP keeps the clock right."""
    found = []
    now = now or datetime.now(UTC)
    if now.year < 2025:  # a PC whose clock battery died starts in the past: every date would be wrong
        found.append(Finding("clock", "fail", "doctor.clock_wrong", {"now": now.strftime("%Y-%m-%d %H:%M UTC")}))
    offset = time.localtime().tm_gmtoff
    zone = time.strftime("%Z")
    if offset == BANGKOK_OFFSET:
        found.append(Finding("timezone", "ok", "doctor.tz_ok", {"zone": zone}))
    else:
        found.append(Finding("timezone", "warn", "doctor.tz_other",
                             {"zone": f"{zone} (UTC{offset / 3600:+g})"}))
    synced = (run or _timedatectl)()
    if synced == "yes":
        found.append(Finding("clock", "ok", "doctor.ntp_ok"))
    elif synced == "no":
        found.append(Finding("clock", "warn", "doctor.ntp_off"))
    else:
        found.append(Finding("clock", "skip", "doctor.ntp_unknown"))
    return found


def _timedatectl() -> str:
    import subprocess

    if shutil.which("timedatectl") is None:
        return ""
    try:
        done = subprocess.run(["timedatectl", "show", "-p", "NTPSynchronized", "--value"], capture_output=True,
                              text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


# ------------------------------------------------------------------------------------ dependencies

def check_dependencies(settings: Settings | None) -> list[Finding]:
    """What receipts, posters and backups need at run time (QR decoding, zbar, is for the tests only)."""
    from PIL import features

    from .. import fonts

    found = []
    try:
        font = fonts.thai_font()
    except KioskError as exc:
        found.append(Finding("font", "fail", exc.key))
    else:
        key = "doctor.font_bundled" if font.bundled else "doctor.font_system"
        found.append(Finding("font", "ok", key, {"path": str(font.path)}))
    if features.check("raqm"):
        found.append(Finding("shaping", "ok", "doctor.raqm_ok"))
    else:
        found.append(Finding("shaping", "fail", "doctor.raqm_missing"))
    if settings is not None and settings.database_url.startswith(("postgresql:", "postgres:")):
        missing = [tool for tool in ("pg_dump", "pg_restore") if shutil.which(tool) is None]
        if missing:
            found.append(Finding("pg_tools", "warn", "backup.tool_missing",
                                 {"tool": ", ".join(missing), "package": "postgresql-client"}))
    return found
