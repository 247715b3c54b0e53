"""Start-up: open the configured database, migrate it, and mirror the configured LAOs."""

from __future__ import annotations

from peewee import Database

from db.connection import open_database
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
    """Make an Organization row for each configured LAO (keyed by ticket prefix)."""
    with Organization._meta.database.atomic():
        for lao in settings.laos:
            org = Organization.get_or_none(Organization.ticket_prefix == lao.ticket_prefix)
            fields = dict(subdistrict_code=lao.subdistrict_code, name_th=lao.name_th, name_en=lao.name_en,
                          kind=lao.kind, is_sample=settings.sample)
            if org is None:
                Organization.create(ticket_prefix=lao.ticket_prefix, **fields)
            elif any(getattr(org, k) != v for k, v in fields.items()):
                Organization.update(**fields).where(Organization.id == org.id).execute()


def host_organization(settings: Settings) -> Organization:
    return Organization.get(Organization.ticket_prefix == settings.host_lao.ticket_prefix)
