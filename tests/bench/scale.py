"""Benchmark of a province-sized joint centre on PostgreSQL (issue 16): 150 LAOs, 1,000,000 cases
(~3.5 timeline steps each) and 600,000 people, spread unevenly over the LAOs (the largest has
~10 % of everything) and over three years, with their search-index rows and the INFO marks of
every month before the last. Then p50/p95, with one client and with 20 concurrent clients
(processes, as staff consoles and web workers are), of:

- the staff queue of one LAO (kiosk.services.queue.list_cases, an LAO officer, open cases, page 1
  and pages 2-100: by number (OFFSET) and as the screen pages them, next by the sort key),
- a Thai name search (kiosk.services.search.people_matching, and the same name typed in the
  queue's search box),
- a ticket lookup (kiosk.services.public_case.lookup: ticket + last four phone digits, as the
  kiosk's track screen and /track ask),
- an Open311 list page (kiosk.services.open311.list_requests, the public, last 90 days),

and the monthly INFO report of that LAO (kiosk.services.info_report: the dashboard and record list
the INFO screen loads, and the XLSX export), alone and while 19 clients use the queue.

The 20 clients run twice: paced as staff work (--think: each sends a request every second on
average, at random; a request is timed from when it was due, so waiting behind a slow one counts),
which is what the targets are about, and flat out (each sends the next at once), which measures
what the server's cores can answer (answers/s) rather than what a person waits. Each figure
comes with the load average, and each operation with the EXPLAIN (ANALYZE, BUFFERS) of its
slowest statement. Prints figures; asserts nothing.

    uv run python tests/bench/scale.py [--laos 150] [--cases 1000000] [--people 600000]
        [--clients 20] [--think 1] [--runs 400] [--db kiosk_scale] [--keep] [--reuse] [--no-explain]
        [--only "page 1"]

The data is made by the app's own migrations (kiosk.services.setup.open_kiosk) and then
server-side INSERT ... SELECT over generate_series, with the search index built from the same
fold and phonetic key as db/search_index.py (checked on a sample). The generating backend runs
under nice 10 without parallel workers. The database is dropped at the end unless --keep;
--reuse measures an existing one (made with --keep) without generating again.

Targets (issue 16): queue and lookups p95 <= 50 ms, search p95 <= 150 ms, one LAO's monthly
report <= 5 s.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

PG_ADMIN_URL = os.environ.get("KIOSK_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
NOW = datetime(2026, 11, 26, 5, 0)  # naive UTC, as stored: the data ends here
SPAN_DAYS = 3 * 365

# Thai names: the demo's first names (the most common ones) and compounds of common syllables;
# surnames of two or three pieces, as Thai surnames are nearly unique to a family.
FIRST_PIECES = ("สม", "ศรี", "บุญ", "ประ", "ชัย", "พร", "สุ", "วิ", "อนุ", "ธนา", "นิ", "กาญ", "ทวี", "รัตน์",
                "ศักดิ์", "วัฒน์", "ทิพย์", "ดา", "ชา", "กร", "ภา", "ไล", "เพ็ญ", "จันทร์")
LAST_PIECES = ("ศรี", "สุข", "แก้ว", "มณี", "บุญ", "มา", "คำ", "มูล", "ทอง", "วงศ์", "ใหญ่", "แสน", "อินทร์",
               "จันทร์", "ดี", "ใจ", "พรหม", "ไชย", "เรือน", "ธรรม", "สุริย", "นันท", "ปัญญา", "เมือง", "ชัย",
               "วัฒน", "กุล", "รัตน", "พงษ์", "ประเสริฐ", "สม", "เพชร", "ศักดิ์", "เจริญ", "วิเศษ", "ปิง")


def names() -> tuple[list[str], list[str]]:
    from kiosk.services.demo import FIRST_NAMES, LAST_NAMES

    firsts = list(FIRST_NAMES) + [a + b for a in FIRST_PIECES for b in FIRST_PIECES if a != b]
    rng = random.Random(16)
    lasts = list(LAST_NAMES) + [a + b for a in LAST_PIECES for b in LAST_PIECES if a != b]
    lasts += sorted({a + b + c for a, b, c in (rng.sample(LAST_PIECES, 3) for _ in range(20_000))})
    return list(dict.fromkeys(firsts)), list(dict.fromkeys(lasts))


def subdistricts(n: int) -> list[tuple[str, str, str]]:
    """(code, Thai name, English name) of n real subdistricts: Chiang Rai's, then Phayao's."""
    import geothai

    out = []
    for province in ("57", "56", "50"):
        for d in geothai.districts(province):
            for s in geothai.subdistricts(d.code):
                if s.code != "570906":  # the sample config's own LAO
                    out.append((s.code, s.name_th, s.name_en))
    return out[:n]


def prefix(i: int) -> str:
    return "K" + chr(65 + i // 26) + chr(65 + i % 26)


def lao_tables(n: int) -> str:
    """[[lao]] tables for n - 1 more LAOs (the sample config holds the first, WPK)."""
    out = []
    for i, (code, th, en) in enumerate(subdistricts(n - 1)):
        out.append(f'\n[[lao]]\nsubdistrict_code = "{code}"\nname_th = "อบต.{th}"\nname_en = "{en} SAO"\n'
                   f'kind = "sao"\nticket_prefix = "{prefix(i)}"\n')
    return "".join(out)


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# -- generation ------------------------------------------------------------------------------------
class Steps:
    def __init__(self, conn) -> None:
        self.conn = conn
        self.start = time.perf_counter()

    def run(self, label: str, *statements: str, params: dict | None = None) -> None:
        t = time.perf_counter()
        for sql in statements:
            self.conn.execute(sql, params)
        self.conn.commit()
        print(f"  {label:<44} {time.perf_counter() - t:6.1f} s   (load {load()})", flush=True)


BULK_TABLES = ("person", "case", "case_event", "person_search", "case_search", "info_mark", "ticket_counter")


def generate(url: str, n_laos: int, n_cases: int, n_people: int) -> None:
    import psycopg

    from db.reference import CATEGORIES
    from db.search_index import fold
    from kiosk.config import parse_settings
    from kiosk.services.demo import DESCRIPTIONS, VILLAGES
    from kiosk.services.setup import open_kiosk
    from kiosk.thai.names import phonetic_key
    from tests.conftest import write_config

    t0 = time.perf_counter()
    print(f"generating {n_laos} LAOs, {n_cases:,} cases, {n_people:,} people (load {load()})", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        path = write_config(Path(folder), database_url=url, extra=lao_tables(n_laos))
        db = open_kiosk(parse_settings(path, path.read_text(encoding="utf-8"), environ={}))
        db.close()
    print(f"  {'schema (open_kiosk: migrations, LAOs)':<44} {time.perf_counter() - t0:6.1f} s", flush=True)

    conn = psycopg.connect(url)
    backend = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    try:
        os.setpriority(os.PRIO_PROCESS, backend, 10)  # the server's process doing the work (we run as root)
    except OSError as exc:
        print(f"  (could not renice backend {backend}: {exc})")
    conn.execute("SET max_parallel_maintenance_workers = 0")  # leave the other core to others
    conn.execute("SET maintenance_work_mem = '512MB'")
    conn.execute("SET work_mem = '64MB'")
    conn.execute("SET session_replication_role = replica")  # no FK triggers for generated, consistent rows
    conn.execute("SELECT setseed(0.16)")
    steps = Steps(conn)

    # names, categories, LAO weights: small tables from Python (the app's own fold and phonetic key)
    t = time.perf_counter()
    firsts, lasts = names()
    subtypes = [s for _a, (_b, subs) in CATEGORIES.items() for s in subs]
    rng = random.Random(150)
    org_rows = conn.execute('SELECT id, ticket_prefix FROM organization ORDER BY id').fetchall()
    weights = [1 / (r + 1) ** 0.8 for r in range(len(org_rows))]
    rng.shuffle(weights)
    total = sum(weights)
    conn.execute("CREATE TEMP TABLE b_first (i int PRIMARY KEY, name text, plain text, key text)")
    conn.execute("CREATE TEMP TABLE b_last (i int PRIMARY KEY, name text, plain text, key text)")
    conn.execute("CREATE TEMP TABLE b_cat (i int PRIMARY KEY, key text, description text, plain text)")
    conn.execute("CREATE TEMP TABLE b_org (id int PRIMARY KEY, prefix text, n_people int, n_cases int, "
                 "person_base int, officer int)")
    with conn.cursor() as cur:
        with cur.copy("COPY b_first FROM STDIN") as copy:
            for i, n in enumerate(firsts):
                copy.write_row((i, n, fold(n), phonetic_key(n)))
        with cur.copy("COPY b_last FROM STDIN") as copy:
            for i, n in enumerate(lasts):
                copy.write_row((i, n, fold(n), phonetic_key(n)))
        with cur.copy("COPY b_cat FROM STDIN") as copy:
            for i, s in enumerate(subtypes):
                text = DESCRIPTIONS.get(s, f"ขอความช่วยเหลือเรื่อง{s} ครอบครัวเดือดร้อน")
                copy.write_row((i, s, text, fold(text)))
        base = 0
        with cur.copy("COPY b_org FROM STDIN") as copy:
            for (org_id, pfx), w in zip(org_rows, weights, strict=True):
                people = max(1, round(n_people * w / total))
                copy.write_row((org_id, pfx, people, max(1, round(n_cases * w / total)), base, None))
                base += people
    conn.commit()
    print(f"  {'names, categories, LAO sizes (Python)':<44} {time.perf_counter() - t:6.1f} s", flush=True)

    # drop the indexes of the tables filled in bulk; made again from the same definitions afterwards
    indexes = conn.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = ANY(%s) "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint)", (list(BULK_TABLES),)).fetchall()
    for name, _def in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    conn.commit()

    steps.run("staff: one officer per LAO", """
        INSERT INTO staff (username, full_name, role, password_hash, organization_id, active, failed_logins, created_at)
        SELECT 'officer_' || lower(ticket_prefix), 'เจ้าหน้าที่ ' || ticket_prefix, 'officer', '!', id, true, 0,
               %(now)s FROM organization""",
              "UPDATE b_org SET officer = s.id FROM staff s WHERE s.organization_id = b_org.id",
              params=dict(now=NOW))
    n_first, n_last, n_vill = len(firsts), len(lasts), len(VILLAGES)
    village_array = "(ARRAY[" + ",".join(f"'{v}'" for v in VILLAGES) + "])"
    steps.run(f"people ({n_people:,})", f"""
        INSERT INTO person (id, organization_id, prefix, first_name, last_name, doc_type, doc_number, birth_date,
            phone, house_no, moo, village, soi, road, subdistrict_code, latitude, longitude, name_plain, name_key,
            merged_into_id, created_at, updated_at)
        SELECT p.id, p.org, (ARRAY['นาย','นาง','นางสาว'])[1 + (p.r1 * 3)::int %% 3], f.name, l.name,
            CASE WHEN p.r2 < 0.85 THEN 'national_id' ELSE 'none' END,
            CASE WHEN p.r2 < 0.85 THEN ((p.id::bigint * 2654435761) %% 9000000000000 + 1000000000000)::text ELSE '' END,
            date '1935-01-01' + (p.r3 * 25000)::int,
            CASE WHEN p.r4 < 0.8 THEN '+668' || (10000000 + (p.r5 * 89999999)::int)::text ELSE '' END,
            (1 + (p.r6 * 300)::int)::text, 1 + (p.r6 * 1000)::int %% {n_vill}, {village_array}[1 + (p.r6 * 1000)::int %% {n_vill}],
            '', '', o.code, NULL, NULL, f.plain || ' ' || l.plain, f.key || ' ' || l.key, NULL, p.created, p.created
        FROM (SELECT o.person_base + k AS id, o.id AS org, random() r1, random() r2, random() r3, random() r4,
                     random() r5, random() r6, floor({n_first} * power(random(), 2))::int fi,
                     floor({n_last} * random())::int li,
                     %(now)s::timestamp - random() * interval '{SPAN_DAYS + 365} days' AS created
              FROM b_org o, generate_series(1, o.n_people) k) p
        JOIN b_first f ON f.i = p.fi JOIN b_last l ON l.i = p.li
        JOIN (SELECT id, subdistrict_code AS code FROM organization) o ON o.id = p.org""", params=dict(now=NOW))

    statuses_old = ("CASE WHEN r1 < 0.55 THEN 'helped' WHEN r1 < 0.75 THEN 'closed' WHEN r1 < 0.83 THEN 'not_approved' "
                    "WHEN r1 < 0.87 THEN 'referred' WHEN r1 < 0.91 THEN 'withdrawn' WHEN r1 < 0.94 THEN 'duplicate' "
                    "WHEN r1 < 0.96 THEN 'awaiting_reply' WHEN r1 < 0.97 THEN 'received' WHEN r1 < 0.98 THEN 'more_info' "
                    "WHEN r1 < 0.99 THEN 'awaiting_committee' ELSE 'approved' END")
    statuses_new = ("CASE WHEN r1 < 0.35 THEN 'received' WHEN r1 < 0.50 THEN 'more_info' WHEN r1 < 0.62 THEN "
                    "'field_check' WHEN r1 < 0.72 THEN 'awaiting_committee' WHEN r1 < 0.80 THEN 'approved' "
                    "WHEN r1 < 0.83 THEN 'awaiting_reply' WHEN r1 < 0.93 THEN 'helped' ELSE 'closed' END")
    n_cat = len(subtypes)
    steps.run(f"cases ({n_cases:,}), ids and tickets in time order", f"""
        CREATE TEMP TABLE b_case AS
        SELECT row_number() OVER (ORDER BY created_at, org) AS id, s.*,
               row_number() OVER (PARTITION BY org, year_be ORDER BY created_at) AS seq
        FROM (SELECT c.*, extract(year FROM c.created_at + interval '7 hours')::int + 543 AS year_be,
                     CASE WHEN c.created_at > %(now)s::timestamp - interval '60 days' THEN {statuses_new}
                          ELSE {statuses_old} END AS status
              FROM (SELECT o.id AS org, o.prefix, o.person_base, o.n_people, o.officer,
                           %(now)s::timestamp - power(random(), 1.3) * interval '{SPAN_DAYS} days' AS created_at,
                           random() r1, random() r2, random() r3, random() r4, random() r5, random() r6, random() r7
                    FROM b_org o, generate_series(1, o.n_cases) k) c) s""",
              f"""
        INSERT INTO "case" (id, organization_id, ticket_no, year_be, seq, token, short_code, category_id, status_id,
            channel, requester_id, subject_id, relationship, description, occurred_on, household_size,
            vulnerabilities, help_requested, help_received, urgency, sensitive_consent, legal_basis, assigned_to_id,
            duplicate_of_id, latitude, longitude, version, created_at, updated_at)
        SELECT c.id, c.org, c.prefix || '-' || lpad((c.year_be %% 100)::text, 2, '0') || '-' || lpad(c.seq::text, 5, '0'),
            c.year_be, c.seq, md5('t' || c.id), '9' || lpad(upper(to_hex(c.id)), 7, '0'), cat.key, c.status,
            (ARRAY['counter','counter','counter','kiosk','phone','line','web','open311','survey'])[1 + (c.r4 * 9)::int %% 9],
            c.person_base + 1 + floor(c.r5 * c.n_people)::int,
            CASE WHEN c.r6 < 0.8 THEN c.person_base + 1 + floor(c.r5 * c.n_people)::int
                 ELSE c.person_base + 1 + floor(c.r6 * c.n_people)::int %% c.n_people END,
            CASE WHEN c.r6 < 0.8 THEN '' ELSE 'relative' END, cat.description, (c.created_at - interval '3 days')::date,
            1 + (c.r7 * 6)::int, CASE WHEN c.r7 < 0.2 THEN 'elderly' WHEN c.r7 < 0.25 THEN 'elderly,low_income' ELSE '' END,
            '', '', CASE WHEN c.r3 < 0.03 THEN 'emergency' WHEN c.r3 < 0.15 THEN 'urgent' ELSE 'normal' END,
            false, 'public_task', CASE WHEN c.r3 > 0.7 THEN c.officer END, NULL, NULL, NULL, 1, c.created_at, c.created_at
        FROM b_case c JOIN b_cat cat ON cat.i = floor({n_cat} * power(c.r2, 1.5))::int""", params=dict(now=NOW))

    # ~3.5 steps a case: create; a first step; the field check and approval on the way to help;
    # delivery with its amount, or the closing step
    cap = "LEAST(%(now)s::timestamp - interval '1 minute', c.created_at + {})"
    steps.run("case events", """
        INSERT INTO case_event (case_id, at, actor_id, action, from_status, to_status, public_note, internal_note,
                                amount, data)
        SELECT c.id, c.created_at, NULL, 'create', NULL, 'received', '', '', NULL, '' FROM "case" c""", f"""
        INSERT INTO case_event (case_id, at, actor_id, action, from_status, to_status, public_note, internal_note,
                                amount, data)
        SELECT c.id, {cap.format("interval '2 days'")}, c.assigned_to_id, 'status', 'received',
               CASE WHEN c.status_id = 'more_info' THEN 'more_info' ELSE 'field_check' END, 'รับเรื่องแล้ว', '', NULL, ''
        FROM "case" c WHERE c.status_id <> 'received'""", f"""
        INSERT INTO case_event (case_id, at, actor_id, action, from_status, to_status, public_note, internal_note,
                                amount, data)
        SELECT c.id, {cap.format("interval '12 days'")}, c.assigned_to_id, 'approve', 'awaiting_committee', 'approved',
               'คณะกรรมการอนุมัติ', '', NULL,
               json_build_object('meeting_no', '1/2569', 'meeting_date',
                                 ({cap.format("interval '12 days'")})::date::text)::text
        FROM "case" c WHERE c.status_id IN ('approved', 'helped')""", f"""
        INSERT INTO case_event (case_id, at, actor_id, action, from_status, to_status, public_note, internal_note,
                                amount, data)
        SELECT c.id, {cap.format("interval '20 days' + (c.id %% 240) * interval '1 hour'")}, c.assigned_to_id,
               CASE WHEN c.status_id = 'helped' THEN 'deliver' WHEN c.status_id IN ('referred', 'awaiting_reply')
                    THEN 'refer' ELSE 'status' END,
               CASE WHEN c.status_id = 'helped' THEN 'approved' ELSE 'field_check' END, c.status_id,
               'ดำเนินการแล้ว', '',
               CASE WHEN c.status_id = 'helped' THEN (ARRAY[1000, 2000, 3000, 5000])[1 + c.id %% 4] END,
               CASE WHEN c.status_id = 'helped' THEN '{{"amount": "' || (ARRAY[1000, 2000, 3000, 5000])[1 + c.id %% 4]
                    || '.00", "items": "ถุงยังชีพ 1 ชุด"}}'
                    WHEN c.status_id IN ('referred', 'awaiting_reply')
                    THEN '{{"refer_to": "agency:msdhs", "refer_to_name": "พม.", "refer_to_name_en": "MSDHS"}}'
                    ELSE '' END
        FROM "case" c WHERE c.status_id NOT IN ('received', 'more_info', 'field_check', 'awaiting_committee',
                                                'approved')""",
              """UPDATE "case" c SET updated_at = e.last, version = e.n
                 FROM (SELECT case_id, max(at) AS last, count(*) AS n FROM case_event GROUP BY case_id) e
                 WHERE e.case_id = c.id""", params=dict(now=NOW))
    steps.run("search index rows (db/search_index.py's text)", """
        INSERT INTO person_search (person_id, search_text, name_key)
        SELECT id, ' ' || name_plain || CASE WHEN doc_number <> '' THEN ' ' || doc_number ELSE '' END
               || CASE WHEN phone <> '' THEN ' ' || substr(phone, 2) || ' 0' || substr(phone, 4) ELSE '' END,
               name_key FROM person""", """
        INSERT INTO case_search (case_id, search_text)
        SELECT c.id, ' ' || cat.plain || ' ' || lower(c.ticket_no) FROM "case" c JOIN b_cat cat ON cat.key = c.category_id""")
    steps.run("INFO marks (90 % of each month before the last)", """
        INSERT INTO info_mark (target_type, target_id, month, seen_version, seen_updated_at, seen_person_at, marked_by,
                               marked_at, undone_by, undone_at)
        SELECT 'case', c.id, to_char(c.created_at + interval '7 hours', 'YYYY') :: int + 543 || '-'
               || to_char(c.created_at + interval '7 hours', 'MM'), c.version, c.updated_at, p.updated_at,
               'officer', c.created_at + interval '35 days', '', NULL
        FROM "case" c JOIN person p ON p.id = c.subject_id
        WHERE c.created_at < %(cut)s AND c.id %% 10 <> 0""",
              """INSERT INTO ticket_counter (organization_id, year_be, last_seq)
                 SELECT organization_id, year_be, max(seq) FROM "case" GROUP BY 1, 2""",
              params=dict(cut=NOW - timedelta(days=60)))
    t = time.perf_counter()
    for _name, definition in indexes:
        conn.execute(definition)
        conn.commit()
    print(f"  {f'{len(indexes)} indexes made again (as migrated)':<44} {time.perf_counter() - t:6.1f} s   "
          f"(load {load()})", flush=True)
    steps.run("sequences", *[f"SELECT setval(pg_get_serial_sequence('\"{tb}\"', 'id'), (SELECT max(id) FROM \"{tb}\"))"
                             for tb in ("person", "case", "case_event", "info_mark", "staff", "ticket_counter")])
    conn.autocommit = True
    t = time.perf_counter()
    conn.execute("VACUUM ANALYZE")
    print(f"  {'VACUUM ANALYZE':<44} {time.perf_counter() - t:6.1f} s   (load {load()})", flush=True)
    conn.close()
    print(f"generated in {time.perf_counter() - t0:.0f} s", flush=True)


def check_index_text(url: str) -> None:
    """The search rows made in SQL against db/search_index.py's own functions, on a sample."""
    import psycopg

    from db.search_index import case_text, person_text
    from kiosk.services.people import search_keys

    with psycopg.connect(url) as conn:
        people = conn.execute("SELECT p.first_name, p.last_name, p.doc_number, p.phone, p.name_plain, p.name_key, "
                              "s.search_text, s.name_key FROM person p JOIN person_search s ON s.person_id = p.id "
                              "ORDER BY random() LIMIT 2000").fetchall()
        cases = conn.execute("SELECT c.description, c.ticket_no, s.search_text FROM \"case\" c JOIN case_search s "
                             "ON s.case_id = c.id ORDER BY random() LIMIT 2000").fetchall()
    bad = sum(person_text(f, la, d, ph) != text or search_keys(f, la) != dict(name_plain=plain, name_key=key) or key != k2
              for f, la, d, ph, plain, key, text, k2 in people)
    bad_cases = sum(case_text(d, t) != text for d, t, text in cases)
    print(f"search rows as db/search_index.py writes them: {len(people) - bad}/{len(people)} people, "
          f"{len(cases) - bad_cases}/{len(cases)} cases", flush=True)


