"""The base classes of the counter's and the console's screens: `self.t`, text in the app's
current language, and the one rule for where focus starts. (The top bar is a widget,
widgets/top_bar.py; a language switch recomposes every screen from its own state,
KioskApp.switch_language.)"""

from __future__ import annotations

from textual import events
from textual.screen import ModalScreen, Screen

# Where focus starts when a screen opens, in order: the screen's own AUTO_FOCUS, then the first
# field to type or choose in, then the first list, then the first button, then anything that
# takes focus (a scrolling body). Never the language toggle: Enter or typing on a screen just
# opened must do what the screen is for (ctrl+l or a touch switches the language).
FIRST_FOCUS = (
    "Input, TextArea, Select, RadioSet, Checkbox, SelectionList",
    "OptionList, DataTable",
    "Button",
    "*",
)
NEVER_FIRST = "language-toggle"


class FirstFocus:
    """Mixin for a Screen: focus its first field when it opens with nothing focused, and keep the
    focused field (by id) across a recompose (the language switch)."""

    def on_screen_resume(self) -> None:
        # after the screen's own focusing (a widget's focus() is done later, not at once), so a
        # screen that chose its field keeps it, scrolled as it left it
        self.call_after_refresh(self.focus_if_nothing_is)

    def focus_if_nothing_is(self) -> None:
        if self.is_attached and self.focused is None:
            self.focus_first_field()

    def focus_first_field(self) -> None:
        own = getattr(self, "AUTO_FOCUS", None)
        for selector in ((own,) if own else ()) + FIRST_FOCUS:
            for widget in self.query(selector):
                if widget.focusable and widget.id != NEVER_FIRST:
                    self.set_focus(widget, scroll_visible=False)  # the first field: its label stays in sight
                    return

    async def recompose(self) -> None:
        focused = self.focused.id if self.focused is not None else None
        await super().recompose()
        if focused and focused != NEVER_FIRST and self.query(f"#{focused}"):
            widget = self.query_one(f"#{focused}")
            if widget.focusable:
                self.set_focus(widget)
                return
        if self.focused is None or not self.focused.is_attached:
            self.focus_first_field()


class LatestSize:
    """Mixin for a Screen: lay out only at the terminal's latest size. Textual's Screen handles
    every Resize in its queue, the app's and the one it posts itself when a layout changed its
    size; after a burst of resizes under load a screen can hold two of different sizes with
    callbacks between them (so they are not merged), and each re-posts itself as it lays the
    screen out at its size: 80×24, 120×40, 80×24… for ever. Textual's queue then never waits, so
    the event loop never runs anything else: no key, no idle reset, not the last resize (the
    monkey test, tests/e2e). A Resize the terminal has already left is dropped here."""

    async def _on_resize(self, event: events.Resize) -> None:
        if event.size != self.app.size:
            event.stop()
            event.prevent_default()  # not Screen._on_resize: the app's resize to the latest size follows


class KioskScreen(FirstFocus, LatestSize, Screen):
    def t(self, key: str, **params: object) -> str:
        return self.app.t(key, **params)


class KioskModal(FirstFocus, LatestSize, ModalScreen):
    def t(self, key: str, **params: object) -> str:
        return self.app.t(key, **params)
