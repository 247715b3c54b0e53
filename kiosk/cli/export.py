"""`kiosk.py export --month 2569-10 --format xlsx|csv|pdf --out DIR`: the monthly report for DLA's
INFO system (kiosk.services.info_files), for cron and for the officer's own machine. The month in
BE; a CE year (2026-10) is read as such, with a notice; `last` is last month on the Bangkok clock. Run again, it replaces the same files
atomically (a crash leaves the old file or none); files are 0600. Exit 0 when written, 2 when
refused (a month, format or folder that is wrong), 3 on an unexpected fault."""

from __future__ import annotations

import sys
from pathlib import Path

from .common import open_from, say, system_actor


def register(sub):
    p = sub.add_parser("export", help="ส่งออกรายงานประจำเดือนสำหรับบันทึกในระบบ INFO / "
                                      "the monthly report for DLA's INFO system")
    p.add_argument("--month", required=True, metavar="YYYY-MM",
                   help="เดือนแบบ พ.ศ. เช่น 2569-10 (ค.ศ. 2026-10 ก็ได้) หรือ last = เดือนที่แล้ว (สำหรับ cron) / "
                        "month in BE, e.g. 2569-10 (CE accepted), or last = last month in Bangkok (for cron)")
    p.add_argument("--format", default="xlsx", choices=("xlsx", "csv", "pdf"), help="xlsx (ค่าเริ่มต้น/default), csv, pdf")
    p.add_argument("--out", required=True, metavar="DIR", help="โฟลเดอร์ที่จะเขียนไฟล์ / folder to write into")
    p.add_argument("--lao", metavar="PREFIX", default=None,
                   help="เฉพาะ อปท. นี้ (ศูนย์ร่วม) หรือ all = ทั้งศูนย์และแยกทุก อปท. / only this LAO's cases "
                        "(a joint centre), or all = the whole centre's and each LAO's")
    p.add_argument("--lang", choices=("th", "en"), default="th", help="ภาษาหัวคอลัมน์ / language of the headings")
    return p


def run(args, env) -> int:
    from ..services import info_files
    from ..services.info_report import Month, parse_month

    if args.month.strip().lower() == "last":
        month, was_ce = Month.current().shift(-1), False
    else:
        month, was_ce = parse_month(args.month)  # before the database: a typo costs nothing
    if was_ce:
        say("inforeport.month_was_ce", file=sys.stderr, ce=month.year, month=month.label, be=month.year + 543)
    settings = open_from(args)
    asked = (args.lao or "").strip().upper()
    wanted = [None, *(lao.ticket_prefix for lao in settings.laos)] if asked == "ALL" else [asked or None]
    for org in wanted:  # the whole centre's report, one LAO's, or (all) the centre's then each LAO's
        lao = settings.lao(org) if org else None
        heading = settings.centre_name(args.lang) if lao is None else \
            f"{lao.name(args.lang)} · {settings.centre_name(args.lang)}"
        if len(wanted) > 1:
            print(f"— {heading} —")  # which of the reports the lines below are about
        done = info_files.export(system_actor(), month, args.format, Path(args.out), home=settings.home,
                                 centre=heading, lang=args.lang, org=org)
        say("inforeport.exported", month={"th": month.name("th"), "en": month.name("en")}, cases=done.cases,
            surveys=done.surveys)
        for path in done.paths:
            say("inforeport.written", path=str(path))
    return 0
