"""The staff console: the queue, a case and the form of a step, reached by logging in as an
officer and using the keys staff use."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import OptionList

from kiosk.services.cases import CaseData, create_case
from kiosk.services.people import PersonData
from kiosk.services.workflow import Step, perform
from tests.intake.helpers import national_id, type_text
from tests.staff.pilot import login, settle

from .conftest import NOW, reach


@pytest.fixture
def cases(db, actors, clock) -> None:
    """Three requests made 5, 2 and 1 days before NOW; the newest was sent to a field team today."""
    def made(days_ago: int, category: str, urgency: str, description: str, person: PersonData) -> int:
        clock.move_to(NOW - timedelta(days=days_ago))
        return create_case("WPK", CaseData(category=category, description=description, urgency=urgency), person).id

    made(5, "elderly", "normal", "ผู้สูงอายุอยู่ลำพัง ขอเบี้ยยังชีพ",
         PersonData(first_name="บุญมี", last_name="มีสุข", prefix="นาย", moo=2, subdistrict_code="570906"))
    made(2, "storm", "urgent", "พายุพัดหลังคาบ้านพัง",
         PersonData(first_name="Anna", last_name="Schmidt", doc_type="passport", doc_number="C01X00T47", moo=7,
                    subdistrict_code="570906"))
    newest = made(1, "flood", "normal", "น้ำท่วมบ้าน ระดับน้ำสูงครึ่งเมตร ของใช้เสียหาย",
                  PersonData(first_name="สมหญิง", last_name="ใจดี", prefix="นาง", doc_type="national_id",
                             doc_number=national_id("110170023070"), phone="+66891112233", house_no="12/3", moo=4,
                             village="บ้านป่าแดง", subdistrict_code="570906"))
    clock.move_to(NOW)
    perform(actors["officer"], newest, Step("send_field", 1, team="ทีมสำรวจ หมู่ 4"))


async def to_queue(pilot) -> None:
    await login(pilot, "officer")
    await reach(pilot, "QueueScreen")


async def to_case(pilot) -> None:
    await to_queue(pilot)
    await pilot.press("enter")  # the newest case, highlighted in the focused table
    await reach(pilot, "CaseDetailScreen")


async def to_action(pilot) -> None:
    """The case's step menu (a), down to "record the field check", Enter; the visit date typed."""
    await to_case(pilot)
    await pilot.press("a")
    await settle(pilot)
    menu = pilot.app.screen.query_one("#action-list", OptionList)
    while menu.highlighted_option.id != "record_field_check":
        await pilot.press("down")
    await pilot.press("enter")
    await reach(pilot, "CaseActionScreen")
    await pilot.click("#f-visited_on")
    await type_text(pilot, "01/12/2569")


def test_queue(picture, cases):
    """The officer's queue: the filter rows (search, status, sort; category, urgency, vulnerability
    flags and s.26 consent, moo, days, mine) and a table of the three open cases, newest first, the
    person right after the ticket: WPK-69-00003 นางสมหญิง ใจดี flood (field check), WPK-69-00002
    Anna Schmidt storm (urgent), WPK-69-00001 นายบุญมี มีสุข elderly, with moo and days waiting
    (1, 2, 5); the top bar's red "QR → this PC" warning (the sample's QR codes point at 127.0.0.1);
    the pager line and the footer keys in the screen's language ("^p" too)."""
    assert picture("staff", to_queue)


def test_case_detail(picture, cases):
    """Case WPK-69-00003: the ticket, status (field check), category, urgency, received 1 Dec 2569
    10:00; the flags box (no vulnerability given, no s.26 consent, legal basis s.24); the person
    with prefix, name, Thai ID grouped 1-1017-00230-70-x, phone 089-111-2233 and address (12/3 หมู่ 4 บ้านป่าแดง …); the
    description; the timeline (created, then sent to the field team "ทีมสำรวจ หมู่ 4" by officer); the
    steps allowed now; the footer keys (Esc back, a steps, r reload, ctrl+l language, ctrl+o log out)."""
    assert picture("staff", to_case)


@pytest.fixture
def flagged(db, actors) -> None:
    """One request made at the kiosk for an elderly woman alone and bedridden, with the citizen's
    explicit (PDPA s.26) consent for the health flag."""
    create_case("WPK", CaseData(category="elderly", description="ผู้สูงอายุอยู่ลำพัง ป่วยติดเตียง", channel="kiosk",
                                vulnerabilities=("elderly", "no_caregiver", "bedbound"), sensitive_consent=True,
                                legal_basis="public_task+explicit_consent"),
                PersonData(first_name="บุญมี", last_name="มีสุข", prefix="นาง", moo=2, subdistrict_code="570906"))


def test_case_flags(picture, flagged):
    """Case WPK-69-00001 just under its header: the vulnerability flags the citizen gave (elderly,
    no carer, bedridden) in a box marked in the warning colour, "explicit consent (s.26): given" and
    the legal basis (s.24 and s.26); the channel further down reads "self-service kiosk", not "kiosk"."""
    assert picture("staff", to_case)


def test_case_action(picture, cases):
    """The form for "record the field check" on WPK-69-00003, over the case: the visit date field with
    01/12/2569 typed, the public and internal note fields (each with a visible border), an empty error line, Save and Cancel, and
    the footer keys (Esc cancel, ctrl+s save)."""
    assert picture("staff", to_action)
