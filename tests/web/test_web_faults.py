"""The web under faults, with real faults: database work never runs on the event loop; a full
lane answers 503 at once; a locked database (SQLite or PostgreSQL), bad stored data and a PostgreSQL whose
connections are killed or refused give a calm 503 in Thai and English (HTML for pages, JSON or
XML for Open311) with the traceback in the error log only — and the next request after the
fault clears succeeds, without a restart."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
import time
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree as ET

import httpx
import psycopg
import pytest

from db.connection import is_postgres, sqlite_path
from db.models import database
from kiosk.config import parse_settings
from kiosk.i18n import translate
from tests.conftest import PG_ADMIN_URL, config_database, write_config

from .server import API_KEY, InProcess, seed, seeded_server

KEY = {"x-api-key": API_KEY}
LOG = "kiosk-error.log"


def settings_for(folder: Path):
    config = write_config(folder)
    return parse_settings(config, config.read_text(encoding="utf-8"), environ={"KIOSK_API_KEYS": API_KEY})


def assert_calm_503_page(response: httpx.Response, *secrets: str) -> None:
    """The 503 page: Thai and English, nothing of what went wrong, nothing typed."""
    assert response.status_code == 503 and response.headers["content-type"].startswith("text/html")
    for lang in ("th", "en"):
        assert translate("web.unavailable_title", lang) in response.text
        assert translate("web.unavailable_body", lang) in response.text
    for word in ("Traceback", "Error", "sqlite", "psycopg", "File \"", *secrets):
        assert word not in response.text
    assert response.headers["content-security-policy"].startswith("default-src 'self'")


def assert_open311_503(response: httpx.Response, fmt: str) -> None:
    assert response.status_code == 503
    if fmt == "json":
        [err] = response.json()
    else:
        err = {c.tag: c.text for c in ET.fromstring(response.content).find("error")}
    assert int(err["code"]) == 503 and err["description"] == translate("open311.unavailable", "th")
    assert "Traceback" not in response.text and "Error" not in response.text


def log_of(folder: Path) -> str:
    path = folder / LOG
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    return path.read_text(encoding="utf-8")


def test_database_work_never_runs_on_the_event_loop(tmp_path, monkeypatch):
    """Every statement run while serving one request of each route that reads or writes the
    database is recorded with the thread that ran it: none is the event loop's thread."""
    monkeypatch.setenv("KIOSK_HOME", str(tmp_path))
    settings = settings_for(tmp_path)
    seeded = seed(settings, 3)
    with InProcess(settings) as srv:
        ran: list[tuple[str, int]] = []
        route = ["start-up"]
        execute_sql = database.obj.execute_sql

        def recording(sql, params=None, *args, **kwargs):
            ran.append((route[0], threading.get_ident()))
            return execute_sql(sql, params, *args, **kwargs)

        monkeypatch.setattr(database.obj, "execute_sql", recording)
        known = seeded["known"]
        calls = {
            "status page": lambda c: c.get(f"/t/{known.token}"),
            "track": lambda c: c.post("/track", data={"ticket": known.ticket_no, "last4": "5678"}),
            "info": lambda c: c.get("/info"),
            "announcements": lambda c: c.get("/announcements"),
            "services": lambda c: c.get("/open311/v2/services.json"),
            "list": lambda c: c.get("/open311/v2/requests.json"),
            "list (partner)": lambda c: c.get("/open311/v2/requests.xml", headers=KEY),
            "one": lambda c: c.get(f"/open311/v2/requests/{known.ticket_no}.json"),
            "post": lambda c: c.post("/open311/v2/requests.json",
                                     data={"api_key": API_KEY, "service_code": "flood", "description": "น้ำท่วม"}),
        }
        with httpx.Client(base_url=srv.url) as client:
            for name, call in calls.items():
                route[0] = name
                assert call(client).status_code in (200, 201), name
        loop_thread = srv.thread.ident
    per_route = Counter(name for name, _ in ran)
    assert set(per_route) == set(calls), per_route  # every route did database work...
    on_loop = [name for name, ident in ran if ident == loop_thread]
    assert on_loop == []  # ...and none of it on the event loop


