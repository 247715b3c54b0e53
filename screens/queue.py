"""The case queue: filters on two compact rows, a page of cases in a DataTable (Text cells
only), paging with n/p. Loads off the UI thread; the filter lives in `self.filter`, so a
language switch re-draws the same page. The list filters are `Choice` buttons whose options open
in a small menu only when asked for: four Selects cost ~20 widgets, styled on every open."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Checkbox, DataTable, Input, Static

from kiosk.errors import KioskError
from kiosk.services import queue as queue_service
from kiosk.services.queue import Cursor, QueueFilter, QueuePage
from kiosk.thai.dates import format_be_date
from kiosk.thai.digits import to_arabic_digits

from .faults import safely, service_work
from .widgets.pick import PickDialog
from .widgets.staff_base import StaffFooter, StaffScreen, safe, visible
from .widgets.top_bar import TopBar

# the person right after the ticket: at 80 columns the table scrolls sideways, and who it is
# must never be what scrolled out of sight
COLUMNS = ("ticket", "name", "status", "category", "moo", "days", "urgency", "assigned", "received")
NARROW_WIDTHS = {"status": 14, "category": 14}  # under 120 columns: long labels cut, the rest shown


class Choice(Button):
    """One button showing the chosen option (or `prompt` for none); Enter or a click opens the
    options in a `PickDialog`. Setting `value` posts `Choice.Changed`, as a Select would."""

    class Changed(Message):
        def __init__(self, choice: Choice, value: str | None) -> None:
            super().__init__()
            self.choice, self.value = choice, value

        @property
        def control(self) -> Choice:
            return self.choice

    def __init__(self, options: list[tuple[str, str]], *, value: str | None, prompt: str | None = None,
                 id: str) -> None:
        self.options, self.prompt = options, prompt
        known = {v for _label, v in options}
        self._value = value if value in known else (None if prompt is not None else options[0][1])
        super().__init__(self._label(), id=id, compact=True)

    def _label(self) -> Content:
        text = dict((v, label) for label, v in self.options).get(self._value, self.prompt or "")
        return Content(f"{text.strip(' ·')} ▾")

    @property
    def value(self) -> str | None:
        return self._value

    @value.setter
    def value(self, value: str | None) -> None:
        if value != self._value:
            self._value = value
            self.label = self._label()
            self.post_message(self.Changed(self, value))

    def clear(self) -> None:
        self.value = None

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        menu = ([(self.prompt, None)] if self.prompt is not None else []) + list(self.options)
        self.app.push_screen(PickDialog(menu, current=self._value, list_id="choice-list"), self._chosen)

    def _chosen(self, picked: tuple[str | None] | None) -> None:
        if picked is not None:
            self.value = picked[0]
        self.focus()


def whole_number(text: str) -> int | None:
    """A filter number typed in Thai or Arabic digits; None while the box is empty or not a number."""
    digits = to_arabic_digits(text)
    return int(digits) if digits.isascii() and digits.isdigit() else None


class QueueScreen(StaffScreen):
    CSS_PATH = "./queue.tcss"  # "./": not a catalogue key
    BINDINGS = [
        Binding("n", "page(1)", "queue.key_next"),
        Binding("p", "page(-1)", "queue.key_prev"),
        Binding("slash", "focus_search", "queue.key_search"),
        Binding("s", "cycle_sort", "queue.key_sort"),
        Binding("c", "clear", "queue.key_clear"),
        Binding("r", "reload", "queue.key_reload", show=False),
        Binding("u", "users", "users.title"),
        Binding("g", "audit", "audit.title"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filter = QueueFilter(status="open")
        self.page_no = 0
        self.cursor: Cursor | None = None  # how the page shown was read: reloads read it the same way
        self.result: QueuePage | None = None
        self.message = ""
        self._shown: list[tuple[str, tuple]] = []  # the rows drawn in `_shown_in`, as `cells` made them
        self._shown_in: DataTable | None = None
        self._labels: dict[str, str] = {}  # catalogue key → text, for the current language
        self._dates: dict = {}  # date → Buddhist Era text
        self._mounted = False  # the first page may arrive before the table is there
        self._resumed = False  # the first resume is the opening, which loads in `compose`

    # -- drawing --------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        if self.result is None:
            self.load_first()
        f = self.filter
        yield TopBar()
        with Horizontal(id="queue-row1", classes="queue-filters"):
            yield Input(f.query, placeholder=self.t("queue.search"), id="q-query", compact=True)
            yield Choice([(self.t("queue.status_open"), "open"), (self.t("queue.status_overdue"), "overdue"),
                          (self.t("queue.status_referred_out"), "referred_out"),
                          *((self.t(f"status.{s}"), s) for s in queue_service.statuses())],
                         prompt=self.t("queue.status_any"),
                         value="overdue" if f.overdue else "referred_out" if f.referred_out else (f.status or None),
                         id="q-status")
            yield Choice([(self.t(f"queue.sort_{s}"), s) for s in queue_service.SORTS], value=f.sort, id="q-sort")
        with Horizontal(id="queue-row2", classes="queue-filters"):
            options = []
            for area, subs in queue_service.areas():
                options.append((self.t(f"category.{area}"), f"area:{area}"))
                options.extend((" · " + self.t(f"category.{s}"), f"sub:{s}") for s in subs)
            chosen = f"sub:{f.subtype}" if f.subtype else (f"area:{f.area}" if f.area else None)
            yield Choice(options, prompt=self.t("queue.category_any"), value=chosen, id="q-category")
            yield Choice([(self.t(f"queue.urgency_{u}"), u) for u in queue_service.URGENCIES],
                         prompt=self.t("queue.urgency_any"), value=f.urgency or None, id="q-urgency")
            yield Choice(self.flag_options(), prompt=self.t("queue.flags_any"), value=self.flag_value(), id="q-flags")
            yield Input("" if f.moo is None else str(f.moo), placeholder=self.t("queue.moo"), id="q-moo",
                        restrict=r"[0-9๐-๙]*", max_length=2, compact=True)
            yield Input("" if f.older_than_days is None else str(f.older_than_days),
                        placeholder=self.t("queue.days"), id="q-days", restrict=r"[0-9๐-๙]*", max_length=4,
                        compact=True)
            yield Checkbox(self.t("queue.mine"), f.mine, id="q-mine", compact=True)
        table = DataTable(id="queue-table", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static(self.message, id="queue-pager", markup=False)
        yield StaffFooter()

    def flag_options(self) -> list[tuple[str, str]]:
        """Vulnerability flags (any, or one) and the PDPA s.26 consent, as one list."""
        return [(self.t("queue.flags_some"), "vuln:any"),
                *((" · " + self.t(f"intake.vuln_{v}"), f"vuln:{v}") for v in queue_service.vulnerabilities()),
                (self.t("queue.consent_yes"), "consent:yes"), (self.t("queue.consent_no"), "consent:no")]

    def flag_value(self) -> str | None:
        f = self.filter
        if f.vulnerability:
            return f"vuln:{f.vulnerability}"
        if f.sensitive_consent is not None:
            return "consent:yes" if f.sensitive_consent else "consent:no"
        return None

    def on_mount(self) -> None:
        self._mounted = True
        self.query_one(DataTable).focus()
        if self.result is not None:
            self.show(self.result)  # loaded before the table was there

    def on_screen_resume(self) -> None:
        if self._resumed:
            self.load()  # a case may have changed while it was open
        self._resumed = True

    async def recompose(self) -> None:
        self._labels.clear()  # the language may have changed
        await super().recompose()
        if self.result is not None:
            self.show(self.result)

    # -- loading --------------------------------------------------------------------------
    def load_first(self) -> None:
        """The first page of a new screen, here and now: the default filter's page takes ~3 ms
        at 100,000 cases, while a worker thread contending with the mounting widgets for the GIL
        takes 30–100 ms and costs an extra frame with an empty table."""
        try:
            self.result = safely(queue_service.list_cases, self.app.actor, self.filter, self.page_no)
        except KioskError as exc:
            self.message = self.app.error_text(exc)

    @service_work(done="show", failed="load_failed", group="queue")
    def load(self) -> QueuePage:
        return queue_service.list_cases(self.app.actor, self.filter, self.page_no, cursor=self.cursor)

    def load_failed(self, exc: KioskError) -> None:
        self.show_error(self.app.error_text(exc))

    def show(self, result: QueuePage) -> None:
        self.result, self.page_no = result, result.page
        if result.page == 0:
            self.cursor = None  # the top, read from the start (also when a previous page came back short)
        if not self._mounted or not self.query("#queue-pager"):
            return  # not mounted yet or mid-recompose: `on_mount`/`recompose` show self.result
        table = self.query_one("#queue-table", DataTable)
        if not table.columns:
            narrow = self.app.size.width < 120
            for key in COLUMNS:
                table.add_column(self.t(f"queue.col_{key}"), key=key,
                                 width=NARROW_WIDTHS.get(key) if narrow else None)
        self.fill(table, [(str(row.id), self.cells(row)) for row in result.rows])
        total = f"{min(result.total, queue_service.COUNT_CAP):,}" + ("+" if result.capped else "")
        self.message = self.t("queue.pager", page=result.page + 1, pages=result.pages, total=total)
        self.query_one("#queue-pager", Static).update(self.message)

    def cells(self, row) -> tuple[tuple[str, str], ...]:
        """(text, style) per column; labels and dates are worked out once per distinct value."""
        label, date = self._labels, self._dates
        if row.created_at.date() not in date:
            date[row.created_at.date()] = format_be_date(row.created_at.date())
        for key in (f"status.{row.status}", f"category.{row.category}", f"queue.urgency_{row.urgency}"):
            if key not in label:
                label[key] = self.t(key)
        if row.overdue and "queue.overdue_marker" not in label:
            label["queue.overdue_marker"] = self.t("queue.overdue_marker")
        status = (f"{label['queue.overdue_marker']} {label[f'status.{row.status}']}", "bold red") if row.overdue \
            else (label[f"status.{row.status}"], "")
        if row.held_by:  # referred out by the viewer's LAO: where it is now (read only there)
            status = (f"→{row.held_by} {status[0]}", status[1] or "italic")
        return ((row.ticket_no, ""), (" ".join(visible(row.subject_name).split()), ""),
                status, (label[f"category.{row.category}"], ""),
                ("" if row.moo is None else str(row.moo), ""),
                (str(queue_service.waiting_days(row.created_at)), ""),
                (label[f"queue.urgency_{row.urgency}"], "bold" if row.urgency != "normal" else ""),
                (row.assigned_to, ""), (date[row.created_at.date()], ""))

    def fill(self, table: DataTable, rows: list[tuple[str, tuple]]) -> None:
        """Show `rows` in the table, touching only what changed: the same page again (back from a
        case, reload) repaints nothing, a changed cell repaints its row; only a different set of
        rows is re-added (which makes the table render every visible cell anew)."""
        shown = self._shown if self._shown_in is table else []
        if [key for key, _ in shown] == [key for key, _ in rows]:
            for (key, new), (_key, old) in zip(rows, shown):
                for column, cell, before in zip(COLUMNS, new, old):
                    if cell != before:
                        table.update_cell(key, column, safe(*cell))
        else:
            table.clear()
            for key, cells in rows:
                table.add_row(*(safe(*cell) for cell in cells), key=key)
        self._shown, self._shown_in = rows, table

    def show_error(self, text: str) -> None:
        self.message = text
        for pager in self.query("#queue-pager"):
            pager.update(text)

    # -- filters --------------------------------------------------------------------------
    def apply(self, **changes) -> None:
        self.filter = self.filter.with_(**changes)
        self.page_no, self.cursor = 0, None
        self.load()

    @on(Input.Submitted, "#q-query")
    def query_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.apply(query=event.value)
        self.query_one(DataTable).focus()

    @on(Input.Changed, "#q-moo")
    def moo_changed(self, event: Input.Changed) -> None:
        moo = whole_number(event.value)
        if moo != self.filter.moo:
            self.apply(moo=moo)

    @on(Input.Changed, "#q-days")
    def days_changed(self, event: Input.Changed) -> None:
        days = whole_number(event.value)
        if days != self.filter.older_than_days:
            self.apply(older_than_days=days)

    @on(Choice.Changed)
    def choice_changed(self, event: Choice.Changed) -> None:
        value = event.value
        if event.choice.id == "q-status" and value == "overdue":  # referrals past their reply's due date
            if not self.filter.overdue:
                self.apply(status="", overdue=True, referred_out=False)
        elif event.choice.id == "q-status" and value == "referred_out":  # what this LAO passed on (read only)
            if not self.filter.referred_out:
                self.apply(status="", overdue=False, referred_out=True)
        elif event.choice.id == "q-status" and ((value or "") != self.filter.status or self.filter.overdue
                                                or self.filter.referred_out):
            self.apply(status=value or "", overdue=False, referred_out=False)
        elif event.choice.id == "q-urgency" and (value or "") != self.filter.urgency:
            self.apply(urgency=value or "")
        elif event.choice.id == "q-sort" and value and value != self.filter.sort:
            self.apply(sort=value)
        elif event.choice.id == "q-flags":
            kind, _, key = (value or ":").partition(":")
            vulnerability = key if kind == "vuln" else ""
            consent = {"yes": True, "no": False}.get(key) if kind == "consent" else None
            if (vulnerability, consent) != (self.filter.vulnerability, self.filter.sensitive_consent):
                self.apply(vulnerability=vulnerability, sensitive_consent=consent)
        elif event.choice.id == "q-category":
            kind, _, key = (value or ":").partition(":")
            area, sub = (key, "") if kind == "area" else ("", key if kind == "sub" else "")
            if (area, sub) != (self.filter.area, self.filter.subtype):
                self.apply(area=area, subtype=sub)

    @on(Checkbox.Changed, "#q-mine")
    def mine_changed(self, event: Checkbox.Changed) -> None:
        if event.value != self.filter.mine:
            self.apply(mine=event.value)

    @on(DataTable.RowSelected, "#queue-table")
    def row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.app.open_case(int(event.row_key.value))

    # -- actions --------------------------------------------------------------------------
    def action_page(self, step: int) -> None:
        if self.result is None:
            return
        target = max(0, min(self.result.pages - 1, self.page_no + step))
        if target != self.page_no:  # page 0 is read from the top: cases added meanwhile show there
            self.cursor = None if target == 0 else self.result.next() if step > 0 else self.result.previous()
            self.page_no = target
            self.load()

    def action_focus_search(self) -> None:
        self.query_one("#q-query", Input).focus()

    def action_cycle_sort(self) -> None:
        sorts = queue_service.SORTS
        self.query_one("#q-sort", Choice).value = sorts[(sorts.index(self.filter.sort) + 1) % len(sorts)]

    def action_clear(self) -> None:
        self.filter, self.page_no, self.cursor = QueueFilter(status="open"), 0, None
        self.refresh(recompose=True)
        self.load()

    def action_reload(self) -> None:
        self.load()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("users", "audit"):
            return bool(self.app.actor and self.app.actor.at_least("admin"))
        return True

    def action_users(self) -> None:
        self.app.open_users()

    def action_audit(self) -> None:
        self.app.open_audit()

    def palette_commands(self):
        cmds = [(self.t("queue.cmd_mine"), lambda: self.apply(mine=True), ""),
                (self.t("queue.cmd_urgent"), lambda: self.apply(sort="urgency"), ""),
                (self.t("queue.cmd_waiting"), lambda: self.apply(older_than_days=30), ""),
                (self.t("queue.key_clear"), self.action_clear, ""),
                (self.t("login.logout"), self.app.action_logout, "")]
        if self.app.actor and self.app.actor.at_least("admin"):
            cmds += [(self.t("users.title"), self.app.open_users, ""), (self.t("audit.title"), self.app.open_audit, "")]
        return cmds
