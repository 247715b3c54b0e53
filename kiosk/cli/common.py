"""Helpers shared by commands: settings from --config, and an opened database."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..config import Settings, load_settings
from ..services.setup import open_kiosk


def settings_from(args: argparse.Namespace, *, create_sample: bool = False) -> Settings:
    return load_settings(Path(args.config) if args.config else None, create_sample=create_sample)


def open_from(args: argparse.Namespace, *, create_sample: bool = False) -> Settings:
    """Load settings and open, migrate and sync the database they name."""
    settings = settings_from(args, create_sample=create_sample)
    open_kiosk(settings)
    return settings
