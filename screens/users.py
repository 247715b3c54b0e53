"""Staff accounts, for admins: list, deactivate/reactivate (`d`), change role (`o`). New
accounts and passwords: `kiosk.py adduser` / `passwd` at the machine."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from kiosk.errors import KioskError
from kiosk.services import staff as staff_service
from kiosk.thai.dates import format_be_datetime

from .widgets.staff_base import StaffFooter, StaffModal, StaffScreen, safe
from .widgets.top_bar import TopBar


class RoleDialog(StaffModal):
    CSS_PATH = "./users.tcss"  # "./": not a catalogue key
    BINDINGS = [Binding("escape", "cancel", "app.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="role-dialog", classes="dialog"):
            yield Static(self.t("users.choose_role"), classes="dialog-title", markup=False)
            yield OptionList(*(Option(Text(self.t(f"role.{r}")), id=r) for r in staff_service.ROLES), id="role-list")
        yield StaffFooter()

    def on_mount(self) -> None:
        options = self.query_one("#role-list", OptionList)
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class UsersScreen(StaffScreen):
    CSS_PATH = "./users.tcss"  # "./": not a catalogue key
    BINDINGS = [Binding("escape", "back", "case.key_back"), Binding("d", "toggle_active", "users.key_active"),
                Binding("o", "role", "users.key_role")]

    def __init__(self) -> None:
        super().__init__()
        self.message = ""

    def compose(self) -> ComposeResult:
        yield TopBar()
        yield Static(self.t("users.title"), id="users-title", markup=False)
        yield DataTable(id="users-table", cursor_type="row", zebra_stripes=True)
        yield Static(self.message, id="users-message", markup=False)
        yield StaffFooter()

    def on_mount(self) -> None:
        self.fill()

    async def recompose(self) -> None:
        await super().recompose()
        self.fill()

    def fill(self) -> None:
        table = self.query_one("#users-table", DataTable)
        try:
            rows = staff_service.list_staff(self.app.actor)
        except KioskError as exc:
            self.say(self.app.error_text(exc))
            return
        cursor = table.cursor_row
        table.clear(columns=True)
        for key in ("username", "name", "role", "active", "last_login"):
            table.add_column(self.t(f"users.col_{key}"), key=key)
        for r in rows:
            state = self.t("users.locked") if r.locked else self.t("users.active" if r.active else "users.inactive")
            table.add_row(safe(r.username), safe(r.full_name, one_line=True), safe(self.t(f"role.{r.role}")),
                          safe(state), safe(format_be_datetime(r.last_login_at) if r.last_login_at else "—"),
                          key=str(r.id))
        table.focus()
        if rows:
            table.move_cursor(row=min(cursor, len(rows) - 1))
        self.rows = {str(r.id): r for r in rows}

    def current(self):
        table = self.query_one("#users-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.rows.get(key)

    def say(self, text: str) -> None:
        self.message = text
        self.query_one("#users-message", Static).update(text)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_toggle_active(self) -> None:
        row = self.current()
        if row is None:
            return
        try:
            staff_service.set_active(self.app.actor, row.id, not row.active)
        except KioskError as exc:
            self.say(self.app.error_text(exc))
            return
        self.say(self.t("users.changed", username=row.username))
        self.fill()

    def action_role(self) -> None:
        row = self.current()
        if row is not None:
            self.app.push_screen(RoleDialog(), lambda role: self.change_role(row, role))

    def change_role(self, row, role: str | None) -> None:
        if not role:
            return
        try:
            staff_service.set_role(self.app.actor, row.id, role)
        except KioskError as exc:
            self.say(self.app.error_text(exc))
            return
        self.say(self.t("users.changed", username=row.username))
        self.fill()

    def palette_commands(self):
        return [(self.t("users.key_active"), self.action_toggle_active, ""),
                (self.t("users.key_role"), self.action_role, "")]
