"""`kiosk.py demo`: fill a sample centre with fictional cases and demo accounts. Asks nothing.

Only on a sample centre (`sample = true`): on a live one it would add made-up requests and
accounts whose passwords and PINs are printed in the README. Run again, it adds nothing: the
demo accounts that exist are kept as they are, and the 60 sample cases go only into a centre
that has no cases yet; `--cases N` adds N more on purpose."""

from __future__ import annotations

from ..errors import KioskError
from .common import open_settings, settings_from

DEFAULT_CASES = 60


def register(sub):
    p = sub.add_parser("demo", help="เติมข้อมูลตัวอย่างในศูนย์ตัวอย่าง (ไม่ถามอะไร) / "
                                    "fill a sample centre with sample data (asks nothing)")
    p.add_argument("--cases", type=int, default=None, metavar="N",
                   help=f"เพิ่มคำขอตัวอย่าง N รายการ (ค่าเริ่มต้น {DEFAULT_CASES} เมื่อยังไม่มีคำขอ) / "
                        f"add N sample cases (default {DEFAULT_CASES} when there are none yet)")
    return p


def run(args, env) -> int:
    from ..services import demo

    settings = settings_from(args, create_sample=True)
    if not settings.sample:
        raise KioskError("startup.demo_live", f"{settings.path}: sample = false", file=str(settings.path))
    open_settings(settings)
    made = demo.ensure_demo_staff()
    if args.cases is not None:
        wanted = max(0, args.cases)
    else:
        wanted = 0 if demo.has_cases() else DEFAULT_CASES
    added = demo.fill(settings.host_lao.ticket_prefix, wanted, spread_days=365) if wanted else 0  # INFO: a year
    if added and not demo.has_surveys():
        print(f"เพิ่มผลสำรวจตัวอย่าง {demo.fill_surveys(settings.host_lao.ticket_prefix)} รายการ / sample survey records")
    if added:
        print(f"เพิ่มคำขอตัวอย่าง {added} รายการ / added {added} sample cases")
    else:
        print("มีคำขออยู่แล้ว ไม่ได้เพิ่มคำขอตัวอย่าง (เพิ่มได้ด้วย --cases N) / "
              "there are cases already; no sample cases added (add some with --cases N)")
    if made:
        print("บัญชีตัวอย่าง (ใช้ทดลองเท่านั้น) / demo accounts (for trying out only):")
        for username, password, pin in made:
            print(f"  {username:<11} {password}" + (f"  PIN {pin}" if pin else ""))
    else:
        print("บัญชีตัวอย่างมีอยู่แล้ว ไม่ได้เพิ่ม / the demo accounts exist already; none added")
    return 0
