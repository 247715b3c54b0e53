"""`kiosk.py audit-verify`: recompute the audit log's hash chain. Exit 0 when intact, 1 naming
the first row that was changed or removed."""

from __future__ import annotations

import re

from ..errors import ValidationError
from .common import open_from, say


def register(sub):
    p = sub.add_parser("audit-verify", help="ตรวจว่าบันทึกการใช้งานไม่ถูกแก้ไข / "
                                            "check the audit log was not tampered with")
    p.add_argument("--anchor", action="append", default=[], metavar="ID:HASH",
                   help="จุดอ้างอิงที่จดไว้จากการตรวจครั้งก่อน / an anchor printed by an earlier run")
    return p


def anchors(values: list[str]) -> dict[int, str]:
    out = {}
    for value in values:
        m = re.fullmatch(r"\s*(\d+):([0-9a-fA-F]{64})\s*", value)
        if not m:
            raise ValidationError("audit_verify.anchor_format", f"bad anchor {value!r}", field="anchor", value=value)
        out[int(m[1])] = m[2].lower()
    return out


def run(args, env) -> int:
    from ..services.audit import verify_chain

    wanted = anchors(args.anchor)
    open_from(args)
    report = verify_chain(wanted)
    if report.ok:
        say("audit_verify.ok", checked=report.checked)
        say("audit_verify.anchor", anchor=f"{report.head_id}:{report.head_hash}")
        return 0
    at = f"{report.bad_at:%Y-%m-%d %H:%M:%S} UTC" if report.bad_at else "-"
    say(f"audit_verify.{report.problem}", id=report.bad_id, at=at, checked=report.checked)
    return 1
