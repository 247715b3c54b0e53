"""Every test gets its own configuration and a fresh database: a real SQLite file in a temporary
folder, or (the `pg_db` fixture) a fresh database on the PostgreSQL server at 127.0.0.1:5432."""

from __future__ import annotations

import gc
import os
import sys
from functools import cache
from pathlib import Path

import pytest

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
os.environ.setdefault("KIOSK_CATALOGUE_STRICT", "1")  # a missing catalogue key raises (kiosk.i18n)
sys.dont_write_bytecode = False  # cache this project's bytecode even where PYTHONDONTWRITEBYTECODE=1 (see kiosk.py)

from hypothesis import settings as hypothesis_settings  # noqa: E402

from db.models import Staff, database  # noqa: E402
from kiosk.config import SAMPLE_CONFIG, Settings, parse_settings  # noqa: E402
from kiosk.roles import ROLES  # noqa: E402
from kiosk.services.setup import open_kiosk  # noqa: E402
from kiosk.services.staff import Actor, _hasher  # noqa: E402
from tests import pg_databases  # noqa: E402
from tests.pg_databases import PG_ADMIN_URL  # noqa: E402, F401 (tests import it from here)

# Speed is measured by the benchmarks, not asserted: Hypothesis's 200 ms deadline per example
# failed a Thai parser test whose first example loads the address tables on a loaded machine.
hypothesis_settings.register_profile("kiosk", deadline=None)
hypothesis_settings.load_profile("kiosk")

# The backend under test: `KIOSK_TEST_DB=postgresql uv run pytest` gives every test that asks for a
# configuration its own fresh database on the server at PG_ADMIN_URL instead of a SQLite file.
TEST_DB = os.environ.get("KIOSK_TEST_DB", "sqlite").lower()
if TEST_DB in ("postgres", "pg"):
    TEST_DB = "postgresql"


def write_config(folder: Path, *, database_url: str | None = None, extra: str = "", empty: bool = False) -> Path:
    """The sample config, pointed at `database_url` (default: a SQLite file in `folder`, or under
    KIOSK_TEST_DB=postgresql a fresh database on the server, already at the latest schema unless
    `empty`: a test about what happens to a database nobody has opened yet asks for that)."""
    if database_url is None:
        backend_chosen()
    text = SAMPLE_CONFIG.read_text(encoding="utf-8")
    if database_url is None and TEST_DB == "postgresql":
        database_url = fresh_pg_database(migrated=not empty)
    if database_url:
        text = text.replace('url = "sqlite:///kiosk.sqlite3"', f'url = "{database_url}"')
    path = folder / "kiosk.toml"
    path.write_text(text + extra, encoding="utf-8")
    return path


def config_database(config: Path | str):
    """A connection of its own (not bound to the models) to a database: the one a config file
    names (the SQLite file or the PostgreSQL database write_config chose), or a database URL. For
    tests that read or mend rows behind a server or kiosk running in another process or thread.
    Close it when done."""
    from db.connection import make_database

    if isinstance(config, Path):
        url = parse_settings(config, config.read_text(encoding="utf-8"), environ={}).database_url
    else:
        url = config
    connection = make_database(url)
    connection.connect()
    return connection


def query_config_database(config: Path | str, sql: str, params: tuple = ()) -> list[tuple]:
    """The rows of `sql` (`?` placeholders, either backend) on the database `config` names (a
    config file or a URL), committed; see config_database."""
    connection = config_database(config)
    try:
        with connection.atomic():
            cursor = connection.execute_sql(sql.replace("?", connection.param), params)
            return list(cursor.fetchall()) if cursor.description else []
    finally:
        connection.close()


def database_env() -> dict[str, str]:
    """The environment for a `kiosk.py` that writes its own config (init, or the quick start in
    KIOSK_HOME): under KIOSK_TEST_DB=postgresql, KIOSK_DATABASE_URL naming a fresh database
    (dropped after the test); nothing on SQLite, where the sample's kiosk.sqlite3 is used."""
    backend_chosen()
    return {"KIOSK_DATABASE_URL": fresh_pg_database()} if TEST_DB == "postgresql" else {}


