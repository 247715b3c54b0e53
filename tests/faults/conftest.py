"""Fault-injection fixtures: each test's fault log in its own home ($KIOSK_HOME), one staff
account per role (the supervisor with a counter PIN), and the `trial` every scenario runs with,
once per fault."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from db.models import Staff
from kiosk.services.staff import Actor, _hasher

from .harness import FAULTS, Trial

PASSWORD = "fault-suite-pass-1"
PIN = "864209"
ROLES = ("volunteer", "officer", "supervisor", "admin")


@cache
def _hash(secret: str) -> str:
    return _hasher.hash(secret)  # argon2 is slow on purpose: once per session


@pytest.fixture
def fault_log(tmp_path: Path, monkeypatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("KIOSK_HOME", str(home))
    return home / "kiosk-error.log"


@pytest.fixture(params=FAULTS, ids=[f.name for f in FAULTS])
def trial(request, settings, monkeypatch, fault_log, accounts) -> Trial:
    return Trial(settings, monkeypatch, request.param, fault_log, accounts)


@pytest.fixture
def accounts(db) -> dict[str, Actor]:
    """officer, supervisor (PIN), admin, volunteer; password PASSWORD."""
    out = {}
    for role in ROLES:
        s = Staff.create(username=role, full_name=f"{role} name", role=role, password_hash=_hash(PASSWORD),
                         pin_hash=_hash(PIN) if role == "supervisor" else None)
        out[role] = Actor(s.id, s.username, s.full_name, role, "test")
    return out
