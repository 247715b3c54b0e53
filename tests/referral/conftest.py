"""A joint centre of three member LAOs (the sample's host plus two neighbours of Mae Sai)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import Settings, parse_settings
from kiosk.services.setup import open_kiosk
from tests.conftest import write_config

THREE_LAOS = """
[[lao]]
subdistrict_code = "570901"
name_th = "เทศบาลตำบลแม่สาย"
name_en = "Mae Sai Subdistrict Municipality"
kind = "subdistrict_municipality"
ticket_prefix = "MSI"

[[lao]]
subdistrict_code = "570902"
name_th = "องค์การบริหารส่วนตำบลห้วยไคร้"
name_en = "Huai Khrai SAO"
kind = "sao"
ticket_prefix = "HKR"
"""
PREFIXES = ("WPK", "MSI", "HKR")


def joint_config(folder: Path, database_url: str | None = None, extra: str = "") -> Path:
    return write_config(folder, database_url=database_url, extra=THREE_LAOS + extra)


def _settings(path: Path) -> Settings:
    return parse_settings(path, path.read_text(encoding="utf-8"), environ={})


@pytest.fixture(params=["sqlite", "postgres"])
def joint(request, tmp_path: Path):
    """The joint centre's config file, on a fresh SQLite file or PostgreSQL database, opened and
    bound to the models; yields the config's path."""
    url = None if request.param == "sqlite" else request.getfixturevalue("pg_url")
    path = joint_config(tmp_path, url)
    connection = open_kiosk(_settings(path))
    yield path
    connection.close()
