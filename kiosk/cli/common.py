"""Helpers shared by commands: settings from --config, and an opened database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..config import Settings, load_settings


def settings_from(args: argparse.Namespace, *, create_sample: bool = False) -> Settings:
    return load_settings(Path(args.config) if args.config else None, create_sample=create_sample)


def open_from(args: argparse.Namespace, *, create_sample: bool = False, warn: bool = True) -> Settings:
    """Load settings and open, migrate and sync the database they name; with `warn`, name on
    stderr the private files that other accounts can reach."""
    settings = settings_from(args, create_sample=create_sample)
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
    """A catalogue message for people at a shell: Thai first, then English."""
    from ..i18n import translate

    th, en = translate(key, "th", **params), translate(key, "en", **params)
    print(th, file=file or sys.stdout)
    if en != th:
        print(en, file=file or sys.stdout)


def warn_exposed(settings: Settings) -> None:
    """Name on stderr each private file or folder that other accounts can reach, with its fix."""
    from ..files import exposed_files, fix_command

    for path in exposed_files(settings):
        say("files.exposed", file=sys.stderr, path=str(path), command=fix_command(path))
