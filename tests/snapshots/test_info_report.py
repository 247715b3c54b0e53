"""The INFO dashboard on 2 December 2569 (the clock of tests/snapshots/conftest.py): November's
requests, help and survey records, three days before the 5th."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from db.models import Organization, SurveyRecord
from kiosk.services import people
from kiosk.services.cases import CaseData, create_case
from kiosk.services.people import PersonData
from kiosk.services.workflow import Step, perform
from tests.staff.pilot import login

from .conftest import NOW, reach


@pytest.fixture
def november(db, actors, clock) -> None:
    """Eight requests in November 2569 (and two in each of the three months before), two of them
    helped with 3,000 and 1,500.50 baht, and three survey records in หมู่ 2 and 4."""
    def made(days_ago: int, category: str, moo: int, channel: str = "counter") -> int:
        clock.move_to(NOW - timedelta(days=days_ago))
        return create_case("WPK", CaseData(category=category, channel=channel, description="ทดสอบ"),
                           PersonData(first_name="ทดสอบ", last_name="ตัวอย่าง", moo=moo, subdistrict_code="570906")).id

    for back in (95, 70, 64, 40, 35, 33):
        made(back, "flood", 1)
    helped = [made(d, c, m, ch) for d, c, m, ch in ((25, "elderly", 2, "counter"), (20, "flood", 4, "phone"),
                                                   (18, "low_income", 2, "line"), (15, "storm", 4, "counter"),
                                                   (12, "human_disease", 2, "counter"), (9, "home_repair", 3, "phone"),
                                                   (6, "info_advice", 1, "counter"), (4, "elderly", 2, "counter"))]
    for case_id, amount in zip(helped[:2], ("3000", "1500.50"), strict=True):
        clock.move_to(NOW - timedelta(days=3))
        officer, boss = actors["officer"], actors["supervisor"]
        perform(officer, case_id, Step("send_field", 1, team="ทีม 1"))
        perform(officer, case_id, Step("record_field_check", 2, internal_note="ตรวจแล้ว", visited_on=date(2026, 11, 28)))
        perform(boss, case_id, Step("approve", 3, public_note="อนุมัติ", meeting_no="5/2569", meeting_date=date(2026, 11, 28)))
        perform(officer, case_id, Step("deliver", 4, public_note="มอบแล้ว", amount=amount))
    org = Organization.get(Organization.ticket_prefix == "WPK")
    for moo, day in ((2, 3), (2, 10), (4, 21)):
        p = people.create(org, PersonData(first_name="สำรวจ", moo=moo, subdistrict_code="570906"))
        SurveyRecord.create(organization=org, person=p, surveyed_on=date(2026, 11, day), team="อสม.")
    clock.move_to(NOW)


async def to_dashboard(pilot) -> None:
    await login(pilot, "officer")
    await reach(pilot, "QueueScreen")
    pilot.app.open_info_report()
    await reach(pilot, "InfoReportScreen")


def test_info_dashboard(picture, november):
    """November 2569's INFO report: due 5 December 2569, 3 days left; not entered: 8 requests, 3 survey
    records, in yellow; helped 2 people, 2 times, 4,500.50 baht (delivered 29 November) with the
    amount in Thai words; twelve months of stacked bars by area (Aug to Nov 2569 with requests), the
    month names and totals under them, the legend of areas (at 80×24 the totals by area, type,
    status, channel and หมู่ and the list of the month's 11 records — kind, number, subject, date, INFO
    state, no names — are below, reached by scrolling); the footer keys (Esc back, p/n month, m mark
    month, u undo)."""
    assert picture("staff", to_dashboard)
