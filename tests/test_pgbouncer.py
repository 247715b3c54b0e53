"""The app through pgbouncer in transaction pooling, as a joint centre grows (README, "Joint
operations centre"): many client connections (counters, the web, staff sessions) share a few
server connections, and each transaction may run on a different one. That works only if the app
keeps no session state (no SET, no session advisory locks, no LISTEN) and prepares no statements
on the server (db/connection.py: psycopg's prepare_threshold is off). Here six threads file 150
requests over two server connections, with reads between the writes: the start-up migration runs
through it too, tickets are unique and gapless, no "prepared statement does not exist".

Skipped where the `pgbouncer` package (Debian: apt install pgbouncer) is not installed."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import threading
import time
from urllib.parse import urlparse

import psycopg
import pytest

from db.models import Case, database
from kiosk.config import parse_settings
from kiosk.services import intake
from kiosk.services.cases import create_case
from kiosk.services.setup import open_kiosk
from tests.conftest import write_config

PGBOUNCER = shutil.which("pgbouncer") or next((p for p in ("/usr/sbin/pgbouncer",) if os.path.exists(p)), None)
pytestmark = pytest.mark.skipif(PGBOUNCER is None, reason="pgbouncer is not installed (apt install pgbouncer)")
THREADS, EACH = 6, 25


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def bouncer_url(tmp_path, pg_url):
    """pg_url's database through a pgbouncer of its own, transaction pooling, 2 server connections."""
    target = urlparse(pg_url)
    port = _free_port()
    folder = tmp_path / "pgbouncer"
    folder.mkdir()
    ini = folder / "pgbouncer.ini"
    ini.write_text(f"""[databases]
* = host={target.hostname} port={target.port or 5432} user={target.username or "postgres"}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = any
pool_mode = transaction
default_pool_size = 2
max_client_conn = 100
""", encoding="utf-8")
    for path in (tmp_path, folder, ini):  # pgbouncer refuses to run as root: it reads as nobody
        path.chmod(path.stat().st_mode | 0o755 if path.is_dir() else 0o644)
    as_user = ["-u", "nobody"] if os.geteuid() == 0 else []
    process = subprocess.Popen([PGBOUNCER, *as_user, str(ini)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    url = f"postgresql://{target.username or 'postgres'}@127.0.0.1:{port}{target.path}"
    deadline = time.monotonic() + 15
    while True:
        try:
            psycopg.connect(url, connect_timeout=2).close()
            break
        except psycopg.OperationalError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"pgbouncer did not start: {process.stdout.read()}")
            time.sleep(0.1)
    try:
        yield url
    finally:
        if not database.is_closed():
            database.close()
        process.terminate()
        process.wait(timeout=10)


def test_the_app_works_through_pgbouncer_transaction_pooling(tmp_path, bouncer_url):
    config = write_config(tmp_path, database_url=bouncer_url)
    settings = parse_settings(config, config.read_text(encoding="utf-8"), environ={})
    open_kiosk(settings)  # the schema made through the pooler (a transaction-scoped advisory lock)
    tickets: list[str] = []
    errors: list[BaseException] = []

    def counter_desk(desk: int) -> None:
        try:
            for n in range(EACH):
                form = intake.IntakeForm(consent=True, area="disaster", subtype="flood", first_name=f"คนที่ {desk}-{n}",
                                         doc_type="none", phone="0812345678", subdistrict_code="570906",
                                         description="น้ำท่วม")
                built = intake.build(form, channel="kiosk")
                ticket = create_case(settings.laos[0].ticket_prefix, built.case, built.requester, built.subject).ticket_no
                assert Case.get(Case.ticket_no == ticket).description == "น้ำท่วม"  # a read between the writes
                tickets.append(ticket)
        except BaseException as exc:  # noqa: BLE001 — reported by the main thread
            errors.append(exc)
        finally:
            database.close()

    desks = [threading.Thread(target=counter_desk, args=(d,)) for d in range(THREADS)]
    for desk in desks:
        desk.start()
    for desk in desks:
        desk.join()
    assert errors == []
    assert len(tickets) == len(set(tickets)) == THREADS * EACH
    seqs = sorted(int(re.fullmatch(r"[A-Z]+-\d\d-(\d{5})", t).group(1)) for t in tickets)
    assert seqs == list(range(1, THREADS * EACH + 1))
    assert database.obj.connect_params["prepare_threshold"] is None
