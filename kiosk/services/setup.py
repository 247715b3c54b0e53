"""Start-up: open the configured database, migrate it, and mirror the configured LAOs."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from peewee import Database

from db.connection import DatabaseUnavailable, open_database, redact, sqlite_path, write_transaction
from db.migrations import LATEST, current_version, migrate
from db.models import Organization

from ..config import Settings
from ..errors import KioskError
from ..version import VERSION

log = logging.getLogger("kiosk.upgrade")


def open_kiosk(settings: Settings) -> Database:
    """Open, migrate and sync: after this the services can run. Raises KioskError subclasses
    (DatabaseUnavailable, SchemaTooNew, and BackupError when an upgrade could not be backed up
    first) with a message for people, never a bare driver error.

    A database at an older schema is backed up (kiosk.services.backup.before_upgrade) before it is
    migrated: an upgrade that goes wrong can always be undone with `kiosk.py restore`. If the
    backup fails the database is left as it was."""
    db = open_database(settings.database_url)
    version = current_version(db)
    if version is not None and version < LATEST:
        from .backup import before_upgrade

        saved = before_upgrade(settings, version)
        log.info("schema upgrade", extra={"event": "schema_upgrade", "from_schema": version, "to_schema": LATEST,
                                          "backup": str(saved.path)})
    migrate(db)
    sync_organizations(settings)
    return db


def unreachable(exc: KioskError) -> bool:
    """Whether `exc` from open_kiosk means the database is there but cannot be reached now (a
    PostgreSQL server down or out of reach, a SQLite file held locked by another process), so
    waiting for it makes sense, rather than a mistake in the config or a broken file."""
    if not isinstance(exc, DatabaseUnavailable) or exc.key != "errors.db_connect":
        return False
    url = str(exc.params.get("url", ""))
    return not url.startswith("sqlite:") or "locked" in str(exc)


def open_when_back(settings: Settings) -> None:
    """open_kiosk, for the counter that started while the database was unreachable and tries
    again (screens/db_wait.py): the connection this worker thread opened is let go, so each
    thread opens its own, as they do after a normal start."""
    open_kiosk(settings).close()
    from ..logs import event

    event("kiosk.counter", "database reachable again", event="database_back")


@dataclass(frozen=True)
class About:
    """What the staff console's about box shows."""

    version: str
    schema: int
    database: str  # "SQLite <file>" or the PostgreSQL URL without its password


def about(settings: Settings) -> About:
    """The program's version and the schema its database is at once opened (open_kiosk migrates
    to LATEST or refuses to start), read without touching the database."""
    db_file = sqlite_path(settings.database_url)
    where = f"SQLite {db_file}" if db_file is not None else redact(settings.database_url)
    return About(VERSION, LATEST, where)


def sync_organizations(settings: Settings) -> None:
    """Make an Organization row for each configured LAO (keyed by ticket prefix). Safe when
    several processes start at once: nothing is written when the rows already match, and the
    writes are an insert that ignores a row another process just made, then an update."""
    wanted = {lao.ticket_prefix: dict(subdistrict_code=lao.subdistrict_code, name_th=lao.name_th,
                                      name_en=lao.name_en, kind=lao.kind, is_sample=settings.sample)
              for lao in settings.laos}

    def matches() -> bool:
        rows = {org.ticket_prefix: org for org in
                Organization.select().where(Organization.ticket_prefix << list(wanted))}
        return all(prefix in rows and all(getattr(rows[prefix], k) == v for k, v in fields.items())
                   for prefix, fields in wanted.items())

    if matches():
        return
    with write_transaction():
        for prefix, fields in wanted.items():
            Organization.insert(ticket_prefix=prefix, **fields).on_conflict_ignore().execute()
            Organization.update(**fields).where(Organization.ticket_prefix == prefix).execute()


def host_organization(settings: Settings) -> Organization:
    return Organization.get(Organization.ticket_prefix == settings.host_lao.ticket_prefix)
