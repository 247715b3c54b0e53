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
    """Start `kiosk.py --config <config> serve` and wait until it answers. Its error log goes to
    <config's folder>/kiosk-error.log (KIOSK_HOME), never to the project's var/."""
    port = free_port()
    env = {**os.environ, "KIOSK_API_KEYS": API_KEY, "PYTHAINLP_OFFLINE": "1", "PYTHAINLP_READ_ONLY": "1",
           "KIOSK_HOME": str(config.parent), **(extra_env or {})}
    log = open(config.parent / "serve.log", "wb")  # noqa: SIM115 (the server process writes to it while it runs)
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
        cases = list(Case.select(Case.id, Case.ticket_no, Case.token, Case.short_code, Case.status,
                                 Case.category, Case.created_at).dicts())
    finally:
        connection.close()
        database.initialize(None)
    return {"known": known, "people": people, "cases": cases}


# The shared server answers many Open311 questions from one address; the limit itself is tested
# on a server of its own (test_open311_public.py).
GENEROUS = "\n[web]\nopen311_per_minute = 100000\n"


def seeded_server(folder: Path, n_cases: int, *, database_url: str | None = None, web: str = GENEROUS) -> Server:
    """A fresh sample centre in `folder` with `n_cases` fictional cases, served. `web` replaces
    the sample's [web] table (its api_keys are set from the environment anyway)."""
    config = write_config(folder, database_url=database_url)
    text = config.read_text(encoding="utf-8")
    head, _, tail = text.partition("\n[web]\n")
    config.write_text(head + web + tail[tail.index("\n["):], encoding="utf-8")
    seeded = seed(parse_settings(config, config.read_text(encoding="utf-8"), environ={}), n_cases)
    server = start_server(config)
    server.seeded = seeded
    return server


def every_page(url: str, params: dict | None = None, headers: dict | None = None) -> list[httpx.Response]:
    """GET an Open311 list and every page after it, following `Link: <...>; rel="next"`."""
    base = url.split("/open311/", 1)[0]
    with httpx.Client(base_url=base, headers=headers) as client:  # one client: httpx.get() costs ~40 ms each
        answers = [client.get(url, params=params)]
        while "next" in answers[-1].links:
            answers.append(client.get(answers[-1].links["next"]["url"]))
            assert len(answers) < 100
    return answers


class InProcess:
    """The web app under a real uvicorn in a thread of this process (real HTTP on a loopback
    port), for tests that must look inside: which thread ran a query, how full a lane is.
    `with InProcess(settings, lanes=...) as srv: httpx.get(srv.url + ...)`."""

    def __init__(self, settings, **app_options) -> None:
        import uvicorn

        from kiosk.web.app import make_web_app

        self.app = make_web_app(settings, **app_options)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    access_log=False, proxy_headers=False, lifespan="on"))
        self.thread = None

    def __enter__(self) -> InProcess:
        import threading

        self.thread = threading.Thread(target=self.server.run, name="uvicorn-loop", daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("in-process server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(15)
        database.initialize(None)
