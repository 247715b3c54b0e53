"""The register of surveyed people in the staff console (issue 13, item 4), reached by an
officer from the staff home with `r`, then `b` `3`: bedridden people in หมู่ 3."""

from __future__ import annotations

import pytest

from tests.staff.pilot import login
from tests.survey import town

from .conftest import reach


@pytest.fixture
def place(db):
    return town.build()


async def to_bedridden_in_moo_3(pilot) -> None:
    await login(pilot, "officer")
    pilot.app.open_home()
    await reach(pilot, "StaffHomeScreen")
    await pilot.press("r")
    await reach(pilot, "RegisterScreen")
    await pilot.press("b", "3")
    await reach(pilot, "RegisterScreen")


def test_register(picture, place):
    """The filter line "หมู่ 3 · ผู้ป่วยติดเตียง — 3 คน" (Moo 3 · Bedridden — 3 people); on the left,
    titled by หมู่, the counts of bedridden people per หมู่ (1, 3, 3, 1, 4), count first, with หมู่ 3
    marked ▸; on the right the three people of หมู่ 3: house 12/3 จันทร์ ศรีสุข, 17/3 วิไล21 ดวงดี,
    27/3 แก้ว52 รักไทย, with age, short vulnerability labels, team and survey date (BE); two hint
    lines of the letter and digit keys (b … h, v, 1-9, 0, m, t, o, Enter); the footer keys (Esc
    back, g group, v vulnerability, 1-9 moo, n new case, x export, ctrl+l, ctrl+o)."""
    assert picture("staff", to_bedridden_in_moo_3)
