"""The receipt after an intake: the ticket number in large digits, the date (BE), what happens
next, the centre's phone and hours, and a QR code of the tracking link (black on white, quiet
zone) with the short code. It prints at once (a printer problem is only a message) and can be
saved as PNG/PDF under <home>/receipts. Done, or the idle timer, returns home."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Digits, Static

from kiosk.errors import KioskError
from kiosk.printing import print_receipt
from kiosk.services import receipt as receipt_service
from kiosk.services.cases import CreatedCase
from kiosk.thai.dates import format_be_datetime

from .base import KioskScreen
from .faults import service_work
from .widgets.qr_code import QRCode
from .widgets.top_bar import TopBar


class ReceiptScreen(KioskScreen):
    CSS_PATH = "receipt.tcss"
    AUTO_FOCUS = "#receipt-done"
    BINDINGS = [Binding("escape", "done", show=False)]  # as the hint says: Enter or Esc, back home

    def __init__(self, created: CreatedCase, category: str, *, auto_print: bool = True) -> None:
        super().__init__()
        self.created, self.category = created, category
        self.auto_print = auto_print
        self.print_key = ""  # catalogue key of the last print result
        self.save_message: tuple[str, dict] = ("", {})

    @property
    def receipt(self):
        return receipt_service.build_receipt(self.app.settings, self.created, self.category, self.app.lang)

    def compose(self) -> ComposeResult:
        r = self.receipt
        prefix, _, number = r.ticket_no.partition("-")
        yield TopBar()
        with Horizontal(id="receipt"):
            with VerticalScroll(id="receipt-text", can_focus=False):
                yield Static(self.t("receiptscreen.title"), id="receipt-title", markup=False)
                yield Static(r.label("ticket_no"), classes="receipt-label", markup=False)
                with Horizontal(id="ticket"):
                    yield Static(prefix, id="ticket-prefix", markup=False)
                    yield Digits(number, id="ticket-digits")
                yield Static(r.ticket_no, id="ticket-no", markup=False)
                yield Static(f"{r.label('date')}: {format_be_datetime(self.created.created_at)}", markup=False)
                yield Static(f"{r.label('category')}: {r.category_label}", id="receipt-category", markup=False)
                yield Static(r.label("next_steps"), classes="receipt-label", markup=False)
                yield Static(r.next_steps, id="next-steps", markup=False)
                yield Static(f"{r.label('phone')}: {r.centre_phone}", markup=False)
                yield Static(f"{r.label('hours')}: {r.centre_hours}", markup=False)
                yield Static(self.status_text(), id="print-status", markup=False)
            with Vertical(id="receipt-qr"):
                yield Static(r.label("track"), classes="receipt-label", markup=False)
                yield QRCode(r.tracking_url, id="qr")
                yield Static(f"{r.label('short_code')}: {r.short_code}", id="short-code", markup=False)
                yield Static(self.t("receiptscreen.track_hint", code=r.short_code, menu=self.t("home.track")),
                             id="track-hint", markup=False)
        with Horizontal(id="receipt-buttons"):  # always in sight, under whatever the text needs
            yield Button(self.t("receiptscreen.done"), id="receipt-done", variant="primary")
            if self.app.settings.printer.kind != "none":  # no "print again" with no printer
                yield Button(self.t("receiptscreen.print_again"), id="receipt-print")
            yield Button(self.t("receiptscreen.save"), id="receipt-save")
            yield Static(self.t("receiptscreen.keys_hint"), id="receipt-keys", markup=False)

    def status_text(self) -> str:
        if self.app.settings.printer.kind == "none":
            parts = [self.t("receipt.printer_not_configured")]
        else:
            parts = [self.t(self.print_key)] if self.print_key else []
        if self.save_message[0]:
            parts.append(self.t(self.save_message[0], **self.save_message[1]))
        return "\n".join(parts)

    def on_mount(self) -> None:
        if self.auto_print and self.app.settings.printer.kind != "none":
            self.auto_print = False
            self.print_key = "receiptscreen.printing"
            self.show_status()
            self.print_now()

    def show_status(self) -> None:
        self.query_one("#print-status", Static).update(self.status_text())

    @service_work(done="printed", failed="print_failed", group="print")
    def print_now(self) -> str:
        result = print_receipt(self.receipt, self.app.settings.printer)
        return "receiptscreen.printed" if result.printed else result.key

    def print_failed(self, exc: KioskError) -> None:  # e.g. no Thai font to draw the receipt with
        self.printed(exc.key)

    def printed(self, key: str) -> None:
        self.print_key = key
        self.show_status()

    def action_done(self) -> None:
        self.app.reset_to_home()

    @service_work(done="saved", failed="save_failed", group="save")
    def save_files(self) -> tuple[str, dict]:
        receipt_service.save_receipt_files(self.app.settings, self.receipt)
        return "receiptscreen.saved", {}  # where on this machine is for staff, not the citizen

    def save_failed(self, exc: KioskError) -> None:
        self.saved((exc.key, dict(exc.params)))

    def saved(self, message: tuple[str, dict]) -> None:
        self.save_message = message
        self.show_status()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "receipt-done":
            self.action_done()
        elif event.button.id == "receipt-print":
            self.print_key = "receiptscreen.printing"
            self.show_status()
            self.print_now()
        elif event.button.id == "receipt-save":
            self.save_files()
