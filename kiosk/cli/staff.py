"""`kiosk.py staff`: the staff console (run at a desk, or as the forced command over SSH)."""

from __future__ import annotations

from .common import open_from


def register(sub):
    p = sub.add_parser("staff", help="หน้างานเจ้าหน้าที่ (ใช้ผ่าน SSH ได้) / the staff console (works over SSH)")
    p.add_argument("--lang", choices=("th", "en"), help="ภาษาเริ่มต้น / start-up language")
    return p


def run(args, env) -> int:
    settings = open_from(args, warn=False)  # staff over SSH can do nothing about it; the screen hides it
    return env.run_app(settings, "staff", args.lang)
