"""`kiosk.py survey-template --out FILE.xlsx`: the spreadsheet field survey teams fill in
(kiosk.services.survey_sheet), with the centre's registered teams in its drop-down list."""

from __future__ import annotations

from pathlib import Path

from .common import open_from, say


def register(sub):
    p = sub.add_parser("survey-template", help="เขียนแบบฟอร์มสำรวจ (Excel) ให้ทีมสำรวจกรอก / "
                                               "write the survey spreadsheet for field teams to fill in")
    p.add_argument("--out", required=True, metavar="FILE.xlsx", help="ไฟล์ที่จะเขียน / file to write")
    return p


def run(args, env) -> int:
    from ..services import survey_sheet, surveys

    settings = open_from(args)
    path = survey_sheet.write_template(Path(args.out), surveys.team_names(settings.host_lao.ticket_prefix))
    say("survey.template_written", path=str(path))
    return 0
