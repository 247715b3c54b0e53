"""ThaiInput: textual's Input made for Thai.

- The cursor moves over whole clusters (consonant + vowel signs + tone mark), so it never
  stands invisibly inside one (kiosk.thai.clusters).
- Backspace deletes the last code point, as Thai keyboards expect (a wrong tone mark is fixed
  with one key); Delete removes the whole cluster to the right, leaving no stray marks.
- With `layout_hint=True` (name fields), Latin text that is Thai typed on the English layout
  (`l;ylfu` → สวัสดี) is offered as a one-key fix: a hint under the field, ctrl+t applies it.
- Without a `max_length` of its own a field stops at MAX_LENGTH characters, more than any
  one-line field the services take (they still say "too long"): a scanner or a paste of megabytes
  must not make every key and every redraw slow at the counter.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Input
from textual.widgets.input import Selection

from kiosk.thai.clusters import next_boundary, previous_boundary, snap
from kiosk.thai.names import wrong_layout_suggestion


class ThaiInput(Input):
    BINDINGS = [
        Binding("ctrl+t", "fix_layout", "Thai layout", show=False),
    ]

    MAX_LENGTH = 500

    def __init__(self, value: str | None = None, *, layout_hint: bool = False, **kwargs) -> None:
        kwargs["max_length"] = kwargs.get("max_length") or self.MAX_LENGTH
        self.layout_hint = layout_hint
        self.layout_suggestion: str | None = None
        super().__init__(value, **kwargs)

    # -- the cursor never stands inside a cluster ---------------------------------------------
    def validate_selection(self, selection: Selection) -> Selection:
        start, end = super().validate_selection(selection)
        return Selection(snap(self.value, start), snap(self.value, end))

    def action_cursor_left(self, select: bool = False) -> None:
        start, end = self.selection
        if select:
            self.selection = Selection(start, previous_boundary(self.value, end))
        elif self.selection.is_empty:
            self.cursor_position = previous_boundary(self.value, self.cursor_position)
        else:
            self.cursor_position = min(start, end)

    def action_cursor_right(self, select: bool = False) -> None:
        start, end = self.selection
        if select:
            self.selection = Selection(start, next_boundary(self.value, end))
        elif self.cursor_at_end:  # Input's own: accepts a suggestion, if one is showing
            super().action_cursor_right()
        elif self.selection.is_empty:
            self.cursor_position = next_boundary(self.value, self.cursor_position)
        else:
            self.cursor_position = max(start, end)

    def action_delete_right(self) -> None:
        if self.selection.is_empty:
            self.delete(self.cursor_position, next_boundary(self.value, self.cursor_position))
        else:
            self.delete_selection()

    # -- wrong keyboard layout ----------------------------------------------------------------
    def watch_value(self, value: str) -> None:  # Textual calls it after Input's own (private) watcher
        if self.layout_hint and self.is_attached:
            self.layout_suggestion = wrong_layout_suggestion(value) if value else None
            self.border_subtitle = Text(self._hint_text(self.layout_suggestion)) if self.layout_suggestion else None

    def _hint_text(self, suggestion: str) -> str:
        translate = getattr(self.app, "t", None)
        return translate("intake.layout_hint", text=suggestion) if translate else f"ctrl+t → {suggestion}"

    def action_fix_layout(self) -> None:
        """Replace the Latin text with the Thai it was meant to be."""
        if self.layout_suggestion:
            self.value = self.layout_suggestion
            self.cursor_position = len(self.value)
