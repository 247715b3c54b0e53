"""Benchmark of the survey register at field scale: 20,000 surveyed people (households of one to
five, หมู่ 1–12, three teams, survey dates over three years, vulnerabilities) imported into a
fresh centre, then the register's reads timed as the staff screen and `kiosk.py survey-export`
make them: counts by หมู่, vulnerability and team, a filtered page, every person, and each export
format of the whole register. Prints the times and the peak RSS; asserts nothing about speed.

    uv run python tests/bench/survey_register.py [--rows 20000] [--database-url URL] [--formats xlsx,csv,...]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

VULNERABILITIES = ("bedbound", "chronic_illness", "low_income", "disability_movement", "pregnant", "homeless")
TEAMS = ("ทีมเหนือ", "ทีมกลาง", "ทีมใต้")
DATES = ("5/1/2567", "20/6/2567", "1/3/2568", "20/11/2568", "1/6/2569", "20/11/2569")


def rows(n: int, seed: int = 2569):
    from kiosk.services.demo import fake_people
    from kiosk.thai.dates import format_be_date

    rng = random.Random(seed)
    people = fake_people(3 * n, seed)
    seen: set[str] = set()
    household, left, place, written = 0, 0, {}, 0
    while written < n:
        p = next(people)
        if p.doc_number in seen:
            continue
        seen.add(p.doc_number)
        if left == 0:
            household += 1
            left = rng.randint(1, 5)
            moo = rng.randint(1, 12)
            place = dict(house_no=f"{household}/{moo}", moo=str(moo), village=f"บ้านหมู่{moo}",
                         team=TEAMS[moo % 3], surveyed_on=rng.choice(DATES),
                         latitude=str(round(20.3 + rng.random() / 10, 5)) if household % 5 else "",
                         longitude=str(round(99.8 + rng.random() / 10, 5)) if household % 5 else "")
        left -= 1
        written += 1
        yield written + 1, dict(
            household_no=str(household), **place, prefix=p.prefix, first_name=p.first_name, last_name=p.last_name,
            doc_number=p.doc_number if p.doc_type == "national_id" else "",
            birth_date=format_be_date(p.birth_date) if p.birth_date else "", phone=p.phone,
            vulnerabilities=",".join(rng.sample(VULNERABILITIES, rng.randint(0, 2))), consent="ใช่")


def timed(label: str, call):
    start = time.perf_counter()
    result = call()
    print(f"{label:<48} {1000 * (time.perf_counter() - start):8.0f} ms")
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--database-url", default="")
    ap.add_argument("--formats", default="xlsx,csv,geojson,pdf", help="the exports to time (pdf takes minutes)")
    args = ap.parse_args()

    from kiosk.config import parse_settings
    from kiosk.services import survey_export, survey_register, surveys
    from kiosk.services.setup import open_kiosk
    from kiosk.services.staff import SYSTEM_ID, Actor
    from kiosk.services.survey_register import RegisterFilter
    from kiosk.services.survey_rows import COLUMNS
    from tests.conftest import write_config

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        config = write_config(folder, database_url=args.database_url or None)
        settings = parse_settings(config, config.read_text(encoding="utf-8"), environ={})
        open_kiosk(settings)
        actor = Actor(SYSTEM_ID, "cli", "", "admin", "cli")
        prefix = settings.host_lao.ticket_prefix
        for name in TEAMS:
            surveys.create_team(actor, prefix, name, "other")
        report = timed(f"import {args.rows:,} people", lambda: surveys.import_rows(
            actor, prefix, ((line, {c: cells.get(c) for c in COLUMNS}) for line, cells in rows(args.rows))))
        assert report.imported, report.lines("en")[:5]
        print(f"register: {survey_register.count(actor):,} people")
        for grouping in survey_register.GROUPINGS:
            timed(f"counts by {grouping}", lambda g=grouping: survey_register.counts(actor, g))
        page = timed("page: bedridden in หมู่ 3 (audited)", lambda: survey_register.people(
            actor, RegisterFilter(moo=3, vulnerability="bedbound")))
        print(f"  → {page.total} people")
        page = timed("page: everyone, first 500 + count (audited)", lambda: survey_register.people(actor))
        timed("page: not surveyed for 12 months", lambda: survey_register.people(actor, RegisterFilter(months=12)))
        timed("every person (people_rows)", lambda: sum(1 for _ in survey_register.people_rows(actor)))
        for fmt in (f for f in survey_export.FORMATS if f in args.formats.split(",")):
            result = timed(f"export {fmt}, everyone", lambda f=fmt: survey_export.export(
                actor, f, folder / "exports", centre="ศูนย์ทดสอบ"))
            print(f"  → {result.people:,} people, {result.path.stat().st_size / 1e6:.1f} MB")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS {peak:.0f} MiB")


if __name__ == "__main__":
    main()