# -- measuring -------------------------------------------------------------------------------------
def _worker(url: str, op: str, args: dict, jobs: list, barrier, out, think: float, seed: int) -> None:
    """Run `jobs` one after another (closed loop: `think` 0), or paced as a person works: each
    request `think` seconds after the last was due on average (exponential gaps), its time counted
    from when it was due, so a request kept waiting behind a slow one counts that wait too."""
    from db.connection import open_database

    open_database(url)
    fn = OPS[op](args)
    fn(jobs[0])  # warm: imports, caches, the connection
    rng = random.Random(seed)
    barrier.wait()
    times = []
    due = time.perf_counter() + (rng.uniform(0, think) if think else 0)
    for job in jobs:
        if think:
            time.sleep(max(0.0, due - time.perf_counter()))
        start = due if think else time.perf_counter()
        fn(job)
        end = time.perf_counter()
        times.append(end - start)
        due = due + rng.expovariate(1 / think) if think else end
    out.put(times)


def run_clients(url: str, op: str, args: dict, jobs: list, clients: int, background: tuple | None = None,
                think: float = 0.0) -> tuple[list[float], float]:
    """Run `jobs` of `op` spread over `clients` processes started together: the seconds of each,
    and the requests answered per second. `think`: each client's mean seconds between requests
    (0: the next at once). `background`: (op, args, jobs, clients, think) run at the same time,
    its times dropped."""
    ctx = mp.get_context("spawn")
    out, bg_out = ctx.Queue(), ctx.Queue()
    n_bg = background[3] if background else 0
    barrier = ctx.Barrier(clients + n_bg + 1)
    procs = [ctx.Process(target=_worker, args=(url, op, args, jobs[i::clients], barrier, out, think, i))
             for i in range(clients)]
    if background:
        b_op, b_args, b_jobs, _n, b_think = background
        procs += [ctx.Process(target=_worker, args=(url, b_op, b_args, b_jobs[i::n_bg], barrier, bg_out, b_think,
                                                    1000 + i)) for i in range(n_bg)]
    for p in procs:
        p.start()
    barrier.wait()
    began = time.perf_counter()
    times = []
    for _ in range(clients):
        times += out.get()
    elapsed = time.perf_counter() - began
    for _ in range(n_bg):
        bg_out.get()
    for p in procs:
        p.join()
    return times, len(times) / elapsed


