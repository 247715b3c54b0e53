"""Staff-console fixtures: one account per role (password "password-123"), and cases."""

from __future__ import annotations

from functools import cache

import pytest

from db.models import Staff
from kiosk.services.cases import CaseData, create_case
from kiosk.services.demo import fake_people
from kiosk.services.people import PersonData
from kiosk.services.staff import Actor, _hasher

PASSWORD = "password-123"
ROLES = ("volunteer", "officer", "supervisor", "admin")


@cache
def _hash() -> str:
    return _hasher.hash(PASSWORD)  # argon2 is slow on purpose: hash once per session


@pytest.fixture
def actors(db) -> dict[str, Actor]:
    out = {}
    for role in ROLES:
        s = Staff.create(username=role, full_name=f"{role} name", role=role, password_hash=_hash())
        out[role] = Actor(s.id, s.username, s.full_name, role, "test")
    officer2 = Staff.create(username="officer2", full_name="second officer", role="officer", password_hash=_hash())
    out["officer2"] = Actor(officer2.id, "officer2", "second officer", "officer", "test")
    return out


def new_case(description: str = "น้ำท่วมบ้าน", person: PersonData | None = None, category: str = "flood",
             urgency: str = "normal") -> int:
    person = person or next(fake_people(1))
    return create_case("WPK", CaseData(category=category, description=description, urgency=urgency), person).id


@pytest.fixture
def case_id(db) -> int:
    return new_case()


NASTY = ("[bold]x", "[@click=app.quit]x[/]", "[b", "\x1b[2Jclear", "bell\x07tab\tnul\x00", "ก" * 3 + "น้ำท่วม" * 40)
