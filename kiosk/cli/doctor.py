"""`kiosk.py doctor [--json]`: is this machine ready to run the counter? Every check in Thai and
English (kiosk/services/doctor.py); exit 0 when nothing blocks the counter (warnings are
printed), 1 when something does. Without a terminal (cron, a monitoring script, a pipe under
setsid) the terminal checks say "not checked"."""

from __future__ import annotations

import json

from ..errors import ConfigError
from ..i18n import translate
from .common import settings_from

MARKS = {"ok": "[ ok ]", "warn": "[ !! ]", "fail": "[FAIL]", "skip": "[ -- ]"}


def register(sub):
    p = sub.add_parser("doctor", help="ตรวจความพร้อมของเครื่อง / check this machine is ready for the counter")
    p.add_argument("--json", action="store_true", help="ผลเป็น JSON สำหรับระบบเฝ้าระวัง / JSON for monitoring")
    return p


def message(key: str, lang: str, params: dict) -> str:
    values = {k: v[lang] if isinstance(v, dict) else v for k, v in params.items()}
    return translate(key, lang, **values)


def run(args, env) -> int:
    from ..services.doctor import diagnose
    from ..terminal import THAI_PROBE, measure_terminal

    settings, problem = None, None
    try:
        settings = settings_from(args)
    except ConfigError as exc:
        problem = exc
    terminal = measure_terminal(THAI_PROBE)  # None without a controlling terminal (cron, systemd, setsid)
    report = diagnose(settings, problem, terminal)
    if args.json:
        print(json.dumps({
            "ok": not report.blocked, "version": report.version, "schema": report.schema,
            "schema_supported": report.schema_supported,
            "checks": [{"check": f.check, "level": f.level, "key": f.key,
                        "th": message(f.key, "th", f.params), "en": message(f.key, "en", f.params)}
                       for f in report.findings],
        }, ensure_ascii=False, indent=2))
    else:
        schema = report.schema if report.schema is not None else "?"
        for lang in ("th", "en"):
            print(translate("doctor.heading", lang, version=report.version, schema=schema,
                            supported=report.schema_supported))
        for f in report.findings:
            th, en = message(f.key, "th", f.params), message(f.key, "en", f.params)
            print(f"{MARKS[f.level]} {th}")
            if en != th:
                print(f"       {en}")
        counts = {level: sum(f.level == level for f in report.findings) for level in MARKS}
        for lang in ("th", "en"):
            print(translate("doctor.blocked" if report.blocked else "doctor.ready", lang,
                            fails=counts["fail"], warnings=counts["warn"]))
    return 1 if report.blocked else 0