def hold_write_lock(url: str):
    """Another connection takes the whole database's write lock and holds it, as a writer does on
    SQLite: there BEGIN EXCLUSIVE (in WAL mode readers go on); on PostgreSQL every table locked
    IN EXCLUSIVE MODE (plain reads go on, writes and SELECT ... FOR UPDATE wait). Returns the
    function that releases it and the words a statement that gave up waiting logs."""
    path = sqlite_path(url)
    if path is not None:
        lock = sqlite3.connect(path, isolation_level=None)
        lock.execute("BEGIN EXCLUSIVE")
        locked = "database is locked"
    else:
        lock = psycopg.connect(url, connect_timeout=3)  # a transaction until rollback()
        tables = [t for t, in lock.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        assert len(tables) > 10
        lock.execute("LOCK TABLE " + ", ".join(f'"{t}"' for t in tables) + " IN EXCLUSIVE MODE")
        locked = "canceling statement due to lock timeout"

    def release() -> None:
        lock.rollback() if path is None else lock.execute("ROLLBACK")
        lock.close()

    return release, locked


def test_a_full_lane_answers_503_at_once_and_a_locked_database_recovers(tmp_path, monkeypatch):
    """One worker and no queue in the citizens' lane. Another connection holds the database's
    write lock (hold_write_lock), so a POST waits in that worker for the lock timeout (15 s).
    Meanwhile the status page gets 503 at once (busy: not logged), the anonymous Open311 list,
    in its own lane, still answers, and the POST ends in a calm 503 logged with its traceback,
    none of the typed values. With the lock released, the same POST and page succeed: no restart."""
    monkeypatch.setenv("KIOSK_HOME", str(tmp_path))
    settings = settings_for(tmp_path)
    seeded = seed(settings, 3)
    form = {"api_key": API_KEY, "service_code": "storm", "description": "หลังคาบ้านปลิว ซอยลับเฉพาะ",
            "first_name": "สมศรีทดสอบ", "phone": "0897654321"}
    with InProcess(settings, lanes={"citizen": (1, 0), "open": (1, 0)}) as srv:
        release, locked = hold_write_lock(settings.database_url)
        posted: list[httpx.Response] = []
        poster = threading.Thread(target=lambda: posted.append(
            httpx.post(f"{srv.url}/open311/v2/requests.json", data=form, timeout=60)))
        poster.start()
        lane = srv.app.state.lanes["citizen"]
        while lane.admitted == 0:  # the POST has its worker: the lane is full
            time.sleep(0.01)
        busy = httpx.get(f"{srv.url}/t/{seeded['known'].token}")
        assert_calm_503_page(busy)
        assert busy.headers["retry-after"] == "1"
        assert httpx.get(f"{srv.url}/open311/v2/requests.json").status_code == 200  # the other lane
        assert not (tmp_path / LOG).exists()  # busy is not a fault
        poster.join(60)
        assert_open311_503(posted[0], "json")
        log = log_of(tmp_path)
        assert "Traceback" in log and locked in log and "request_create" in log
        assert all(v not in log for v in (form["first_name"], form["phone"], form["description"]))
        release()

        again = httpx.post(f"{srv.url}/open311/v2/requests.json", data=form)
        assert again.status_code == 201
        assert httpx.get(f"{srv.url}/t/{seeded['known'].token}").status_code == 200


@pytest.fixture
def web(tmp_path):
    srv = seeded_server(tmp_path, 3)
    yield srv
    srv.stop()


def test_bad_stored_data_is_a_calm_503_and_the_traceback_goes_to_the_log(web):
    """A bug's stand-in: a stored timestamp no reader can take (SQLite keeps any text in the column;
    PostgreSQL keeps 'infinity', which psycopg cannot make a datetime of). Every kind of answer is
    a 503 in its own form; the log has the traceback; mending the row mends the page."""
    folder = web.config.parent
    case = web.seeded["cases"][0]
    db = config_database(web.config)
    unreadable, error = ("infinity", "DataError") if is_postgres(db) else ("not a time", "ValueError")
    sql = f'UPDATE "case" SET updated_at = {db.param} WHERE id = {db.param}'
    good = db.execute_sql(f'SELECT updated_at FROM "case" WHERE id = {db.param}', (case["id"],)).fetchone()[0]
    with db.atomic():
        db.execute_sql(sql, (unreadable, case["id"]))
    assert_calm_503_page(httpx.get(f"{web.url}/t/{case['token']}"), case["ticket_no"])
    assert_calm_503_page(httpx.get(f"{web.url}/t/{case['token']}", params={"lang": "en"}))
    for fmt in ("json", "xml"):
        assert_open311_503(httpx.get(f"{web.url}/open311/v2/requests/{case['ticket_no']}.{fmt}", headers=KEY), fmt)
    log = log_of(folder)
    assert log.count("Traceback") == 4 and error in log and "by_token" in log
    assert case["token"] not in log  # where it happened is named by route, not by its secret path
    with db.atomic():
        db.execute_sql(sql, (good, case["id"]))
    db.close()
    assert httpx.get(f"{web.url}/t/{case['token']}").status_code == 200


def _pg(sql: str, *params) -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as admin:
        admin.execute(sql, params)


def _kill_connections(name: str) -> None:
    _pg("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", name)


def test_postgresql_connections_killed_or_refused_then_back(tmp_path, pg_url):
    """The server's PostgreSQL connections are terminated (a restart): the next read still
    answers (its broken connection is replaced). Then the database refuses connections (down):
    503 pages and Open311 errors, logged. Connections allowed again: the next requests
    succeed, reads and a write, without restarting the web server."""
    name = pg_url.rsplit("/", 1)[1]
    srv = seeded_server(tmp_path, 3, database_url=pg_url)
    try:
        known = srv.seeded["known"]
        page = f"{srv.url}/t/{known.token}"
        assert httpx.get(page).status_code == 200
        assert httpx.get(f"{srv.url}/open311/v2/requests.json", headers=KEY).status_code == 200

        _kill_connections(name)
        assert httpx.get(page).status_code == 200
        assert httpx.get(f"{srv.url}/open311/v2/requests.json", headers=KEY).status_code == 200

        _pg(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        _kill_connections(name)
        assert_calm_503_page(httpx.get(page), known.ticket_no)
        assert_open311_503(httpx.get(f"{srv.url}/open311/v2/requests.json", headers=KEY), "json")
        assert_open311_503(httpx.get(f"{srv.url}/open311/v2/requests.xml"), "xml")
        form = {"api_key": API_KEY, "service_code": "fire", "description": "ไฟไหม้ยุ้งฉาง"}
        assert_open311_503(httpx.post(f"{srv.url}/open311/v2/requests.json", data=form), "json")
        log = log_of(tmp_path)
        assert "OperationalError" in log and "Traceback" in log

        _pg(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        assert httpx.get(page).status_code == 200
        assert httpx.post(f"{srv.url}/open311/v2/requests.json", data=form).status_code == 201
        assert httpx.get(f"{srv.url}/open311/v2/requests.json", headers=KEY).status_code == 200
    finally:
        _pg(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        srv.stop()
    assert os.path.exists(tmp_path / LOG)


def test_postgresql_out_of_reach_is_a_503_with_retry_after_then_back(tmp_path, pg_url):
    """The database host out of reach (a TCP proxy in front of the server, cut: every connection
    closed, new ones refused): the status page and Open311 answer 503 in Thai and English with
    Retry-After, not a traceback; with the proxy back the same requests answer, no restart."""
    from tests.pgproxy import PgProxy

    proxy = PgProxy(pg_url)
    srv = seeded_server(tmp_path, 3, database_url=proxy.url)
    try:
        known = srv.seeded["known"]
        page = f"{srv.url}/t/{known.token}"
        assert httpx.get(page).status_code == 200
        proxy.cut()
        down = httpx.get(page)
        assert_calm_503_page(down, known.ticket_no)
        assert down.headers["retry-after"] == "5"
        for fmt in ("json", "xml"):
            answer = httpx.get(f"{srv.url}/open311/v2/requests.{fmt}", headers=KEY)
            assert_open311_503(answer, fmt)
            assert answer.headers["retry-after"] == "5"
        proxy.restore()
        assert httpx.get(page).status_code == 200
        assert httpx.get(f"{srv.url}/open311/v2/requests.json", headers=KEY).status_code == 200
    finally:
        srv.stop()
        proxy.cut()
    assert "OperationalError" in log_of(tmp_path)


def test_a_second_web_server_on_a_read_only_database_serves_the_status_page(tmp_path, pg_url):
    """A read replica for the public web (README, "Joint operations centre"): what the code
    supports today is a second `serve` whose KIOSK_DATABASE_URL points at a read-only database
    (a hot standby; here the same database with every transaction read-only). It starts (nothing
    to migrate, the LAOs already in place), answers the status page and Open311 reads, and a
    write sent to it by mistake is a calm 503, not a half-done request."""
    from .server import start_server

    primary = seeded_server(tmp_path, 3, database_url=pg_url)
    primary.stop()
    read_only = pg_url + "?options=-c%20default_transaction_read_only%3Don"
    replica = start_server(tmp_path / "kiosk.toml", extra_env={"KIOSK_DATABASE_URL": read_only})
    try:
        known = primary.seeded["known"]
        assert httpx.get(f"{replica.url}/t/{known.token}").status_code == 200
        listed = httpx.get(f"{replica.url}/open311/v2/requests.json", headers=KEY)
        assert listed.status_code == 200 and any(r["service_request_id"] == known.ticket_no for r in listed.json())
        form = {"api_key": API_KEY, "service_code": "fire", "description": "ไฟไหม้ยุ้งฉาง"}
        assert_open311_503(httpx.post(f"{replica.url}/open311/v2/requests.json", data=form), "json")
        assert "read-only transaction" in log_of(tmp_path)
    finally:
        replica.stop()
