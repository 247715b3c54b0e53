"""Fault scenarios of the paperwork: the request form printed from the case screen
(screens/case_detail.py), the regulation's limit in the step dialog (screens/case_action.py), the
committee's meeting (screens/committee.py) and the ID card reader at the identity step
(screens/intake/card_reader.py); WORKERS are added to test_boundary_workers.SCENARIOS. The screen
stays, the calm message shows, what was typed is kept and is in no message nor the log, and the
same key works once the service answers again."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Static

from db.models import Case, CaseEvent
from kiosk import idcard
from screens import case_action, case_detail, committee
from screens.intake import card_reader
from tests.paperwork.conftest import new_case, person
from tests.paperwork.test_idcard import CARD, ReplayCard

from .flows import NAME, PHONE, choose, counter, open_first_case, staff
from .harness import (
    Trial,
    assert_calm,
    input_value,
    registry,
    settle,
    type_into,
    unavailable,
    visible_text,
    wait_for,
)

WORKERS, worker = registry()


def _message(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def _forms(t: Trial) -> list:
    folder = t.settings.home / "forms"
    return sorted(folder.iterdir()) if folder.exists() else []


# -- the case screen and its step dialog --------------------------------------------------------

@worker("screens.case_detail.CaseDetailScreen.print_form")
async def print_request_form(t: Trial):
    new_case(who=person(NAME))
    async with staff(t) as (app, pilot):
        await open_first_case(pilot)
        switch = t.inject(case_detail.paperwork, "form")
        await pilot.press("p")
        await settle(pilot)
        await choose(pilot, "form-list", "request")
        assert_calm(app, t, switch, screen="CaseDetailScreen", typed=(NAME,))
        assert _forms(t) == [] and app.screen.detail is not None  # the case stays shown
        switch.off()
        await pilot.press("p")
        await settle(pilot)
        await choose(pilot, "form-list", "request")
        [path] = _forms(t)
        assert path.name.startswith("request-") and app.t("forms.written", path=str(path)) in visible_text(app)


async def _open_case(app, pilot, case_id: int) -> None:
    app.open_case(case_id)
    await wait_for(pilot, lambda: type(app.screen).__name__ == "CaseDetailScreen" and app.screen.case_id == case_id)
    await settle(pilot)


@worker("screens.case_action.CaseActionScreen.load_limit")
async def step_limit(t: Trial):
    """The code: the limit line stays empty (saving checks the limit again and says so); the
    form works on and saves."""
    case_id = new_case(who=person(NAME), status="approved")
    other = new_case(who=person("มะลิ", house_no="8"), status="approved")
    note = f"มอบให้ {NAME} แล้ว โทร {PHONE}"
    async with staff(t) as (app, pilot):
        await _open_case(app, pilot, case_id)
        switch = t.inject(case_action.aid_limits, "preview")
        await pilot.press("a")
        await settle(pilot)
        await choose(pilot, "action-list", "deliver")
        await type_into(pilot, "#f-amount", "2,000")
        await type_into(pilot, "#f-public_note", note)
        assert_calm(app, t, switch, screen="CaseActionScreen", typed=(note, NAME, PHONE), shown=False)
        assert _message(app, "#action-limit") == "" and input_value(app, "#f-public_note") == note
        switch.off()
        await pilot.press("ctrl+s")  # the service checks the limit itself: 2,000 is within it
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseDetailScreen" and app.screen.detail.status == "helped"
        assert CaseEvent.get(CaseEvent.case == case_id, CaseEvent.action == "deliver").public_note == note
        await _open_case(app, pilot, other)  # the next step dialog reads the limit again
        await pilot.press("a")
        await settle(pilot)
        await choose(pilot, "action-list", "deliver")
        assert app.screen.aid_limit is not None and "3,000.00" in _message(app, "#action-limit")


# -- the committee ------------------------------------------------------------------------------

async def _committee(app, pilot) -> None:
    app.open_committee()
    await settle(pilot)
    assert type(app.screen).__name__ == "CommitteeScreen"


def _rows(app) -> int:
    return app.screen.query_one("#committee-table", DataTable).row_count


@worker("screens.committee.CommitteeScreen.load")
async def committee_load(t: Trial):
    new_case(who=person(NAME), status="awaiting_committee")
    async with staff(t, "supervisor") as (app, pilot):
        switch = t.inject(committee.committee, "awaiting")
        await _committee(app, pilot)
        assert_calm(app, t, switch, screen="CommitteeScreen", typed=(NAME,))
        assert unavailable(app) in _message(app, "#committee-message") and _rows(app) == 0
        await pilot.press("space", "ctrl+s")  # nothing listed: nothing to choose, nothing saved
        await settle(pilot)
        assert Case.get().status_id == "awaiting_committee"
        switch.off()
        await pilot.press("escape")  # open it again: the list is read
        await settle(pilot)
        await _committee(app, pilot)
        assert _rows(app) == 1 and unavailable(app) not in _message(app, "#committee-message")


async def _meeting(pilot, reason: str) -> None:
    """The first case approved with an amount and `reason`, the meeting's number and date typed."""
    app = pilot.app
    app.screen.query_one("#committee-table", DataTable).focus()
    await pilot.press("enter")
    await settle(pilot)
    assert type(app.screen).__name__ == "DecisionDialog"
    await type_into(pilot, "#decision-amount", "2,500")
    await type_into(pilot, "#decision-reason", reason)
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert type(app.screen).__name__ == "CommitteeScreen"
    await type_into(pilot, "#meeting-no", "5/2569")
    await type_into(pilot, "#meeting-date", "20/11/2569")


