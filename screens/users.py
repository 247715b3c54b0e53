"""Staff accounts, for admins: list, add (`a`), deactivate/reactivate (`d`), change role (`o`),
set a counter PIN (`i`), and in a joint centre of several LAOs the account's LAO (`l`, a column
shows it; with one LAO both stay hidden, as before). Officers and up set their own PIN in the same dialog (SetPinDialog,
from the staff home). Passwords of existing accounts: `kiosk.py passwd` at the machine."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, DataTable, Input, Select, Static

from kiosk.errors import KioskError
from kiosk.services import staff as staff_service
from kiosk.thai.dates import format_be_datetime

from .faults import safely, service_work
from .widgets.next_field import NextFieldInput
from .widgets.pick import PickDialog
from .widgets.staff_base import StaffFooter, StaffModal, StaffScreen, safe
from .widgets.thai_input import ThaiInput
from .widgets.top_bar import TopBar

COLUMNS = ("username", "name", "role", "active", "last_login")  # labels: users.col_<key>


class AddUserDialog(StaffModal):
    """A new account. What was typed lives in `values` (a language toggle re-draws the form);
    the service checks the role and every field, its error keys become the message."""

    CSS_PATH = "./users.tcss"  # "./": not a catalogue key
    BINDINGS = [Binding("escape", "cancel", "app.cancel"), Binding("ctrl+s", "save", "users.save")]
    FIELDS = ("username", "full_name", "role", "password", "password2", "pin")

    def __init__(self) -> None:
        super().__init__()
        self.values = dict.fromkeys(self.FIELDS, "")
        self.values["role"] = "officer"
        self.error = ""

    def compose(self) -> ComposeResult:
        v = self.values
        with VerticalScroll(id="add-user", classes="dialog"):
            yield Static(self.t("users.add_title"), classes="dialog-title", markup=False)
            yield Static(self.t("users.field_username"), markup=False)
            yield Input(v["username"], id="u-username", compact=True, max_length=40)
            yield Static(self.t("users.field_full_name"), markup=False)
            yield ThaiInput(v["full_name"], id="u-full_name", compact=True, max_length=120)
            yield Static(self.t("users.field_role"), markup=False)
            yield Select([(self.t(f"role.{r}"), r) for r in staff_service.ROLES], id="u-role", value=v["role"],
                         allow_blank=False, compact=True)
            yield Static(self.t("users.field_password"), markup=False)
            yield Input(v["password"], id="u-password", password=True, compact=True, max_length=200)
            yield Static(self.t("users.field_password2"), markup=False)
            yield Input(v["password2"], id="u-password2", password=True, compact=True, max_length=200)
            yield Static(self.t("users.field_pin"), markup=False)
            yield Input(v["pin"], id="u-pin", password=True, compact=True, max_length=staff_service.MAX_PIN_DIGITS,
                        restrict=r"[0-9]*")
            yield Static(self.error, id="add-user-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.t("users.save"), id="add-user-save", variant="primary", compact=True)
                yield Button(self.t("app.cancel"), id="add-user-cancel", compact=True)
        yield StaffFooter()

    def on_mount(self) -> None:
        self.query_one("#u-username", Input).focus()

    @on(Input.Changed)
    def remember(self, event: Input.Changed) -> None:
        self.values[(event.input.id or "").removeprefix("u-")] = event.value

    @on(Select.Changed, "#u-role")
    def remember_role(self, event: Select.Changed) -> None:
        self.values["role"] = str(event.value)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save() if event.button.id == "add-user-save" else self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        v = self.values
        if v["password"] != v["password2"]:
            self.show_error(self.t("users.password_mismatch"))
            return
        self.show_error(self.t("users.saving"))
        self.create(dict(v))

    @service_work(done="dismiss", failed="create_failed", group="add-user")
    def create(self, v: dict[str, str]) -> str:
        """Off the UI thread: hashing the password (and PIN) takes a moment on purpose."""
        staff_service.create_staff(v["username"], v["password"], v["role"], v["full_name"], by=self.app.actor,
                                   pin=v["pin"] or None)
        return v["username"].strip().lower()

    def create_failed(self, exc: KioskError) -> None:
        self.show_error(self.app.error_text(exc))

    def show_error(self, text: str) -> None:
        self.error = text
        self.query_one("#add-user-error", Static).update(text)


class SetPinDialog(StaffModal):
    """A new counter PIN for `username` (6–12 digits, typed twice). The service decides who may:
    an admin for anyone, an officer or above for their own account."""

    CSS_PATH = "./users.tcss"  # "./": not a catalogue key
    BINDINGS = [Binding("escape", "cancel", "app.cancel"), Binding("ctrl+s", "save", "users.save")]

    def __init__(self, username: str) -> None:
        super().__init__()
        self.username = username
        self.error = ""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="set-pin", classes="dialog"):
            yield Static(self.t("signin.set_pin_title", username=self.username), classes="dialog-title", markup=False)
            yield Static(self.t("signin.set_pin_help"), markup=False)
            yield Static(self.t("signin.field_pin"), markup=False)
            yield NextFieldInput(id="p-pin", password=True, compact=True, max_length=staff_service.MAX_PIN_DIGITS,
                                 restrict=r"[0-9]*", next_field="p-pin2")
            yield Static(self.t("signin.field_pin2"), markup=False)
            yield Input(id="p-pin2", password=True, compact=True, max_length=staff_service.MAX_PIN_DIGITS,
                        restrict=r"[0-9]*")
            yield Static(self.error, id="set-pin-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.t("users.save"), id="set-pin-save", variant="primary", compact=True)
                yield Button(self.t("app.cancel"), id="set-pin-cancel", compact=True)
        yield StaffFooter()

    def on_mount(self) -> None:
        self.query_one("#p-pin", Input).focus()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:  # the second PIN's Enter
        event.stop()
        self.action_save()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save() if event.button.id == "set-pin-save" else self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        pin, again = (self.query_one(f"#{i}", Input).value for i in ("p-pin", "p-pin2"))
        if pin != again:
            self.show_error(self.t("signin.pin_mismatch"))
            return
        self.show_error(self.t("users.saving"), clear=False)
        self.save_pin(pin)

    @service_work(done="dismiss", failed="save_failed", group="set-pin")
    def save_pin(self, pin: str) -> str:
        """Off the UI thread: hashing the PIN takes a moment on purpose."""
        staff_service.set_pin(self.username, pin, by=self.app.actor)
        return self.username

    def save_failed(self, exc: KioskError) -> None:
        self.show_error(self.app.error_text(exc))

    def show_error(self, text: str, *, clear: bool = True) -> None:
        """A refusal empties both fields: a PIN is not kept on screen."""
        self.error = text
        if not self.is_attached:
            return
        self.query_one("#set-pin-error", Static).update(text)
        if clear:
            for field in self.query(Input):
                field.value = ""
            self.query_one("#p-pin", Input).focus()


class UsersScreen(StaffScreen):
    CSS_PATH = "./users.tcss"  # "./": not a catalogue key
    BINDINGS = [Binding("escape", "back", "case.key_back"), Binding("d", "toggle_active", "users.key_active"),
                Binding("o", "role", "users.key_role"), Binding("i", "set_pin", "signin.set_pin"),
                Binding("a", "add", "users.key_add"), Binding("l", "lao", "users.key_lao")]

    def __init__(self) -> None:
        super().__init__()
        self.message = ""
        self.laos: list[tuple[str, str]] = []  # (ticket prefix, Thai name) of the centre's LAOs

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
            rows = safely(staff_service.list_staff, self.app.actor)
            self.laos = safely(staff_service.lao_choices)
        except KioskError as exc:
            self.say(self.app.error_text(exc))
            return
        cursor = table.cursor_row
        table.clear(columns=True)
        for key in COLUMNS:
            table.add_column(self.t(f"users.col_{key}"), key=key)
        table.add_column(self.t("signin.col_pin"), key="pin")
        joint = len(self.laos) > 1
        if joint:
            table.add_column(self.t("users.col_lao"), key="lao")
        for r in rows:
            state = self.t("users.locked") if r.locked else self.t("users.active" if r.active else "users.inactive")
            cells = [safe(r.username), safe(r.full_name, one_line=True), safe(self.t(f"role.{r.role}")),
                     safe(state), safe(format_be_datetime(r.last_login_at) if r.last_login_at else "—"),
                     safe(self.t(f"signin.pin_{r.pin}"))]
            if joint:
                cells.append(safe(r.lao or self.t("users.whole_centre")))
            table.add_row(*cells, key=str(r.id))
        self.refresh_bindings()
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
            safely(staff_service.set_active, self.app.actor, row.id, not row.active)
        except KioskError as exc:
            self.say(self.app.error_text(exc))
            return
        self.say(self.t("users.changed", username=row.username))
        self.fill()

    def action_role(self) -> None:
        row = self.current()
        if row is not None:
            self.app.push_screen(PickDialog(self.role_options, title="users.choose_role", list_id="role-list"),
                                 lambda picked: self.change_role(row, picked))

    def role_options(self) -> list[tuple[str, str]]:
        return [(self.t(f"role.{r}"), r) for r in staff_service.ROLES]

    def change_role(self, row, picked: tuple[str] | None) -> None:
        if picked is None:
            return
        role = picked[0]
        try:
            safely(staff_service.set_role, self.app.actor, row.id, role)
        except KioskError as exc:
            self.say(self.app.error_text(exc))
            return
        self.say(self.t("users.changed", username=row.username))
        self.fill()

    def action_lao(self) -> None:
        row = self.current()
        if row is not None and len(self.laos) > 1:
            self.app.push_screen(PickDialog(self.lao_options, title="users.choose_lao", list_id="lao-list"),
                                 lambda picked: self.change_lao(row, picked))

    def lao_options(self) -> list[tuple[str, str]]:
        return [(self.t("users.whole_centre"), "*"), *((f"{prefix} {name}", prefix) for prefix, name in self.laos)]

    def change_lao(self, row, picked: tuple[str] | None) -> None:
        if picked is None:
            return
        try:
            safely(staff_service.set_lao, self.app.actor, row.id, None if picked[0] == "*" else picked[0])
        except KioskError as exc:
            self.say(self.app.error_text(exc))
            return
        self.say(self.t("users.changed", username=row.username))
        self.fill()

    def action_set_pin(self) -> None:
        row = self.current()
        if row is not None:
            self.app.push_screen(SetPinDialog(row.username), self.pin_saved)

    def pin_saved(self, username: str | None) -> None:
        if username:
            self.say(self.t("signin.pin_saved", username=username))
            self.fill()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """Only admins see "add" (the service refuses anyone else anyway)."""
        if action == "add":
            actor = self.app.actor
            return actor is not None and actor.at_least("admin")
        if action == "lao":  # only a joint centre of several LAOs has a choice to make
            return len(self.laos) > 1
        return True

    def action_add(self) -> None:
        if self.check_action("add", ()):
            self.app.push_screen(AddUserDialog(), self.added)

    def added(self, username: str | None) -> None:
        if username:
            self.say(self.t("users.added", username=username))
            self.fill()

    def palette_commands(self):
        cmds = [(self.t("users.key_active"), self.action_toggle_active, ""),
                (self.t("users.key_role"), self.action_role, ""),
                (self.t("signin.set_pin"), self.action_set_pin, "")]
        if self.check_action("add", ()):
            cmds.append((self.t("users.key_add"), self.action_add, ""))
        return cmds
