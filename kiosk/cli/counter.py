"""`kiosk.py counter`: the full-screen public kiosk (the default command)."""

from __future__ import annotations

from ..errors import KioskError
from .common import open_settings, settings_from


def register(sub):
    p = sub.add_parser("counter", help="ตู้บริการประชาชนแบบเต็มจอ (ค่าเริ่มต้น) / the full-screen counter kiosk (default)")
    p.add_argument("--lang", choices=("th", "en"), help="ภาษาเริ่มต้น / start-up language")
    return p


def run(args, env) -> int:
    settings = settings_from(args, create_sample=True)
    try:
        open_settings(settings, warn=False)  # warn=False: the full-screen app would hide it
    except KioskError as exc:
        from ..services.setup import unreachable

        if not unreachable(exc):
            raise
        # PostgreSQL down (or SQLite held locked): a calm screen that tries again until it answers,
        # not an exit that the service manager would repeat until it gives up, leaving a black screen
        from ..logs import event

        event("kiosk.counter", "database unreachable at start", event="database_down", reason=str(exc))
        log_terminal()
        return env.run_app(settings, "counter", args.lang, database_down=True)
    log_terminal()
    return env.run_app(settings, "counter", args.lang)


def log_terminal() -> None:
    """Measure the counter's terminal before the app takes it (size, colours, how wide it draws
    Thai: kiosk.terminal.measure_terminal) into the log, where `kiosk.py doctor` reads it: the
    counter runs in foot under cage, where nobody can run doctor."""
    import os

    from ..logs import event
    from ..terminal import THAI_PROBE, measure_terminal

    if not (os.isatty(0) and os.isatty(2)):
        return  # the app refuses to start anyway (kiosk.terminal.require_terminal)
    facts = measure_terminal(THAI_PROBE, timeout=0.5)
    if facts is not None:
        event("kiosk.counter", "terminal", event="terminal", columns=facts.columns, rows=facts.rows,
              term=facts.term, colorterm=facts.colorterm, thai_columns=facts.thai_columns)
