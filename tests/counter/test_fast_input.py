"""Item 10 in Pilot (tests/counter/test_scanner_tmux.py does it in a real terminal): Tab and the
next field's text arriving in one burst, as the app's own message queue gets them from a card
reader, land in the next field."""

from __future__ import annotations

from screens.app import make_app
from tests.intake.helpers import burst

from .test_keys import to_identity


async def test_tab_then_text_in_one_burst(settings, db):
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_identity(pilot)
        assert app.focused.id == "prefix"
        burst(app, "นาย", "tab", "สมชาย", "tab", "ใจดี")  # all queued before any is handled
        await pilot.pause()
        await pilot.pause()
        form = app.screen.state.form
        assert (form.prefix, form.first_name, form.last_name) == ("นาย", "สมชาย", "ใจดี")
