"""The operations log (kiosk.logs): JSON lines in <home>/logs, rotating, owner-only, and no
personal data. A full flow — a citizen's request at the kiosk, a staff sign-in, the case
assigned and answered, the citizen's status page opened from the QR and the tracking form
used, commands run with an ID number on their command line — leaves events in the logs, and
no name, ID number, phone, house number, tracking token or query string in any of them. The
fault log (kiosk-error.log) stays where it was."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from db.models import Case
from kiosk import logs
from kiosk.cli import main
from kiosk.cli.common import start_log
from kiosk.faults import log_beside, log_fault, log_path
from kiosk.services import intake
from kiosk.services import staff as staff_service
from kiosk.services.workflow import Step, perform
from kiosk.web.app import make_web_app
from tests.conftest import STAFF_PASSWORD, file_mode
from tests.intake.test_intake_service import good_form

FIRST, LAST = "ประยุทธ์ศรี", "วงศ์สุวรรณทอง"
PHONE = "0869991234"
HOUSE = "77/9"


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(autouse=True)
def logs_put_back():
    """configure() installs handlers on the root logger; later tests get none of them."""
    yield
    for logger, handler in logs._installed:
        logger.removeHandler(handler)
        handler.close()
    logs._installed.clear()


def test_a_full_flow_leaves_events_and_no_personal_data(settings, actors, tmp_path: Path, umask_022) -> None:
    home = settings.home
    start_log(settings, "counter")
    form = good_form(first_name=FIRST, last_name=LAST, phone=PHONE, house_no=HOUSE)
    created = intake.submit(settings, form)
    id_number = form.doc_number

    start_log(settings, "staff")
    officer = staff_service.login("officer", STAFF_PASSWORD, client="ssh:192.0.2.7")
    version = Case.get_by_id(created.id).version
    version = perform(officer, created.id, Step("assign", version, assignee=officer.id))
    perform(officer, created.id, Step("ask_info", version, public_note="กรุณานำสำเนาทะเบียนบ้านมาที่ศูนย์"))

    start_log(settings, "serve")
    with TestClient(make_web_app(settings, open_db=False)) as web:
        assert web.get(f"/t/{created.token}?from=qr&phone={PHONE}").status_code == 200
        assert web.post("/track", data={"ticket": created.ticket_no, "last4": PHONE[-4:]}).status_code in (200, 303)
        assert web.get(f"/open311/v2/requests.json?api_key=secret-key-{id_number}").status_code in (200, 401, 403)

    # commands with personal data on their command line
    assert main(["--config", str(settings.path), "person-export", "--doc", id_number,
                 "--out", str(tmp_path / "export.json")]) == 0
    assert main(["--config", str(settings.path), "backup"]) == 0

    folder = home / "logs"
    files = sorted(folder.iterdir())
    assert {p.name for p in files} >= {"counter.jsonl", "staff.jsonl", "web.jsonl", "web-access.jsonl", "cli.jsonl"}
    assert file_mode(folder) == 0o700 and all(file_mode(p) == 0o600 for p in files)

    text = "\n".join(p.read_text(encoding="utf-8") for p in files)
    digits = re.sub(r"\D", "", id_number)
    secrets = [FIRST, LAST, "สมชาย", id_number, digits, digits[-6:], PHONE, PHONE[1:], "086-999-1234",
               "+66869991234", HOUSE, created.token, created.short_code, "secret-key", "from=qr", "?"]
    assert [s for s in secrets if s in text] == []

    counter = lines(folder / "counter.jsonl")
    assert counter[0]["event"] == "start" and counter[0]["command"] == "counter" and counter[0]["version"]
    assert {"event": "case_created", "case_id": created.id, "category": "flood", "channel": "kiosk"}.items() <= \
        next(e for e in counter if e.get("event") == "case_created").items()
    staff = lines(folder / "staff.jsonl")
    assert [e["event"] for e in staff if e.get("event") != "start"] == ["login", "case_step", "case_step"]
    assert staff[1]["staff_id"] == officer.id and staff[1]["role"] == "officer"
    assert [e["action"] for e in staff[2:]] == ["assign", "ask_info"]
    access = lines(folder / "web-access.jsonl")
    assert [(e["method"], e["path"], e["code"]) for e in access][:2] == [("GET", "/t/-", 200),
                                                                       ("POST", "/track", access[1]["code"])]
    assert access[2]["path"] == "/open311/v2/requests.json"
    assert all(e["net"] in ("testclient", "-") or e["net"].endswith("/24") or e["net"].endswith("/48")
               for e in access)
    cli = lines(folder / "cli.jsonl")
    assert [e["command"] for e in cli if e.get("event") == "start"] == ["person-export", "backup"]


def test_exceptions_are_logged_by_class_only(settings) -> None:
    start_log(settings, "serve")
    try:
        raise ValueError(f"duplicate key (phone)=({PHONE})")
    except ValueError:
        logging.getLogger("uvicorn.error").exception("Exception in ASGI application")
    entry = lines(settings.home / "logs" / "web.jsonl")[-1]
    assert entry["error"] == "ValueError" and entry["msg"] == "Exception in ASGI application"
    assert PHONE not in (settings.home / "logs" / "web.jsonl").read_text(encoding="utf-8")


def test_fields_nobody_vetted_never_reach_the_file(settings) -> None:
    start_log(settings, "cli")
    logging.getLogger("kiosk.test").info("x", extra={"first_name": FIRST, "case_id": 7})
    entry = lines(settings.home / "logs" / "cli.jsonl")[-1]
    assert entry["case_id"] == 7 and "first_name" not in entry and FIRST not in json.dumps(entry, ensure_ascii=False)


def test_the_log_rotates(settings, monkeypatch) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 2000)
    start_log(settings, "cli")
    for n in range(200):
        logs.event("kiosk.test", "filler", event="filler", count=n)
    names = sorted(p.name for p in (settings.home / "logs").iterdir())
    assert names[:3] == ["cli.jsonl", "cli.jsonl.1", "cli.jsonl.2"] and len(names) <= 1 + logs.BACKUPS
    assert all(p.stat().st_size <= 2200 for p in (settings.home / "logs").iterdir())
    assert all(file_mode(p) == 0o600 for p in (settings.home / "logs").iterdir())


def test_the_fault_log_still_takes_tracebacks(settings) -> None:
    log_beside(settings.home)  # as settings_from does, with start_log
    start_log(settings, "cli")
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        assert log_fault(exc, "test") == log_path() == settings.home / "kiosk-error.log"
    assert "RuntimeError: boom" in log_path().read_text(encoding="utf-8")


def test_the_real_server_logs_requests_without_tokens_or_queries(tmp_path: Path) -> None:
    """`kiosk.py serve` under uvicorn: its access log has the blanked path; nothing it prints or
    writes (stdout, stderr, web.jsonl) has the token, the phone of the known case or a query."""
    import httpx

    from tests.web.server import KNOWN_PHONE, seeded_server

    server = seeded_server(tmp_path, 3)
    try:
        token = next(c["token"] for c in server.seeded["cases"] if c["id"] == server.seeded["known"].id)
        assert httpx.get(f"{server.url}/t/{token}?via=qr&phone={KNOWN_PHONE}").status_code == 200
        assert httpx.get(f"{server.url}/t/not-a-token").status_code == 404
    finally:
        server.stop()
    folder = tmp_path / "logs"
    access = lines(folder / "web-access.jsonl")
    assert [(e["path"], e["code"]) for e in access if e["path"].startswith("/t/")] == [("/t/-", 200), ("/t/-", 404)]
    assert all(e["net"] == "127.0.0.0/24" for e in access)
    everything = "\n".join(p.read_text(encoding="utf-8") for p in [*folder.iterdir(), tmp_path / "serve.log"])
    assert token not in everything and "via=qr" not in everything and KNOWN_PHONE not in everything
    assert "ทดสอบ" not in everything and "1101700230705" not in everything
    assert lines(folder / "web.jsonl")[0]["command"] == "serve"
