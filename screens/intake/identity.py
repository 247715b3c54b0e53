"""Step 4: the person asking: name, identity document (Thai ID, another document, or none).
In staff-assisted mode a returning person is found by ID or phone and pre-filled. A Thai ID
card inserted in a reader fills the step, with the person's yes (card_reader.py)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Input, Static

from kiosk.errors import KioskError
from kiosk.services import intake, person_view
from kiosk.thai.names import PREFIXES

from ..faults import service_work
from ..widgets.thai_input import ThaiInput
from .card_reader import CardReadingStep


class IdentityStep(CardReadingStep):
    FIRST_FOCUS = "prefix"

    def body(self) -> ComposeResult:
        if self.state.mode == "staff":
            if self.form.requester_id is None:  # one person found per intake, then no more look-ups
                yield Static(self.t("intake.lookup_label"), classes="field-label", markup=False)
                with Horizontal(id="lookup-row"):
                    yield ThaiInput(self.state.lookup_query, id="lookup")
                    yield Button(self.t("intake.lookup_button"), id="lookup-button")
            message = self.t(self.state.lookup_message, **self.state.lookup_params) if self.state.lookup_message else ""
            yield Static(message, id="lookup-message", markup=False)
        yield from self.text_field("prefix", optional=True, layout_hint=True, max_length=40, suggestions=PREFIXES)
        yield from self.text_field("first_name", layout_hint=True, max_length=200)
        yield from self.text_field("last_name", optional=True, layout_hint=True, max_length=200)
        yield from self.radio_field("doc_type", intake.DOC_TYPES, "doc_")
        yield from self.text_field("doc_number", max_length=60)
        yield from self.text_field("birth_date", optional=True, max_length=20)

    def focus_first(self) -> None:
        if self.state.mode == "staff" and not self.state.errors and not self.form.first_name \
                and self.form.requester_id is None:
            self.query_one("#lookup").focus()
        else:
            super().focus_first()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "lookup":
            event.prevent_default()
            self.state.lookup_query = event.value

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "lookup":
            event.prevent_default()
            self.lookup(event.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "lookup-button":
            event.prevent_default()
            self.lookup(self.state.lookup_query)

    @service_work(done="looked_up", failed="lookup_failed")
    def lookup(self, query: str) -> person_view.ReturningPerson | None:
        return person_view.find_returning_person(self.state.actor, query)

    def lookup_failed(self, error: KioskError) -> None:
        self.looked_up(None, error)

    def looked_up(self, found: person_view.ReturningPerson | None, error: KioskError | None = None) -> None:
        if error is not None:
            self.state.lookup_message, self.state.lookup_params = error.key, dict(error.params)
        elif found is None:
            self.state.lookup_message, self.state.lookup_params = "intake.lookup_none", {}
        else:
            self.state.form = intake.prefill(self.form, found)
            self.state.lookup_message = "intake.lookup_found"
            self.state.lookup_params = {"name": found.display_name, "doc": found.doc_masked}
        self.state.errors = {}
        self.refresh(recompose=True)
        self.call_after_refresh(self.focus_after_lookup, found is not None)

    def focus_after_lookup(self, found: bool) -> None:
        self.query_one("#nav-next" if found else "#first_name").focus()
