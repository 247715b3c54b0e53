"""Step 8: everything on one page to check, then Confirm stores the request (off the UI thread)
and the receipt replaces the wizard. Typed text is shown as plain text, never as markup."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from kiosk.errors import KioskError
from kiosk.services import intake
from kiosk.text import clean_text
from kiosk.thai.addresses import Address, format_house_thai, parse_moo
from kiosk.thai.names import full_name
from kiosk.thai.phones import format_phone_thai, parse_phone

from ..faults import service_work
from .contact import place_text
from .wizard import StepScreen


def house_text(house_no: str, moo: str, village: str = "", soi: str = "", road: str = "") -> str:
    """House number, หมู่ที่, village, ซอย, ถนน as the address formatter writes them (the steps
    before review already validated these fields)."""
    try:
        moo_no = parse_moo(moo)
    except KioskError:
        moo_no = None
    return format_house_thai(Address(house_no.strip() or None, moo_no, village, soi, road))


class ReviewStep(StepScreen):
    FIRST_FOCUS = "nav-next"

    def next_label(self) -> str:
        return self.t("intake.confirm")

    def lines(self) -> list[tuple[str, str]]:
        f, t = self.form, self.t
        name = full_name(f.prefix, f.first_name, f.last_name)
        doc = t(f"intake.doc_{f.doc_type}") + (f" {f.doc_number.strip()}" if f.doc_number.strip() else "")
        try:
            phone = format_phone_thai(parse_phone(f.phone).e164) if f.phone.strip() else t("intake.none")
        except KioskError:
            phone = f.phone
        address = " ".join(p for p in (house_text(f.house_no, f.moo, f.village, f.soi, f.road),
                                       place_text(f.subdistrict_code)) if p)
        if f.subject_is_requester:
            subject = t("intake.review_same")
        else:
            subject = " ".join(p for p in (full_name(f.subject_prefix, f.subject_first_name, f.subject_last_name),
                                           f"({t('intake.rel_' + f.relationship)})"
                                           if f.relationship else "", house_text(f.subject_house_no, f.subject_moo)) if p)
        vulnerable = ", ".join(t(f"intake.vuln_{v}") for v in intake.VULNERABILITIES if v in f.vulnerabilities)
        basis = "intake.basis_with_consent" if f.vulnerabilities & set(intake.HEALTH) else "intake.basis_public_task"
        none = t("intake.none")
        return [
            (t("intake.review_category"), f"{t('category.' + f.area)} — {t('category.' + f.subtype)}"),
            (t("intake.review_requester"), name),
            (t("intake.doc_type"), doc),
            (t("intake.birth_date"), f.birth_date.strip() or none),
            (t("intake.phone"), phone),
            (t("intake.review_address"), address),
            (t("intake.review_subject"), subject),
            (t("intake.description"), clean_text(f.description, intake.LONG_MAX, multiline=True)),
            (t("intake.occurred_on"), f.occurred_on.strip() or none),
            (t("intake.household_size"), f.household_size.strip() or none),
            (t("intake.vulnerabilities"), vulnerable or none),
            (t("intake.help_requested"), f.help_requested.strip() or none),
            (t("intake.help_received"), f.help_received.strip() or none),
            (t("intake.urgency"), t(f"intake.urgency_{f.urgency}")),
            (t("intake.review_consent_basis"), t(basis)),
        ]

    def body(self) -> ComposeResult:
        for n, (label, value) in enumerate(self.lines()):
            yield Static(f"{label}: {clean_text(value, 4000, multiline=True)}", id=f"review-{n}",
                         classes="review-line", markup=False)
        yield Static("", id="submit-message", classes="field-error", markup=False)

    submitting = False  # while the request is being stored, the wizard cannot be left

    def action_next(self) -> None:
        if self.submitting:
            return
        step = intake.first_invalid_step(self.form)
        if step is not None:  # something was changed behind our back: show it where it is
            self.state.errors = intake.check_step(step, self.form)
            self.go(intake.STEPS.index(step))
            return
        self.submitting = True
        self.query_one("#nav-next").disabled = True
        self.query_one("#submit-message", Static).update(self.t("intake.sending"))
        self.submit()

    def action_back(self) -> None:
        if not self.submitting:
            super().action_back()

    def action_cancel(self) -> None:
        if not self.submitting:
            super().action_cancel()

    @service_work(done="stored", failed="failed")
    def submit(self):
        return intake.submit(self.app.settings, self.form, actor=self.state.actor)

    def failed(self, exc: KioskError) -> None:
        self.submitting = False
        confirm = self.query_one("#nav-next")
        confirm.disabled = False
        confirm.focus()  # it lost focus while disabled: Enter must confirm again, not go back
        self.query_one("#submit-message", Static).update(self.t("intake.submit_failed", error=self.app.error_text(exc)))

    def stored(self, created) -> None:
        from ..receipt import ReceiptScreen

        if self.app.screen is self:  # never over someone else's screen
            self.app.switch_screen(ReceiptScreen(created, self.form.subtype))
