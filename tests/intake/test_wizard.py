"""The counter intake wizard driven by Pilot, as a citizen or a clerk would use it."""

from __future__ import annotations

import asyncio

from textual.widgets import Input, Static, TextArea

from db.models import AuditLog, Case, CaseEvent, Person
from kiosk.i18n import translate
from screens.app import make_app
from screens.home import HomeScreen
from screens.intake.wizard import StepScreen
from screens.receipt import ReceiptScreen

from ..conftest import HOSTILE
from .helpers import fill, national_id, next_step, open_wizard, self_service_to_review, step, type_text, wait_for


def rendered(widget) -> str:
    return str(widget.render())


async def confirm(pilot):
    await pilot.click("#nav-next")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ReceiptScreen))
    await pilot.pause()


async def test_self_service_flow_in_thai_with_going_back_and_changing_answers(db, settings):
    app = make_app(settings, "counter", "th")
    async with app.run_test(size=(120, 40)) as pilot:
        await self_service_to_review(pilot)
        assert step(app) == "review"
        assert not app.screen.query("#lookup")  # self-service never looks anyone up
        # back to the situation: the description is still there; change it
        await pilot.press("escape")
        assert step(app) == "situation" and app.screen.query_one("#description", TextArea).text == "น้ำท่วมบ้าน"
        await fill(pilot, "description", "น้ำป่าไหลหลากเข้าบ้าน")
        await pilot.click("#vuln-elderly")
        # further back to the category: choose storm instead
        for _ in range(5):
            await pilot.press("escape")
        assert step(app) == "category"
        await pilot.press("1", "2")  # disaster → storm
        assert step(app) == "identity" and app.screen.query_one("#first_name", Input).value == "สมชาย"
        for _ in range(3):
            await next_step(pilot)
        assert step(app) == "situation" and app.screen.query_one("#description", TextArea).text == "น้ำป่าไหลหลากเข้าบ้าน"
        await next_step(pilot)
        assert step(app) == "review"
        await confirm(pilot)
        screen = app.screen
        case = Case.get()
        assert case.category_id == "storm" and case.description == "น้ำป่าไหลหลากเข้าบ้าน"
        assert case.vulnerabilities == "elderly" and case.requester.first_name == "สมชาย"
        assert rendered(screen.query_one("#ticket-no")) == case.ticket_no
        assert screen.query_one("#ticket-digits").value == case.ticket_no.split("-", 1)[1]
        assert case.short_code in rendered(screen.query_one("#short-code"))
        assert translate("receipt.printer_not_configured", "th") in rendered(screen.query_one("#print-status"))
        await pilot.click("#receipt-done")
        assert isinstance(app.screen, HomeScreen) and len(app.screen_stack) == 1


async def test_english_flow_and_language_toggle_keep_what_was_typed(db, settings):
    app = make_app(settings, "counter", "en")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_wizard(pilot)
        assert rendered(app.screen.query_one("#step-title")) == translate("intake.step_consent", "en")
        await pilot.click("#consent-accept")
        await pilot.press("4")  # information / advice: one sub-type
        await pilot.press("1")
        await fill(pilot, "first_name", "Anna")
        app.screen.query_one("#doc_type--none").value = True
        await pilot.pause()
        await pilot.press("ctrl+l")  # to Thai and back: nothing lost
        await pilot.pause()
        assert app.lang == "th" and rendered(app.screen.query_one("#step-title")) == translate("intake.step_identity")
        assert app.screen.query_one("#first_name", Input).value == "Anna"
        await pilot.press("ctrl+l")
        await pilot.pause()
        await fill(pilot, "doc_number", "")
        await next_step(pilot)
        await fill(pilot, "house_no", "99/1")
        await fill(pilot, "phone", "")
        await next_step(pilot)
        await next_step(pilot)
        await fill(pilot, "description", "How do I register a disability card?")
        await next_step(pilot)
        await confirm(pilot)
        case = Case.get()
        assert case.requester.doc_type == "none" and case.requester.house_no == "99/1" and case.requester.phone == ""
        assert translate("receiptscreen.title", "en") == rendered(app.screen.query_one("#receipt-title"))
        assert translate("receiptscreen.next_other", "en") == rendered(app.screen.query_one("#next-steps"))


