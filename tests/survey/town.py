"""A surveyed town for the register's tests: two teams (the volunteer's "ทีมเหนือ" and
"ทีมใต้"), households in หมู่ 1–5 with coordinates, people with every kind of vulnerability,
old and recent surveys, and one person who moved (surveyed first in หมู่ 1 as bedridden, later in
หมู่ 4 without): the register must show only their latest record."""

from __future__ import annotations

import random
from dataclasses import dataclass

from kiosk.services import surveys
from kiosk.services.staff import Actor
from kiosk.services.survey_rows import VULNERABILITIES
from kiosk.thai.ids import check_digit
from tests.conftest import make_actors
from tests.survey import sheet_rows
from tests.survey.test_import import ORG, TODAY

NORTH, SOUTH = "ทีมเหนือ", "ทีมใต้"
FIRST = ("สมศรี", "สมชาย", "บุญมี", "มะลิ", "แก้ว", "ทองดี", "ประยุทธ", "จันทร์", "สมพร", "วิไล", "ชูชาติ", "อรุณ")
LAST = ("ใจดี", "ศรีสุข", "มณี", "ดวงดี", "รักไทย", "แสงทอง")


def nid(n: int) -> str:
    first12 = f"3{n:011d}"
    return first12 + str(check_digit(first12))


@dataclass
class Town:
    actors: dict[str, Actor]
    north: int
    south: int
    mover: str  # the document number of the person who moved


def build(people: int = 60, seed: int = 13, actors: dict[str, Actor] | None = None) -> Town:
    """Import the town through the survey import (the real way in); `actors` the accounts made
    already (one per role, named after it), else made here."""
    actors = actors or make_actors()
    officer = actors["officer"]
    north = surveys.create_team(officer, ORG, NORTH, "community_leader", "1,2,3")
    south = surveys.create_team(officer, ORG, SOUTH, "civil_defence", "3,4,5")
    surveys.add_member(officer, north, "อาสา เหนือ", username="volunteer")
    surveys.add_member(officer, south, "อาสา ใต้")
    rng = random.Random(seed)
    cells = []
    for i in range(people):
        household = i // 3
        moo = household % 5 + 1
        team = NORTH if moo <= 2 or (moo == 3 and household % 2) else SOUTH
        flags = rng.sample([v for v in VULNERABILITIES if v != "elderly"], rng.choice((0, 1, 1, 2, 3)))
        if i % 7 == 0:
            flags.append("bedbound")
        born_year = rng.choice((2480, 2490, 2500, 2505, 2509, 2510, 2520, 2540, 2560))
        cells.append(dict(
            household_no=str(household + 1), house_no=f"{household + 10}/{moo}", moo=str(moo),
            village=f"บ้านหมู่{moo}", first_name=FIRST[i % len(FIRST)] + ("" if i < len(FIRST) else str(i)),
            last_name=LAST[i % len(LAST)], doc_number=nid(i + 1), birth_date=f"{1 + i % 27}/{1 + i % 12}/{born_year}",
            phone=f"08{i % 10}{i:07d}", vulnerabilities=",".join(sorted(set(flags))), needs="survival_bag" if i % 2 else "",
            consent="ใช่", surveyed_on=rng.choice(("5/1/2567", "20/6/2568", "1/3/2569", "20/11/2569")), team=team,
            latitude=str(round(18.78 + moo * 0.01 + household * 0.0001, 6)),
            longitude=str(round(98.98 + moo * 0.01, 6)) if household % 4 else ""))
        if not cells[-1]["longitude"]:
            cells[-1]["latitude"] = ""  # a household without a GPS point
    report = surveys.import_rows(officer, ORG, sheet_rows(cells), today=TODAY)
    assert report.imported, report.lines("en")
    mover = nid(9001)
    old = dict(household_no="x", house_no="99", moo="1", first_name="ย้ายบ้าน", last_name="ทดสอบ", doc_number=mover,
               birth_date="1/1/2500", vulnerabilities="bedbound", consent="ใช่", surveyed_on="1/1/2566", team=NORTH)
    assert surveys.import_rows(officer, ORG, sheet_rows([old]), today=TODAY).imported
    new = {**old, "household_no": "y", "house_no": "77", "moo": "4", "vulnerabilities": "low_income",
           "surveyed_on": "1/10/2569", "team": SOUTH}
    assert surveys.import_rows(officer, ORG, sheet_rows([new]), today=TODAY).imported
    return Town(actors, north, south, mover)
