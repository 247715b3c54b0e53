"""`kiosk.py import-survey FILE`: a filled survey spreadsheet (XLSX or CSV), or the export of
the XLSForm's submissions from ODK Central (.zip, or the main .csv with the members' .csv beside
it) or KoboToolbox (.xlsx), imported all or nothing, with a row-by-row report in Thai (`--lang en`
for English). Exit status 0 when imported, 1 when an error kept everything out."""

from __future__ import annotations

from pathlib import Path

from .common import open_from, system_actor


def register(sub):
    p = sub.add_parser("import-survey", help="นำเข้าผลสำรวจจากไฟล์ .xlsx .csv หรือไฟล์ส่งออกของ ODK Central/KoboToolbox "
                                             "(ทั้งไฟล์หรือไม่นำเข้าเลย) / import a filled survey spreadsheet or an "
                                             "ODK Central/KoboToolbox export, all or nothing")
    p.add_argument("file", metavar="FILE", help="ไฟล์ .xlsx .csv หรือ .zip / the .xlsx, .csv or .zip file")
    p.add_argument("--lang", choices=("th", "en"), default="th", help="ภาษาของรายงาน / report language")
    p.add_argument("--lao", metavar="PREFIX", default=None,
                   help="อปท. ที่เป็นเจ้าของผลสำรวจ (ศูนย์ร่วม; ค่าเริ่มต้น: อปท. ของทีมสำรวจที่ระบุในไฟล์ หรือ อปท. เจ้าของศูนย์) "
                        "/ the LAO the surveys belong to (a joint centre; default: the LAO of the teams the file "
                        "names, else the host LAO)")
    return p


def run(args, env) -> int:
    from ..services import survey_sheet, surveys

    settings = open_from(args)
    path = Path(args.file)
    rows, header_issues = survey_sheet.read_rows(path)
    report = surveys.import_rows(system_actor(), args.lao or settings.host_lao.ticket_prefix, rows, source=path.name,
                                 lao_from_teams=not args.lao)
    report.issues[:0] = header_issues
    for line in report.lines(args.lang):
        print(line)
    return 0 if report.imported else 1