def _mode(clients: int, think: float) -> str:
    return "1 client" if clients == 1 else f"{clients} paced {think:g} s" if think else f"{clients} flat out"


def _print(r: tuple) -> None:
    label, mode, p50, p95, target, ld, rate = r
    print(f"  {label:<40} {mode:<16} p50 {p50:8.1f} ms  p95 {p95:8.1f} ms  (target ≤ {target})  {rate:6.1f}/s"
          f"  load {ld}", flush=True)


def pct(times: list[float], q: float) -> float:
    s = sorted(times)
    return s[min(len(s) - 1, max(0, round(q * len(s)) - 1))] * 1000


# Each op: args -> a function of one job. Imported inside, as each worker process runs them.
def _queue(args):
    from kiosk.services import queue
    from kiosk.services.staff import Actor

    actor = Actor(args["officer"], "officer", "", "officer", "bench", lao_ids=(args["org"],))
    def one(job):  # a page number (read by OFFSET), or (number, cursor): the next page as the screen asks
        page, cursor = job if isinstance(job, tuple) else (job, None)
        return queue.list_cases(actor, queue.QueueFilter(status="open"), page=page, cursor=cursor)
    return one


def cursors(args: dict, pages: int) -> list:
    """(page, cursor) of pages 1..pages-1, walking next from the first page once."""
    from db.connection import open_database

    db = open_database(URL)
    one, out = _queue(args), []
    page = one(0)
    for n in range(1, pages):
        out.append((n, page.next()))
        page = one((n, page.next()))
    db.close()
    return out


