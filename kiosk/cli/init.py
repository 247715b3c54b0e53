"""`kiosk.py init`: create the config (from the sample), the database, and the first admin."""

from __future__ import annotations

from .common import open_from
from .prompts import ask, ask_secret


def register(sub):
    return sub.add_parser("init", help="สร้างไฟล์ตั้งค่า ฐานข้อมูล และผู้ดูแลระบบคนแรก / "
                                       "create config, database and the first administrator")


def run(args, env) -> int:
    from ..services import staff as staff_service

    settings = open_from(args, create_sample=True, create_named=True)
    print(f"ไฟล์ตั้งค่า / config: {settings.path}")
    print(f"ฐานข้อมูล / database: {settings.database_url}")
    if settings.sample:
        print("หมายเหตุ: ไฟล์ตั้งค่ายังเป็นข้อมูลตัวอย่าง แก้ไขให้เป็นของศูนย์ท่าน / "
              "note: the config still holds sample data; edit it for your centre")
    if staff_service.has_staff():
        print("มีบัญชีเจ้าหน้าที่แล้ว ใช้ kiosk.py adduser เพื่อเพิ่ม / staff accounts exist; use kiosk.py adduser")
        return 0
    username = ask("ชื่อผู้ใช้ผู้ดูแลระบบ / admin username", "admin")
    full_name = ask("ชื่อ-สกุล / full name", "")
    password = ask_secret("รหัสผ่าน (อย่างน้อย 8 ตัว) / password (8+ characters)", staff_service.validate_password)
    pin = ask_secret("PIN สำหรับออกจากตู้บริการ (4–8 หลัก) / counter exit PIN (4–8 digits)", staff_service.validate_pin)
    staff_service.create_staff(username, password, "admin", full_name, pin=pin, first_admin=True)
    print(f"สร้างผู้ดูแลระบบ {username} แล้ว / administrator {username} created")
    return 0


