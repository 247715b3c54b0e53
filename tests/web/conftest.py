"""One seeded database and one real server for all web tests (starting uvicorn per test would
cost a second each). The seed is made through the services, then the test process lets go of
the database and the server opens it as `kiosk.py serve` does."""

from __future__ import annotations

import pytest

from .server import INTERNAL, KNOWN_PHONE, seeded_server  # noqa: F401  (re-exported for the tests)


@pytest.fixture(scope="package")
def server(tmp_path_factory):
    srv = seeded_server(tmp_path_factory.mktemp("web"), 300)
    yield srv
    srv.stop()