async def test_staff_assisted_returning_person_is_found_and_reused(db, settings, clerk):
    from kiosk.services import intake

    from .test_intake_service import good_form

    intake.submit(settings, good_form())
    app = make_app(settings, "counter", "th")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.click("#choice-staff")
        await pilot.pause()
        await type_text(pilot, "246813")
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(app.screen.query("#gate-intake")))
        app.screen.query_one("#gate-intake").press()
        await wait_for(pilot, lambda: isinstance(app.screen, StepScreen))
        await pilot.pause()
        assert isinstance(app.screen, StepScreen) and app.screen.state.actor.username == "clerk"
        assert "สมหญิง" in rendered(app.screen.query_one("#staff-banner"))
        await pilot.click("#consent-accept")
        await pilot.press("3", "1")  # quality of life → elderly
        assert app.focused.id == "lookup"
        await type_text(pilot, "081-234-5678")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.query_one("#first_name", Input).value == "สมชาย")
        assert "x-xxxx-xxxxx" in rendered(app.screen.query_one("#lookup-message"))
        assert not app.screen.query("#lookup")  # one person per intake: no further look-ups
        await pilot.press("enter")  # Next is focused
        assert step(app) == "contact" and app.screen.query_one("#house_no", Input).value == "12/3"
        await fill(pilot, "phone", "0899999999")  # the clerk corrects the stored phone
        await next_step(pilot)
        await next_step(pilot)
        await type_text(pilot, "อยู่คนเดียว")
        await next_step(pilot)
        await confirm(pilot)
        new = Case.select().order_by(Case.id.desc()).get()
        assert new.channel == "counter" and new.category_id == "elderly" and Person.select().count() == 1
        assert Person.get().phone == "+66899999999"  # the correction is kept, not the old number
        assert CaseEvent.get(CaseEvent.case == new).actor.username == "clerk"
        assert AuditLog.select().where(AuditLog.action == "person_lookup").count() == 1
        await pilot.click("#receipt-done")
        assert app.unlocked_by is None  # the gate locks again


async def test_every_invalid_field_keeps_the_step_and_says_why(db, settings):
    app = make_app(settings, "counter", "th")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_wizard(pilot)
        await pilot.click("#consent-accept")
        await pilot.press("1", "1")
        cases = {
            "identity": {"prefix": "นาย2", "first_name": "", "last_name": "1234", "doc_number": "1234567890123",
                         "birth_date": "32/01/2530"},
            "contact": {"phone": "999", "house_no": "บ้าน", "moo": "0", "village": "ก" * 81, "soi": "ซ" * 81,
                        "road": "ถ" * 81},
        }
        for name, fields in cases.items():
            assert step(app) == name
            for field, text in fields.items():
                await fill(pilot, field, text)
            await next_step(pilot)
            assert step(app) == name
            for field in fields:
                assert rendered(app.screen.query_one(f"#{field}-error")).startswith("✖"), field
                assert app.screen.query_one(f"#{field}").has_class("invalid")
            assert app.focused.id == next(iter(fields))
            await fill(pilot, "prefix" if name == "identity" else "phone", "")
            for field in fields:
                await fill(pilot, field, "")
            if name == "identity":
                await fill(pilot, "first_name", "มาลี")
                app.screen.query_one("#doc_type--none").value = True
                await pilot.pause()
            else:
                await fill(pilot, "house_no", "5")
            await next_step(pilot)
        assert step(app) == "subject"
        app.screen.query_one("#subject_is_requester--false").value = True
        await pilot.pause()
        await fill(pilot, "subject_moo", "abc")
        await next_step(pilot)
        assert step(app) == "subject"
        for field in ("relationship", "subject_first_name", "subject_moo"):
            assert rendered(app.screen.query_one(f"#{field}-error")).startswith("✖"), field
        app.screen.query_one("#relationship--neighbour").value = True
        await fill(pilot, "subject_first_name", "บุญมี")
        await fill(pilot, "subject_moo", "3")
        await next_step(pilot)
        assert step(app) == "situation"
        await fill(pilot, "occurred_on", "1/1/2026")
        await fill(pilot, "household_size", "ห้า")
        app.screen.query_one("#vuln-disability_movement").value = True
        await next_step(pilot)
        for field in ("description", "occurred_on", "household_size", "sensitive_consent"):
            assert rendered(app.screen.query_one(f"#{field}-error")).startswith("✖"), field
        assert "2569" in rendered(app.screen.query_one("#occurred_on-error"))  # the BE year is suggested
        await fill(pilot, "description", "ล้มป่วย")
        await fill(pilot, "occurred_on", "")
        await fill(pilot, "household_size", "๕")
        app.screen.query_one("#sensitive_consent").value = True
        await next_step(pilot)
        await confirm(pilot)
        case = Case.get()
        assert case.subject.first_name == "บุญมี" and case.relationship == "neighbour" and case.subject.moo == 3
        assert case.sensitive_consent and case.household_size == 5


