"""Ticket numbers stay unique and gap-free when several processes take intakes at once on one
SQLite file (each process opens the database itself, as separate counter terminals would)."""

from __future__ import annotations

import multiprocessing
import os
import re

from db.models import Case

PROCESSES, EACH = 8, 100


def _worker(config_path: str, worker: int, count: int) -> list[str]:
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
    from pathlib import Path

    from db.connection import open_database
    from kiosk.config import parse_settings
    from kiosk.services import intake

    path = Path(config_path)
    settings = parse_settings(path, path.read_text(encoding="utf-8"), environ={})
    db = open_database(settings.database_url)
    tickets = []
    try:
        for n in range(count):
            form = intake.IntakeForm(consent=True, area="disaster", subtype="flood", first_name=f"คนที่ {worker}-{n}",
                                     doc_type="none", phone="0812345678", subdistrict_code="570906",
                                     description="น้ำท่วม")
            tickets.append(intake.submit(settings, form).ticket_no)
    finally:
        db.close()
    return tickets


def test_eight_processes_make_800_gap_free_tickets(db, config_file):
    context = multiprocessing.get_context("spawn")
    with context.Pool(PROCESSES) as pool:
        results = pool.starmap(_worker, [(str(config_file), w, EACH) for w in range(PROCESSES)])
    tickets = [t for batch in results for t in batch]
    assert len(tickets) == len(set(tickets)) == PROCESSES * EACH
    seqs = sorted(int(re.fullmatch(r"WPK-\d\d-(\d{5})", t).group(1)) for t in tickets)
    assert seqs == list(range(1, PROCESSES * EACH + 1))
    assert Case.select().count() == PROCESSES * EACH
    assert sorted(c.seq for c in Case.select(Case.seq)) == seqs
