"""`kiosk.py adduser USER [--role R] [--name N] [--pin]`: a staff account made at the machine, its
password (and with --pin a counter PIN) asked at the terminal."""

from __future__ import annotations

from ..roles import ROLES
from .common import open_from
from .prompts import ask_secret


def register(sub):
    p = sub.add_parser("adduser", help="เพิ่มบัญชีเจ้าหน้าที่ / add a staff account")
    p.add_argument("username")
    p.add_argument("--role", choices=ROLES, default="officer", help="บทบาท / role")
    p.add_argument("--name", default="", help="ชื่อ-สกุล / full name")
    p.add_argument("--pin", action="store_true",
                   help="ตั้ง PIN ตู้บริการด้วย (6–12 หลัก) / also set a counter PIN (6–12 digits)")
    p.add_argument("--lao", default=None, metavar="PREFIX",
                   help="อปท. ของบัญชี (อักษรนำหน้าเลขคำขอ) ไม่ระบุ = ทั้งศูนย์ / the account's LAO (ticket prefix); "
                        "none = the whole centre")
    return p


def run(args, env) -> int:
    from ..services import staff as staff_service

    open_from(args)
    password = ask_secret("รหัสผ่าน / password", staff_service.validate_password)
    pin = ask_secret("PIN (6–12 หลัก) / PIN (6–12 digits)", staff_service.validate_pin) if args.pin else None
    # The machine's administrator acts as the system (like `init`); in the app only admins may.
    system = staff_service.Actor(0, "cli", "", "admin", "cli")
    staff_service.create_staff(args.username, password, args.role, args.name, by=system, pin=pin,
                               lao=args.lao)
    where = f", {args.lao.upper()}" if args.lao else ""
    print(f"เพิ่ม {args.username} ({args.role}{where}) แล้ว / added")
    return 0
