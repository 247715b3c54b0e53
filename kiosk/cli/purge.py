"""`kiosk.py purge [--older-than DAYS] [--yes]`: PDPA retention. A dry run by default that prints
what would be anonymised (counts, never names); `--yes` applies it (kiosk.services.retention)."""

from __future__ import annotations

from .common import open_from, say, system_actor


def register(sub):
    p = sub.add_parser("purge", help="ทำข้อมูลส่วนบุคคลที่พ้นระยะเก็บรักษาให้ไม่ระบุตัวบุคคล (ไม่ใส่ --yes = ทดลอง) / "
                                     "anonymise personal data past retention (a dry run without --yes)")
    p.add_argument("--older-than", type=int, metavar="DAYS",
                   help="ทุกคำขอสิ้นสุดและไม่เคลื่อนไหวมานานกว่า DAYS วัน (ค่าเริ่มต้นจาก [privacy] retention_years) / "
                        "every case ended and untouched for over DAYS days (default from [privacy] retention_years)")
    p.add_argument("--yes", action="store_true", help="ดำเนินการจริง / apply (otherwise a dry run)")
    return p


def run(args, env) -> int:
    from ..services import retention
    from ..thai.dates import format_be_date

    settings = open_from(args)
    days = args.older_than if args.older_than is not None else retention.days_for_years(settings.retention_years)
    cutoff = retention.cutoff_for(days)
    when = {"th": format_be_date(cutoff.date()), "en": cutoff.date().isoformat()}
    actor = system_actor()
    if not args.yes:
        counts = retention.plan(actor, cutoff)
        say("privacy.purge_plan", cutoff=when, days=days, people=counts.people, cases=counts.cases,
            events=counts.events, surveys=counts.surveys)
        say("privacy.purge_apply_hint")
        return 0
    result = retention.purge(actor, cutoff, days=days)
    c = result.counts
    say("privacy.purge_done", cutoff=when, people=c.people, cases=c.cases, events=c.events, surveys=c.surveys)
    if not result.compacted:
        say("privacy.purge_busy")
        return 1
    say("privacy.purge_compacted")
    return 0
