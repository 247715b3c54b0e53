"""Benchmark of the monthly INFO report (`kiosk.py export`) at a busy month: 10,000 requests in
October 2569 (a third of them helped, with amounts; people spread over 12 หมู่), 2,000 survey
records, and 12 months of history for the chart. Each format is exported by a child process of
its own; prints the export's seconds and CPU seconds (measured in the child, start-up not
included; CPU time says more than the clock on a shared machine), the whole process's seconds and
the child's peak RSS.

    uv run python tests/bench/export.py [--cases 10000] [--database-url URL]

Target (issue 14): ≤ 2 s for XLSX and ≤ 3 s for PDF on SQLite.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

SUBTYPES = ("flood", "storm", "fire", "elderly", "disability", "bedbound_patient", "low_income", "home_repair",
            "survival_bag", "human_disease", "info_advice", "complaint_report")
OCT_START = datetime(2026, 9, 30, 17, 0)  # 1 Oct 2569 00:00 in Bangkok, as naive UTC


def seed(n_cases: int, n_surveys: int, rng: random.Random) -> None:
    """Insert the month in one transaction."""
    from db.connection import write_transaction
    from db.models import Case, CaseEvent, Organization, Person, SurveyRecord
    from kiosk.services.demo import fake_people

    org = Organization.get(Organization.ticket_prefix == "WPK")
    person_fields = ("organization", "prefix", "first_name", "last_name", "doc_type", "doc_number", "birth_date",
                     "phone", "house_no", "moo", "village", "subdistrict_code", "created_at", "updated_at")
    def inserter(model):  # peewee fills the columns' defaults
        return lambda **values: model.insert(**values).execute()

    add_person, add_case, add_event, add_survey = (inserter(m) for m in (Person, Case, CaseEvent, SurveyRecord))
    people = fake_people(2 * n_cases + n_surveys, seed=2569)
    with write_transaction():
        total = n_cases + n_cases // 2  # the month, and half as many again over the 11 months before
        for i in range(total):
            seq = i + 1
            p = next(people)
            when = (OCT_START + timedelta(seconds=rng.randrange(31 * 86400)) if i < n_cases
                    else OCT_START - timedelta(days=rng.randrange(1, 335)))
            pid = add_person(organization=org.id, **{k: getattr(p, k) for k in person_fields[1:-2]},
                             created_at=when, updated_at=when)
            helped = i < n_cases and rng.random() < 0.33
            cid = add_case(organization=org.id, ticket_no=f"WPK-69-{seq:05d}", year_be=2569, seq=seq,
                           token=f"t{seq:08d}", short_code=f"{seq:08d}", category=rng.choice(SUBTYPES),
                           status="helped" if helped else rng.choice(("received", "field_check", "closed")),
                           channel=rng.choice(("counter", "counter", "phone", "line", "kiosk")), requester=pid,
                           subject=pid, description="ทดสอบ", version=2 if helped else 1, created_at=when,
                           updated_at=when)
            add_event(case=cid, at=when, action="create", from_status=None, to_status="received", public_note="",
                      internal_note="", amount=None, data="")
            if helped:
                at = min(when + timedelta(days=rng.randrange(0, 10)), OCT_START + timedelta(days=30, hours=23))
                add_event(case=cid, at=at, action="deliver", from_status="approved", to_status="helped",
                          public_note="มอบแล้ว", internal_note="", amount=Decimal(rng.randrange(500, 3001)),
                          data='{"version": 2}')
        for _ in range(n_surveys):
            p = next(people)
            pid = add_person(organization=org.id, **{k: getattr(p, k) for k in person_fields[1:-2]},
                             created_at=OCT_START, updated_at=OCT_START)
            add_survey(organization=org.id, person=pid, team="อสม.", surveyed_on=date(2026, 10, rng.randrange(1, 32)),
                       vulnerabilities="elderly", needs="survival_bag", living_situation="alone", notes="",
                       consent=True, legal_basis="public_task", created_at=OCT_START, updated_at=OCT_START)


def child(config: str, fmt: str, out: str) -> None:
    """One export, timed here (the parent reads this process's peak RSS when it ends)."""
    from kiosk.config import parse_settings
    from kiosk.services import info_files
    from kiosk.services.info_report import Month
    from kiosk.services.setup import open_kiosk
    from kiosk.services.staff import SYSTEM_ID, Actor

    settings = parse_settings(Path(config), Path(config).read_text(encoding="utf-8"), environ={})
    open_kiosk(settings)
    start, cpu = time.perf_counter(), time.process_time()
    done = info_files.export(Actor(SYSTEM_ID, "cli", "", "admin", "cli"), Month(2026, 10), fmt, Path(out),
                             home=settings.home, centre=settings.centre_name("th"))
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    size = sum(p.stat().st_size for p in done.paths)
    print(f"{took:.2f} {cpu:.2f} {done.cases} {done.surveys} {size}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--surveys", type=int, default=2_000)
    ap.add_argument("--database-url", default="")
    ap.add_argument("--child", nargs=3, metavar=("CONFIG", "FORMAT", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return

    from kiosk.config import parse_settings
    from kiosk.services.setup import open_kiosk
    from tests.conftest import write_config

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        config = write_config(folder, database_url=args.database_url or None)
        settings = parse_settings(config, config.read_text(encoding="utf-8"), environ={})
        db = open_kiosk(settings)
        start = time.perf_counter()
        seed(args.cases, args.surveys, random.Random(2569))
        print(f"seeded {args.cases:,} requests in October 2569 (+{args.cases // 2:,} earlier), {args.surveys:,} "
              f"survey records in {time.perf_counter() - start:.1f} s")
        db.close()
        out = folder / "out"
        out.mkdir()
        for fmt in ("xlsx", "csv", "pdf"):
            start = time.perf_counter()
            proc = subprocess.Popen([sys.executable, __file__, "--child", str(config), fmt, str(out)],
                                    stdout=subprocess.PIPE, text=True)
            output = proc.stdout.read()
            _pid, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            wall = time.perf_counter() - start
            if proc.returncode != 0:
                raise SystemExit(f"{fmt}: export failed ({proc.returncode})")
            took, cpu, cases, surveys, size = output.split()
            print(f"{fmt:>4}: export {float(took):.2f} s ({float(cpu):.2f} s CPU; {cases} requests, {surveys} survey "
                  f"records, {int(size) / 1e6:.1f} MB); the whole process {wall:.2f} s; "
                  f"peak RSS {usage.ru_maxrss / 1024:.0f} MiB")
    print("targets: XLSX ≤ 2 s, PDF ≤ 3 s on SQLite")


if __name__ == "__main__":
    main()
