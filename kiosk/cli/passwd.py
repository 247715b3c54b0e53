"""`kiosk.py passwd USER`: set a staff member's password (ends a wait after wrong tries);
`--pin`: set their counter PIN instead (6–12 digits; officers and above)."""

from __future__ import annotations

from .common import open_from
from .prompts import ask_secret


def register(sub):
    p = sub.add_parser("passwd", help="ตั้งรหัสผ่านใหม่ให้เจ้าหน้าที่ / set a staff password")
    p.add_argument("username")
    p.add_argument("--pin", action="store_true",
                   help="ตั้ง PIN ตู้บริการแทนรหัสผ่าน (6–12 หลัก) / set the counter PIN instead (6–12 digits)")
    return p


def run(args, env) -> int:
    from ..services import staff as staff_service

    open_from(args)
    if args.pin:
        pin = ask_secret("PIN ใหม่ (6–12 หลัก) / new PIN (6–12 digits)", staff_service.validate_pin)
        staff_service.set_pin(args.username, pin)
        print("ตั้ง PIN แล้ว / PIN set")
        return 0
    password = ask_secret("รหัสผ่านใหม่ / new password", staff_service.validate_password)
    staff_service.set_password(args.username, password)
    print("เปลี่ยนรหัสผ่านแล้ว / password changed")
    return 0
