"""The audit trail for admins: newest first, filtered by action prefix, username or target,
a page at a time (n/p)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Static

from kiosk.errors import KioskError
from kiosk.services import audit_view
from kiosk.thai.dates import format_be_datetime

from .faults import service_work
from .widgets.staff_base import StaffFooter, StaffScreen, safe
from .widgets.top_bar import TopBar

FILTERS = ("action", "who", "target")
COLUMNS = ("at", "who", "action", "target", "detail", "client")


class AuditScreen(StaffScreen):
    CSS_PATH = "audit_view.tcss"
    BINDINGS = [Binding("escape", "back", "case.key_back"), Binding("n", "page(1)", "queue.key_next"),
                Binding("p", "page(-1)", "queue.key_prev")]

    def __init__(self) -> None:
        super().__init__()
        self.filters = dict.fromkeys(FILTERS, "")
        self.page_no, self.total, self.message = 0, 0, ""

    def compose(self) -> ComposeResult:
        yield TopBar()
        with Horizontal(id="audit-filters"):
            for name in FILTERS:
                yield Input(self.filters[name], placeholder=self.t(f"audit.filter_{name}"), id=f"a-{name}",
                            compact=True, max_length=60)
        yield DataTable(id="audit-table", cursor_type="row", zebra_stripes=True)
        yield Static(self.message, id="audit-pager", markup=False)
        yield StaffFooter()

    def on_mount(self) -> None:
        self.fill()
        self.query_one(DataTable).focus()

    async def recompose(self) -> None:
        await super().recompose()
        self.fill()

    @on(Input.Submitted)
    def filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.filters[(event.input.id or "").removeprefix("a-")] = event.value
        self.page_no = 0
        self.fill()
        self.query_one(DataTable).focus()

    @service_work(done="show", failed="refused", group="audit")
    def fill(self) -> tuple[list, int]:
        """Read one page off the UI thread (the log grows with every case view)."""
        return audit_view.list_entries(self.app.actor, page=self.page_no, **self.filters)

    def refused(self, exc: KioskError) -> None:
        self.message = self.app.error_text(exc)
        self.query_one("#audit-pager", Static).update(self.message)

    def show(self, page: tuple[list, int]) -> None:
        rows, total = page
        self.total = total
        table = self.query_one("#audit-table", DataTable)
        table.clear(columns=True)
        for key in COLUMNS:
            table.add_column(self.t(f"audit.col_{key}"), key=key)
        for r in rows:
            table.add_row(safe(format_be_datetime(r.at)), safe(r.actor), safe(r.action), safe(r.target),
                          safe(r.detail, one_line=True), safe(r.client))
        pages = max(1, -(-self.total // audit_view.PAGE_SIZE))
        self.message = self.t("queue.pager", page=self.page_no + 1, pages=pages, total=f"{self.total:,}")
        self.query_one("#audit-pager", Static).update(self.message)

    def action_page(self, step: int) -> None:
        pages = max(1, -(-self.total // audit_view.PAGE_SIZE))
        target = max(0, min(pages - 1, self.page_no + step))
        if target != self.page_no:
            self.page_no = target
            self.fill()

    def action_back(self) -> None:
        self.app.pop_screen()