async def test_refusing_consent_stores_nothing_and_goes_home(db, settings):
    counts = lambda: (Person.select().count(), Case.select().count(), CaseEvent.select().count())  # noqa: E731
    before = counts()
    app = make_app(settings, "counter", "th")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_wizard(pilot)
        await pilot.click("#consent-refuse")
        await pilot.pause()
        assert rendered(app.screen.query_one(".dialog-title")) == translate("consent.refused_title")
        assert isinstance(app.screen_stack[-2], HomeScreen) and len(app.screen_stack) == 2
    assert counts() == before == (0, 0, 0)


async def test_idle_reset_discards_every_typed_value(db, settings):
    app = make_app(settings, "counter", "th")
    async with app.run_test(size=(120, 40)) as pilot:
        app.IDLE_COUNTDOWN = 1
        await open_wizard(pilot)
        await pilot.click("#consent-accept")
        await pilot.press("1", "1")
        await fill(pilot, "first_name", "ลับเฉพาะ")
        await fill(pilot, "doc_number", national_id("310170020345"))
        app.idle_seconds = 0.3
        await wait_for(pilot, lambda: type(app.screen).__name__ == "IdleScreen", timeout=5)
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen), timeout=5)
        assert len(app.screen_stack) == 1
        values = [i.value for screen in app.screen_stack for i in screen.query(Input)]
        assert not any("ลับเฉพาะ" in v or "310170020345" in v for v in values)
        shown = " ".join(rendered(s) for screen in app.screen_stack for s in screen.query(Static))
        assert "ลับเฉพาะ" not in shown
        # and a fresh wizard starts empty
        app.idle_seconds = 3600
        await open_wizard(pilot)
        await pilot.click("#consent-accept")
        await pilot.press("1", "1")
        assert app.screen.query_one("#first_name", Input).value == ""


async def test_still_here_keeps_the_session(db, settings):
    app = make_app(settings, "counter", "th")
    async with app.run_test(size=(120, 40)) as pilot:
        app.IDLE_COUNTDOWN = 30
        await open_wizard(pilot)
        await pilot.click("#consent-accept")
        await pilot.press("1", "1")
        await fill(pilot, "first_name", "ยังอยู่")
        app.idle_seconds = 0.3
        await wait_for(pilot, lambda: type(app.screen).__name__ == "IdleScreen", timeout=5)
        app.idle_seconds = 3600
        await pilot.press("space")
        await pilot.pause()
        assert step(app) == "identity" and app.screen.query_one("#first_name", Input).value == "ยังอยู่"


TYPED = {"first_name": HOSTILE[1], "last_name": HOSTILE[2], "description": "\x1b[2Jล้างจอ [red]แดง"}


