"""One case for staff: the people (every showing is audited by the service), the request, the
timeline with public and internal notes labelled, and only the steps this status and role allow
(`a`, or the command palette)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from kiosk.errors import KioskError
from kiosk.i18n import has
from kiosk.services import case_view, paperwork
from kiosk.services.case_view import CaseDetail
from kiosk.services.workflow import amount_words
from kiosk.thai.addresses import Address, format_house_thai
from kiosk.thai.dates import format_be_date, format_be_datetime
from kiosk.workflow_spec import ACTIONS, EVENTS, Field

from .faults import service_work
from .widgets.pick import PickDialog
from .widgets.staff_base import StaffFooter, StaffScreen, safe
from .widgets.top_bar import TopBar


class CaseDetailScreen(StaffScreen):
    CSS_PATH = "case_detail.tcss"
    BINDINGS = [
        Binding("escape", "back", "case.key_back"),
        Binding("a", "actions", "case.key_actions"),
        Binding("r", "reload", "case.key_reload"),
        Binding("m", "duplicates", "case.key_duplicates"),
        Binding("p", "print_form", "case.key_print"),
    ]

    def __init__(self, case_id: int, detail: CaseDetail | None = None, error: str = "") -> None:
        super().__init__()
        self.case_id = case_id
        self.detail = detail  # given when the app loaded it before showing the screen
        self.error = error

    def compose(self) -> ComposeResult:
        yield TopBar()
        with VerticalScroll(id="case-body"):
            yield from self.body()
        yield StaffFooter()

    def body(self) -> list[Static]:
        if self.detail is None:
            return [Static(self.error or self.t("case.loading"), id="case-loading", markup=False)]
        d = self.detail
        parts = [Static(self.header(d), id="case-header"), Static(self.flags(d), id="case-flags")]
        if self.error:  # a reload failed: the case as last read, and why it may be out of date
            parts.insert(0, Static(self.error, id="case-error", markup=False))
        parts += [Static(self.person(person), classes="case-person") for person in d.people]
        parts += [Static(self.request(d), id="case-request"),
                  Static(self.t("case.timeline"), classes="case-section", markup=False)]
        parts += [Static(self.event(event), classes="case-event") for event in d.events]
        parts.append(Static(self.actions_line(d), id="case-actions"))
        return parts

    async def redraw_body(self) -> None:
        """Replace only the body (top bar and footer stay): cheaper than a recompose."""
        body = self.query_one("#case-body", VerticalScroll)
        async with body.batch():
            await body.remove_children()
            await body.mount_all(self.body())

    def on_mount(self) -> None:
        if self.detail is None and not self.error:
            self.load()

    # -- text pieces: labels from the catalogue, data appended as plain text ---------------
    def _line(self, text: Text, label: str, value: object) -> None:
        if value in ("", None):
            return
        text.append(f"{self.t(label)}: ", style="bold")
        text.append_text(safe(value))
        text.append("\n")

    def header(self, d: CaseDetail) -> Text:
        text = Text()
        text.append_text(safe(d.ticket_no, "bold reverse"))
        text.append(f"  {self.t(f'status.{d.status}')}  ·  {self.t(f'category.{d.category}')}  ·  "
                    f"{self.t(f'queue.urgency_{d.urgency}')}\n")
        text.append(f"{self.t('case.received_at')}: {format_be_datetime(d.created_at)}   "
                    f"{self.t('case.assigned')}: ")
        text.append_text(safe(d.assigned_to or "—"))
        return text

    def flags(self, d: CaseDetail) -> Text:
        """What the citizen said about vulnerability, whether they gave PDPA s.26 consent for the
        health flags, and the legal basis the case is kept on."""
        text = Text()
        text.append(f"{self.t('case.vulnerabilities')}: ", style="bold")
        labels = [self.label(f"intake.vuln_{v}", v) for v in d.vulnerabilities]
        text.append(", ".join(labels) if labels else self.t("case.no_vulnerabilities"),
                    style="bold yellow" if labels else "")
        text.append(f"\n{self.t('case.sensitive_consent')}: ", style="bold")
        text.append(self.t("case.consent_given" if d.sensitive_consent else "case.consent_not_given"))
        text.append(f"\n{self.t('case.legal_basis')}: ", style="bold")
        text.append_text(safe(self.label(f"case.basis_{case_view.basis_name(d.legal_basis)}", d.legal_basis)))
        return text

    def label(self, key: str, raw: str) -> str:
        """A stored key's label; a key this program does not know shows as itself."""
        return self.t(key) if has(key) else raw

    def person(self, p) -> Text:
        text = Text()
        text.append(f"{self.t(f'case.person_{p.role}')}: ", style="bold")
        text.append_text(safe(p.full_name))
        text.append("\n")
        self._line(text, "case.document", f"{self.t(f'case.doc_{p.doc_type}')} {p.doc_number_text}".strip()
                   if p.doc_type in ("national_id", "passport", "pink_card", "other", "none") else p.doc_number)
        self._line(text, "case.birth_date", format_be_date(p.birth_date) if p.birth_date else "")
        self._line(text, "case.phone", p.phone_text)
        self._line(text, "case.address", house_text(p))
        text.rstrip()
        return text

    def request(self, d: CaseDetail) -> Text:
        text = Text()
        self._line(text, "case.description", d.description)
        self._line(text, "case.help_requested", d.help_requested)
        self._line(text, "case.help_received", d.help_received)
        self._line(text, "case.household", d.household_size)
        self._line(text, "case.occurred_on", format_be_date(d.occurred_on) if d.occurred_on else "")
        self._line(text, "case.channel", self.t(f"channel.{d.channel}") if has(f"channel.{d.channel}") else d.channel)
        text.rstrip()
        return text

    def event(self, e) -> Text:
        text = Text()
        text.append(format_be_datetime(e.at), style="bold")
        text.append("  ")
        text.append_text(safe(e.actor or "—"))
        known = e.action in ACTIONS or e.action in EVENTS  # an older program's step shows as its key
        text.append(f"  {self.t(f'workflow.{e.action}') if known else e.action}")
        if e.to_status and e.from_status != e.to_status:
            text.append(f"  → {self.t(f'status.{e.to_status}')}")
        text.append("\n")
        data = json.loads(e.data) if e.data.startswith("{") else {}
        for f in ACTIONS[e.action].fields if e.action in ACTIONS else ():
            if data.get(f.name):
                value = data[f.name]
                if f.kind == "referral_target":  # the LAO's or agency's name as it was then, not its key
                    value = (data.get("refer_to_name_en") if self.app.lang == "en" else "") \
                        or data.get("refer_to_name") or value
                self._line(text, f"workflow.{f.name}", self.shown(f, value))
        if isinstance(data.get("limit"), dict):
            text.append_text(self.limit_line(data["limit"]))
        if e.public_note:
            text.append(f"  {self.t('case.public_note')}: ", style="bold green")
            text.append_text(safe(e.public_note))
            text.append("\n")
        if e.internal_note:
            text.append(f"  {self.t('case.internal_note')}: ", style="bold yellow")
            text.append_text(safe(e.internal_note))
            text.append("\n")
        text.rstrip()
        return text

    def limit_line(self, limit: dict) -> Text:
        """The regulation's limit the help was held to, and "over the limit" when it went over."""
        per_time = limit.get("per_time")
        line = self.t("workflow.limit_line", per_time=f"{Decimal(per_time):,.2f}" if per_time else "—",
                      times=limit.get("times_per_year") or "—", fiscal_year=limit.get("fiscal_year", ""),
                      used=limit.get("used", 0))
        text = Text(f"  {line}")
        if limit.get("over"):
            text.append(f"  {self.t('workflow.limit_over')}", style="bold red")
        text.append("\n")
        return text

    @staticmethod
    def shown(f: Field, value: str) -> str:
        """A stored field value as staff read it: a date in BE (วว/ดด/ปปปป, as its label says), an
        amount with its Thai words."""
        if f.kind in ("date", "due_date"):
            try:
                return format_be_date(date.fromisoformat(value))
            except ValueError:  # not a date this program wrote: as stored
                return value
        if f.kind != "amount":
            return value
        amount = Decimal(value)
        return f"{amount:,.2f} ({amount_words(amount)})"

    def actions_line(self, d: CaseDetail) -> Text:
        if d.read_only:  # referred out by the viewer's LAO: it reads, the receiving LAO acts
            name = (d.held_by[1] if self.app.lang == "en" and d.held_by[1] else "") or d.held_by[0]
            return Text(self.t("case.held_by", lao=name), style="italic")
        names = ", ".join(self.t(f"workflow.{a}") for a in d.actions) or self.t("case.no_actions")
        return Text(f"{self.t('case.allowed')}: {names}")

    # -- loading and actions --------------------------------------------------------------
    @service_work(done="loaded", failed="failed", group="case")
    def load(self) -> CaseDetail:
        return case_view.case_detail(self.app.actor, self.case_id)

    async def loaded(self, detail: CaseDetail) -> None:
        self.detail, self.error = detail, ""
        await self.redraw_body()
        self.refresh_bindings()

    async def failed(self, exc: KioskError) -> None:
        self.error = self.app.error_text(exc)
        await self.redraw_body()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_reload(self) -> None:
        self.load()

    def action_actions(self) -> None:
        if self.detail is None:
            return
        actions = self.detail.actions

        def steps() -> list[tuple[str, str]]:
            return [(self.t(f"workflow.{a}"), a) for a in actions]

        self.app.push_screen(PickDialog(steps, title="case.choose_action", empty="case.no_actions",
                                        list_id="action-list"), self.step_picked)

    def step_picked(self, picked: tuple[str] | None) -> None:
        if picked is not None:
            self.open_action(picked[0])

    def open_action(self, action: str) -> None:
        if self.detail is None:
            return
        from .case_action import CaseActionScreen

        self.app.push_screen(CaseActionScreen(self.detail, action), self.after_action)

    def after_action(self, result: str | None) -> None:
        if result:
            self.app.notify(result, markup=False)
        self.load()

    # -- paper: the request form, and the voucher once help was handed over ------------------
    def form_kinds(self) -> list[tuple[str, str]]:
        kinds = [(self.t("forms.request_title"), "request")]
        if self.detail is not None and any(e.action == "deliver" for e in self.detail.events):
            kinds.append((self.t("forms.voucher_title"), "voucher"))
        return kinds

    def action_print_form(self) -> None:
        if self.detail is None:
            return
        self.app.push_screen(PickDialog(self.form_kinds, title="case.choose_form", list_id="form-list"),
                             self.form_picked)

    def form_picked(self, picked: tuple[str] | None) -> None:
        if picked is not None and self.detail is not None:
            self.print_form(picked[0])

    @service_work(done="form_printed", failed="form_failed", group="case-form")
    def print_form(self, kind: str):
        settings = self.app.settings
        return paperwork.form(self.app.actor, settings, self.case_id, kind, paperwork.forms_folder(settings))

    def form_printed(self, path) -> None:
        self.app.notify(self.t("forms.written", path=str(path)), markup=False, timeout=15)

    def form_failed(self, exc: KioskError) -> None:
        self.app.notify(self.app.error_text(exc), markup=False, severity="error", timeout=15)

    # -- the same person twice (supervisors; the services refuse anyone else) ------------
    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("actions", "print_form", "duplicates") and self.detail is not None and self.detail.read_only:
            return False  # read only: the LAO it was referred to acts on it (and prints its papers)
        if action == "duplicates":
            actor = self.app.actor
            return actor is not None and actor.at_least("supervisor") and self.detail is not None
        return True

    def action_duplicates(self) -> None:
        if not self.check_action("duplicates", ()):
            return
        from .merge import MergeScreen

        self.app.push_screen(MergeScreen([p.id for p in self.detail.people], self.detail.ticket_no), self.after_action)

    def palette_commands(self):
        if self.detail is None:
            return []
        cmds = [(self.t(f"workflow.{a}"), (lambda a=a: self.open_action(a)), self.detail.ticket_no)
                for a in self.detail.actions]
        if self.detail.read_only:
            return cmds
        cmds += [(label, (lambda k=kind: self.print_form(k)), self.detail.ticket_no) for label, kind in self.form_kinds()]
        if self.check_action("duplicates", ()):
            cmds.append((self.t("merge.key_open"), self.action_duplicates, self.detail.ticket_no))
        return cmds


def house_text(p) -> str:
    """A stored person's house number, หมู่ที่, village, ซอย and ถนน as addresses are written."""
    return format_house_thai(Address(p.house_no or None, p.moo, p.village, p.soi, p.road))
