"""A Thai ID card inserted at the identity step of a self-service request (the reader replayed, see
test_idcard): the person is asked first; with yes the step and the address are filled from the
card and the request goes through with the card's details; with no nothing changes; with no
pyscard the step never looks for a card."""

from __future__ import annotations

from textual.widgets import Input

from db.models import Case, Person
from kiosk import idcard
from screens.app import make_app
from screens.intake import card_reader
from tests.intake.helpers import fill, next_step, open_wizard, step, wait_for

from .test_idcard import CARD, ReplayCard


def insert_card(monkeypatch) -> list[int]:
    """A reader with the test card in it; returns the list that counts the reads."""
    reads: list[int] = []

    def first_reader_card():
        reads.append(1)
        return idcard.read_card(ReplayCard(CARD))

    monkeypatch.setattr(card_reader, "reader_possible", lambda: True)
    monkeypatch.setattr(card_reader, "POLL_SECONDS", 0.05)
    monkeypatch.setattr(idcard, "first_reader_card", first_reader_card)
    return reads


async def to_identity(pilot) -> None:
    await open_wizard(pilot)
    await pilot.click("#consent-accept")
    await pilot.pause()
    await pilot.press("3", "1")  # quality of life → elderly
    await pilot.pause()


async def test_with_the_persons_yes_the_card_fills_the_step_and_the_address(db, settings, monkeypatch):
    insert_card(monkeypatch)
    app = make_app(settings, "counter", "th")
    async with app.run_test(size=(120, 40)) as pilot:
        await to_identity(pilot)
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CardConsentDialog")
        assert "บุญมี" in str(app.screen.query_one("Static").render()) and "x-xxxx-xxxxx-70-8" in str(
            app.screen.query_one("Static").render())
        await pilot.click("#card-use")
        await pilot.pause()
        assert step(app) == "identity"
        values = {name: app.screen.query_one(f"#{name}", Input).value
                  for name in ("prefix", "first_name", "last_name", "doc_number", "birth_date")}
        assert values == {"prefix": "นาง", "first_name": "บุญมี", "last_name": "ใจดี", "doc_number": "1101700230708",
                          "birth_date": "14/03/2493"}
        await pilot.pause(0.3)
        assert type(app.screen).__name__ != "CardConsentDialog"  # the same card is not offered again
        await next_step(pilot)
        assert step(app) == "contact"
        await fill(pilot, "phone", "0812345678")
        await next_step(pilot)
        await next_step(pilot)  # the person asking needs the help
        await fill(pilot, "description", "อยู่ลำพัง")
        await next_step(pilot)
        assert step(app) == "review"
        await pilot.click("#nav-next")
        await wait_for(pilot, lambda: Case.select().exists())
    person = Person.get()
    assert (person.prefix, person.first_name, person.doc_number, person.house_no, person.moo,
            person.subdistrict_code) == ("นาง", "บุญมี", "1101700230708", "12/3", 3, "570906")


async def test_with_no_nothing_changes(db, settings, monkeypatch):
    insert_card(monkeypatch)
    app = make_app(settings, "counter", "th")
    async with app.run_test(size=(120, 40)) as pilot:
        await to_identity(pilot)
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CardConsentDialog")
        await pilot.click("#card-ignore")
        await pilot.pause()
        assert step(app) == "identity" and app.screen.query_one("#first_name", Input).value == ""


async def test_without_pyscard_no_card_is_looked_for(db, settings, monkeypatch):
    reads = insert_card(monkeypatch)
    monkeypatch.setattr(card_reader, "reader_possible", lambda: False)
    app = make_app(settings, "counter", "th")
    async with app.run_test(size=(120, 40)) as pilot:
        await to_identity(pilot)
        await pilot.pause(0.3)
        assert step(app) == "identity" and reads == []