async def test_hostile_text_is_shown_and_stored_literally(db, settings):
    app = make_app(settings, "counter", "th")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_wizard(pilot)
        await pilot.click("#consent-accept")
        await pilot.press("1", "1")
        await fill(pilot, "first_name", TYPED["first_name"])
        await fill(pilot, "last_name", TYPED["last_name"])
        app.screen.query_one("#doc_type--none").value = True
        await fill(pilot, "doc_number", "")
        await next_step(pilot)
        await fill(pilot, "phone", "0812345678")
        await next_step(pilot)
        await next_step(pilot)
        field = app.screen.query_one("#description", TextArea)
        field.focus()
        from textual import events

        field.post_message(events.Paste(TYPED["description"]))
        await pilot.pause()
        await next_step(pilot)
        assert step(app) == "review"
        review = " ".join(rendered(s) for s in app.screen.query(".review-line"))
        assert "[@click=app.quit]x[/] [b" in review and "[2Jล้างจอ [red]แดง" in review and "\x1b" not in review
        await confirm(pilot)
        assert app.is_running
        person = Person.get()
        assert (person.first_name, person.last_name) == ("[@click=app.quit]x[/]", "[b")
        assert Case.get().description == "[2Jล้างจอ [red]แดง"


async def test_receipt_saves_png_and_pdf(db, settings):
    app = make_app(settings, "counter", "th")
    async with app.run_test(size=(120, 40)) as pilot:
        await self_service_to_review(pilot)
        await confirm(pilot)
        await pilot.click("#receipt-save")
        saved = translate("receiptscreen.saved", "th")  # no path: that is for staff, not the citizen
        await wait_for(pilot, lambda: saved in rendered(app.screen.query_one("#print-status")), timeout=20)
        ticket = Case.get().ticket_no
        folder = settings.home / "receipts"
        assert (folder / f"{ticket}.png").stat().st_size > 1000
        assert (folder / f"{ticket}.pdf").read_bytes().startswith(b"%PDF")
    await asyncio.sleep(0)


async def test_another_subdistrict_is_picked_with_type_ahead(db, settings):
    app = make_app(settings, "counter", "th")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_wizard(pilot)
        await pilot.click("#consent-accept")
        await pilot.press("1", "1")
        await fill(pilot, "first_name", "มาลี")
        await fill(pilot, "doc_number", national_id("110170020345"))
        await next_step(pilot)
        assert "เวียงพางคำ" in rendered(app.screen.query_one("#subdistrict_code"))  # the centre's own by default
        await fill(pilot, "phone", "053-123-456")
        app.screen.query_one("#place-change").press()
        await wait_for(pilot, lambda: bool(app.screen.query("#place-query")))
        for query in ("เชียงใหม่", "mae rim", "ริมใต้"):
            await fill(pilot, "place-query", query)
            await pilot.press("enter")
            await pilot.pause()
        assert app.screen.state.form.subdistrict_code == "500701"
        assert "ริมใต้" in rendered(app.screen.query_one("#subdistrict_code"))
        assert app.screen.query_one("#phone", Input).value == "053-123-456"
        await next_step(pilot)
        assert step(app) == "subject"


async def test_leaving_is_refused_while_the_request_is_stored(db, settings, monkeypatch):
    """Escape or Cancel pressed while the case is being written must not lose the receipt (the
    citizen would then ask again and make a duplicate). The store is held back, not replaced."""
    import threading

    from kiosk.services import intake

    real_submit, release = intake.submit, threading.Event()

    def held_submit(*args, **kwargs):
        release.wait(10)
        return real_submit(*args, **kwargs)

    monkeypatch.setattr(intake, "submit", held_submit)
    app = make_app(settings, "counter", "th")
    async with app.run_test(size=(120, 40)) as pilot:
        await self_service_to_review(pilot)
        await pilot.click("#nav-next")
        await pilot.press("escape")
        await pilot.press("escape")
        await pilot.click("#nav-cancel")
        assert step(app) == "review"
        release.set()
        await wait_for(pilot, lambda: isinstance(app.screen, ReceiptScreen))
        await app.workers.wait_for_complete()  # let the receipt finish mounting before the app closes
        await pilot.pause()
    assert Case.select().count() == 1
