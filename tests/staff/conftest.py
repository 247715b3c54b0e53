"""Staff-console fixtures: the shared accounts (tests/conftest.py) and a second officer, and cases."""

from __future__ import annotations

import pytest

from kiosk.services.cases import CaseData, create_case
from kiosk.services.demo import fake_people
from kiosk.services.people import PersonData
from kiosk.services.staff import Actor

from ..conftest import add_actor


@pytest.fixture
def actors(actors) -> dict[str, Actor]:
    """The shared accounts, and "officer2" to see another officer's work."""
    return {**actors, "officer2": add_actor("officer2", "officer", "second officer")}


def new_case(description: str = "น้ำท่วมบ้าน", person: PersonData | None = None, category: str = "flood",
             urgency: str = "normal") -> int:
    person = person or next(fake_people(1))
    return create_case("WPK", CaseData(category=category, description=description, urgency=urgency), person).id


@pytest.fixture
def case_id(db) -> int:
    return new_case()

