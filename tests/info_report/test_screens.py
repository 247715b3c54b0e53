"""The INFO dashboard, the staff home's reminder and the counter gate's line, driven with Pilot at
80×24 on a fixed clock (2 November 2569, 10:00 in Bangkok: three days before the 5th)."""

from __future__ import annotations

import pytest
import time_machine
from textual.widgets import Static

from screens.app import make_app
from tests.staff.pilot import login, settle, staff_app
from tests.test_gate_access import add
from tests.test_gate_screen import enter_pin, open_gate

from .conftest import utc

SIZE = (80, 24)
NOV_2 = utc(2026, 11, 2, 3, 0)
NOV_6 = utc(2026, 11, 6, 3, 0)


def text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


@pytest.fixture
def clock():
    with time_machine.travel(NOV_2, tick=False) as traveller:
        yield traveller


async def open_dashboard(pilot) -> None:
    await login(pilot, "officer")
    pilot.app.open_info_report()
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "InfoReportScreen"


async def test_dashboard_shows_last_month_and_marks_it(october, actors, settings, clock):
    app = staff_app(settings, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(pilot)
        head = text(app, "#info-deadline")
        assert "October 2569 BE" in head and "05/11/2569" in head and "3 days left" in head
        assert "requests 6 · surveys 2 · changed since 0 · entered 0" in text(app, "#info-backlog")
        helped = text(app, "#info-helped")
        assert "2 people, 3 times, 4,500.85 baht" in helped and "สี่พันห้าร้อยบาทแปดสิบห้าสตางค์" in helped
        totals = text(app, "#info-totals")
        assert "Disaster 2" in totals and "Quality of life 3" in totals and "Phone 1" in totals
        chart = text(app, "#info-chart")
        assert "Oct" in chart and "Nov" in chart and "█" in chart
        assert all(len(line) <= 78 for line in chart.splitlines()[:-1])  # the bars and labels fit 80 columns
        await pilot.press("m")
        await settle(pilot)
        assert "6 requests, 2 survey records" in text(app, "#info-message")
        assert "requests 0 · surveys 0 · changed since 0 · entered 8" in text(app, "#info-backlog")
        await pilot.press("u")
        await settle(pilot)
        assert "requests 6 · surveys 2" in text(app, "#info-backlog")
        await pilot.press("p")
        await settle(pilot)
        assert "September 2569 BE" in text(app, "#info-deadline")
        assert "The report for September 2569 BE is past its deadline (05/10/2569)" in text(app, "#info-backlog")  # 5 Oct went by


async def test_dashboard_in_thai_fits_80x24(october, actors, settings, clock):
    app = staff_app(settings, "th")
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(pilot)
        assert "ตุลาคม 2569" in text(app, "#info-deadline") and "5 พฤศจิกายน 2569" in text(app, "#info-deadline")
        for selector in ("#info-deadline", "#info-backlog", "#info-helped"):
            region = app.screen.query_one(selector).region
            assert region.right <= 80 and region.bottom <= 24


async def test_volunteers_have_no_dashboard(october, actors, settings, clock):
    app = staff_app(settings, "en")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "volunteer")
        app.open_info_report()
        await settle(pilot)
        assert type(app.screen).__name__ == "StaffHomeScreen"
        assert all("INFO" not in label for label, _open in app.staff_places())


@pytest.mark.parametrize(("when", "shown"), [(NOV_2, True), (NOV_6, False)])
async def test_staff_home_reminds_from_the_1st_to_the_5th(october, actors, settings, when, shown):
    with time_machine.travel(when, tick=False):
        app = staff_app(settings, "en")
        async with app.run_test(size=SIZE) as pilot:
            await login(pilot, "officer")
            app.open_home()
            await settle(pilot)
            line = text(app, "#staff-info-reminder")
            if shown:
                assert "8 records of October 2569 BE" in line and "3 days left" in line
            else:
                assert line == ""


async def test_staff_home_says_nothing_once_all_is_entered(october, actors, settings, clock):
    from kiosk.services import info_report

    info_report.mark_month(actors["officer"], info_report.Month(2026, 10))
    app = staff_app(settings, "en")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "officer")
        app.open_home()
        await settle(pilot)
        assert text(app, "#staff-info-reminder") == ""


async def test_the_counter_gate_tells_whoever_unlocks_it(october, settings, clock):
    add("somsri", "officer", pin="735124")
    app = make_app(settings, "counter", "th")
    async with app.run_test(size=SIZE) as pilot:
        await open_gate(pilot)
        await enter_pin(pilot, "735124")
        await settle(pilot)
        line = app.screen.query_one("#gate-info")
        assert line.display and "ตุลาคม 2569" in text(app, "#gate-info") and "8 รายการ" in text(app, "#gate-info")
        assert line.region.bottom <= 24 and app.screen.query_one("#gate-back").region.bottom <= 24


async def test_one_record_marked_and_undone_from_the_list(october, actors, settings, clock):
    from textual.widgets import DataTable

    from tests.staff.pilot import table_text

    app = staff_app(settings, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(pilot)
        rows = table_text(app, "#info-records")
        assert len(rows) == 8 and all(r[4] == "Not entered" for r in rows)
        assert {r[0] for r in rows} == {"Request", "Survey"}
        assert all(not any(name in " ".join(r) for name in ("สมศรี", "ใจดี")) for r in rows)  # no personal data
        first = rows[0][1]
        app.screen.query_one("#info-records", DataTable).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert f"{first}: entered in INFO" in text(app, "#info-message")
        rows = table_text(app, "#info-records")
        assert [r for r in rows if r[1] == first][0][4:] == ["Entered", "officer"]
        assert "requests 5 · surveys 2 · changed since 0 · entered 1" in text(app, "#info-backlog")
        table = app.screen.query_one("#info-records", DataTable)
        table.move_cursor(row=[r[1] for r in rows].index(first))
        await pilot.press("enter")
        await settle(pilot)
        assert f"{first}: mark undone" in text(app, "#info-message")
        assert "requests 6 · surveys 2" in text(app, "#info-backlog")
