"""The audit trail (PDPA): logins, failed logins, views of personal data, every change.
Append-only: this module only inserts."""

from __future__ import annotations

from db.models import AuditLog


def record(action: str, *, actor: str = "", target_type: str = "", target_id: object = "", detail: str = "",
           client: str = "") -> None:
    AuditLog.create(action=action, actor=actor, target_type=target_type, target_id=str(target_id),
                    detail=detail, client=client)
