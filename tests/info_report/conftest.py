"""INFO report fixtures: the process runs in UTC (as servers do), cases made and helped at given
UTC moments through the real workflow, survey records on given days."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest
import time_machine

from db.models import Organization, SurveyRecord
from kiosk.services import people
from kiosk.services.cases import CaseData, create_case
from kiosk.services.demo import fake_people
from kiosk.services.people import PersonData
from kiosk.services.workflow import Step, perform


@pytest.fixture(autouse=True)
def utc_process(monkeypatch):
    """The server's clock zone is UTC; Bangkok months must come out right anyway."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def case_at(when: datetime, category: str = "flood", person: PersonData | None = None, *, channel: str = "counter",
            requester_id: int | None = None) -> int:
    with time_machine.travel(when, tick=False):
        data = CaseData(category=category, channel=channel, description="ทดสอบ")
        if requester_id:
            return create_case("WPK", data, None, requester_id=requester_id).id
        return create_case("WPK", data, person or next(fake_people(1, seed=int(when.timestamp())))).id


def deliver_at(actors, case_id: int, when: datetime, amount: str = "", items: str = "") -> int:
    """received → field check → committee → approved → helped, the last step at `when`."""
    from db.models import Case

    v = Case.get_by_id(case_id).version
    steps = [("officer", Step("send_field", v, team="ทีม 1")),
             ("officer", Step("record_field_check", v + 1, internal_note="ตรวจแล้ว", visited_on=date(2026, 9, 1))),
             ("supervisor", Step("approve", v + 2, public_note="อนุมัติ", meeting_no="3/2569",
                                 meeting_date=date(2026, 9, 2)))]
    for role, step in steps:
        perform(actors[role], case_id, step)
    with time_machine.travel(when, tick=False):
        return perform(actors["officer"], case_id, Step("deliver", v + 3, public_note="มอบแล้ว", amount=amount,
                                                        items=items))


def survey_on(day: date, moo: int = 1) -> int:
    org = Organization.get(Organization.ticket_prefix == "WPK")
    p = people.create(org, PersonData(first_name="สำรวจ", last_name="ทดสอบ", moo=moo, subdistrict_code="570906"))
    return SurveyRecord.create(organization=org, person=p, surveyed_on=day, team="ทีม 1").id


# October 2569 (2026) in Bangkok is [2026-09-30 17:00, 2026-10-31 17:00) in UTC.
OCT_LO, OCT_HI = "2026-09-30 17:00:00", "2026-10-31 17:00:00"


@pytest.fixture
def october(db, actors) -> dict[str, int]:
    return seed_october(actors)


def seed_october(actors) -> dict[str, int]:
    """Cases on both sides of October's edges, a person helped twice, a duplicate that was helped,
    a September case helped in October, and survey records on the edge days."""
    from db.models import Case

    ids = {
        "sep_last": case_at(utc(2026, 9, 30, 16, 59), "flood"),  # 30 Sep 23:59 Bangkok
        "oct_first": case_at(utc(2026, 9, 30, 17, 0), "elderly", channel="phone"),  # 1 Oct 00:00 Bangkok
        "oct_last": case_at(utc(2026, 10, 31, 16, 59), "flood", channel="line"),  # 31 Oct 23:59 Bangkok
        "nov_first": case_at(utc(2026, 10, 31, 17, 0)),  # 1 Nov 00:00 Bangkok
    }
    twice = case_at(utc(2026, 10, 10, 3, 0), "low_income",
                    PersonData(first_name="สมศรี", last_name="ใจดี", prefix="นาง", moo=3, house_no="12/3",
                               village="บ้านป่าแดง", subdistrict_code="570906", doc_type="national_id",
                               doc_number="1101700230703"))
    person = Case.get_by_id(twice).requester_id
    ids["twice_a"] = twice
    ids["twice_b"] = case_at(utc(2026, 10, 12, 3, 0), "elderly", requester_id=person)
    ids["dup"] = case_at(utc(2026, 10, 15, 3, 0), "storm")
    deliver_at(actors, ids["twice_a"], utc(2026, 10, 20, 3, 0), amount="1,500.25")
    deliver_at(actors, ids["twice_b"], utc(2026, 10, 21, 3, 0), amount="3000.50", items="ถุงยังชีพ")
    deliver_at(actors, ids["sep_last"], utc(2026, 10, 5, 3, 0), amount="0.10")
    deliver_at(actors, ids["oct_last"], utc(2026, 10, 31, 17, 30), amount="999")  # 1 Nov Bangkok: November's help
    v = deliver_at(actors, ids["dup"], utc(2026, 10, 22, 3, 0), items="น้ำดื่ม")
    perform(actors["supervisor"], ids["dup"], Step("reopen", v, internal_note="ซ้ำ"))
    perform(actors["officer"], ids["dup"], Step("mark_duplicate", v + 1, duplicate_of=Case.get_by_id(ids["twice_a"]).ticket_no))
    ids["survey_oct1"] = survey_on(date(2026, 10, 1), moo=2)
    ids["survey_oct31"] = survey_on(date(2026, 10, 31), moo=2)
    ids["survey_sep30"] = survey_on(date(2026, 9, 30))
    ids["survey_nov1"] = survey_on(date(2026, 11, 1))
    return ids