def _queue_search(args):
    from kiosk.services import queue
    from kiosk.services.staff import Actor

    actor = Actor(args["officer"], "officer", "", "officer", "bench", lao_ids=(args["org"],))
    return lambda q: queue.list_cases(actor, queue.QueueFilter(query=q))


def _people(args):
    from kiosk.services import search

    return lambda q: search.people_matching(q)


def _lookup(args):
    from kiosk.errors import NotFound
    from kiosk.services import public_case

    def one(job):
        try:
            return public_case.lookup(typed=job[0], last4=job[1])
        except NotFound:
            if job[2]:
                raise
            return None
    return one


def _open311(args):
    from kiosk.services import open311

    return lambda page: open311.list_requests(offset=page * 50, limit=50, now=NOW)


def _report(args):
    import shutil

    from kiosk.services import info_files, info_report
    from kiosk.services.staff import Actor

    actor = Actor(args["officer"], "officer", "", "officer", "bench", lao_ids=(args["org"],))
    month = info_report.Month(2026, 10)

    def screen(_job):
        info_report.dashboard(actor, month)
        info_report.month_records(actor, month)

    def xlsx(_job):
        folder = Path(tempfile.mkdtemp())
        try:
            info_files.export(actor, month, "xlsx", folder)
        finally:
            shutil.rmtree(folder)
    return screen if args.get("kind") == "screen" else xlsx


