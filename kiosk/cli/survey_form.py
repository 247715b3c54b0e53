"""`kiosk.py survey-form --out FILE.xlsx`: the survey as an XLSForm for ODK Collect and
KoboToolbox (kiosk.services.survey_form): the centre's subdistricts and their villages, the
registered teams, Thai and English labels. Upload it to ODK Central or KoboToolbox; import their
export of the submissions with `kiosk.py import-survey`."""

from __future__ import annotations

from pathlib import Path

from .common import open_from, say


def register(sub):
    p = sub.add_parser("survey-form", help="เขียนแบบฟอร์ม XLSForm สำหรับ ODK Collect / KoboToolbox / "
                                           "write the survey as an XLSForm for ODK Collect or KoboToolbox")
    p.add_argument("--out", required=True, metavar="FILE.xlsx", help="ไฟล์ที่จะเขียน / file to write")
    p.add_argument("--moo-count", type=int, default=20, metavar="N",
                   help="จำนวนหมู่ในรายการของแต่ละตำบล (อย่างน้อย) / villages (หมู่) listed per subdistrict, at least")
    return p


def run(args, env) -> int:
    from ..services import survey_form

    settings = open_from(args)
    subdistricts = [settings.host_lao.subdistrict_code, *(lao.subdistrict_code for lao in settings.laos),
                    settings.subdistrict_code]
    form = survey_form.write_form(Path(args.out), settings.host_lao.ticket_prefix, subdistricts,
                                  moo_count=max(1, min(args.moo_count, 99)))
    say("survey.form_written", path=str(form.path), form_id=form.form_id, version=form.version)
    return 0
