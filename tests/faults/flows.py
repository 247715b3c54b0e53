"""Small async helpers shared by the fault scenarios: the two apps started for one trial, a staff
member signed in without the (slow, separately tested) password check, a case opened, and the
personal values the scenarios type."""

from __future__ import annotations

from contextlib import asynccontextmanager

from textual.widgets import DataTable

from kiosk.services import intake
from kiosk.services.cases import CaseData, create_case
from kiosk.services.people import PersonData
from screens.app import make_app
from tests.intake.helpers import national_id

from .harness import Trial, settle

COUNTER_SIZE = (120, 40)  # as tests/test_counter.py
STAFF_SIZE = (80, 24)  # as tests/staff

# What people type: a Thai name, a 13-digit ID, a phone, PINs and passwords.
NAME = "สมศรี"
SURNAME = "ทองคำ"
ID = national_id("310150012345")
PHONE = "0861234579"
PHONE_SHOWN = "086-123-4579"  # as the forms format it
PHONE_E164 = "+66861234579"
LAST4 = PHONE[-4:]


@asynccontextmanager
async def counter(trial: Trial):
    """The counter kiosk in the trial's language, on its home screen."""
    app = make_app(trial.settings, "counter", trial.lang)
    async with app.run_test(size=COUNTER_SIZE) as pilot:
        await pilot.pause()
        yield app, pilot


@asynccontextmanager
async def staff(trial: Trial, role: str | None = "officer"):
    """The staff console; `role` signed in (as the login screen does once the password is
    checked: `app.logged_in`), None to stay on the login screen."""
    app = make_app(trial.settings, "staff", trial.lang)
    async with app.run_test(size=STAFF_SIZE) as pilot:
        await pilot.pause()
        if role is not None:
            app.logged_in(trial.accounts[role])
            await settle(pilot)
        yield app, pilot


def stored_person_case(*, first_name: str = NAME, phone: str = PHONE_E164, doc_number: str = "",
                       category: str = "flood") -> tuple[int, str]:
    """A case (id, ticket) whose requester has this name, phone and ID."""
    person = PersonData(first_name=first_name, last_name=SURNAME, phone=phone,
                        doc_type="national_id" if doc_number else "none", doc_number=doc_number)
    created = create_case("WPK", CaseData(category=category, description="น้ำท่วมบ้าน"), person)
    return created.id, created.ticket_no


def submitted(trial: Trial):
    """A stored intake (for the receipt), its person's name and phone."""
    from tests.intake.test_intake_service import good_form

    return intake.submit(trial.settings, good_form(first_name=NAME, phone=PHONE, doc_number=ID))


async def open_first_case(pilot) -> None:
    """From the queue, Enter on the first row (the app loads the case, then shows it)."""
    pilot.app.screen.query_one("#queue-table", DataTable).focus()
    await pilot.press("enter")
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "CaseDetailScreen", pilot.app.screen


async def choose(pilot, list_id: str, option: str) -> None:
    """In a PickDialog: highlight `option` and take it."""
    menu = pilot.app.screen.query_one(f"#{list_id}")
    menu.highlighted = [o.id for o in menu.options].index(option)
    await pilot.press("enter")
    await settle(pilot)
