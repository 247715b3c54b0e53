"""One small modal for "choose one of these": an OptionList of (label, value) pairs, shown as
plain Text (labels may hold stored text, never markup). It dismisses with `(value,)`, so a None
value stays distinct from Escape, which dismisses with None."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from .staff_base import StaffFooter, StaffModal

Options = Sequence[tuple[str, Any]]


class PickDialog(StaffModal):
    """`options` may be a function giving the pairs, called on every compose, so labels follow
    a language switch; `title` and `empty` (shown when there is nothing to pick) are catalogue
    keys. `list_id` names the OptionList for whoever drives it; an option's id is its value
    when that is a string."""

    CSS_PATH = "./pick.tcss"  # "./": not a catalogue key; app CSS, to size the shared .dialog
    BINDINGS = [Binding("escape", "cancel", "app.cancel")]

    def __init__(self, options: Options | Callable[[], Options], *, title: str | None = None,
                 current: Any = None, empty: str | None = None, list_id: str = "pick-list") -> None:
        super().__init__()
        self._options, self.title_key, self.current = options, title, current
        self.empty_key, self.list_id = empty, list_id
        self.values: list[Any] = []

    def compose(self) -> ComposeResult:
        pairs = list(self._options() if callable(self._options) else self._options)
        self.values = [value for _label, value in pairs]
        with Vertical(classes="dialog"):
            if self.title_key:
                yield Static(self.t(self.title_key), classes="dialog-title", markup=False)
            if pairs:
                yield OptionList(*(Option(Text(label), id=value if isinstance(value, str) else None)
                                   for label, value in pairs), id=self.list_id)
            elif self.empty_key:
                yield Static(self.t(self.empty_key), markup=False)
        yield StaffFooter()

    def on_mount(self) -> None:
        if self.values:
            options = self.query_one(OptionList)
            options.highlighted = self.values.index(self.current) if self.current in self.values else 0
            options.focus()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss((self.values[event.option_index],))

    def action_cancel(self) -> None:
        self.dismiss(None)
