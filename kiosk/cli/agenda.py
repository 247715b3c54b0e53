"""`kiosk.py agenda --out DIR`: the cases awaiting the committee, as a PDF list for the meeting
(kiosk.services.committee)."""

from __future__ import annotations

from pathlib import Path

from .common import open_from, say, system_actor


def register(sub):
    p = sub.add_parser("agenda", help="บัญชีคำร้องที่รอคณะกรรมการพิจารณา สำหรับการประชุม (PDF) / "
                                      "the cases awaiting the committee, for its meeting (PDF)")
    p.add_argument("--out", required=True, metavar="DIR", help="โฟลเดอร์ที่จะเขียนไฟล์ / folder to write to")
    p.add_argument("--lao", metavar="PREFIX", default=None,
                   help="อปท. ที่ประชุม (อักษรนำเลขคำขอ เช่น WPK; ค่าเริ่มต้น อปท. แรก) / "
                        "the LAO whose committee meets, by ticket prefix (default the first)")
    return p


def run(args, env) -> int:
    from ..services import committee

    settings = open_from(args)
    written = committee.agenda(system_actor(), settings, Path(args.out), args.lao)
    say("committee.agenda_written", path=str(written.path), cases=written.cases)
    return 0
