"""Start-up: open the configured database, migrate it, and mirror the configured LAOs."""

from __future__ import annotations

from peewee import Database

from db.connection import open_database, write_transaction
from db.migrations import migrate
from db.models import Organization

from ..config import Settings


def open_kiosk(settings: Settings) -> Database:
    """Open, migrate and sync: after this the services can run. Raises KioskError subclasses
    (DatabaseUnavailable, SchemaTooNew) with a message for people, never a bare driver error."""
    db = open_database(settings.database_url)
    migrate(db)
    sync_organizations(settings)
    return db


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
