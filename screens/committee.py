"""The committee's meeting, recorded at once: the cases awaiting it in a table, a decision per case
(space cycles — / approve / not approve; Enter gives the amount and the reason), the meeting's
number and date typed once, and Ctrl+S saves every decision in one transaction
(kiosk.services.committee: all or none, audited). `p` prints the agenda for the meeting."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, DataTable, Input, Static

from kiosk.errors import KioskError, ValidationError
from kiosk.services import committee, workflow
from kiosk.services.committee import AwaitingCase, Decision
from kiosk.thai.dates import parse_be_date

from .faults import service_work
from .widgets.staff_base import StaffFooter, StaffModal, StaffScreen, safe
from .widgets.thai_input import ThaiInput
from .widgets.top_bar import TopBar

CHOICES = ("none", "approve", "reject")  # labels: committee.choice_<key>
COLUMNS = ("choice", "ticket", "person", "amount", "reason", "category", "help")  # committee.col_<key>


@dataclass
class Choice:
    """What the officer chose for one case so far."""

    choice: str = "none"
    amount: str = ""
    reason: str = ""


class DecisionDialog(StaffModal):
    """The amount approved and the reason for one case; dismisses with (amount, reason) or None."""

    CSS_PATH = "./committee.tcss"  # "./": not a catalogue key
    BINDINGS = [Binding("escape", "cancel", "app.cancel"), Binding("ctrl+s", "ok", "committee.ok")]

    def __init__(self, ticket: str, chosen: Choice) -> None:
        super().__init__()
        self.ticket, self.values = ticket, {"amount": chosen.amount, "reason": chosen.reason}
        self.error = ""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="decision-form", classes="dialog"):
            yield Static(self.t("committee.detail_title", ticket=self.ticket), classes="dialog-title", markup=False)
            yield Static(self.t("committee.amount"), markup=False)
            yield Input(self.values["amount"], id="decision-amount", max_length=20)
            yield Static(self.t("committee.reason"), markup=False)
            yield ThaiInput(self.values["reason"], id="decision-reason", max_length=2000)
            yield Static(self.error, id="decision-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.t("committee.ok"), id="decision-ok", variant="primary", compact=True)
                yield Button(self.t("app.cancel"), id="decision-cancel", compact=True)
        yield StaffFooter()

    def on_mount(self) -> None:
        self.query_one("#decision-amount", Input).focus()

    @on(Input.Changed)
    def remember(self, event: Input.Changed) -> None:
        self.values[(event.input.id or "").removeprefix("decision-")] = event.value

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_ok()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_ok() if event.button.id == "decision-ok" else self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_ok(self) -> None:
        amount = self.values["amount"].strip()
        if amount:
            try:
                workflow.parse_amount(amount)
            except ValidationError as exc:
                self.error = self.app.error_text(exc)
                self.query_one("#decision-error", Static).update(self.error)
                return
        self.dismiss((amount, self.values["reason"]))


class CommitteeScreen(StaffScreen):
    CSS_PATH = "committee.tcss"
    BINDINGS = [
        Binding("escape", "back", "case.key_back"),
        Binding("space", "cycle", "committee.key_choice"),
        Binding("ctrl+s", "save", "committee.key_save", priority=True),
        Binding("p", "agenda", "committee.key_agenda"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.cases: list[AwaitingCase] | None = None
        self.chosen: dict[int, Choice] = {}
        self.meeting = {"no": "", "date": ""}
        self.message = ""

    def compose(self) -> ComposeResult:
        yield TopBar()
        yield Static(self.t("committee.title"), classes="dialog-title", markup=False)
        with Horizontal(id="committee-meeting"):
            yield Static(self.t("committee.meeting_no"), markup=False)
            yield Input(self.meeting["no"], id="meeting-no", compact=True, max_length=40)
            yield Static(self.t("committee.meeting_date"), markup=False)
            yield Input(self.meeting["date"], id="meeting-date", compact=True, max_length=12)
        yield DataTable(id="committee-table", cursor_type="row", zebra_stripes=True)
        yield Static(self.t("committee.hint"), id="committee-hint", markup=False)
        yield Static(self.message, id="committee-message", markup=False)
        yield StaffFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        if self.cases is None:
            self.load()
        else:
            self.fill()

    async def recompose(self) -> None:
        await super().recompose()
        self.fill()

    # -- the list -------------------------------------------------------------------------
    @service_work(done="loaded", failed="failed", group="committee")
    def load(self) -> list[AwaitingCase]:
        return committee.awaiting(self.app.actor, self.app.settings)

    def loaded(self, cases: list[AwaitingCase]) -> None:
        self.cases = cases
        self.chosen = {c.id: self.chosen.get(c.id, Choice()) for c in cases}
        if not cases:
            self.say(self.t("committee.nothing"))
        self.fill()

    def failed(self, exc: KioskError) -> None:
        self.say(self.app.error_text(exc))

    def fill(self) -> None:
        if not self.query("#committee-table"):
            return
        table = self.query_one("#committee-table", DataTable)
        if not table.columns:
            widest = max(len(self.t(f"committee.choice_{k}")) for k in CHOICES)  # a choice never widens it later
            for key in COLUMNS:
                table.add_column(self.t(f"committee.col_{key}"), key=key, width=widest if key == "choice" else None)
        table.clear()
        for c in self.cases or []:
            table.add_row(*self.cells(c), key=str(c.id))

    def cells(self, c: AwaitingCase):
        chosen = self.chosen[c.id]
        style = {"approve": "bold green", "reject": "bold red"}.get(chosen.choice, "")
        return (safe(self.t(f"committee.choice_{chosen.choice}"), style), safe(c.ticket_no),
                safe(c.person, one_line=True), safe(chosen.amount), safe(chosen.reason[:30], one_line=True),
                safe(self.t(f"category.{c.category}"), one_line=True),
                safe(c.help_requested or c.description, one_line=True))

    def current(self) -> AwaitingCase | None:
        table = self.query_one("#committee-table", DataTable)
        if not self.cases or table.row_count == 0:
            return None
        return self.cases[table.cursor_row]

    def redraw(self, c: AwaitingCase) -> None:
        table = self.query_one("#committee-table", DataTable)
        for column, cell in zip(COLUMNS, self.cells(c)):
            table.update_cell(str(c.id), column, cell, update_width=True)

    def say(self, text: str) -> None:
        self.message = text
        for widget in self.query("#committee-message"):
            widget.update(text)

    # -- choosing -------------------------------------------------------------------------
    def action_cycle(self) -> None:
        c = self.current()
        if c is None:
            return
        chosen = self.chosen[c.id]
        chosen.choice = CHOICES[(CHOICES.index(chosen.choice) + 1) % len(CHOICES)]
        self.redraw(c)

    @on(DataTable.RowSelected, "#committee-table")
    def row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        c = self.current()
        if c is not None:
            self.app.push_screen(DecisionDialog(c.ticket_no, self.chosen[c.id]),
                                 lambda given, c=c: self.detail_given(c, given))

    def detail_given(self, c: AwaitingCase, given: tuple[str, str] | None) -> None:
        if given is None:
            return
        chosen = self.chosen[c.id]
        chosen.amount, chosen.reason = given
        if chosen.choice == "none":  # giving an amount or a reason is choosing: approve unless it says no
            chosen.choice = "approve"
        self.redraw(c)

    @on(Input.Changed, "#meeting-no")
    def meeting_no(self, event: Input.Changed) -> None:
        self.meeting["no"] = event.value

    @on(Input.Changed, "#meeting-date")
    def meeting_date(self, event: Input.Changed) -> None:
        self.meeting["date"] = event.value

    # -- saving ---------------------------------------------------------------------------
    def decisions(self) -> list[Decision]:
        return [Decision(c.id, c.version, self.chosen[c.id].choice == "approve", self.chosen[c.id].amount,
                         self.chosen[c.id].reason)
                for c in self.cases or [] if self.chosen[c.id].choice != "none"]

    def action_save(self) -> None:  # a priority key: the meeting's number and date typed just before it count
        self.app.after_typing(self.save_typed)

    def save_typed(self) -> None:
        if not self.is_attached:
            return
        try:
            when = parse_be_date(self.meeting["date"], field="meeting_date") if self.meeting["date"].strip() else None
        except ValidationError as exc:
            self.say(self.app.error_text(exc))
            return
        self.save(self.meeting["no"], when, self.decisions())

    @service_work(done="saved", failed="save_failed", group="committee-save")
    def save(self, meeting_no, when, decisions) -> int:
        return committee.record_decisions(self.app.actor, self.app.settings, meeting_no, when, decisions)

    def saved(self, n: int) -> None:
        self.chosen = {}
        self.app.notify(self.t("committee.saved", n=n), markup=False)
        self.say(self.t("committee.saved", n=n))
        self.load()

    def save_failed(self, exc: KioskError) -> None:
        params = dict(exc.params)
        if "status" in params:
            params["status"] = self.t(f"status.{params['status']}")
        message = self.t(exc.key, **params)
        self.say(self.t("committee.failed_case", ticket=params["ticket"], message=message) if "ticket" in params
                 else message)
        if exc.key == "workflow.conflict":
            self.load()

    # -- the agenda -----------------------------------------------------------------------
    def action_agenda(self) -> None:
        self.print_agenda()

    @service_work(done="agenda_printed", failed="failed", group="committee-agenda")
    def print_agenda(self):
        from kiosk.services.paperwork import forms_folder

        return committee.agenda(self.app.actor, self.app.settings, forms_folder(self.app.settings))

    def agenda_printed(self, written) -> None:
        text = self.t("committee.agenda_written", path=str(written.path), cases=written.cases)
        self.say(text)
        self.app.notify(text, markup=False, timeout=15)

    def action_back(self) -> None:
        self.app.pop_screen()

    def palette_commands(self):
        return [(self.t("committee.save"), self.action_save, ""),
                (self.t("committee.print_agenda"), self.action_agenda, "")]
