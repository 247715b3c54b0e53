"""`kiosk.py counter`: the full-screen public kiosk (the default command)."""

from __future__ import annotations

from .common import open_from


def register(sub):
    p = sub.add_parser("counter", help="ตู้บริการประชาชนแบบเต็มจอ (ค่าเริ่มต้น) / the full-screen counter kiosk (default)")
    p.add_argument("--lang", choices=("th", "en"), help="ภาษาเริ่มต้น / start-up language")
    return p


def run(args, env) -> int:
    settings = open_from(args, create_sample=True, warn=False)  # the full-screen app would hide it
    return env.run_app(settings, "counter", args.lang)
