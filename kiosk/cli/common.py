"""Helpers shared by commands: settings from --config, an opened database, messages in Thai and
English, and the machine administrator's actor."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..config import Settings, load_settings
from ..errors import ConfigError
from ..faults import log_beside


def settings_from(args: argparse.Namespace, *, create_sample: bool = False, create_named: bool = False) -> Settings:
    """The settings from --config, else $KIOSK_CONFIG, else <home>/kiosk.toml. With create_sample,
    a missing default file is written with the sample centre (the quick start); a file named by
    --config or $KIOSK_CONFIG is created only with create_named (`init`): elsewhere a missing
    named file is a typo or a lost mount, and must not quietly become a new, empty centre."""
    named, source = (args.config, "--config") if args.config else (os.environ.get("KIOSK_CONFIG"), "$KIOSK_CONFIG")
    if named and not create_named and not Path(named).exists():
        raise ConfigError("startup.config_not_found", f"{named}: no such file", file=named, source=source)
    settings = load_settings(Path(named) if named else None, create_sample=create_sample)
    log_beside(settings.home)
    start_log(settings, getattr(args, "command", None) or "counter")
    return settings


def start_log(settings: Settings, command: str) -> None:
    """This process's operations log (kiosk.logs) in <home>/logs, and its first line."""
    from ..logs import configure, event, process_name
    from ..version import VERSION

    configure(settings.home, process_name(command), stderr=command not in ("counter", "staff"))
    event("kiosk.start", "start", event="start", command=command, version=VERSION)


def open_from(args: argparse.Namespace, *, create_sample: bool = False, create_named: bool = False,
              warn: bool = True) -> Settings:
    """Load settings and open, migrate and sync the database they name."""
    settings = settings_from(args, create_sample=create_sample, create_named=create_named)
    return open_settings(settings, warn=warn)


def open_settings(settings: Settings, *, warn: bool = True) -> Settings:
    """Open, migrate and sync the database `settings` name; with `warn`, name on stderr the
    private files that other accounts can reach."""
    if settings.database_url.startswith("sqlite:") and "peewee" not in sys.modules:
        # peewee probes for PostgreSQL drivers when imported; psycopg alone costs ~70 ms of the
        # counter's start-up. A SQLite process never needs it, so tell peewee it is absent.
        sys.modules.setdefault("psycopg2", None)
        sys.modules.setdefault("psycopg", None)
    from ..services.setup import open_kiosk

    open_kiosk(settings)
    if warn:
        warn_exposed(settings)
    return settings


def say(key: str, *, file=None, **params: object) -> None:
    """A catalogue message for the person at the shell: Thai first, then English. A parameter
    given as {"th": …, "en": …} takes each language's own value (a Buddhist-Era date, say)."""
    from ..i18n import translate

    lines = []
    for lang in ("th", "en"):
        values = {k: v[lang] if isinstance(v, dict) else v for k, v in params.items()}
        lines.append(translate(key, lang, **values))
    print(lines[0] if lines[0] == lines[1] else "\n".join(lines), file=file or sys.stdout)


def warn_exposed(settings: Settings) -> None:
    """Name on stderr each private file or folder that other accounts can reach, with its fix."""
    from ..files import exposed_files, fix_command

    for path in exposed_files(settings):
        say("files.exposed", file=sys.stderr, path=str(path), command=fix_command(path))


def system_actor():
    """The machine's administrator at the shell: acts as an admin, with no account (see
    kiosk.services.staff.SYSTEM_ID); the audit log names them "cli"."""
    from ..services.staff import SYSTEM_ID, Actor

    return Actor(SYSTEM_ID, "cli", "", "admin", "cli")
