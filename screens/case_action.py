"""Taking one step on a case: a menu of the allowed steps, then a dialog with exactly the fields
that step needs. The service decides; a refusal or a conflict is shown, never swallowed."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.events import Mount
from textual.widgets import Button, Input, Select, Static

from kiosk.errors import Conflict, KioskError, ValidationError
from kiosk.services import aid_limits, referral, workflow
from kiosk.services import staff as staff_service
from kiosk.services.case_view import CaseDetail
from kiosk.services.workflow import ACTIONS, Step
from kiosk.thai.dates import parse_be_date
from kiosk.workflow_spec import Field

from .faults import safely, service_work
from .widgets.staff_base import StaffFooter, StaffModal, safe
from .widgets.thai_input import ThaiInput

# the input for each typed field kind (a staff field is a list to choose from: `choice`)
INPUTS = {"text": Input, "thai_text": ThaiInput, "date": Input, "due_date": Input, "amount": Input, "case_ref": Input}


class CaseActionScreen(StaffModal):
    """The form for one step. Dismisses with a message to show (saved, or a conflict)."""

    CSS_PATH = "case_action.tcss"
    BINDINGS = [Binding("escape", "cancel", "app.cancel"), Binding("ctrl+s", "save", "workflow.save")]

    def __init__(self, detail: CaseDetail, action: str) -> None:
        super().__init__()
        self.detail, self.action = detail, action
        self.spec = ACTIONS[action]
        self.spec_fields = {f.name: f for f in self.spec.fields}
        self.values: dict[str, str] = {}
        self.error = ""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="action-form", classes="dialog"):
            title = Text(f"{self.t(f'workflow.{self.action}')} · ")
            title.append_text(safe(self.detail.ticket_no))
            yield Static(title, classes="dialog-title")
            for f in self.spec.fields:
                yield Static(self.t(f"workflow.{f.name}"), markup=False)
                yield from self.field_widgets(f)
            if self.spec.capped:
                yield Static(self.limit_text(), id="action-limit", markup=False)
            for note in ("public_note", "internal_note"):
                yield Static(self.t(f"workflow.{note}"), markup=False)
                yield ThaiInput(self.values.get(note, ""), id=f"f-{note}", max_length=2000)
            yield Static(self.error, id="action-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.t("workflow.save"), id="action-save", variant="primary", compact=True)
                yield Button(self.t("app.cancel"), id="action-cancel", compact=True)
        yield StaffFooter()

    def field_widgets(self, f: Field) -> ComposeResult:
        """The widgets for one field, by its kind; each has the id `f-<name>`."""
        value = self.values.get(f.name, "")
        if f.kind == "staff":
            options = [(safe(f"{u} {n}".strip()), sid) for sid, u, n in self.assignable()]
            yield Select(options, id=f"f-{f.name}", value=int(value) if value else Select.NULL,
                         prompt=self.t("workflow.choose_staff"))
            return
        if f.kind == "referral_target":
            options = [(safe(t.name(self.app.lang)), t.ref) for t in self.referral_targets()]
            yield Select(options, id=f"f-{f.name}", value=value or Select.NULL,
                         prompt=self.t("workflow.choose_target"))
            return
        yield INPUTS[f.kind](value, id=f"f-{f.name}", max_length=200)
        if f.kind == "amount":
            yield Static(self.words(value), id=f"f-{f.name}-words", markup=False)

    def assignable(self) -> list[tuple[int, str, str]]:
        """Who may be assigned; if the database cannot say, the list is empty and the form says
        why (saving then reports the fault too)."""
        try:
            return safely(staff_service.assignable_staff, self.app.actor)
        except KioskError as exc:
            self.error = self.app.error_text(exc)
            return []

    def referral_targets(self) -> list[referral.Target]:
        """The other member LAOs and the configured agencies (empty, with the reason, on a fault)."""
        try:
            return safely(referral.targets, self.app.settings.agencies, self.detail.organization_id)
        except KioskError as exc:
            self.error = self.app.error_text(exc)
            return []

    def words(self, typed: str) -> str:
        try:
            return self.t("workflow.amount_words", words=workflow.amount_words(workflow.parse_amount(typed)))
        except ValidationError:
            return ""

    @on(Input.Changed)
    def remember(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("f-")
        self.values[name] = event.value
        if name in self.spec_fields and self.spec_fields[name].kind == "amount":
            self.query_one(f"#f-{name}-words", Static).update(self.words(event.value))
            if self.spec.capped and self.query("#action-limit"):
                self.query_one("#action-limit", Static).update(self.limit_text())

    # -- the regulation's limit for help handed over (kiosk.services.aid_limits) ------------
    aid_limit: aid_limits.LimitCheck | None = None

    @on(Mount)
    def load_limit_on_mount(self) -> None:
        if self.spec.capped and self.app.settings.aid_limits:
            self.load_limit()

    @service_work(done="limit_loaded", failed="limit_unknown", group="action-limit")
    def load_limit(self) -> aid_limits.LimitCheck | None:
        return aid_limits.preview(self.app.actor, self.app.settings.aid_limits, self.detail.id, None)

    def limit_loaded(self, limit: aid_limits.LimitCheck | None) -> None:
        self.aid_limit = limit
        self.query_one("#action-limit", Static).update(self.limit_text())

    def limit_unknown(self, _exc: KioskError) -> None:
        pass  # saving checks the limit again, and says so

    def limit_text(self) -> str:
        """The area's limit, how often the family was helped this fiscal year, and whether the
        amount typed goes over (then a supervisor must save it, with a reason)."""
        if self.aid_limit is None:
            return ""
        try:
            typed = workflow.parse_amount(self.values.get("amount", ""))
        except ValidationError:
            typed = None
        check = replace(self.aid_limit, amount=typed)
        text = self.t("workflow.limit_line", **check.params())
        return f"{text} — {self.t('workflow.limit_over_hint')}" if check.over else text

    @on(Select.Changed)
    def remember_choice(self, event: Select.Changed) -> None:
        name = (event.select.id or "").removeprefix("f-")
        self.values[name] = "" if event.value is Select.NULL else str(event.value)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save() if event.button.id == "action-save" else self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        try:
            step = self.step()
        except ValidationError as exc:
            self.show_error(self.app.error_text(exc))
            return
        self.save(step)

    def step(self) -> Step:
        v = self.values
        return Step(self.action, self.detail.version, public_note=v.get("public_note", ""),
                    internal_note=v.get("internal_note", ""), **{f.name: self.typed(f) for f in self.spec.fields})

    def typed(self, f: Field) -> object:
        """A field's value as the service takes it: a date parsed (BE), a staff member's id."""
        text = self.values.get(f.name, "")
        if f.kind in ("date", "due_date"):
            return parse_be_date(text, field=f.name) if text.strip() else None
        if f.kind == "staff":
            return int(text) if text else None
        return text

    @service_work(done="saved", failed="save_failed", group="action")
    def save(self, step: Step) -> None:
        workflow.perform(self.app.actor, self.detail.id, step, limits=self.app.settings.aid_limits,
                         agencies=self.app.settings.agencies)

    def saved(self, _result: None) -> None:
        self.dismiss(self.t("workflow.saved", action=self.t(f"workflow.{self.action}")))

    def save_failed(self, exc: KioskError) -> None:
        if isinstance(exc, Conflict):
            status = self.t(f"status.{exc.params.get('status', '')}")
            self.dismiss(self.t("workflow.conflict", by=exc.params.get("by", "?"), status=status))
            return
        params = dict(exc.params)
        if "status" in params:
            params["status"] = self.t(f"status.{params['status']}")
        self.show_error(self.t(exc.key, **params))

    def show_error(self, text: str) -> None:
        self.error = text
        self.query_one("#action-error", Static).update(text)
