"""Open311 at the service level, on a fresh database: what a POST stores, window arithmetic at
the ends of the calendar, and asking for a request by id whatever its age."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from db.models import Case, Person, utcnow
from kiosk.errors import ValidationError
from kiosk.services import public
from kiosk.services.cases import CaseData, create_case
from kiosk.services.demo import fake_people


def test_post_stores_text_without_control_or_format_characters(db):
    post = public.Open311Post(service_code="flood", description="น้ำ\x1b[2Jท่วม\u202e\nถนน\u200bหน้าวัด\x07",
                              address_string="หมู่ 3\x1b]0;x\x07\nซอย 5", first_name=" สม\u200bชาย\x1b[31m ",
                              last_name="ใจ\x00ดี", phone="0891234567")
    made = public.open311_create("WPK", post)
    case = Case.get_by_id(made.id)
    assert case.description == "น้ำ[2Jท่วม\nถนนหน้าวัด\nหมู่ 3]0;x ซอย 5"
    person = Person.get_by_id(case.requester_id)
    assert (person.first_name, person.last_name) == ("สมชาย [31m", "ใจ ดี")  # a control character parts words


def test_post_without_any_visible_description_is_refused(db):
    with pytest.raises(ValidationError) as caught:
        public.open311_create("WPK", public.Open311Post(service_code="flood", description="\x1b\u200b\n\t"))
    assert caught.value.key == "open311.description_required"


@pytest.mark.parametrize(("start", "end"), [(datetime(9999, 12, 1), None), (None, datetime(1, 2, 1)),
                                            (datetime(1, 1, 1), None), (None, datetime(9999, 12, 31))])
def test_window_at_the_ends_of_the_calendar_is_an_error_or_an_answer(db, start, end):
    try:
        assert public.open311_requests(start=start, end=end) == []
    except ValidationError as exc:
        assert exc.key == "open311.date_format"
    with pytest.raises(ValidationError):
        public.open311_requests(now=datetime(1, 1, 5))


def test_asking_by_id_finds_a_request_older_than_any_window(db):
    made = create_case("WPK", CaseData(category="flood", description="เก่า"), next(fake_people(1, seed=2)))
    Case.update(created_at=utcnow() - timedelta(days=400)).where(Case.id == made.id).execute()
    assert public.open311_requests() == []
    [found] = public.open311_requests(ids=(made.ticket_no,))
    assert found.ticket_no == made.ticket_no
    [found] = public.open311_requests(ids=(made.ticket_no,), start=utcnow() - timedelta(days=10), status="closed")
    assert found.ticket_no == made.ticket_no
