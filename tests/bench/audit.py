"""Benchmark the tamper-evident audit log and backups on SQLite (and PostgreSQL when reachable):
the cost of one chained audit row (p50/p95 over --rows appends, each its own transaction, as a
case view writes one), `audit-verify`'s walk over --log rows, and `backup` of that database.
Prints figures; asserts nothing.

    uv run python tests/bench/audit.py [--rows 2000] [--log 100000] [--no-postgres]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import kiosk  # noqa: E402,F401  (sets PYTHAINLP_OFFLINE / READ_ONLY)
from db.connection import write_transaction  # noqa: E402
from kiosk.config import parse_settings  # noqa: E402
from kiosk.services import audit  # noqa: E402
from kiosk.services.backup import backup  # noqa: E402
from kiosk.services.setup import open_kiosk  # noqa: E402
from tests.conftest import write_config  # noqa: E402

PG_ADMIN_URL = os.environ.get("KIOSK_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def one_row(i: int) -> None:
    audit.record("person_view", actor="officer", target_type="person", target_id=i, detail="WPK-69-00001",
                 client="ssh:10.0.0.5")


def run(name: str, url: str | None, rows: int, log: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="kiosk-bench-audit-"))
    path = write_config(folder, database_url=url)
    settings = parse_settings(path, path.read_text(encoding="utf-8"), environ={})
    db = open_kiosk(settings)
    times = []
    for i in range(rows):
        start = time.perf_counter()
        one_row(i)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(f"{name}: one audit row p50 {statistics.median(times):.3f} ms, p95 {times[int(len(times) * .95)]:.3f} ms")
    start = time.perf_counter()
    for first in range(rows, log, 1000):
        with write_transaction():
            for i in range(first, min(first + 1000, log)):
                one_row(i)
    print(f"{name}: filled to {log:,} rows in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    report = audit.verify_chain()
    print(f"{name}: verify_chain over {report.checked:,} rows: {time.perf_counter() - start:.2f} s (ok={report.ok})")
    if url is None or shutil.which("pg_dump"):
        start = time.perf_counter()
        result = backup(settings, folder / "bench-backup")
        size = result.path.stat().st_size / 2**20
        print(f"{name}: backup {size:.1f} MiB with its checks: {time.perf_counter() - start:.2f} s")
    db.close()
    shutil.rmtree(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--log", type=int, default=100_000)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    run("SQLite", None, args.rows, args.log)
    if args.no_postgres:
        return
    import psycopg

    name = f"kiosk_bench_{uuid.uuid4().hex[:8]}"
    try:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        print(f"PostgreSQL not reachable ({exc}); skipped")
        return
    try:
        run("PostgreSQL", f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}", args.rows, args.log)
    finally:
        from db.models import database

        database.close()
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
