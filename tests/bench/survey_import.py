"""Benchmark of `kiosk.py import-survey` at field scale: a 20,000-row XLSX (households of one to
five members; Thai names, valid national IDs, BE dates, vulnerabilities, needs, GPS) read and
imported into a fresh centre in one transaction, then imported again (nothing added). Prints
rows/s of each import and the process's peak RSS. The file is written by a child process, so the
peak is the import's own.

    uv run python tests/bench/survey_import.py [--rows 20000] [--database-url URL]

Target (issue 13): ≥ 2,000 rows/s on SQLite, ≤ 200 MiB RSS.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

VULNERABILITIES = ("elderly", "bedbound", "chronic_illness", "low_income", "disability_movement", "pregnant")
NEEDS = ("survival_bag", "home_repair", "bedbound_patient", "elderly")


def write_file(path: Path, n_rows: int, seed: int = 2569) -> None:
    """The survey file, as a spreadsheet program saves it (with its <dimension>: openpyxl's
    write-only mode leaves it out, and a reader then scans the whole sheet once more to size it)."""
    from openpyxl import Workbook

    from kiosk.services.demo import fake_people
    from kiosk.services.survey_rows import COLUMNS
    from kiosk.services.survey_sheet import header
    from kiosk.thai.dates import format_be_date

    rng = random.Random(seed)
    book = Workbook()
    sheet = book.active
    sheet.title = "แบบสำรวจ"
    sheet.append([header(c) for c in COLUMNS])
    seen: set[str] = set()
    people = fake_people(3 * n_rows, seed)
    household, left, place = 0, 0, {}
    written = 0
    while written < n_rows:
        p = next(people)
        if p.doc_number in seen:
            continue
        seen.add(p.doc_number)
        if left == 0:
            household += 1
            left = rng.randint(1, 5)
            place = dict(house_no=f"{household}/{rng.randint(1, 9)}", moo=rng.randint(1, 12),
                         village=p.village or "บ้านสันทราย", latitude=round(20.3 + rng.random() / 10, 5),
                         longitude=round(99.8 + rng.random() / 10, 5))
        left -= 1
        vulns = rng.sample(VULNERABILITIES, rng.randint(0, 2))
        cells = dict(household_no=household, **place, prefix=p.prefix, first_name=p.first_name,
                     last_name=p.last_name, doc_type="national_id" if p.doc_type == "national_id" else "",
                     doc_number=p.doc_number if p.doc_type == "national_id" else "",
                     birth_date=format_be_date(p.birth_date) if p.birth_date else "", phone=p.phone,
                     vulnerabilities=", ".join(vulns), needs=rng.choice(NEEDS), consent="ใช่",
                     surveyed_on="20/11/2569")
        sheet.append([cells.get(c) for c in COLUMNS])
        written += 1
    book.save(path)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--database-url", default="")
    ap.add_argument("--write-only", metavar="FILE", help=argparse.SUPPRESS)  # the child's job
    args = ap.parse_args()
    if args.write_only:
        write_file(Path(args.write_only), args.rows)
        return

    from kiosk.config import parse_settings
    from kiosk.services import survey_sheet, surveys
    from kiosk.services.setup import open_kiosk
    from kiosk.services.staff import SYSTEM_ID, Actor
    from tests.conftest import write_config

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "survey.xlsx"
        start = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--rows", str(args.rows), "--write-only", str(path)], check=True)
        print(f"wrote {args.rows} rows ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - start:.1f} s")
        config = write_config(folder, database_url=args.database_url or None)
        settings = parse_settings(config, config.read_text(encoding="utf-8"), environ={})
        open_kiosk(settings)
        actor = Actor(SYSTEM_ID, "cli", "", "admin", "cli")
        prefix = settings.host_lao.ticket_prefix
        for run in ("first import", "again"):
            start = time.perf_counter()
            rows, _ = survey_sheet.read_rows(path)  # read as the import goes
            report = surveys.import_rows(actor, prefix, rows, source=path.name)
            took = time.perf_counter() - start
            assert report.imported, report.lines("en")[:5]
            print(f"{run}: {report.rows} rows in {took:.1f} s, reading the file included → "
                  f"{report.rows / took:,.0f} rows/s; households added {report.households_added}, "
                  f"people added {report.people_added}, records added {report.records_added}, "
                  f"unchanged {report.unchanged}")
        start = time.perf_counter()
        rows, _ = survey_sheet.read_rows(path)
        n = sum(1 for _ in rows)
        print(f"(reading alone: {n} rows in {time.perf_counter() - start:.1f} s)")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS {peak:.0f} MiB (targets: ≥ 2,000 rows/s on SQLite, ≤ 200 MiB)")


if __name__ == "__main__":
    main()
