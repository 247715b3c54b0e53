"""Benchmark a failed staff login: how long a wrong password takes for an unknown username, a
known one and a deactivated one (issue 11: 0.8 ms against 24 ms before the dummy check), on
SQLite and, when reachable, PostgreSQL. Tries alternate so load affects all kinds alike; each
known account's count is reset before a try so no wait cuts the check short. Prints a table;
asserts nothing.

    uv run python tests/bench/login.py [--tries 200] [--no-postgres]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from db.connection import open_database  # noqa: E402
from db.migrations import migrate  # noqa: E402
from db.models import Staff, database  # noqa: E402
from kiosk.errors import PermissionDenied  # noqa: E402
from kiosk.services import staff  # noqa: E402

PG_ADMIN_URL = os.environ.get("KIOSK_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
SYSTEM = staff.Actor(0, "bench", "", "admin")


def measure(tries: int) -> dict[str, list[float]]:
    staff.create_staff("known", "right-password-1", "officer", by=SYSTEM)
    staff.create_staff("gone", "right-password-1", "officer", by=SYSTEM)
    Staff.update(active=False).where(Staff.username == "gone").execute()
    times: dict[str, list[float]] = {"unknown": [], "known": [], "deactivated": []}
    for i in range(tries):
        for kind, name in (("unknown", f"nobody{i}"), ("known", "known"), ("deactivated", "gone")):
            Staff.update(failed_logins=0, locked_until=None).execute()
            start = time.perf_counter()
            try:
                staff.login(name, "wrong-password")
            except PermissionDenied:
                pass
            times[kind].append((time.perf_counter() - start) * 1000)
    return times


def report(label: str, times: dict[str, list[float]]) -> None:
    for kind, values in times.items():
        values = sorted(values)
        p95 = values[int(len(values) * 0.95) - 1]
        print(f"{label:<10} {kind:<12} median {statistics.median(values):6.1f} ms   p95 {p95:6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tries", type=int, default=200)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        open_database(f"sqlite:///{folder}/bench.sqlite3")
        migrate(database.obj)
        report("SQLite", measure(args.tries))
        database.close()
    if args.no_postgres:
        return
    try:
        import psycopg

        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except Exception as exc:  # noqa: BLE001 (a benchmark: say why and stop)
        print(f"PostgreSQL not reachable ({exc}); skipped")
        return
    name = f"kiosk_bench_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        open_database(f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}")
        migrate(database.obj)
        report("PostgreSQL", measure(args.tries))
        database.close()
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


if __name__ == "__main__":
    main()