@worker("screens.committee.CommitteeScreen.save")
async def committee_save(t: Trial):
    case_id = new_case(who=person(NAME), status="awaiting_committee")
    reason = f"{NAME} อยู่ลำพัง โทร {PHONE}"
    async with staff(t, "supervisor") as (app, pilot):
        await _committee(app, pilot)
        await _meeting(pilot, reason)
        switch = t.inject(committee.committee, "record_decisions")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert_calm(app, t, switch, screen="CommitteeScreen", typed=(reason, NAME, PHONE))
        assert unavailable(app) in _message(app, "#committee-message")
        chosen = app.screen.chosen[case_id]  # every decision kept, as typed, for the retry
        assert (chosen.choice, chosen.amount, chosen.reason) == ("approve", "2,500", reason)
        assert input_value(app, "#meeting-no") == "5/2569" and input_value(app, "#meeting-date") == "20/11/2569"
        assert Case.get_by_id(case_id).status_id == "awaiting_committee"
        switch.off()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.t("committee.saved", n=1) in visible_text(app) and _rows(app) == 0  # decided: off the list
        assert Case.get_by_id(case_id).status_id == "approved"


@worker("screens.committee.CommitteeScreen.print_agenda")
async def committee_agenda(t: Trial):
    new_case(who=person(NAME), status="awaiting_committee")
    async with staff(t) as (app, pilot):
        await _committee(app, pilot)
        await type_into(pilot, "#meeting-no", "5/2569")
        app.screen.query_one("#committee-table", DataTable).focus()
        switch = t.inject(committee.committee, "agenda")
        await pilot.press("p")
        await settle(pilot)
        assert_calm(app, t, switch, screen="CommitteeScreen", typed=(NAME,))
        assert unavailable(app) in _message(app, "#committee-message")
        assert input_value(app, "#meeting-no") == "5/2569" and _rows(app) == 1 and _forms(t) == []
        switch.off()
        await pilot.press("p")
        await settle(pilot)
        [agenda] = _forms(t)
        assert agenda.name.startswith("agenda-") and unavailable(app) not in _message(app, "#committee-message")


# -- the ID card reader at the identity step ----------------------------------------------------

@worker("screens.intake.card_reader.CardReadingStep.read_card")
async def card_read(t: Trial):
    """A reader that fails while the person types: the step says so and keeps what was typed;
    once the reader answers, the card is offered and the "try again" is gone."""
    t.monkeypatch.setattr(card_reader, "reader_possible", lambda: True)
    t.monkeypatch.setattr(card_reader, "POLL_SECONDS", 0.05)
    t.monkeypatch.setattr(idcard, "first_reader_card", lambda: idcard.read_card(ReplayCard(CARD)))
    switch = t.inject(card_reader.idcard, "first_reader_card")
    async with counter(t) as (app, pilot):
        await pilot.click("#choice-ask_help")
        await pilot.pause()
        await pilot.click("#consent-accept")
        await pilot.pause()
        await pilot.press("3", "1")  # quality of life → elderly: the identity step
        await wait_for(pilot, lambda: switch.calls >= 2)
        await type_into(pilot, "#first_name", NAME)
        await wait_for(pilot, lambda: unavailable(app) in _message(app, "#step-status"))
        assert_calm(app, t, switch, screen="IdentityStep", typed=(NAME,))
        assert input_value(app, "#first_name") == NAME
        switch.off()
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CardConsentDialog")
        await settle(pilot)
        await pilot.click("#card-ignore")
        await settle(pilot)
        assert type(app.screen).__name__ == "IdentityStep"
        assert app.screen.query_one("#first_name", Input).value == NAME
        assert unavailable(app) not in _message(app, "#step-status")
