"""The command line: `kiosk.py [command]`. Help is bilingual; errors are sentences, not tracebacks.

Each command is a module here with `register(subparsers)` returning its parser and `run(args, env)`;
a command with a dash (`person-export`) lives in a module with an underscore (person_export.py).
Commands that open a Textual app get `env.run_app`, injected by the launcher, so this package
never imports Textual."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from ..errors import KioskError
from ..faults import log_fault
from ..i18n import translate

COMMANDS = ("counter", "staff", "init", "demo", "adduser", "passwd", "serve", "poster", "backup", "restore",
            "audit-verify", "purge", "person-export", "survey-template", "survey-form", "import-survey",
            "survey-team", "survey-export", "export", "form", "agenda", "doctor", "migrate-db")
APP_COMMANDS = ("counter", "staff")  # they open a Textual app, which runs the garbage collector itself


@dataclass
class Env:
    """What commands get besides their arguments."""

    run_app: Callable[..., int] | None = None


class _BilingualFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix="วิธีใช้ / usage: " if prefix is None else prefix)


class BilingualParser(argparse.ArgumentParser):
    """argparse with its own words (usage, options, the -h line, "error") in Thai and English, as
    every help text of ours is; each command's parser is one too (add_subparsers makes them of
    this class)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs["add_help"] = False
        kwargs.setdefault("formatter_class", _BilingualFormatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "อาร์กิวเมนต์ / positional arguments"
        self._optionals.title = "ตัวเลือก / options"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help="แสดงวิธีใช้นี้แล้วจบ / show this help message and exit")

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: ผิดพลาด / error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = BilingualParser(
        prog="kiosk.py",
        description="ศูนย์ช่วยเหลือประชาชน อปท. — ตู้บริการและหน้างานเจ้าหน้าที่\n"
                    "Help Centre Kiosk for Thai local government — counter kiosk and staff console",
        epilog="ไม่ระบุคำสั่ง = counter (ตู้บริการหน้าเคาน์เตอร์) / no command = counter",
    )
    parser.add_argument("--version", action=_Version, nargs=0,
                        help="รุ่นของโปรแกรมและโครงสร้างฐานข้อมูล / program and database schema version")
    parser.add_argument("--config", metavar="FILE",
                        help="ไฟล์ตั้งค่า (ค่าเริ่มต้น $KIOSK_CONFIG หรือ var/kiosk.toml) / config file")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="คำสั่ง / commands")
    for name in COMMANDS:
        import_module(f".{module_name(name)}", __name__).register(sub)
    return parser


class _Version(argparse.Action):
    """`--version`: the program's version and the schema it writes (db.migrations, imported only
    when asked: importing peewee on every start would cost the counter's start-up)."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        from db.migrations import LATEST

        from ..version import VERSION

        print(f"help-centre-kiosk {VERSION} (schema {LATEST})")
        parser.exit()


def module_name(command: str) -> str:
    """The module of a command: audit-verify → audit_verify."""
    return command.replace("-", "_")


def report(exc: KioskError) -> None:
    """A KioskError for people: Thai first, then English, on stderr."""
    th, en = translate(exc.key, "th", **exc.params), translate(exc.key, "en", **exc.params)
    print(th, file=sys.stderr)
    if en != th:
        print(en, file=sys.stderr)


def main(argv: list[str] | None = None, env: Env | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command = args.command or "counter"
    if args.command is None:
        args = parser.parse_args([*(argv or []), "counter"])
    if command not in APP_COMMANDS:
        gc.enable()  # the launcher held it off during start-up (kiosk.py)
    try:
        return import_module(f".{module_name(command)}", __name__).run(args, env or Env())
    except KioskError as exc:
        report(exc)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug or a database fault: a sentence on screen, details in a log
        log = log_fault(exc, f"kiosk.py {command}")
        print(translate("errors.unexpected", "th"), file=sys.stderr)
        print(translate("errors.unexpected", "en"), file=sys.stderr)
        # the class only: a database error's message can quote a citizen's data, the log has it
        print(type(exc).__name__ + (f"  (log: {log})" if log else ""), file=sys.stderr)
        return 3