OPS = {"queue": _queue, "queue_search": _queue_search, "people": _people, "lookup": _lookup, "open311": _open311,
       "report": _report}


def explain(url: str, op: str, args: dict, job) -> None:
    """Run one job with every statement recorded; EXPLAIN (ANALYZE, BUFFERS) the slowest."""
    from db.connection import open_database
    from db.models import database

    db = open_database(url)
    fn = OPS[op](args)
    fn(job)  # warm
    seen: list[tuple[float, str, tuple]] = []
    plain = type(db).execute_sql

    def recording(self, sql, params=None):
        t = time.perf_counter()
        try:
            return plain(self, sql, params)
        finally:
            seen.append((time.perf_counter() - t, sql, tuple(params or ())))

    type(db).execute_sql = recording
    try:
        fn(job)
    finally:
        type(db).execute_sql = plain
    slow = max(seen, key=lambda s: s[0])
    print(f"\n--- {op}: {len(seen)} statements, {sum(s[0] for s in seen) * 1000:.1f} ms; the slowest "
          f"({slow[0] * 1000:.1f} ms):\n{slow[1][:1500]}\n-- params {str(slow[2])[:300]}")
    rows = database.obj.execute_sql("EXPLAIN (ANALYZE, BUFFERS) " + slow[1], slow[2]).fetchall()
    print("\n".join(r[0] for r in rows))
    db.close()


