"""Reading the audit trail (admins only), newest first, one page at a time, filtered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from db.models import AuditLog

from .staff import Actor, require

PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    target: str
    detail: str
    client: str


def list_entries(actor: Actor, *, action: str = "", who: str = "", target: str = "", page: int = 0,
                 page_size: int = PAGE_SIZE) -> tuple[list[AuditEntry], int]:
    """A page of entries and the total count. `action` matches a prefix (e.g. "case_"), `who`
    the username, `target` "type:id" or an id."""
    require(actor, "admin")
    query = AuditLog.select()
    if action.strip():
        query = query.where(AuditLog.action.startswith(action.strip()))
    if who.strip():
        query = query.where(AuditLog.actor == who.strip().lower())
    if target.strip():
        kind, _, ident = target.strip().rpartition(":")
        query = query.where(AuditLog.target_id == ident)
        if kind:
            query = query.where(AuditLog.target_type == kind)
    total = query.count()
    rows = query.order_by(AuditLog.id.desc()).limit(page_size).offset(max(0, page) * page_size)
    return [AuditEntry(r.at, r.actor, r.action, f"{r.target_type}:{r.target_id}" if r.target_type else "",
                       r.detail, r.client) for r in rows], total
