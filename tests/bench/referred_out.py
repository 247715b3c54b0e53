"""What the sending LAO's read access to referred cases costs (kiosk.services.scope.referred_out_ids):
a joint centre of 2 LAOs, N cases with 3 timeline steps each, 1 % of them referred from LAO A to
LAO B (the `refer` step names its sender in case_event.referred_from, schema 9). Prints p50/p95
(ms) for an officer of A: the plain queue (unchanged: one indexed condition), the referred-out
ids alone, the "referred out" list, a search by ticket (which also admits referred cases), and
the ticket look-up. SQLite by default; --url postgresql://… for a PostgreSQL database.

    uv run python tests/bench/referred_out.py [--cases 100000] [--runs 30] [--url URL]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

from db.bulk import chunks  # noqa: E402
from db.connection import write_transaction  # noqa: E402
from db.models import Case, CaseEvent, Organization, database, utcnow  # noqa: E402
from kiosk.config import parse_settings  # noqa: E402
from kiosk.services import case_view, queue, scope  # noqa: E402
from kiosk.services.queue import QueueFilter  # noqa: E402
from kiosk.services.setup import open_kiosk  # noqa: E402
from kiosk.services.staff import Actor  # noqa: E402
from tests.conftest import write_config  # noqa: E402

SECOND = '''
[[lao]]
subdistrict_code = "570903"
name_th = "องค์การบริหารส่วนตำบลโป่งผา"
kind = "sao"
ticket_prefix = "PPA"
'''


def fill(n: int) -> tuple[int, int, str]:
    a = Organization.get(Organization.ticket_prefix == "WPK").id
    b = Organization.get(Organization.ticket_prefix == "PPA").id
    now = utcnow()
    cases = []
    for i in range(1, n + 1):
        referred = i % 100 == 0
        org, prefix = (a, "WPK") if i % 2 or referred else (b, "PPA")
        cases.append({"organization": b if referred else org, "ticket_no": f"{prefix}-69-{i:05d}", "year_be": 2569,
                      "seq": i, "token": f"t{i:012d}", "short_code": f"{i:08d}", "category": "flood",
                      "status": "awaiting_reply" if referred else "received", "channel": "counter",
                      "created_at": now, "updated_at": now})
    with write_transaction():
        for part in chunks(cases, 500):
            Case.insert_many(part).execute()
    ids = [cid for (cid,) in Case.select(Case.id).order_by(Case.id).tuples()]
    events = []
    for i, cid in enumerate(ids, start=1):
        events += [{"case": cid, "action": "received", "to_status": "received", "at": now, "referred_from": None,
                    "data": ""},
                   {"case": cid, "action": "note", "at": now, "referred_from": None,
                    "data": json.dumps({"version": 2})}]
        if i % 100 == 0:
            events.append({"case": cid, "action": "refer", "to_status": "awaiting_reply", "at": now,
                           "referred_from": a,
                           "data": json.dumps({"version": 3, "refer_to": "lao:PPA", "from_lao": "WPK",
                                               "refer_to_name": "อบต.โป่งผา"}, ensure_ascii=False)})
        else:
            events.append({"case": cid, "action": "note", "at": now, "referred_from": None,
                           "data": json.dumps({"version": 3})})
    with write_transaction():
        for part in chunks(events, 500):
            CaseEvent.insert_many(part).execute()
    return a, b, f"WPK-69-{100:05d}"


def timed(label: str, runs: int, call) -> None:
    took = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        took.append((time.perf_counter() - start) * 1000)
    took.sort()
    print(f"{label:<40} p50 {statistics.median(took):7.1f} ms   p95 {took[int(len(took) * 0.95) - 1]:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = write_config(Path(folder), database_url=args.url, extra=SECOND)
        open_kiosk(parse_settings(path, path.read_text(encoding="utf-8"), environ={}))
        a, _b, ticket = fill(args.cases)
        database.execute_sql("ANALYZE")  # as the migrations leave it: the planner knows the indexes
        officer = Actor(0, "bench", "", "officer", "bench", (a,), ("WPK",))
        print(f"{args.cases:,} cases, {CaseEvent.select().count():,} steps, "
              f"{CaseEvent.select().where(CaseEvent.action == 'refer').count():,} referrals")
        timed("queue (own LAO, open)", args.runs, lambda: queue.list_cases(officer, QueueFilter(status="open")))
        timed("queue: referred out", args.runs, lambda: queue.list_cases(officer, QueueFilter(referred_out=True)))
        timed("scope.referred_out_ids", args.runs, lambda: scope.referred_out_ids(officer))
        timed("queue: search by ticket", args.runs,
              lambda: queue.list_cases(officer, QueueFilter(query=ticket, status="")))
        timed("ticket look-up (referred case)", args.runs, lambda: case_view.case_id_for_ticket(officer, ticket))
        page = queue.list_cases(officer, QueueFilter(referred_out=True))
        assert page.total == args.cases // 100 and page.rows[0].held_by == "PPA", page.total


if __name__ == "__main__":
    main()
