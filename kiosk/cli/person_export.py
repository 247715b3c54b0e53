"""`kiosk.py person-export --doc NUMBER --out FILE.json`: a PDPA access request answered, all a
person's data in one file readable by its owner only (kiosk.services.access)."""

from __future__ import annotations

from pathlib import Path

from .common import open_from, say, system_actor


def register(sub):
    p = sub.add_parser("person-export", help="ส่งออกข้อมูลทั้งหมดของบุคคลหนึ่งตามคำขอเข้าถึงข้อมูล (PDPA) / "
                                             "everything held about one person, for an access request (PDPA)")
    p.add_argument("--doc", required=True, metavar="NUMBER",
                   help="เลขบัตรประชาชนหรือเอกสารอื่น พิมพ์แบบใดก็ได้ / ID or other document number, as typed")
    p.add_argument("--out", required=True, metavar="FILE.json", help="ไฟล์ใหม่ที่จะเขียน / new file to write")
    return p


def run(args, env) -> int:
    from ..services import access

    settings = open_from(args)
    summary = access.export(system_actor(), args.doc, Path(args.out), centre=settings.centre_name("th"))
    say("privacy.export_written", path=str(summary.path), people=summary.people, cases=summary.cases,
        surveys=summary.surveys, audit=summary.audit_rows)
    return 0
