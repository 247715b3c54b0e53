"""Item 9: "what happened" is a multi-line field: a long story wraps in sight; Enter goes on as
the hint says, ctrl+j starts a new line, and the lines reach the case."""

from __future__ import annotations

from textual.widgets import TextArea

from screens.app import make_app
from tests.intake.helpers import fill, national_id, next_step, step, type_text, wait_for

from .test_keys import to_identity

STORY = ("น้ำป่าไหลหลากเข้าบ้านตอนตีสอง ระดับน้ำสูงครึ่งเมตร ที่นอน ตู้เย็น และข้าวสารเสียหายทั้งหมด "
         "แม่อายุแปดสิบปีติดเตียงอยู่ชั้นล่าง ต้องย้ายไปอยู่บ้านญาติชั่วคราว")


async def test_a_long_story_wraps_and_enter_goes_on(settings, db):
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_identity(pilot)
        await fill(pilot, "first_name", "สมชาย")
        await fill(pilot, "doc_number", national_id("110170020345"))
        await next_step(pilot)
        await fill(pilot, "phone", "0812345678")
        await next_step(pilot)
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
