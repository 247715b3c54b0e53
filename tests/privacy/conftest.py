"""PDPA tests: one account per role on the sample centre (any database)."""

from __future__ import annotations

from functools import cache

import pytest

from db.models import Staff
from kiosk.services.staff import Actor, _hasher

ROLES = ("volunteer", "officer", "supervisor", "admin")


@cache
def _hash() -> str:
    return _hasher.hash("password-123")  # argon2 is slow on purpose: once per session


def make_actors() -> dict[str, Actor]:
    out = {}
    for role in ROLES:
        s = Staff.create(username=role, full_name=f"{role} name", role=role, password_hash=_hash())
        out[role] = Actor(s.id, s.username, s.full_name, role, "test")
    return out


@pytest.fixture
def actors(db) -> dict[str, Actor]:
    return make_actors()
