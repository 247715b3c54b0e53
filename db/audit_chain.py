"""The audit log's hash chain, as transparent logs (Certificate Transparency) keep theirs: each
row's hash is sha256(previous row's hash + the row's fields in one canonical form), so changing
or removing a row breaks every link after it. It lives in db/ because migration 5 computes the
chain for the rows already there; kiosk.services.audit appends and verifies."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import datetime

from peewee import Database

from .models import AuditHead, AuditLog

GENESIS = "0" * 64  # the "previous hash" of the first row
FIELDS = (AuditLog.id, AuditLog.at, AuditLog.actor, AuditLog.action, AuditLog.target_type, AuditLog.target_id,
          AuditLog.detail, AuditLog.client)


def canonical(row: tuple) -> bytes:
    """The row's fields (FIELDS order) as compact JSON, times at microsecond precision: the
    same bytes whichever database stored them."""
    values = [v.isoformat(sep=" ", timespec="microseconds") if isinstance(v, datetime) else v for v in row]
    values = [v if v is None or isinstance(v, int) else str(v) for v in values]
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def link(previous: str, row: tuple) -> str:
    """The hash of `row` chained to `previous` (hex)."""
    return hashlib.sha256(bytes.fromhex(previous) + canonical(row)).hexdigest()


def rows(batch: int = 5000) -> Iterator[tuple]:
    """Every row as (*FIELDS, chain_hash), in id order, a batch at a time (keyset paging)."""
    after = 0
    while True:
        page = list(AuditLog.select(*FIELDS, AuditLog.chain_hash).where(AuditLog.id > after)
                    .order_by(AuditLog.id).limit(batch).tuples())
        yield from page
        if len(page) < batch:
            return
        after = page[-1][0]


def backfill(db: Database) -> None:
    """Compute the chain for rows that predate it (migration 5), and set the head."""
    previous, last_id, updates = GENESIS, 0, []
    for row in rows():
        previous, last_id = link(previous, row[:-1]), row[0]
        updates.append((previous, last_id))
        if len(updates) >= 5000:
            _update(db, updates)
    _update(db, updates)
    AuditHead.delete().execute()
    AuditHead.create(id=1, last_id=last_id, chain_hash=previous)


def _update(db: Database, updates: list[tuple[str, int]]) -> None:
    if updates:
        db.cursor().executemany(f'UPDATE "audit_log" SET "chain_hash" = {db.param} WHERE "id" = {db.param}', updates)
        updates.clear()
