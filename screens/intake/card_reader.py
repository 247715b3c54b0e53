"""A Thai national ID card at the identity step: where pyscard and a PC/SC reader are present,
the step looks for a card once a second (kiosk.idcard, off the UI thread); a card inserted is
read into memory only, and the person is asked whether to use it. Only with their yes are the
prefix, names, ID, birth date and address filled in (they can still change any of them); with
no, or no reader, nothing changes and nothing is kept."""

from __future__ import annotations

import importlib.util
from dataclasses import replace

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Mount
from textual.widgets import Button, Static

from kiosk import idcard
from kiosk.errors import KioskError
from kiosk.thai.ids import mask_national_id

from ..base import KioskModal
from ..faults import service_work
from .wizard import StepScreen

POLL_SECONDS = 1.0


def reader_possible() -> bool:
    """Is pyscard installed (without it no reader can be read; see kiosk.idcard)?"""
    return importlib.util.find_spec("smartcard") is not None


class CardConsentDialog(KioskModal):
    """"Use the details on this card?": dismisses with True (fill the form) or False."""

    CSS_PATH = "intake.tcss"
    BINDINGS = [Binding("escape", "no", show=False)]

    def __init__(self, card: idcard.CardData) -> None:
        super().__init__()
        self.card = card

    def compose(self) -> ComposeResult:
        card = self.card
        name = " ".join(x for x in (card.prefix + card.first_name, card.last_name) if x)
        with Vertical(id="card-consent"):
            yield Static(self.t("idcard.found", name=name, id=mask_national_id(card.national_id)), markup=False)
            yield Static(self.t("idcard.consent"), markup=False)
            with Horizontal(id="card-buttons"):
                yield Button(self.t("idcard.use"), id="card-use", variant="primary")
                yield Button(self.t("idcard.ignore"), id="card-ignore")

    def on_mount(self) -> None:
        self.query_one("#card-use").focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "card-use")

    def action_no(self) -> None:
        self.dismiss(False)


class CardReadingStep(StepScreen):
    """A step that reads a Thai ID card (the identity step): offers each newly inserted card once."""

    offered_id: str = ""  # the card last offered on this screen (not offered again while it stays in)
    card_trouble: bool = False  # the step's status line says the reader failed

    @on(Mount)
    def watch_for_cards(self) -> None:
        if reader_possible():
            self.set_interval(POLL_SECONDS, self.poll_card)

    def poll_card(self) -> None:
        if self.app.screen is self:  # not while a dialog (this one's consent, idle, a gate) is on top
            self.read_card()

    @service_work(done="card_read", failed="card_failed", group="idcard")
    def read_card(self) -> idcard.CardData | None:
        return idcard.first_reader_card()

    def card_read(self, card: idcard.CardData | None) -> None:
        if self.card_trouble:  # the reader answers again: its "try again" is stale
            self.card_trouble = False
            for status in self.query("#step-status"):
                status.update(self.status_text())
        if card is None:
            self.offered_id = ""  # taken out: the same card inserted again is offered again
            return
        if card.national_id == self.offered_id or self.app.screen is not self:
            return
        self.offered_id = card.national_id
        self.app.push_screen(CardConsentDialog(card), lambda yes: self.card_answered(card, yes))

    def card_answered(self, card: idcard.CardData, yes: bool | None) -> None:
        if not yes:
            return
        values = {k: v for k, v in card.form_values().items() if v or k in ("soi", "road", "village")}
        self.state.form = replace(self.form, **values)
        self.state.errors = {}
        self.refresh(recompose=True)

    def card_failed(self, exc: KioskError) -> None:
        self.card_trouble = True
        for status in self.query("#step-status"):
            status.update(self.t(exc.key, **exc.params))
