"""A real `kiosk.py serve` in a subprocess on a free loopback port, over a seeded SQLite file.
Shared by the web tests, the browser test and the benchmark."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from db.models import Case, CaseEvent, Person, database
from kiosk.config import parse_settings
from kiosk.services import demo
from kiosk.services.cases import CaseData, create_case
from kiosk.services.people import PersonData
from kiosk.services.setup import open_kiosk
from tests.conftest import write_config

ROOT = Path(__file__).resolve().parents[2]
API_KEY = "test-key-0123456789abcdef"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    config: Path
    process: subprocess.Popen
    seeded: dict = field(default_factory=dict)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_server(config: Path, *, extra_env: dict[str, str] | None = None) -> Server:
    """Start `kiosk.py --config <config> serve` and wait until it answers."""
    port = free_port()
    env = {**os.environ, "KIOSK_API_KEYS": API_KEY, "PYTHAINLP_OFFLINE": "1", "PYTHAINLP_READ_ONLY": "1",
           **(extra_env or {})}
    log = open(config.parent / "serve.log", "wb")
    process = subprocess.Popen([sys.executable, str(ROOT / "kiosk.py"), "--config", str(config), "serve",
                                "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError((config.parent / "serve.log").read_text())
        try:
            httpx.get(url + "/openapi.json", timeout=1)
            return Server(url, config, process)
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not start:\n" + (config.parent / "serve.log").read_text())


KNOWN_PHONE = "+66812345678"
INTERNAL = "INTERNAL-ONLY-7f3a"


def seed(settings, n_cases: int) -> dict:
    """`n_cases` fictional cases plus one known case; internal notes everywhere. Returns what the
    tests need to know about them."""
    connection = open_kiosk(settings)
    try:
        demo.ensure_demo_staff()
        demo.fill(settings.host_lao.ticket_prefix, n_cases)
        known = create_case("WPK", CaseData(category="flood", description="น้ำท่วมบ้าน ซอยลับ"),
                            PersonData(first_name="ทดสอบ", last_name="ความลับ", phone=KNOWN_PHONE,
                                       doc_type="national_id", doc_number="1101700230705", house_no="77/7",
                                       moo=3, village="บ้านทดสอบลับ", subdistrict_code="570906"),
                            public_note="รับเรื่องที่เคาน์เตอร์")
        for case_id, in Case.select(Case.id).tuples():
            CaseEvent.create(case=case_id, action="note", internal_note=f"{INTERNAL} {case_id}")
        people = list(Person.select().dicts())
        cases = list(Case.select(Case.id, Case.ticket_no, Case.token, Case.short_code, Case.status).dicts())
    finally:
        connection.close()
        database.initialize(None)
    return {"known": known, "people": people, "cases": cases}


def seeded_server(folder: Path, n_cases: int) -> Server:
    """A fresh sample centre in `folder` with `n_cases` fictional cases, served."""
    config = write_config(folder)
    seeded = seed(parse_settings(config, config.read_text(encoding="utf-8"), environ={}), n_cases)
    server = start_server(config)
    server.seeded = seeded
    return server
