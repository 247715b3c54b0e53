"""The base classes of the counter's and the console's screens: `self.t`, text in the app's
current language, and the one rule for where focus starts. (The top bar is a widget,
widgets/top_bar.py; a language switch recomposes every screen from its own state,
KioskApp.action_toggle_language.)"""

from __future__ import annotations

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


class KioskScreen(FirstFocus, Screen):
    def t(self, key: str, **params: object) -> str:
        return self.app.t(key, **params)


class KioskModal(FirstFocus, ModalScreen):
    def t(self, key: str, **params: object) -> str:
        return self.app.t(key, **params)
