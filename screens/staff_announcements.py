"""Staff: write, schedule, pin and retire announcements. Officers and above (the service
refuses others). Open it from the staff console with `app.push_screen(AnnouncementsScreen())`."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Input, Static, TextArea

from kiosk.errors import KioskError
from kiosk.services import announcements as ann
from kiosk.services import scope
from kiosk.thai.dates import format_be_datetime

from .faults import safely
from .widgets import lao_pick
from .widgets.staff_base import StaffFooter, StaffScreen
from .widgets.thai_input import ThaiInput
from .widgets.top_bar import TopBar


class AnnouncementsScreen(StaffScreen):
    """A joint centre's own staff publish a new announcement for the whole centre (the default) or
    for one member LAO (ctrl+g); the line above the form says which, and the list has an LAO
    column. An LAO's officer publishes for their LAO (the service decides: scope.announcement_org)."""

    CSS_PATH = "staff_announcements.tcss"
    BINDINGS = [Binding("escape", "back", "case.key_back"), Binding("ctrl+s", "save", "announce.save"),
                Binding("ctrl+n", "new", "announce.new"), Binding("ctrl+g", "lao", "staff.key_lao")]

    def __init__(self) -> None:
        super().__init__()
        self.selected: int | None = None  # the announcement in the form; None = a new one
        self.draft = {"title": "", "body": "", "starts": "", "ends": ""}
        self.message = ""
        self.org: str | None = None  # a joint centre's own staff: the LAO a new one is for (None: the whole centre)
        self.items: dict[int, ann.AnnouncementView] = {}

    def compose(self) -> ComposeResult:
        yield TopBar()
        with Vertical(id="ann-page"):
            yield Static(self.t("announce.screen_title"), classes="dialog-title", markup=False)
            table = DataTable(id="ann-table", cursor_type="row")
            table.add_columns(self.t("announce.col_title"), self.t("announce.col_state"),
                              self.t("announce.col_starts"), self.t("announce.col_ends"))
            if lao_pick.may_pick(self.app):
                table.add_column(self.t("announce.col_lao"))
            yield table
            if lao_pick.may_pick(self.app):
                yield Static(self.lao_line(), id="ann-lao", markup=False)
            yield Static(self.t("announce.field_title"), markup=False)
            yield ThaiInput(self.draft["title"], id="ann-title", max_length=ann.TITLE_MAX)
            yield Static(self.t("announce.field_body"), markup=False)
            yield TextArea(self.draft["body"], id="ann-body")
            with Horizontal(classes="ann-when"):
                with Vertical():
                    yield Static(self.t("announce.field_starts"), markup=False)
                    yield Input(self.draft["starts"], id="ann-starts")
                with Vertical():
                    yield Static(self.t("announce.field_ends"), markup=False)
                    yield Input(self.draft["ends"], id="ann-ends")
            yield Static(self.message, id="ann-message", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.t("announce.save"), id="ann-save", variant="primary")
                yield Button(self.t("announce.new"), id="ann-new")
                yield Button(self.t("announce.pin"), id="ann-pin")
                yield Button(self.t("announce.retire"), id="ann-retire", variant="error")
                yield Button(self.t("announce.back"), id="ann-back")
        yield StaffFooter()

    def on_mount(self) -> None:
        self.reload()

    async def recompose(self) -> None:
        """Language toggle or "new": the form is drawn from `draft`, then the list is reloaded."""
        await super().recompose()
        self.reload()

    FIELDS = {"ann-title": "title", "ann-body": "body", "ann-starts": "starts", "ann-ends": "ends"}

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id in self.FIELDS:  # what is typed lives in `draft`
            self.draft[self.FIELDS[event.input.id]] = event.value

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id in self.FIELDS:
            self.draft[self.FIELDS[event.text_area.id]] = event.text_area.text

    # -- data ------------------------------------------------------------------------------
    def reload(self) -> None:
        table = self.query_one("#ann-table", DataTable)
        table.clear()
        try:
            self.items = {a.id: a for a in safely(ann.all_for_staff, self.app.actor)}
        except KioskError as exc:
            self.items = {}
            self.say(self.app.error_text(exc))
            return
        for item in self.items.values():
            state = self.t(f"announce.state_{item.state()}")
            if item.pinned:
                state += " · " + self.t("announce.state_pinned")
            cells = [Text(item.title), Text(state), Text(format_be_datetime(item.starts_at)),
                     Text(format_be_datetime(item.ends_at) if item.ends_at else "—")]
            if lao_pick.may_pick(self.app):
                cells.append(Text(item.lao_prefix or self.t("staff.whole_centre")))
            table.add_row(*cells, key=str(item.id))
        self.show_lao()

    def lao_line(self) -> str:
        """Whose announcement the form is: the one being edited keeps its LAO; a new one, the chosen."""
        item = self.items.get(self.selected) if self.selected is not None else None
        if item is not None:
            return self.t("announce.lao_of", lao=lao_pick.lao_name(self.app, item.lao_prefix or None))
        return self.t("announce.lao_new", lao=lao_pick.lao_name(self.app, self.org))

    def show_lao(self) -> None:
        for line in self.query("#ann-lao").results(Static):
            line.update(self.lao_line())

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        item = self.items.get(int(event.row_key.value))
        if item is None:
            return
        self.selected = item.id
        self.query_one("#ann-title", Input).value = item.title
        self.query_one("#ann-body", TextArea).text = item.body
        self.query_one("#ann-starts", Input).value = format_be_datetime(item.starts_at)
        self.query_one("#ann-ends", Input).value = format_be_datetime(item.ends_at) if item.ends_at else ""
        self.query_one("#ann-pin", Button).label = self.t("announce.unpin" if item.pinned else "announce.pin")
        self.show_lao()

    def say(self, text: str) -> None:
        self.message = text
        self.query_one("#ann-message", Static).update(text)

    def act(self, do) -> None:
        """Run a service call; a refusal or a validation error becomes the message line."""
        try:
            result = safely(do)
        except KioskError as exc:
            self.say(self.app.error_text(exc))
            return
        self.selected = result.id
        self.say(self.t("announce.saved"))
        self.reload()

    # -- actions ---------------------------------------------------------------------------
    def action_save(self) -> None:
        def save():
            d, actor = self.draft, self.app.actor
            starts = ann.parse_when(d["starts"], field="starts_at")
            ends = ann.parse_when(d["ends"], field="ends_at")
            if self.selected is None:
                org = scope.writing_lao(actor, self.org).id if self.org else None
                return ann.create(actor, d["title"], d["body"], starts_at=starts, ends_at=ends, organization_id=org)
            current = ann.get(self.selected, self.app.actor)
            return ann.edit(actor, self.selected, title=d["title"], body=d["body"],
                            starts_at=starts or current.starts_at, ends_at=ends)
        self.act(save)

    def action_lao(self) -> None:
        """Choose whose new announcement this is; an existing one keeps its LAO (say so)."""
        if self.selected is not None:
            self.say(self.t("announce.lao_fixed"))
            return
        lao_pick.pick(self, self.lao_chosen, current=self.org, whole_centre=True, title="announce.choose_lao")

    def lao_chosen(self, prefix: str | None) -> None:
        self.org = prefix
        self.show_lao()
        self.query_one("#ann-title", Input).focus()  # next: its title

    def action_new(self) -> None:
        self.selected = None
        self.draft = {"title": "", "body": "", "starts": "", "ends": ""}
        self.message = ""
        self.refresh(recompose=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button = event.button.id
        if button == "ann-save":
            self.action_save()
        elif button == "ann-new":
            self.action_new()
        elif button == "ann-back":
            self.action_back()
        elif self.selected is not None and button == "ann-pin":
            self.act(lambda: ann.set_pinned(self.app.actor, self.selected, not ann.get(self.selected, self.app.actor).pinned))
        elif self.selected is not None and button == "ann-retire":
            self.act(lambda: ann.retire(self.app.actor, self.selected))

    def action_back(self) -> None:
        self.dismiss()
