"""Item 9: "what happened" is a multi-line field: a long story wraps in sight; Enter goes on as
the hint says, ctrl+j starts a new line, and the lines reach the case."""

from __future__ import annotations

from textual.widgets import TextArea

from screens.app import make_app
from tests.intake.helpers import next_step, step, type_text, wait_for

from .test_keys import to_contact, to_subject

STORY = ("น้ำป่าไหลหลากเข้าบ้านตอนตีสอง ระดับน้ำสูงครึ่งเมตร ที่นอน ตู้เย็น และข้าวสารเสียหายทั้งหมด "
         "แม่อายุแปดสิบปีติดเตียงอยู่ชั้นล่าง ต้องย้ายไปอยู่บ้านญาติชั่วคราว")


async def test_a_long_story_wraps_and_enter_goes_on(settings, db):
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_subject(pilot)
        await next_step(pilot)
        await wait_for(pilot, lambda: step(app) == "situation")
        area = app.screen.query_one("#description", TextArea)
        assert app.focused is area
        await type_text(pilot, STORY)
        await pilot.press("ctrl+j")
        await type_text(pilot, "ขอถุงยังชีพ")
        await pilot.pause()
        assert area.text == STORY + "\nขอถุงยังชีพ"
        assert area.wrapped_document.height >= 3  # wrapped in sight, not one line scrolling sideways
        assert area.scroll_offset.x == 0
        await pilot.press("enter")
        await wait_for(pilot, lambda: step(app) == "review")
        assert app.screen.state.form.description == STORY + "\nขอถุงยังชีพ"


async def test_a_paste_of_megabytes_stops_at_the_caps_and_still_says_too_long(settings, db):
    """A scanner or a paste cannot fill a field without end (every key and redraw would slow down
    for the next person): one-line fields stop at ThaiInput.MAX_LENGTH (a longer paste is refused
    whole, as Textual's Input does), the story at StepTextArea.MAX_LENGTH (a paste is cut there);
    both are beyond what the service takes, so it still says "too long"."""
    from textual import events

    from kiosk.services.intake import LONG_MAX
    from screens.intake.wizard import StepTextArea

    flood = "ก" * 1_000_000
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_subject(pilot)
        await next_step(pilot)
        await wait_for(pilot, lambda: step(app) == "situation")
        area = app.screen.query_one("#description", TextArea)
        area.post_message(events.Paste(flood))
        await wait_for(pilot, lambda: len(area.text) == StepTextArea.MAX_LENGTH > LONG_MAX)
        await type_text(pilot, "ขอ")
        assert len(area.text) == StepTextArea.MAX_LENGTH  # full: a key adds nothing
        await pilot.press("enter")
        await pilot.pause()
        assert step(app) == "situation"
        assert app.screen.query_one("#description-error").render().plain.startswith("✖")


async def test_a_field_without_a_cap_of_its_own_refuses_a_paste_beyond_thai_inputs(settings, db):
    from textual import events

    from screens.widgets.thai_input import ThaiInput

    flood = "ก" * 1_000_000
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_contact(pilot)
        app.screen.query_one("#place-change").press()
        await wait_for(pilot, lambda: bool(app.screen.query("#place-query")))
        place = app.screen.query_one("#place-query", ThaiInput)  # a field without a cap of its own
        place.focus()
        await pilot.pause()
        place.post_message(events.Paste(flood))  # Input refuses a paste beyond its cap whole
        await pilot.pause()
        assert place.value == "" and place.max_length == ThaiInput.MAX_LENGTH
        place.post_message(events.Paste("ก" * ThaiInput.MAX_LENGTH))
        await wait_for(pilot, lambda: len(place.value) == ThaiInput.MAX_LENGTH)
        await type_text(pilot, "ข")
        assert len(place.value) == ThaiInput.MAX_LENGTH  # full: a key adds nothing
