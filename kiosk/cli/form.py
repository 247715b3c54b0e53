"""`kiosk.py form TICKET --kind request|voucher --out DIR`: a case's request form, or the receipt
voucher for the help handed over, as an A4 PDF in DIR (kiosk.services.paperwork)."""

from __future__ import annotations

from pathlib import Path

from .common import open_from, say, system_actor


def register(sub):
    p = sub.add_parser("form", help="พิมพ์คำร้องขอรับความช่วยเหลือหรือใบสำคัญรับเงินของคำขอ (PDF) / "
                                    "a case's request form or receipt voucher (PDF)")
    p.add_argument("ticket", metavar="TICKET", help="เลขที่คำขอ เช่น WPK-69-00001 / the ticket number")
    p.add_argument("--kind", choices=("request", "voucher"), default="request",
                   help="request = คำร้องขอรับความช่วยเหลือ, voucher = ใบสำคัญรับเงิน (ค่าเริ่มต้น request) / "
                        "request form or receipt voucher (default request)")
    p.add_argument("--out", required=True, metavar="DIR", help="โฟลเดอร์ที่จะเขียนไฟล์ / folder to write to")
    return p


def run(args, env) -> int:
    from ..services import paperwork

    settings = open_from(args)
    actor = system_actor()
    case_id = paperwork.case_for_ticket(actor, args.ticket)
    path = paperwork.form(actor, settings, case_id, args.kind, Path(args.out))
    say("forms.written", path=str(path))
    return 0
