"""`kiosk.py adduser USER --lao PREFIX`: an account under one LAO; without it, the whole centre."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from db.models import Organization, Staff
from kiosk.config import parse_settings
from kiosk.services.setup import open_kiosk
from tests.conftest import write_config

ROOT = Path(__file__).resolve().parents[2]


def adduser(config: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    return subprocess.run([sys.executable, str(ROOT / "kiosk.py"), "--config", str(config), "adduser", *args],
                          input="password-123\n", capture_output=True, text=True, timeout=60, env=env, cwd=ROOT)


def test_adduser_puts_the_account_under_its_lao(tmp_path):
    config = write_config(tmp_path)
    made = adduser(config, "kim", "--lao", "wpk")
    assert made.returncode == 0 and "kim (officer, WPK)" in made.stdout, made.stderr
    wrong = adduser(config, "lee", "--lao", "XYZ")
    assert wrong.returncode != 0 and "ไม่พบ อปท. ที่ระบุ" in wrong.stderr and "Traceback" not in wrong.stderr
    assert adduser(config, "joint").returncode == 0
    connection = open_kiosk(parse_settings(config, config.read_text(encoding="utf-8"), environ={}))
    try:
        wpk = Organization.get(Organization.ticket_prefix == "WPK").id
        assert {s.username: s.organization_id for s in Staff.select()} == {"kim": wpk, "joint": None}
    finally:
        connection.close()
