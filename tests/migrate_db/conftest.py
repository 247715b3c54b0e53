"""Centres to move: a sample centre (WPK) or a second LAO's (NKL), each on its own SQLite file
(whatever KIOSK_TEST_DB says: migrate-db copies from SQLite), filled by kiosk.services.demo."""

from __future__ import annotations

from pathlib import Path

import psycopg

from db.models import Announcement, Organization, database
from kiosk.config import parse_settings
from kiosk.services import audit, demo
from kiosk.services.setup import open_kiosk
from tests.conftest import write_config

NKL = {"570906": "570907", "เทศบาลตำบลเวียงพางคำ": "องค์การบริหารส่วนตำบลหนองแก้ว",
       "Wiang Phang Kham Subdistrict Municipality": "Nong Kaeo SAO", '"subdistrict_municipality"': '"sao"',
       '"WPK"': '"NKL"'}
TABLES = ("organization", "staff", "person", "case", "case_event", "announcement", "survey_team",
          "survey_team_member", "household", "household_member", "survey_record", "survey_change", "info_mark",
          "audit_log", "ticket_counter", "person_search", "case_search")


def centre_config(folder: Path, prefix: str = "WPK") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    path = write_config(folder, database_url=f"sqlite:///{folder}/kiosk.sqlite3")
    if prefix == "NKL":
        text = path.read_text(encoding="utf-8")
        for old, new in NKL.items():
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


def settings_of(path: Path):
    return parse_settings(path, path.read_text(encoding="utf-8"), environ={})


def fill_centre(path: Path, cases: int = 20, households: int = 3) -> None:
    """Demo accounts, cases with history, survey households, an announcement and audited views."""
    settings = settings_of(path)
    db = open_kiosk(settings)
    prefix = settings.host_lao.ticket_prefix
    demo.ensure_demo_staff()
    if cases:
        demo.fill(prefix, cases, spread_days=30)
    if households:
        demo.fill_surveys(prefix, households)
    Announcement.create(title=f"ประกาศ {prefix}", body_md="น้ำประปาหยุดไหลวันเสาร์",
                        organization=Organization.get(Organization.ticket_prefix == prefix))
    Announcement.create(title="ประกาศทั้งศูนย์", body_md="x")
    audit.record("case_view", actor="officer", target_type="case", target_id=1, client="test")
    db.close()


def add_cases(path: Path, n: int) -> None:
    settings = settings_of(path)
    db = open_kiosk(settings)
    demo.fill(settings.host_lao.ticket_prefix, n, seed=7)
    db.close()


def snapshot(url: str) -> dict[str, object]:
    """Rows per table, the audit head and what migrate_map holds: the target "as it was"."""
    with psycopg.connect(url) as conn:
        have = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
        out: dict[str, object] = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                                  for t in TABLES if t in have}
        if "audit_head" in have:
            out["audit_head"] = conn.execute("SELECT last_id, chain_hash FROM audit_head").fetchall()
        out["migrate_map"] = (conn.execute("SELECT count(*) FROM migrate_map").fetchone()[0]
                              if "migrate_map" in have else None)
    return out


def close_bound() -> None:
    if database.obj is not None and not database.is_closed():
        database.close()
