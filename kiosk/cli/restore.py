"""`kiosk.py restore FILE`: replace the configured database with a backup, checked before and
after. Stop the kiosk, the console and the web server first."""

from __future__ import annotations

from pathlib import Path

from .common import say, settings_from


def register(sub):
    p = sub.add_parser("restore", help="กู้คืนฐานข้อมูลจากไฟล์สำรอง / restore the database from a backup")
    p.add_argument("file", metavar="FILE", help="ไฟล์สำรอง / backup file")
    p.add_argument("--force", action="store_true",
                   help="เขียนทับฐานข้อมูลที่มีข้อมูลอยู่ / replace a database that holds data")
    return p


def run(args, env) -> int:
    from ..services.backup import restore

    result = restore(settings_from(args), Path(args.file), force=args.force)
    say("backup.restored", path=args.file, version=result.version, tables=len(result.counts),
        rows=sum(result.counts.values()))
    if result.kept_aside:
        say("backup.kept_aside", path=str(result.kept_aside))
    if result.dropped:
        say("backup.dropped", tables=", ".join(result.dropped))
    return 0
