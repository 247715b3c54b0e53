"""Benchmark of the staff console at 100,000 cases: p95 of opening the queue, applying filters
and opening a case — at the service layer, and through the UI with Pilot (80×24) in a separate
process whose peak RSS is reported (VmHWM: what one SSH staff session costs).

    uv run python tests/bench/staff.py [--cases 100000] [--runs 40]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

from db.connection import write_transaction  # noqa: E402
from db.models import Case, Organization, Person, utcnow  # noqa: E402
from db.reference import CATEGORIES  # noqa: E402
from kiosk.config import parse_settings  # noqa: E402
from kiosk.services import case_view, queue  # noqa: E402
from kiosk.services import staff as staff_service  # noqa: E402
from kiosk.services.demo import DESCRIPTIONS, fake_people  # noqa: E402
from kiosk.services.queue import QueueFilter  # noqa: E402
from kiosk.services.setup import open_kiosk  # noqa: E402
from tests.conftest import write_config  # noqa: E402

PASSWORD = "bench-password-1"
FILTERS = {
    "open": QueueFilter(status="open"),
    "area+moo": QueueFilter(status="open", area="quality_of_life", moo=3),
    "subtype": QueueFilter(subtype="flood"),
    "urgent-first": QueueFilter(status="open", sort="urgency"),
    "waiting>30d": QueueFilter(older_than_days=30),
    "mine": QueueFilter(mine=True),
    "ticket": QueueFilter(query="WPK-69-04321"),
}


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] * 1000 if len(samples) > 1 else samples[0] * 1000


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def fill(n: int) -> None:
    """n people and n cases, inserted in bulk inside one transaction."""
    rng = random.Random(2569)
    org = Organization.get(Organization.ticket_prefix == "WPK")
    subtypes = [s for _a, (_b, subs) in CATEGORIES.items() for s in subs]
    statuses = ["received"] * 4 + ["more_info", "field_check", "awaiting_committee", "approved", "helped", "closed",
                                   "not_approved", "referred"]
    officer = staff_service.login("officer", PASSWORD)
    now = utcnow()
    start = time.perf_counter()
    with write_transaction():
        first_person = (Person.select(Person.id).order_by(Person.id.desc()).scalar() or 0) + 1
        people = []
        for i, p in enumerate(fake_people(n, seed=7)):
            people.append(dict(organization=org.id, prefix=p.prefix, first_name=p.first_name, last_name=p.last_name,
                               doc_type=p.doc_type, doc_number=p.doc_number, phone=p.phone, house_no=p.house_no,
                               moo=p.moo, village=p.village, subdistrict_code=p.subdistrict_code,
                               name_plain=f"{p.first_name} {p.last_name}", created_at=now, updated_at=now))
            if len(people) == 1000:
                Person.insert_many(people).execute()
                people = []
        if people:
            Person.insert_many(people).execute()
        rows = []
        for i in range(1, n + 1):
            sub = rng.choice(subtypes)
            created = now - timedelta(minutes=rng.randrange(0, 365 * 24 * 60))
            rows.append(dict(organization=org.id, ticket_no=f"WPK-69-{i:05d}", year_be=2569, seq=i,
                             token=f"bench{i:010d}", short_code=f"B{i:07d}", category=sub,
                             status=rng.choice(statuses), channel="counter", requester=first_person + i - 1,
                             subject=first_person + i - 1, description=DESCRIPTIONS.get(sub, "ขอความช่วยเหลือ"),
                             urgency=rng.choice(("normal",) * 6 + ("urgent", "emergency")),
                             assigned_to=officer.id if rng.random() < 0.05 else None,
                             created_at=created, updated_at=created))
            if len(rows) == 1000:
                Case.insert_many(rows).execute()
                rows = []
        if rows:
            Case.insert_many(rows).execute()
    print(f"inserted {n:,} people + {n:,} cases in {time.perf_counter() - start:.1f} s")


def service_bench(runs: int) -> None:
    actor = staff_service.login("officer", PASSWORD)
    ids = [c for (c,) in Case.select(Case.id).order_by(Case.id).tuples()]
    rng = random.Random(1)
    print(f"service layer, {runs} runs each (p95 ms):")
    print(f"  open queue (page 1, all open)   {p95(timed(lambda: queue.list_cases(actor, FILTERS['open']), runs)):7.1f}")
    print(f"  open queue, page 500            "
          f"{p95(timed(lambda: queue.list_cases(actor, FILTERS['open'], page=500), runs)):7.1f}")
    for name, flt in FILTERS.items():
        print(f"  filter {name:<24} {p95(timed(lambda f=flt: queue.list_cases(actor, f), runs)):7.1f}")
    print(f"  open case (detail + audit)      "
          f"{p95(timed(lambda: case_view.case_detail(actor, rng.choice(ids)), runs)):7.1f}")


async def ui_bench(settings, runs: int) -> None:
    from textual.widgets import DataTable, Select

    from screens.app import make_app

    app = make_app(settings, "staff", "th")

    async def settle(pilot):
        for _ in range(2):
            await app.workers.wait_for_complete()
            await pilot.pause()

    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#login-username").value = "officer"
        app.screen.query_one("#login-password").value = PASSWORD
        app.screen.query_one("#login-password").focus()
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert type(screen).__name__ == "QueueScreen", screen
        opened, filtered, cases, idle = [], [], [], []
        urgency = screen.query_one("#q-urgency", Select)
        for i in range(runs):
            start = time.perf_counter()
            await settle(pilot)  # nothing to do: the cost of waiting for Pilot itself
            idle.append(time.perf_counter() - start)

            start = time.perf_counter()
            screen.action_reload()
            await settle(pilot)
            opened.append(time.perf_counter() - start)

            start = time.perf_counter()
            urgency.value = "urgent" if i % 2 == 0 else "emergency"
            await settle(pilot)
            filtered.append(time.perf_counter() - start)
            assert screen.query_one(DataTable).row_count > 0

            table = screen.query_one(DataTable)
            table.focus()
            table.move_cursor(row=i % table.row_count)
            start = time.perf_counter()
            await pilot.press("enter")
            await settle(pilot)
            cases.append(time.perf_counter() - start)
            assert type(app.screen).__name__ == "CaseDetailScreen" and app.screen.detail is not None
            await pilot.press("escape")
            await settle(pilot)
    print(f"through the UI (Pilot, 80×24), {runs} runs each (p95 ms, includes the screen update):")
    print(f"  (Pilot's own settle, no work)   {p95(idle):7.1f}")
    print(f"  open queue                      {p95(opened):7.1f}")
    print(f"  apply filter (urgency)          {p95(filtered):7.1f}")
    print(f"  open case                       {p95(cases):7.1f}")
    status = Path("/proc/self/status").read_text()
    hwm = next(line for line in status.splitlines() if line.startswith("VmHWM"))
    rss = next(line for line in status.splitlines() if line.startswith("VmRSS"))
    print(f"staff process memory: peak {int(hwm.split()[1]) / 1024:.1f} MiB (VmHWM), "
          f"now {int(rss.split()[1]) / 1024:.1f} MiB (VmRSS)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--ui", metavar="CONFIG", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.ui:
        path = Path(args.ui)
        settings = parse_settings(path, path.read_text(encoding="utf-8"), environ={})
        open_kiosk(settings)
        asyncio.run(ui_bench(settings, args.runs))
        return
    with tempfile.TemporaryDirectory() as tmp:
        config = write_config(Path(tmp))
        settings = parse_settings(config, config.read_text(encoding="utf-8"), environ={})
        db = open_kiosk(settings)
        system = staff_service.Actor(0, "bench", "", "admin", "cli")
        staff_service.create_staff("officer", PASSWORD, "officer", by=system)
        fill(args.cases)
        db.execute_sql("ANALYZE")
        service_bench(args.runs)
        db.close()
        subprocess.run([sys.executable, __file__, "--ui", str(config), "--runs", str(args.runs)], check=True)


if __name__ == "__main__":
    main()
