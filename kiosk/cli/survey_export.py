"""`kiosk.py survey-export --format xlsx|csv|geojson|pdf --out DIR [--moo N] [--vulnerability KEY]
[--team NAME] [--months N]`: the register of surveyed people written out
(kiosk.services.survey_export), 0600 in a private folder, audited."""

from __future__ import annotations

from pathlib import Path

from .common import open_from, say, system_actor

FORMATS = ("xlsx", "csv", "geojson", "pdf")  # kiosk.services.survey_export.FORMATS (building the parser imports no service)


def register(sub):
    p = sub.add_parser("survey-export", help="ส่งออกทะเบียนผู้ต้องการความช่วยเหลือจากการสำรวจ / "
                                             "export the register of surveyed people")
    p.add_argument("--format", required=True, choices=FORMATS, help="รูปแบบไฟล์ / file format")
    p.add_argument("--out", required=True, metavar="DIR", help="โฟลเดอร์ที่จะเขียนไฟล์ / folder to write into")
    p.add_argument("--moo", metavar="N", help="เฉพาะหมู่ที่ / only this หมู่ (village number)")
    p.add_argument("--vulnerability", metavar="KEY",
                   help="เฉพาะความเปราะบางนี้ เช่น bedbound, elderly, disability / only people with this "
                        "vulnerability, e.g. bedbound, elderly, disability (a wrong key lists them all)")
    p.add_argument("--team", metavar="NAME", help="เฉพาะทีมสำรวจนี้ / only this survey team")
    p.add_argument("--months", metavar="N", type=int,
                   help="เฉพาะผู้ที่ไม่ได้สำรวจเกิน N เดือน / only people not surveyed for more than N months")
    return p


def run(args, env) -> int:
    from ..errors import ValidationError
    from ..services import survey_export, survey_register
    from ..services.survey_register import RegisterFilter
    from ..text import clean_text
    from ..thai.addresses import parse_moo
    from ..thai.names import normalize_name

    where = RegisterFilter(moo=parse_moo(args.moo) if args.moo else None, vulnerability=args.vulnerability or "",
                           team=normalize_name(clean_text(args.team, 200)) if args.team is not None else None,
                           months=args.months)
    settings = open_from(args)
    actor = system_actor()
    if where.team is not None:  # a misspelt team would export nobody, silently
        teams = survey_register.team_names(actor)
        if where.team not in teams:
            raise ValidationError("register.team_unknown", field="team", team=where.team,
                                  teams=", ".join(t or "-" for t in teams) or "-")
    result = survey_export.export(actor, args.format, Path(args.out), where, centre=settings.centre_name("th"))
    say("register.export_written", path=str(result.path), people=result.people)
    return 0
