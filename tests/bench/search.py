"""Benchmark Thai search: 200,000 generated people (kiosk.services.demo names and villages), then
p50/p95 of a name search typed with and without tone marks, of a misspelt name (phonetic), and
of an ID lookup, on SQLite and, when reachable, PostgreSQL. Prints a table; asserts nothing.

    uv run python tests/bench/search.py [--people 200000] [--queries 300] [--no-postgres]

Targets (issue 3): name search p95 ≤ 30 ms, ID lookup p95 ≤ 2 ms on SQLite.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from functools import cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import kiosk  # noqa: E402,F401  (sets PYTHAINLP_OFFLINE / READ_ONLY)
from db.connection import is_postgres, open_database  # noqa: E402
from db.migrations import migrate  # noqa: E402
from db.models import Organization, Person, database, utcnow  # noqa: E402
from db.search_index import person_text  # noqa: E402
from kiosk.services import search  # noqa: E402
from kiosk.services.demo import fake_people  # noqa: E402
from kiosk.services.people import search_keys  # noqa: E402
from kiosk.thai.ids import format_national_id  # noqa: E402
from kiosk.thai.names import strip_marks  # noqa: E402

PG_ADMIN_URL = os.environ.get("KIOSK_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
BATCH = 2_000  # rows a statement (PostgreSQL takes at most 65,535 parameters)
MISSPELL = {"ณัฐ": "นัท", "บุญ": "บุน", "ศรี": "สี", "ทร์": "", "ธนา": "ทนา", "ษ": "ส"}


@cache
def keys(first: str, last: str) -> dict[str, str]:
    return search_keys(first, last)


def fill(n: int) -> tuple[float, list[tuple[str, str, str]]]:
    """Insert n people (with their index rows) in transactions of BATCH; returns seconds taken and
    (first, last, doc_number) of every person."""
    org = Organization.create(subdistrict_code="570906", name_th="ทดสอบ", kind="sao", ticket_prefix="BEN")
    db = database.obj
    marker = "%s" if is_postgres() else "?"
    index_sql = (f"INSERT INTO person_search (person_id, search_text, name_key) VALUES ({marker}, {marker}, {marker})"
                 if is_postgres() else "INSERT INTO person_search (rowid, search_text, name_key) VALUES (?, ?, ?)")
    everyone, rows, index_rows = [], [], []
    start = time.perf_counter()
    now = utcnow()
    for pid, p in enumerate(fake_people(n, seed=20260), start=1):
        k = keys(p.first_name, p.last_name)
        rows.append(dict(id=pid, organization=org.id, prefix=p.prefix, first_name=p.first_name, last_name=p.last_name,
                         doc_type=p.doc_type, doc_number=p.doc_number, birth_date=p.birth_date, phone=p.phone,
                         house_no=p.house_no, moo=p.moo, village=p.village, subdistrict_code=p.subdistrict_code,
                         created_at=now, updated_at=now, **k))
        index_rows.append((pid, person_text(p.first_name, p.last_name, p.doc_number, p.phone), k["name_key"]))
        everyone.append((p.first_name, p.last_name, p.doc_number))
        if len(rows) == BATCH or pid == n:
            with db.atomic():
                Person.insert_many(rows).execute()
                db.cursor().executemany(index_sql, index_rows)
            rows, index_rows = [], []
    if is_postgres():
        db.execute_sql("SELECT setval(pg_get_serial_sequence('person', 'id'), %s)", (n,))
        db.execute_sql("ANALYZE")
    else:
        db.execute_sql("ANALYZE")
    return time.perf_counter() - start, everyone


def timed(fn, queries: list[str]) -> tuple[float, float, float]:
    """(p50 ms, p95 ms, mean hits) of fn over the queries, after one warm-up call each kind."""
    fn(queries[0])
    times, hits = [], []
    for q in queries:
        t = time.perf_counter()
        result = fn(q)
        times.append((time.perf_counter() - t) * 1000)
        hits.append(len(result) if isinstance(result, list) else int(result is not None))
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], statistics.mean(hits)


def misspell(name: str) -> str:
    for right, wrong in MISSPELL.items():
        name = name.replace(right, wrong)
    return name


def run(label: str, url: str, n: int, n_queries: int) -> list[tuple]:
    db = open_database(url)
    migrate(db)
    built, everyone = fill(n)
    rng = random.Random(7)
    sample = rng.sample(everyone, n_queries)
    with_ids = [p for p in everyone if p[2]]
    full = [f"{first} {last}" for first, last, _ in sample]
    cases = [
        ("name, with tone marks", lambda q: search.people_matching(q), full),
        ("name, without tone marks", lambda q: search.people_matching(q), [strip_marks(q) for q in full]),
        ("name, misspelt (phonetic)", lambda q: search.people_matching(q), [misspell(q) for q in full]),
        ("first name only", lambda q: search.people_matching(q), [first for first, _, _ in sample]),
        ("2-character word", lambda q: search.people_matching(q), ["สม", "บุ", "แก", "นั", "ทอ"] * (n_queries // 5)),
        ("ID lookup (dashes)", search.find_person_by_id_number,
         [format_national_id(p[2]) for p in rng.sample(with_ids, n_queries)]),
        ("ID in search box", lambda q: search.people_matching(q), [p[2] for p in rng.sample(with_ids, n_queries)]),
    ]
    out = [(label, name, *timed(fn, qs)) for name, fn, qs in cases]
    db.close()
    print(f"{label}: built {n:,} people with their index in {built:.1f} s", flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        results += run("SQLite", f"sqlite:///{folder}/bench.sqlite3", args.people, args.queries)
    if not args.no_postgres:
        try:
            import psycopg

            admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
        except Exception as exc:  # noqa: BLE001 — any failure means "not reachable"
            print(f"PostgreSQL not reachable ({exc}); skipped")
        else:
            name = f"kiosk_bench_{uuid.uuid4().hex[:8]}"
            admin.execute(f'CREATE DATABASE "{name}"')
            try:
                results += run("PostgreSQL", f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}", args.people, args.queries)
            finally:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                admin.close()
    print(f"\n{'database':<11} {'query':<27} {'p50 ms':>8} {'p95 ms':>8} {'hits':>6}")
    for label, name, p50, p95, hits in results:
        print(f"{label:<11} {name:<27} {p50:>8.2f} {p95:>8.2f} {hits:>6.1f}")
    print("\ntargets (SQLite): name p95 <= 30 ms, ID lookup p95 <= 2 ms")


if __name__ == "__main__":
    main()
