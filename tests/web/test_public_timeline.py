"""The public timeline (status page, kiosk track screen, Open311) shows the steps that changed
the status or carry a public note, never an internal-only step such as a note or an assignment."""

from __future__ import annotations

from db.models import Case, CaseEvent, Staff, utcnow
from kiosk.services import open311, public_case
from kiosk.services.cases import CaseData, create_case
from kiosk.services.demo import fake_people
from kiosk.services.staff import Actor
from kiosk.services.workflow import Step, perform
from kiosk.web.base import Tr
from kiosk.web.status import case_html


def test_internal_steps_stay_off_the_public_timeline(db):
    s = Staff.create(username="officer", full_name="officer", role="officer", password_hash="x")
    me = Actor(s.id, s.username, s.full_name, "officer", "test")
    made = create_case("WPK", CaseData(category="flood", description="น้ำท่วม"), next(fake_people(1, seed=4)))
    perform(me, made.id, Step("note", 1, internal_note="โทรแล้ว"))
    perform(me, made.id, Step("assign", 2, assignee=s.id))
    perform(me, made.id, Step("note", 3, public_note="นัดตรวจพื้นที่"))
    perform(me, made.id, Step("send_field", 4, team="ทีม 1"))
    # an event written before to_status was left empty for steps that keep the status
    CaseEvent.create(case=made.id, at=utcnow(), action="note", from_status="field_check", to_status="field_check",
                     internal_note="เก่า")
    case = public_case.by_token(Case.get_by_id(made.id).token)
    assert [(e.status, e.note) for e in case.events] == [("received", ""), (None, "นัดตรวจพื้นที่"),
                                                          ("field_check", "")]
    assert open311.one_request(made.ticket_no).events == case.events
    [listed] = open311.list_requests(ids=(made.ticket_no,))
    assert listed.ticket_no == made.ticket_no and listed.events == ()  # lists carry no notes
    html = case_html(case, Tr("en"))
    assert html.count('class="step"') == 2 and "นัดตรวจพื้นที่" in html and "เก่า" not in html