# -- which tests follow KIOSK_TEST_DB -------------------------------------------------------------
# A test that never lets KIOSK_TEST_DB choose its database (a Thai parser, a PostgreSQL-only test, a
# SQLite file of its own) runs the same under either value. CI's SQLite run writes the ids of the
# tests that did let it choose (KIOSK_TEST_RECORD_BACKEND=FILE: in the test, or in a fixture it
# uses, write_config gave the default database or database_env was called) and drove no screen:
# none in this process (App.run_test or run_async: Pilot and the snapshots) and none end to end
# (the `e2e` marker: a real terminal, SSH, a browser). Screens and pages reach the database only
# through the services those tests call. A test parametrized over both databases (any_db, joint,
# kind) ran on each already. Its PostgreSQL run (KIOSK_TEST_BACKEND_ONLY=FILE) runs only those.
# Without the variables every test runs: `KIOSK_TEST_DB=postgresql uv run pytest`.
_backend = {"chosen": False, "screen": False}
BACKEND_FIXTURES: set[str] = set()  # fixtures (any scope) whose setup let KIOSK_TEST_DB choose


def backend_chosen() -> None:
    _backend["chosen"] = True


def _screen_driven(run_test):
    def run(self, *args, **kwargs):
        _backend["screen"] = True
        return run_test(self, *args, **kwargs)
    return run


if os.environ.get("KIOSK_TEST_RECORD_BACKEND"):
    from textual.app import App

    App.run_test = _screen_driven(App.run_test)
    App.run_async = _screen_driven(App.run_async)  # the snapshots' headless runs


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    before, _backend["chosen"] = _backend["chosen"], False
    try:
        return (yield)
    finally:
        if _backend["chosen"]:
            BACKEND_FIXTURES.add(fixturedef.argname)
        _backend["chosen"] = _backend["chosen"] or before


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    _backend["chosen"] = _backend["screen"] = False
    try:
        return (yield)
    finally:
        record = os.environ.get("KIOSK_TEST_RECORD_BACKEND")
        chosen = _backend["chosen"] or BACKEND_FIXTURES & set(getattr(item, "fixturenames", ()))
        params = getattr(getattr(item, "callspec", None), "params", {})
        twin = {"sqlite", "postgres"} & {str(v) for v in params.values()}  # any_db, joint, kind: ran on both
        if record and chosen and not twin and not _backend["screen"] and not item.get_closest_marker("e2e"):
            with open(record, "a", encoding="utf-8") as f:  # one short line: xdist workers append safely
                f.write(item.nodeid + "\n")


def schema_of(connection) -> dict:
    """Every table's columns, indexes and foreign keys as the database describes them (either backend)."""
    return {t: (connection.get_columns(t), sorted(connection.get_indexes(t)), sorted(connection.get_foreign_keys(t)))
            for t in sorted(connection.get_tables())}


