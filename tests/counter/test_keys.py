"""Item 3: keys do what the hint at the foot of a step says ("Enter = next · Esc = back ·
digits 1–9 = choose")."""

from __future__ import annotations

from textual.widgets import RadioSet

from screens.app import make_app
from tests.intake.helpers import fill, national_id, next_step, open_wizard, step, type_text, wait_for


async def to_identity(pilot) -> None:
    await open_wizard(pilot)
    await pilot.click("#consent-accept")
    await pilot.pause()
    await pilot.press("1", "1")
    await wait_for(pilot, lambda: step(pilot.app) == "identity")


async def to_contact(pilot) -> None:
    """Identity filled in (สมชาย, a valid ID): the contact step."""
    await to_identity(pilot)
    await fill(pilot, "first_name", "สมชาย")
    await fill(pilot, "doc_number", national_id("110170020345"))
    await next_step(pilot)
    await wait_for(pilot, lambda: step(pilot.app) == "contact")


async def to_subject(pilot) -> None:
    """Identity and a phone filled in: the who-needs-help step."""
    await to_contact(pilot)
    await fill(pilot, "phone", "0812345678")
    await next_step(pilot)
    await wait_for(pilot, lambda: step(pilot.app) == "subject")


async def test_digits_choose_the_document_type(settings, db):
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_identity(pilot)
        app.screen.query_one("#doc_type", RadioSet).focus()
        await pilot.press("2")
        await pilot.pause()
        assert app.screen.state.form.doc_type == "passport"
        await pilot.press("3")
        await pilot.pause()
        assert app.screen.state.form.doc_type == "pink_card"


async def test_digits_choose_who_needs_help_and_urgency_and_enter_on_a_box_goes_next(settings, db):
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_subject(pilot)
        app.screen.query_one("#subject_is_requester", RadioSet).focus()
        await pilot.press("2")
        await wait_for(pilot, lambda: bool(app.screen.query("#relationship")))
        assert app.screen.state.form.subject_is_requester is False
        app.screen.query_one("#subject_is_requester", RadioSet).focus()
        await pilot.press("1")
        await wait_for(pilot, lambda: not app.screen.query("#relationship"))
        assert app.screen.state.form.subject_is_requester is True
        await next_step(pilot)
        await wait_for(pilot, lambda: step(app) == "situation")
        await fill(pilot, "description", "น้ำท่วมบ้าน")
        app.screen.query_one("#urgency", RadioSet).focus()
        await pilot.press("3")
        await pilot.pause()
        assert app.screen.state.form.urgency == "emergency"
        box = app.screen.query_one("#vuln-bedbound")
        box.focus()
        await pilot.press("space")
        await pilot.pause()
        assert "bedbound" in app.screen.state.form.vulnerabilities
        await pilot.press("enter")  # goes on (the consent for the health flag is missing: it says so)
        await pilot.pause()
        assert "bedbound" in app.screen.state.form.vulnerabilities
        assert "sensitive_consent" in app.screen.state.errors


async def test_escape_in_the_place_list_goes_back_one_level(settings, db):
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_identity(pilot)
        await fill(pilot, "first_name", "สมชาย")
        await fill(pilot, "doc_number", national_id("110170020345"))
        await next_step(pilot)
        await wait_for(pilot, lambda: step(app) == "contact")
        app.screen.query_one("#place-change").focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.state.place_stage == "province")
        await type_text(pilot, "เชียงราย")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.state.place_stage == "district")
        await pilot.press("escape")
        await pilot.pause()
        assert step(app) == "contact" and app.screen.state.place_stage == "province"
        await pilot.press("escape")
        await pilot.pause()
        assert step(app) == "contact" and app.screen.state.place_stage == ""
        assert app.focused is not None and app.focused.id == "place-change"
        await pilot.press("escape")
        await wait_for(pilot, lambda: step(app) == "identity")
