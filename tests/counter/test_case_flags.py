"""Item 1: what the citizen consented to give is on the case screen (vulnerability flags, PDPA
s.26 consent, legal basis), the queue filters by it, and the channel shows by its label."""

from __future__ import annotations

from kiosk.i18n import translate
from kiosk.services import intake
from kiosk.services.cases import CaseData, create_case
from kiosk.services.people import PersonData
from kiosk.services.queue import QueueFilter, list_cases
from screens.app import make_app
from tests.intake.helpers import wait_for
from tests.staff.pilot import login, settle, table_text


def flagged_case(consent: bool = True) -> str:
    data = CaseData(category="elderly", description="อยู่ลำพัง", channel="kiosk",
                    vulnerabilities=("elderly", "no_caregiver", "bedbound") if consent else ("elderly",),
                    sensitive_consent=consent,
                    legal_basis=intake.BASIS_WITH_CONSENT if consent else intake.BASIS_PUBLIC_TASK)
    return create_case("WPK", data, PersonData(first_name="บุญมี", last_name="มีสุข", prefix="นาง")).ticket_no


def plain_case() -> str:
    return create_case("WPK", CaseData(category="flood", description="น้ำท่วม"),
                       PersonData(first_name="สมชาย", last_name="ใจดี", prefix="นาย")).ticket_no


def test_queue_filters_by_flags_and_consent(db, actors):
    with_flags, without, elderly_only = flagged_case(), plain_case(), flagged_case(consent=False)
    officer = actors["officer"]

    def tickets(**f) -> set[str]:
        return {r.ticket_no for r in list_cases(officer, QueueFilter(**f)).rows}

    assert tickets(vulnerability="any") == {with_flags, elderly_only}
    assert tickets(vulnerability="bedbound") == {with_flags}
    assert tickets(vulnerability="elderly") == {with_flags, elderly_only}
    assert tickets(sensitive_consent=True) == {with_flags}
    assert tickets(sensitive_consent=False) == {without, elderly_only}


async def test_case_screen_shows_flags_consent_basis_and_channel_label(settings, actors):
    flagged_case()
    app = make_app(settings, "staff", "th")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "officer")
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CaseDetailScreen")
        await settle(pilot)
        flags = str(app.screen.query_one("#case-flags").render())
        assert "ผู้สูงอายุ" in flags and "ไม่มีผู้ดูแล" in flags and "ผู้ป่วยติดเตียง" in flags
        assert "ให้ความยินยอมแล้ว" in flags and "มาตรา 26" in flags
        request = str(app.screen.query_one("#case-request").render())
        assert translate("channel.kiosk", "th") in request and "kiosk" not in request


async def test_queue_flag_filter_in_the_console(settings, actors):
    flagged = flagged_case()
    plain_case()
    app = make_app(settings, "staff", "th")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "officer")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "QueueScreen")
        await settle(pilot)
        assert len(table_text(app, "#queue-table")) == 2
        app.screen.query_one("#q-flags").value = "vuln:bedbound"
        await settle(pilot)
        assert [row[0] for row in table_text(app, "#queue-table")] == [flagged]
        app.screen.query_one("#q-flags").value = "consent:no"
        await settle(pilot)
        assert flagged not in [row[0] for row in table_text(app, "#queue-table")]