def file_mode(path: Path) -> int:
    """A file's permission bits (0o600 for a private file)."""
    import stat

    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022():
    """The usual umask, under which files would be readable by every account unless made private."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture(autouse=True)
def young_heap():
    """Each test starts with what earlier tests left behind frozen out of the garbage collector
    (gc.freeze): the app collects in its pauses (screens/app.py), and a full collection over a
    test process's heap — every module, report and leftover of hundreds of tests — cost ~0.2 s
    each, a seventh of a screen test's time. A counter's own process has only itself to scan."""
    yield
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def fault_log_from_environment(monkeypatch):
    """Each test starts with the fault log at $KIOSK_HOME: a command run in-process moves it
    beside the config it read (kiosk.faults.log_beside), which must not leak into the next test."""
    from kiosk import faults

    monkeypatch.setattr(faults, "_folder", None)


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    return write_config(tmp_path)


@pytest.fixture
def settings(config_file: Path) -> Settings:
    return parse_settings(config_file, config_file.read_text(encoding="utf-8"), environ={})


@pytest.fixture
def db(settings: Settings):
    """The sample centre on a fresh SQLite file, migrated and bound to the models."""
    connection = open_kiosk(settings)
    yield connection
    connection.close()


# Text that must stay text wherever it is shown or stored: Rich markup (a link whose click would
# quit the app, an unclosed tag), a terminal escape, control characters, and a long Thai run.
HOSTILE = ("[bold]x", "[@click=app.quit]x[/]", "[b", "\x1b[2Jclear", "bell\x07tab\tnul\x00", "ก" * 3 + "น้ำท่วม" * 40)

STAFF_PASSWORD = "password-123"
STAFF_PIN = "864209"  # a counter PIN for tests that need one


@cache
def slow_hash(secret: str) -> str:
    """argon2 is slow on purpose: each secret is hashed once per test session."""
    return _hasher.hash(secret)


def add_actor(username: str, role: str, full_name: str | None = None, pin: str | None = None) -> Actor:
    """A staff account with the password STAFF_PASSWORD, stored as is (no audit row)."""
    s = Staff.create(username=username, full_name=full_name or f"{username} name", role=role,
                     password_hash=slow_hash(STAFF_PASSWORD), pin_hash=slow_hash(pin) if pin else None)
    return Actor(s.id, s.username, s.full_name, role, "test")


def make_actors(pins: dict[str, str] | None = None) -> dict[str, Actor]:
    """One account per role, named after it; `pins`: role → counter PIN (none by default)."""
    return {role: add_actor(role, role, pin=(pins or {}).get(role)) for role in ROLES}


@pytest.fixture
def actors(db) -> dict[str, Actor]:
    """Staff accounts on the test database: see `make_actors`."""
    return make_actors()


def fresh_pg_database(*, migrated: bool = False) -> str:
    """The URL of a database on the server for the running test (tests/pg_databases.py): empty,
    or `migrated` (the latest schema with its reference data)."""
    return pg_databases.fresh(migrated=migrated)


def pg_url_of(connection) -> str:
    """The URL of the PostgreSQL database a connection (pg_db, db) is open on."""
    return pg_databases.url_of(connection.database)


@pytest.fixture(scope="session", autouse=True)
def drop_pg_databases_of_shared_fixtures():
    """Drop, at the end of the session, every database this process made: those of fixtures shared
    by several tests (a module's or a package's seeded server), the reused ones and the template."""
    yield
    if database.obj is not None and not database.is_closed():
        database.close()
    if pg_databases.made() or pg_databases._templates:
        pg_databases.drop_all()


@pytest.fixture(autouse=True)
def release_pg_databases():
    """Reset for the next test (or drop) the databases made for this one. Those made before it
    started belong to a shared (module, package) fixture and stay until the session ends."""
    keep = pg_databases.made()
    yield
    if pg_databases.made() > keep:
        if database.obj is not None and not database.is_closed():
            database.close()
        pg_databases.release(keep)


@pytest.fixture
def pg_url():
    """A fresh, empty PostgreSQL database, dropped afterwards."""
    return fresh_pg_database()


@pytest.fixture
def pg_db(tmp_path: Path):
    """The sample centre on a fresh PostgreSQL database (its URL: pg_url_of(pg_db))."""
    path = write_config(tmp_path, database_url=fresh_pg_database(migrated=True))
    settings = parse_settings(path, path.read_text(encoding="utf-8"), environ={})
    connection = open_kiosk(settings)
    yield connection
    connection.close()


@pytest.fixture(params=["sqlite", "postgres"])
def any_db(request):
    """Run a test on both databases."""
    return request.getfixturevalue("db" if request.param == "sqlite" else "pg_db")


POSTGRES_FIXTURES = {"pg_url", "pg_db", "second_pg_url"}


def pytest_collection_modifyitems(config, items):
    """Mark every test that uses the PostgreSQL server `postgres`, so `-m "not postgres"` runs the rest:
    those asking for a PostgreSQL fixture, and the "postgres" case of a test parametrized over both
    databases (any_db, or a `kind` that fetches pg_url/pg_db with request.getfixturevalue).
    Under KIOSK_TEST_DB=postgresql the tests about the SQLite file itself (`sqlite_file`) are
    deselected — not skipped: there is no such file to read."""
    only = os.environ.get("KIOSK_TEST_BACKEND_ONLY")
    chosen = set(Path(only).read_text(encoding="utf-8").split("\n")) - {""} if only and Path(only).is_file() else set()
    if chosen:  # the tests the SQLite run saw follow KIOSK_TEST_DB (above); the rest ran there already
        same = [item for item in items if item.nodeid not in chosen]
        config.hook.pytest_deselected(items=same)
        items[:] = [item for item in items if item.nodeid in chosen]
    if TEST_DB == "postgresql":
        sqlite_only = [item for item in items if item.get_closest_marker("sqlite_file")]
        if sqlite_only:
            config.hook.pytest_deselected(items=sqlite_only)
            items[:] = [item for item in items if not item.get_closest_marker("sqlite_file")]
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if POSTGRES_FIXTURES & set(getattr(item, "fixturenames", ())) or "postgres" in params.values():
            item.add_marker(pytest.mark.postgres)
