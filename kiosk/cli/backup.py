"""`kiosk.py backup`: a checked copy of the database while everything keeps running (for a
daily timer: without --out it keeps the newest [backup] keep in <home>/backups)."""

from __future__ import annotations

from pathlib import Path

from .common import say, settings_from


def register(sub):
    p = sub.add_parser("backup", help="สำรองฐานข้อมูลขณะใช้งาน / back up the database while in use")
    p.add_argument("--out", metavar="FILE",
                   help="ไฟล์ปลายทาง (ค่าเริ่มต้น <home>/backups/ เก็บไว้ [backup] keep ไฟล์) / "
                        "output file (default: <home>/backups/, keeping the newest [backup] keep)")
    return p


def run(args, env) -> int:
    from ..services.backup import backup

    result = backup(settings_from(args), Path(args.out) if args.out else None)
    if result.rows is None:
        say("backup.done_pg", path=str(result.path), tables=result.tables)
    else:
        say("backup.done", path=str(result.path), tables=result.tables, rows=result.rows)
    for path in result.removed:
        say("backup.pruned", path=str(path))
    return 0
