"""Open311 at the service level, on a fresh database: what a POST stores, window arithmetic at
the ends of the calendar, and asking for a request by id whatever its age."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from db.models import Case, Person, utcnow
from kiosk.errors import NotFound, ValidationError
from kiosk.services import open311
from kiosk.services.cases import CaseData, create_case
from kiosk.services.demo import fake_people
from kiosk.thai.dates import BANGKOK


def test_post_stores_text_without_control_or_format_characters(db):
    post = open311.NewRequest(service_code="flood", description="น้ำ\x1b[2Jท่วม\u202e\nถนน\u200bหน้าวัด\x07",
                              address_string="หมู่ 3\x1b]0;x\x07\nซอย 5", first_name=" สม\u200bชาย\x1b[31m ",
                              last_name="ใจ\x00ดี", phone="0891234567")
    made = open311.create_request("WPK", post)
    case = Case.get_by_id(made.id)
    assert case.description == "น้ำ[2Jท่วม\nถนนหน้าวัด\nหมู่ 3]0;x ซอย 5"
    person = Person.get_by_id(case.requester_id)
    assert (person.first_name, person.last_name) == ("สมชาย [31m", "ใจ ดี")  # a control character parts words


def test_post_without_any_visible_description_is_refused(db):
    with pytest.raises(ValidationError) as caught:
        open311.create_request("WPK", open311.NewRequest(service_code="flood", description="\x1b\u200b\n\t"))
    assert caught.value.key == "open311.description_required"


@pytest.mark.parametrize(("start", "end"), [(datetime(9999, 12, 1), None), (None, datetime(1, 2, 1)),
                                            (datetime(1, 1, 1), None), (None, datetime(9999, 12, 31))])
def test_window_at_the_ends_of_the_calendar_is_an_error_or_an_answer(db, start, end):
    try:
        assert open311.list_requests(start=start, end=end) == []
    except ValidationError as exc:
        assert exc.key == "open311.date_format"
    with pytest.raises(ValidationError):
        open311.list_requests(now=datetime(1, 1, 5))


def test_asking_by_id_finds_a_request_older_than_any_window(db):
    made = create_case("WPK", CaseData(category="flood", description="เก่า"), next(fake_people(1, seed=2)))
    Case.update(created_at=utcnow() - timedelta(days=400)).where(Case.id == made.id).execute()
    assert open311.list_requests() == []
    [found] = open311.list_requests(ids=(made.ticket_no,))
    assert found.ticket_no == made.ticket_no
    [found] = open311.list_requests(ids=(made.ticket_no,), start=utcnow() - timedelta(days=10), status="closed")
    assert found.ticket_no == made.ticket_no


def test_public_audience_hides_categories_and_minutes_on_both_databases(any_db):
    """The public audience: a case in a non-public category is in no list and not found by
    ticket; times and a one-second filter widen to the Bangkok day. A partner sees both cases,
    to the microsecond, and an exact filter stays exact."""
    people = fake_people(2, seed=5)
    shown = create_case("WPK", CaseData(category="flood", description="น้ำท่วม"), next(people))
    hidden = create_case("WPK", CaseData(category="bedbound_patient", description="ผู้ป่วย"), next(people))
    assert [c.ticket_no for c in open311.list_requests()] == [shown.ticket_no]
    assert open311.list_requests(ids=(hidden.ticket_no,)) == []
    with pytest.raises(NotFound):
        open311.one_request(hidden.ticket_no)
    partner = open311.list_requests(audience=open311.PARTNER)
    assert {c.ticket_no for c in partner} == {shown.ticket_no, hidden.ticket_no}
    assert open311.one_request(hidden.ticket_no, open311.PARTNER).category == "bedbound_patient"

    exact = open311.one_request(shown.ticket_no, open311.PARTNER).created_at
    [rounded] = open311.list_requests()
    day = rounded.created_at.replace(tzinfo=UTC).astimezone(BANGKOK)
    assert (day.hour, day.minute, day.second, day.microsecond) == (0, 0, 0, 0) and rounded.created_at <= exact
    just_after = exact + timedelta(seconds=1)
    assert open311.list_requests(start=just_after, end=just_after, audience=open311.PARTNER) == []
    assert [c.ticket_no for c in open311.list_requests(start=just_after, end=just_after)] == [shown.ticket_no]


def test_paging_parameters():
    assert open311.parse_page(None, None) == open311.Page(1, 50)
    assert (open311.parse_page("๒", "100").offset, open311.parse_page("10", "100").limit) == (100, 100)
    for page, size in (("0", None), (None, "101"), ("x", None), ("11", "100"), ("1001", "1")):
        with pytest.raises(ValidationError):
            open311.parse_page(page, size)
