"""Fault-injection fixtures: each test's fault log in its own home ($KIOSK_HOME), and the `trial`
every scenario runs with, once per fault, with the shared staff accounts (tests/conftest.py), the
supervisor with a counter PIN."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.services.staff import Actor

from ..conftest import STAFF_PIN, make_actors
from .harness import FAULTS, Trial


@pytest.fixture
def fault_log(tmp_path: Path, monkeypatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("KIOSK_HOME", str(home))
    return home / "kiosk-error.log"


@pytest.fixture(params=FAULTS, ids=[f.name for f in FAULTS])
def trial(request, settings, monkeypatch, fault_log, actors) -> Trial:
    return Trial(settings, monkeypatch, request.param, fault_log, actors)



@pytest.fixture
def actors(db) -> dict[str, Actor]:
    return make_actors(pins={"supervisor": STAFF_PIN})
