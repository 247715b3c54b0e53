"""Benchmark `kiosk.py migrate-db`: the demo centre plus --cases more (default 10,000) on SQLite,
copied into a fresh PostgreSQL database (the command as a user runs it, in a subprocess), then
run again (nothing new: the re-run's cost is reading and verifying). Prints figures; asserts
nothing.

    uv run python tests/bench/migrate_db.py [--cases 10000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import kiosk  # noqa: E402,F401  (sets PYTHAINLP_OFFLINE / READ_ONLY)
from kiosk.services import demo  # noqa: E402
from kiosk.services.setup import open_kiosk  # noqa: E402
from tests.migrate_db.conftest import centre_config, fill_centre, settings_of  # noqa: E402

PG_ADMIN_URL = os.environ.get("KIOSK_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000)
    args = parser.parse_args()
    import psycopg

    folder = Path(tempfile.mkdtemp(prefix="kiosk-bench-migrate-"))
    name = f"kiosk_bench_{uuid.uuid4().hex[:8]}"
    url = f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        config = centre_config(folder / "centre")
        start = time.perf_counter()
        fill_centre(config, cases=60, households=15)  # what `kiosk.py demo` makes
        db = open_kiosk(settings_of(config))
        demo.fill("WPK", args.cases, seed=11, spread_days=365)
        db.close()
        with sqlite3.connect(folder / "centre" / "kiosk.sqlite3") as conn:
            rows = sum(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in
                       ("person", "case", "case_event", "household", "household_member", "survey_record",
                        "audit_log", "staff", "announcement"))
        print(f"source: demo + {args.cases:,} cases, {rows:,} rows to copy (made in {time.perf_counter() - start:.0f} s)")
        env = dict(os.environ, KIOSK_CONFIG=str(config))
        for label in ("copy", "re-run (nothing new)"):
            start = time.perf_counter()
            done = subprocess.run([sys.executable, str(ROOT / "kiosk.py"), "migrate-db", "--to", url], cwd=ROOT,
                                  env=env, capture_output=True, text=True)
            took = time.perf_counter() - start
            case_line = next((line for line in done.stdout.splitlines() if line.startswith("case ")), "")
            print(f"migrate-db {label}: {took:.1f} s, exit {done.returncode}; {' '.join(case_line.split())}")
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