def measure(url: str, clients: int, runs: int, do_explain: bool, lao: str | None, think: float,
            only: str = "") -> list[tuple]:
    import psycopg

    with psycopg.connect(url) as conn:
        if lao:
            org, pfx, n = conn.execute('SELECT o.id, o.ticket_prefix, count(c.id) FROM organization o JOIN "case" c '
                                       "ON c.organization_id = o.id WHERE o.ticket_prefix = %s GROUP BY 1, 2",
                                       (lao,)).fetchone()
        else:  # the busiest LAO: the worst case for its queue and its report
            org, pfx, n = conn.execute('SELECT o.id, o.ticket_prefix, count(*) FROM "case" c JOIN organization o '
                                       "ON o.id = c.organization_id GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 1").fetchone()
        n_open = conn.execute('SELECT count(*) FROM "case" WHERE organization_id = %s AND status_id IN '
                              "('received','more_info','field_check','awaiting_committee','approved','awaiting_reply')",
                              (org,)).fetchone()[0]
        officer = conn.execute("SELECT id FROM staff WHERE organization_id = %s", (org,)).fetchone()[0]
        month_n = conn.execute('SELECT count(*) FROM "case" WHERE organization_id = %s AND created_at >= %s '
                               "AND created_at < %s", (org, datetime(2026, 9, 30, 17), datetime(2026, 10, 31, 17))
                               ).fetchone()[0]
        rng = random.Random(20)
        people = conn.execute("SELECT first_name, last_name FROM person WHERE organization_id = %s "
                              "ORDER BY random() LIMIT 400", (org,)).fetchall()
        tickets = conn.execute('SELECT c.ticket_no, right(p.phone, 4) FROM "case" c TABLESAMPLE SYSTEM (1) '
                               "JOIN person p ON p.id = c.requester_id WHERE p.phone <> '' LIMIT 400").fetchall()
    print(f"\nmeasured LAO {pfx}: {n:,} cases ({n_open:,} open), {month_n:,} asked in October 2569; "
          f"{clients} clients", flush=True)
    args = dict(org=org, officer=officer)
    full = [f"{f} {la}" for f, la in people]
    walk = cursors(args, 100)
    plans = [
        ("queue, page 1 (open cases)", "queue", args, [0] * runs, 50),
        ("queue, pages 2-100 by number (OFFSET)", "queue", args, [rng.randrange(1, 100) for _ in range(runs)], 50),
        ("queue, pages 2-100, next (by key)", "queue", args, rng.choices(walk, k=runs), 50),
        ("name search (people)", "people", args, [rng.choice(full) for _ in range(runs)], 150),
        ("name search, no tone marks", "people", args,
         [rng.choice(full).translate({ord(c): None for c in "่้๊๋็์"}) for _ in range(runs)], 150),
        ("first name only (people)", "people", args, [rng.choice(people)[0] for _ in range(runs)], 150),
        ("name in the queue's search box", "queue_search", args, [rng.choice(full) for _ in range(runs)], 150),
        ("ticket lookup + last 4 digits", "lookup", args, [(t, d, True) for t, d in rng.choices(tickets, k=runs)], 50),
        ("ticket without letters + last 4", "lookup", args,
         [(t.split("-", 1)[1], d, False) for t, d in rng.choices(tickets, k=runs)], 50),
        ("Open311 list page (90 days)", "open311", args, [rng.randrange(0, 20) for _ in range(runs)], 50),
    ]
    # Each operation three ways: one client; `clients` paced as staff work (a request every `think`
    # seconds on average each); and `clients` flat out (each the next request at once), which
    # measures what the 2 cores can answer rather than what a person waits.
    modes = ((1, 0.0), (clients, think), (clients, 0.0)) if think else ((1, 0.0), (clients, 0.0))
    results = []
    for label, op, a, jobs, target in plans:
        if only not in label:
            continue
        for n_clients, pace in modes:
            before = load()
            times, rate = run_clients(URL, op, a, jobs if n_clients > 1 else jobs[: max(20, runs // 4)], n_clients,
                                      think=pace)
            results.append((label, _mode(n_clients, pace), pct(times, 0.5), pct(times, 0.95), target,
                            f"{before} → {load()}", rate))
            _print(results[-1])
    for kind, label in (("screen", "INFO screen (dashboard + records)"), ("xlsx", "INFO report XLSX export")):
        if only not in label:
            continue
        a = dict(args, kind=kind)
        for n_bg, pace in ((0, 0.0), *((clients - 1, p) for _n, p in modes[1:])):
            before = load()
            background = ("queue", args, [0] * (30 if pace else 100) * n_bg, n_bg, pace) if n_bg else None
            times, rate = run_clients(URL, "report", a, [0] * 3, 1, background=background)
            results.append((label + (f", {n_bg} on the queue" if n_bg else ""), _mode(n_bg + 1, pace) if n_bg
                            else _mode(1, 0.0), pct(times, 0.5), max(times) * 1000, 5000, f"{before} → {load()}",
                            rate))
            _print(results[-1])
    if do_explain and not only:
        for label, op, a, jobs, _t in plans[:3] + plans[6:10]:
            print(f"\n=== {label}")
            explain(URL, op, a, jobs[0] if op != "queue" or label.startswith("queue, page 1") else
                    (99 if "OFFSET" in label else walk[-1]))
        explain(URL, "report", dict(args, kind="screen"), 0)
    return results


URL = ""


def main() -> None:
    global URL
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--laos", type=int, default=150)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=600_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--think", type=float, default=1.0,
                        help="paced clients: each one's mean seconds between requests (0: no paced run)")
    parser.add_argument("--runs", type=int, default=400, help="requests of each kind (spread over the clients)")
    parser.add_argument("--db", default="kiosk_scale", help="the database to make (dropped at the end)")
    parser.add_argument("--lao", help="the LAO (ticket prefix) whose queue and report are measured; default the busiest")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure the existing database; generate nothing")
    parser.add_argument("--no-explain", action="store_true")
    parser.add_argument("--only", default="", help="measure only the operations whose label holds this text")
    parser.add_argument("--generate-only", action="store_true")
    args = parser.parse_args()

    import psycopg

    admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    URL = f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{args.db}"
    try:
        if not args.reuse:
            admin.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{args.db}"')
            generate(URL, args.laos, args.cases, args.people)
        check_index_text(URL)
        size = admin.execute("SELECT pg_size_pretty(pg_database_size(%s))", (args.db,)).fetchone()[0]
        print(f"database {args.db}: {size}", flush=True)
        if not args.generate_only:
            results = measure(URL, args.clients, args.runs, not args.no_explain, args.lao, args.think, args.only)
            print(f"\n{'operation':<46} {'clients':<16} {'p50 ms':>9} {'p95 ms':>9} {'target':>7} {'met':>4} "
                  f"{'answers/s':>9}  load (1/5/15 min)")
            for label, mode, p50, p95, target, ld, rate in results:
                print(f"{label:<46} {mode:<16} {p50:>9.1f} {p95:>9.1f} {target:>7} {'yes' if p95 <= target else 'NO':>4} "
                      f"{rate:>9.1f}  {ld}")
            print("(the INFO report rows give the maximum of 3 runs in the p95 column; paced: each client a request "
                  f"every {args.think:g} s on average, timed from when it was due)")
    finally:
        if not args.keep:
            admin.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
            print(f"dropped {args.db}")
        admin.close()


if __name__ == "__main__":
    main()
