"""Item 5: any prefix a person has (ranks, titles, Mr./Mrs./Ms.) with the common ones offered;
one way a name is written everywhere; sample women are not นาย."""

from __future__ import annotations

import pytest

from kiosk.errors import ValidationError
from kiosk.services import intake
from kiosk.services.cases import CaseData, create_case
from kiosk.services.demo import FEMALE_NAMES, fake_people
from kiosk.services.people import PersonData
from kiosk.services.queue import QueueFilter, list_cases
from kiosk.thai.names import check_prefix, full_name
from screens.app import make_app
from tests.intake.helpers import fill, national_id, step, wait_for

from .test_keys import to_identity


@pytest.mark.parametrize("prefix", ["จ.ส.อ.", "ร.ต.อ.", "พ.ต.ท.", "ผศ.", "ม.ร.ว.", "Mr.", "Mrs.", "Ms.", "Miss",
                                    "ว่าที่ร้อยตรีหญิง", "Dr."])
def test_any_prefix_is_accepted(prefix):
    assert check_prefix(f" {prefix} ") == prefix
    form = intake.IntakeForm(prefix=prefix, first_name="สมชาย", doc_type="none", doc_number="")
    assert "prefix" not in intake.check_step("identity", form)


@pytest.mark.parametrize("prefix", ["นาย1", "<b>", "x" * 41, "นาย;"])
def test_a_prefix_is_letters_and_dots(prefix):
    with pytest.raises(ValidationError):
        check_prefix(prefix)


def test_one_way_to_write_a_name():
    assert full_name("นาง", "บุญมี", "มีสุข") == "นางบุญมี มีสุข"
    assert full_name("ร.ต.อ.", "สมชาย", "ใจดี") == "ร.ต.อ. สมชาย ใจดี"
    assert full_name("Mrs.", "Anna", "Schmidt") == "Mrs. Anna Schmidt"
    assert full_name("", "Anna", "") == "Anna"


def test_sample_women_are_not_nai():
    people = list(fake_people(300))
    women = [p for p in people if p.first_name in FEMALE_NAMES]
    assert women and all(p.prefix in ("นาง", "นางสาว") for p in women)
    assert all(p.prefix == "นาย" for p in people if p.first_name in ("สมชาย", "ประเสริฐ", "ณัฐพล"))


async def test_the_same_name_on_the_review_and_in_the_console(settings, db, actors):
    create_case("WPK", CaseData(category="flood", description="น้ำท่วม"),
                PersonData(first_name="บุญมี", last_name="มีสุข", prefix="นาง"))
    [row] = list_cases(actors["officer"], QueueFilter()).rows
    assert row.subject_name == "นางบุญมี มีสุข"
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_identity(pilot)
        await fill(pilot, "prefix", "จ.ส.อ.")
        await fill(pilot, "first_name", "บุญมี")
        await fill(pilot, "last_name", "มีสุข")
        await fill(pilot, "doc_number", national_id("110170020345"))
        await pilot.click("#nav-next")
        await wait_for(pilot, lambda: step(app) == "contact")
        app.screen.state.form.prefix = "นาง"
        app.screen.state.step = intake.STEPS.index("review") - 1
        await fill(pilot, "phone", "0812345678")
        app.screen.state.form.description = "น้ำท่วม"
        app.screen.go(intake.STEPS.index("review"))
        await wait_for(pilot, lambda: step(app) == "review")
        await pilot.pause()
        lines = " ".join(str(w.content) for w in app.screen.query(".review-line"))
        assert "นางบุญมี มีสุข" in lines
