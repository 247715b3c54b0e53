"""The INFO dashboard (officers and above): days left to the next 5th, a month's records not yet
entered in DLA's INFO system, its totals, the help delivered in figures and Thai words, and twelve
months of requests by area as bars drawn in the terminal. A whole month is marked as entered (m)
or the marks undone (u); p and n go to the month before or after."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from kiosk.errors import KioskError
from kiosk.services import info_report
from kiosk.services.info_report import AREAS, Dashboard, Month
from kiosk.thai.dates import format_be_date

from .faults import service_work
from .widgets.staff_base import StaffFooter, StaffScreen, safe
from .widgets.top_bar import TopBar

# one colour per area, readable on the dark and the light theme and in 256 colours
AREA_COLOURS = ("dodger_blue2", "dark_orange", "green3", "red3", "medium_purple", "tan")
BAR_HEIGHT = 6
BAR_WIDTH = 6  # 12 months × 6 cells: 72 columns, inside 80


def bar_chart(history: list[tuple[Month, dict[str, int]]], legend: list[str], lang: str,
              height: int = BAR_HEIGHT) -> Text:
    """Stacked bars, one a month, one colour an area; the month's total under its name. Plain
    Text: no markup is parsed, whatever the labels hold."""
    totals = [sum(counts.values()) for _m, counts in history]
    most = max([*totals, 1])
    columns = []  # per month: the colour of each row from the bottom (None: empty)
    for (_m, counts), total in zip(history, totals, strict=True):
        cells: list[str | None] = []
        running = 0
        for area, colour in zip(AREAS, AREA_COLOURS, strict=True):
            running += counts.get(area, 0)
            top = round(running * height / most)
            cells += [colour] * (top - len(cells))
        if total and not cells:
            cells = [AREA_COLOURS[next(i for i, a in enumerate(AREAS) if counts.get(a))]]  # a small month shows
        columns.append(cells)
    out = Text(end="")
    for row in range(height - 1, -1, -1):
        for cells in columns:
            out.append(" ")
            out.append("█" * (BAR_WIDTH - 2) if row < len(cells) else " " * (BAR_WIDTH - 2),
                       style=cells[row] if row < len(cells) else "")
            out.append(" ")
        out.append("\n")
    for m, _c in history:
        out.append(m.short(lang).split(" ")[0].center(BAR_WIDTH)[:BAR_WIDTH])
    out.append("\n")
    for total in totals:
        out.append(str(total).center(BAR_WIDTH), style="bold")
    out.append("\n")
    for label, colour in zip(legend, AREA_COLOURS, strict=True):
        out.append("█ ", style=colour)
        out.append(label + "  ")
    return out


def reminder_text(screen, due: info_report.Reminder) -> str:
    """The reminder line of the staff home and the counter's staff gate, in the screen's language."""
    lang = screen.app.lang
    when = format_be_date(due.deadline, "long") if lang == "th" else format_be_date(due.deadline)
    return screen.t("inforeport.reminder", month=due.month.name(lang), backlog=due.backlog, date=when,
                    days=due.days_left)


class InfoReportScreen(StaffScreen):
    CSS_PATH = "info_report.tcss"
    BINDINGS = [Binding("escape", "back", "case.key_back"),
                Binding("p", "month(-1)", "inforeport.key_prev"),
                Binding("n", "month(1)", "inforeport.key_next"),
                Binding("m", "mark", "inforeport.key_mark"),
                Binding("u", "undo", "inforeport.key_undo"),
                Binding("l", "lao", "inforeport.key_lao")]

    def __init__(self, month: Month | None = None) -> None:
        super().__init__()
        self.month = month
        self.org: str | None = None  # a joint centre's staff: one LAO's report (ticket prefix), None = the whole centre
        self.data: Dashboard | None = None
        self.records: list[info_report.RecordState] = []
        self.total = 0
        self.message = ""

    def compose(self) -> ComposeResult:
        yield TopBar()
        with VerticalScroll(id="info-body"):
            yield Static(self.t("inforeport.loading"), id="info-deadline", markup=False)
            yield Static("", id="info-backlog", markup=False)
            yield Static("", id="info-message", markup=False)
            yield Static("", id="info-helped", markup=False)
            yield Static("", id="info-chart-title", markup=False)
            yield Static("", id="info-chart", markup=False)
            yield Static("", id="info-totals", markup=False)
            yield Static("", id="info-records-title", markup=False)
            yield DataTable(id="info-records", cursor_type="row", zebra_stripes=True)
            yield Static("", id="info-records-more", markup=False)
        yield StaffFooter()

    def on_mount(self) -> None:
        self.load()
        self.query_one("#info-body").focus()

    async def recompose(self) -> None:
        await super().recompose()
        if self.data is not None:
            self.show((self.data, (self.records, self.total)))
        else:  # the first reading failed: a redraw (ctrl+l) tries again
            self.load()

    @service_work(done="show", failed="refused", group="info-report")
    def load(self) -> tuple[Dashboard, tuple[list[info_report.RecordState], int]]:
        data = info_report.dashboard(self.app.actor, self.month, self.org)
        return data, info_report.month_records(self.app.actor, data.figures.month, self.org)

    def refused(self, exc: KioskError) -> None:
        self.query_one("#info-deadline", Static).update(self.app.error_text(exc))

    def show(self, loaded: tuple[Dashboard, tuple[list[info_report.RecordState], int]]) -> None:
        data, (self.records, self.total) = loaded
        self.data, self.month = data, data.figures.month
        t, lang, f = self.t, self.app.lang, data.figures
        b = f.backlog
        deadline = format_be_date(data.deadline, "long") if lang == "th" else format_be_date(data.deadline)
        head = Text(t("inforeport.screen_month", month=f.month.name(lang)), style="bold", end="")
        if self.app.settings.joint:  # whose report: one LAO's, or the whole centre's (l changes it)
            lao = self.app.settings.lao(self.org) if self.org else None
            head.append(" · " + (lao.name(lang) if lao else self.org or t("inforeport.whole_centre")))
        head.append("\n")
        head.append(t("inforeport.deadline_today" if data.days_left == 0 else "inforeport.deadline",
                      date=deadline, days=data.days_left))
        self.query_one("#info-deadline", Static).update(head)
        backlog = Text(t("inforeport.backlog_line", cases=b.cases, surveys=b.surveys, changed=b.cases_changed +
                         b.surveys_changed, entered=b.cases_entered + b.surveys_entered), end="",
                       style="bold yellow" if b.total else "green")
        if data.overdue:
            backlog.append("\n" + t("inforeport.overdue", month=f.month.name(lang), date=format_be_date(
                data.month_deadline, "long") if lang == "th" else format_be_date(data.month_deadline)), style="bold red")
        self.query_one("#info-backlog", Static).update(backlog)
        self.say(self.message)
        helped = Text(t("inforeport.helped_line", people=f.helped.people, times=f.helped.times,
                        baht=f"{f.helped.baht:,.2f}"), style="bold", end="")
        if data.words:
            helped.append(f" ({data.words})", style="")
        self.query_one("#info-helped", Static).update(helped)
        self.query_one("#info-totals", Static).update(self.totals(data))
        self.query_one("#info-chart-title", Static).update(Text(t("inforeport.chart_title"), style="bold"))
        self.query_one("#info-chart", Static).update(
            bar_chart(data.history, [t(f"inforeport.area_short_{a}") for a in AREAS], lang))
        self.show_records()

    def show_records(self) -> None:
        t = self.t
        self.query_one("#info-records-title", Static).update(Text(t("inforeport.records_title"), style="bold"))
        table = self.query_one("#info-records", DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        for key in ("kind", "ref", "what", "on", "state", "by"):
            table.add_column(t(f"inforeport.col_{key}"), key=key)
        styles = {"todo": "bold yellow", "changed": "bold red", "entered": "green"}
        for r in self.records:
            table.add_row(safe(t(f"inforeport.kind_{r.kind}")), safe(r.ref), safe(t(r.what), one_line=True),
                          safe(format_be_date(r.on)), safe(t(f"inforeport.state_{r.state}"), styles[r.state]),
                          safe(r.entered_by), key=f"{r.kind}:{r.id}")
        if self.records:
            table.move_cursor(row=min(row, len(self.records) - 1))
        more = self.query_one("#info-records-more", Static)
        more.update(t("inforeport.records_more", shown=len(self.records), total=self.total)
                    if self.total > len(self.records) else "")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter (or a click) on a record: mark it entered, or undo its mark."""
        event.stop()
        chosen = next((r for r in self.records if f"{r.kind}:{r.id}" == event.row_key.value), None)
        if chosen is not None and self.month is not None:
            self.toggle_record(chosen, self.month)

    @service_work(done="toggled", failed="refused_change", group="info-mark")
    def toggle_record(self, record: info_report.RecordState, month: Month) -> tuple[str, str]:
        if record.state == "entered":
            info_report.undo(self.app.actor, record.kind, [record.id])
            return "inforeport.undone_one", record.ref
        info_report.mark(self.app.actor, record.kind, [record.id], month)
        return "inforeport.marked_one", record.ref

    def toggled(self, result: tuple[str, str]) -> None:
        key, ref = result
        self.message = self.t(key, ref=ref)
        self.load()

    def totals(self, data: Dashboard) -> Text:
        t, f = self.t, data.figures

        def line(title: str, items: list[tuple[str, int]]) -> None:
            out.append(title + ": ", style="bold")
            for i, (label, n) in enumerate(items):
                out.append((" · " if i else "") + label + " ")
                out.append(str(n), style="bold")
            out.append("\n")

        out = Text(end="")
        line(t("inforeport.requests"), [(t("inforeport.all"), f.requests)])
        line(t("inforeport.by_area"), [(t(f"inforeport.area_short_{a}"), n) for a, n in f.by_area.items()])
        line(t("inforeport.by_subtype"), [(t(f"category.{s}"), n) for s, n in f.by_subtype.items()])
        line(t("inforeport.by_status"), [(t(f"status.{s}"), n) for s, n in f.by_status.items()])
        line(t("inforeport.by_channel"), [(t(f"inforeport.channel_{c}"), n) for c, n in f.by_channel.items()])
        line(t("inforeport.by_moo"), [(self.moo(m), n) for m, n in f.by_moo.items()])
        line(t("inforeport.surveys"), [(t("inforeport.all"), f.surveys)] +
             [(self.moo(m), n) for m, n in f.surveys_by_moo.items()])
        out.rstrip()
        return out

    def moo(self, moo: int | None) -> str:
        return self.t("inforeport.moo_short", moo=moo) if moo is not None else self.t("inforeport.moo_unknown")

    def say(self, message: str) -> None:
        line = self.query_one("#info-message", Static)
        line.update(message)
        line.display = bool(message)

    def action_month(self, step: int) -> None:
        shown = self.month or Month.current().shift(-1)  # (none yet when the first reading failed)
        self.month = shown.shift(step)
        self.message = ""
        self.load()

    def action_mark(self) -> None:
        if self.month is not None:
            self.mark_month(self.month)

    def action_undo(self) -> None:
        if self.month is not None:
            self.undo_month(self.month)

    @service_work(done="marked", failed="refused_change", group="info-mark")
    def mark_month(self, month: Month) -> tuple[str, int, int]:
        return ("inforeport.marked", *info_report.mark_month(self.app.actor, month, self.org))

    @service_work(done="marked", failed="refused_change", group="info-mark")
    def undo_month(self, month: Month) -> tuple[str, int, int]:
        return ("inforeport.undone", *info_report.undo_month(self.app.actor, month, self.org))

    def marked(self, result: tuple[str, int, int]) -> None:
        key, cases, surveys = result
        self.message = self.t(key, cases=cases, surveys=surveys)
        self.load()

    def refused_change(self, exc: KioskError) -> None:
        self.message = self.app.error_text(exc)
        self.say(self.message)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "lao":  # only the whole centre's staff of a joint centre choose an LAO
            actor = self.app.actor
            return self.app.settings.joint and actor is not None and actor.lao_ids is None
        return True

    def action_lao(self) -> None:
        """The whole centre, then each member LAO in turn, then the whole centre again."""
        if not self.check_action("lao", ()):
            return
        order = [None, *(lao.ticket_prefix for lao in self.app.settings.laos)]
        self.org = order[(order.index(self.org) + 1) % len(order)] if self.org in order else None
        self.message = ""
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()

    def palette_commands(self):
        return [(self.t("inforeport.key_mark"), self.action_mark, ""),
                (self.t("inforeport.key_undo"), self.action_undo, ""),
                (self.t("inforeport.key_prev"), lambda: self.action_month(-1), ""),
                (self.t("inforeport.key_next"), lambda: self.action_month(1), "")]
