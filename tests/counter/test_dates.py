"""Item 4: the staff timeline shows dates in BE as วว/ดด/ปปปป (as the field's label promises); a
field-visit date more than a year ahead is refused. (And, item 6's family: a linked case is found
by its ticket typed as people type it.)"""

from __future__ import annotations

from datetime import timedelta

import pytest

from kiosk.errors import ValidationError
from kiosk.services import case_view
from kiosk.services.workflow import Step, perform
from kiosk.thai.dates import now_bangkok
from screens.app import make_app
from tests.intake.helpers import wait_for
from tests.staff.pilot import login, settle

from ..staff.conftest import new_case


def visited(officer, case_id: int, when) -> None:
    perform(officer, case_id, Step("send_field", 1, team="ทีม 1"))
    perform(officer, case_id, Step("record_field_check", 2, visited_on=when, internal_note="บ้านเสียหาย"))


def test_a_visit_more_than_a_year_ahead_is_refused(db, actors):
    case_id = new_case()
    with pytest.raises(ValidationError) as refused:
        visited(actors["officer"], case_id, now_bangkok().date() + timedelta(days=400))
    assert refused.value.key == "workflow.date_too_far" and refused.value.field == "visited_on"


def test_a_linked_case_is_found_as_typed(db, actors):
    new_case()
    second = new_case()
    perform(actors["officer"], second, Step("mark_duplicate", 1, duplicate_of="69-00001"))
    detail = case_view.case_detail(actors["officer"], second)
    assert detail.status == "duplicate" and '"WPK-69-00001"' in detail.events[-1].data


async def test_timeline_dates_are_buddhist_era(settings, actors):
    case_id = new_case()
    today = now_bangkok().date()
    visited(actors["officer"], case_id, today)
    app = make_app(settings, "staff", "th")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "officer")
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CaseDetailScreen")
        await settle(pilot)
        events = " ".join(str(e.render()) for e in app.screen.query(".case-event"))
        assert f"{today.day:02d}/{today.month:02d}/{today.year + 543}" in events
        assert today.isoformat() not in events
