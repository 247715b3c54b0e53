"""`kiosk.py demo`: fill the database with fictional cases and demo accounts. Asks nothing."""

from __future__ import annotations

from .common import open_from


def register(sub):
    p = sub.add_parser("demo", help="เติมข้อมูลตัวอย่าง (ไม่ถามอะไร) / fill in sample data (asks nothing)")
    p.add_argument("--cases", type=int, default=60, help="จำนวนคำขอตัวอย่าง / number of sample cases")
    return p


def run(args, env) -> int:
    from ..services import demo

    settings = open_from(args, create_sample=True)
    accounts = demo.ensure_demo_staff()
    added = demo.fill(settings.host_lao.ticket_prefix, max(0, args.cases))
    print(f"เพิ่มคำขอตัวอย่าง {added} รายการ / added {added} sample cases")
    print("บัญชีตัวอย่าง (ใช้ทดลองเท่านั้น) / demo accounts (for trying out only):")
    for username, password, pin in accounts:
        print(f"  {username:<11} {password}" + (f"  PIN {pin}" if pin else ""))
    return 0
