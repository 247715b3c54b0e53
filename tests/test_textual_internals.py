"""Guard rail for a Textual upgrade: the few Textual internals this app leans on, each named with
the code that depends on it. When one of these fails after an upgrade, that code needs a look
before the upgrade ships (the snapshot tests in tests/snapshots show what else changed)."""

from __future__ import annotations

import dataclasses
import inspect
from contextvars import ContextVar

from textual.app import App
from textual.binding import ActiveBinding, Binding
from textual.message_pump import active_message_pump
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widgets import Button, Footer, Input
from textual.widgets._footer import FooterKey

from screens.widgets.staff_base import StaffFooter

FOOTER_USER = "screens/widgets/staff_base.py (StaffFooter, _TranslatedBindings)"
LAST_NET = "screens/app.py (KioskApp._handle_exception, the last net behind screens/faults.py)"


def parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_footer_internals_the_staff_footer_relies_on():
    ready = inspect.getattr_static(Footer, "_bindings_ready", None)
    assert isinstance(ready, Reactive), f"Footer._bindings_ready is no longer a reactive: see {FOOTER_USER}"
    assert Footer()._bindings_ready is False and StaffFooter()._bindings_ready is True, \
        f"Footer._bindings_ready changed meaning: see {FOOTER_USER}"
    assert parameters(Footer.bindings_changed) == ["self", "screen"], \
        f"Footer.bindings_changed(screen) changed: StaffFooter overrides it, see {FOOTER_USER}"


def test_active_bindings_shape_the_translated_footer_relies_on():
    assert isinstance(inspect.getattr_static(Screen, "active_bindings"), property), \
        f"Screen.active_bindings is no longer a property: _TranslatedBindings overrides it, see {FOOTER_USER}"
    assert ActiveBinding._fields == ("node", "binding", "enabled", "tooltip"), \
        f"ActiveBinding's fields changed: they are unpacked and _replace()d in {FOOTER_USER}"
    assert dataclasses.is_dataclass(Binding) and "description" in {f.name for f in dataclasses.fields(Binding)}, \
        f"Binding is no longer a dataclass with a description: dataclasses.replace() in {FOOTER_USER}"


def test_exception_hook_the_last_net_relies_on():
    assert parameters(App._handle_exception) == ["self", "error"], \
        f"App._handle_exception(error) changed: {LAST_NET} overrides it"
    assert isinstance(active_message_pump, ContextVar), f"textual.message_pump.active_message_pump changed: {LAST_NET}"


def test_input_watchers_the_thai_input_relies_on():
    """screens/widgets/thai_input.py defines the public `watch_value`; Input must keep it free for
    subclasses (its own watcher is private), or ThaiInput's would replace Input's."""
    assert "watch_value" not in vars(Input) and "_watch_value" in vars(Input), \
        "Input now has a public watch_value: ThaiInput.watch_value (screens/widgets/thai_input.py) would hide it"


def test_text_area_edit_path_the_story_box_relies_on():
    """screens/intake/wizard.py (StepTextArea) caps typed and pasted text in
    TextArea._replace_via_keyboard, the one path every keyboard and paste edit takes."""
    from textual.widgets import TextArea

    assert parameters(TextArea._replace_via_keyboard) == ["self", "insert", "start", "end"], \
        "TextArea._replace_via_keyboard changed: StepTextArea (screens/intake/wizard.py) overrides it"
    for edit in (TextArea._on_paste, TextArea._on_key):
        assert "_replace_via_keyboard" in inspect.getsource(edit), \
            f"TextArea.{edit.__name__} no longer edits through _replace_via_keyboard: StepTextArea's cap is bypassed"


class KeysScreen(Screen):
    BINDINGS = [Binding("n", "page(1)", "Next"), Binding("p", "page(-1)", "Previous")]

    def compose(self):
        yield Button("one", id="one")
        yield Button("two", id="two")
        yield StaffFooter()

    def action_page(self, step: int) -> None:
        pass


class KeysApp(App):
    def on_mount(self) -> None:
        self.push_screen(KeysScreen())


async def test_staff_footer_shows_its_keys_at_mount_and_keeps_them_across_focus():
    """The speed work itself: keys composed at mount, and not composed again when focus moves
    without changing them. Failing here means the internals above changed meaning silently."""
    app = KeysApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        footer = app.screen.query_one(StaffFooter)
        keys = list(footer.query(FooterKey))
        assert [k.description for k in keys][:2] == ["Next", "Previous"], f"no keys at mount: see {FOOTER_USER}"
        app.screen.query_one("#two", Button).focus()
        await pilot.pause()
        await pilot.pause()
        assert list(footer.query(FooterKey)) == keys, f"the footer composed its keys again: see {FOOTER_USER}"


def test_screen_resize_handler_the_latest_size_guard_relies_on():
    assert parameters(Screen._on_resize) == ["self", "event"], \
        "Screen._on_resize(event) changed: screens/base.py LatestSize drops stale resizes before it (prevent_default)"
