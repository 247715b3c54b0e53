"""`kiosk.py passwd USER`: set a staff member's password (clears a lockout)."""

from __future__ import annotations

from .common import open_from
from .prompts import ask_secret


def register(sub):
    p = sub.add_parser("passwd", help="ตั้งรหัสผ่านใหม่ให้เจ้าหน้าที่ / set a staff password")
    p.add_argument("username")
    return p


def run(args, env) -> int:
    from ..services import staff as staff_service

    open_from(args)
    password = ask_secret("รหัสผ่านใหม่ / new password", staff_service.validate_password)
    staff_service.set_password(args.username, password)
    print("เปลี่ยนรหัสผ่านแล้ว / password changed")
    return 0
