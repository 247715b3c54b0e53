"""Item 7: the console writes phones as Thai staff dial them (081-234-5678), a Thai ID grouped as
on the card (1-2345-67890-12-3), and the person's name is in sight at 80 columns."""

from __future__ import annotations

from kiosk.services.cases import CaseData, create_case
from kiosk.services.people import PersonData
from screens.app import make_app
from tests.intake.helpers import national_id, wait_for
from tests.staff.pilot import login, settle


async def test_phone_id_and_name_in_the_console(settings, actors):
    doc = national_id("110170023070")
    create_case("WPK", CaseData(category="flood", description="น้ำท่วม"),
                PersonData(first_name="สมหญิง", last_name="ใจดีมากมายหลายคำ", prefix="นางสาว", doc_type="national_id",
                           doc_number=doc, phone="+66812345678"))
    app = make_app(settings, "staff", "th")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "officer")
        await settle(pilot)
        table = app.screen.query_one("#queue-table")
        # the whole name is drawn inside the 80 columns
        line = "".join(s.text for s in table.render_line(1))
        assert "นางสาวสมหญิง ใจดีมากมายหลายคำ" in line
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CaseDetailScreen")
        await settle(pilot)
        person = str(app.screen.query_one(".case-person").render())
        assert "081-234-5678" in person and "+66" not in person
        assert f"{doc[0]}-{doc[1:5]}-{doc[5:10]}-{doc[10:12]}-{doc[12]}" in person
