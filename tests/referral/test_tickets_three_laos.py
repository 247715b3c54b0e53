"""A joint centre: 8 processes each take 100 requests, spread over 3 member LAOs, at once (each
process opens the database itself, as counters at several desks would). Every ticket number is
unique and each LAO's sequence for the year is gapless 1..N, on SQLite and on PostgreSQL."""

from __future__ import annotations

import multiprocessing
import os
import re
from collections import defaultdict

from db.models import Case, Organization

from .conftest import PREFIXES

PROCESSES, EACH = 8, 100


def _worker(config_path: str, worker: int, count: int) -> list[str]:
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
    from pathlib import Path

    from db.connection import open_database
    from kiosk.config import parse_settings
    from kiosk.services import intake
    from kiosk.services.cases import create_case

    path = Path(config_path)
    settings = parse_settings(path, path.read_text(encoding="utf-8"), environ={})
    db = open_database(settings.database_url)
    tickets = []
    try:
        for n in range(count):
            form = intake.IntakeForm(consent=True, area="disaster", subtype="flood", first_name=f"คนที่ {worker}-{n}",
                                     doc_type="none", phone="0812345678", subdistrict_code="570906",
                                     description="น้ำท่วม")
            built = intake.build(form, channel="kiosk")
            prefix = settings.laos[(worker + n) % len(settings.laos)].ticket_prefix  # the citizen's LAO
            tickets.append(create_case(prefix, built.case, built.requester, built.subject).ticket_no)
    finally:
        db.close()
    return tickets


def test_eight_processes_three_laos_unique_gapless(joint):
    context = multiprocessing.get_context("spawn")
    with context.Pool(PROCESSES) as pool:
        results = pool.starmap(_worker, [(str(joint), w, EACH) for w in range(PROCESSES)])
    tickets = [t for batch in results for t in batch]
    assert len(tickets) == len(set(tickets)) == PROCESSES * EACH
    per_lao: dict[str, list[int]] = defaultdict(list)
    for t in tickets:
        prefix, _year, seq = re.fullmatch(r"([A-Z]+)-(\d\d)-(\d{5})", t).groups()
        per_lao[prefix].append(int(seq))
    assert set(per_lao) == set(PREFIXES)
    for prefix, seqs in per_lao.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1)), prefix
    # what is stored agrees with what each process was given
    assert Case.select().count() == PROCESSES * EACH
    for org in Organization.select():
        stored = sorted(c.seq for c in Case.select(Case.seq).where(Case.organization == org))
        assert stored == sorted(per_lao[org.ticket_prefix])
