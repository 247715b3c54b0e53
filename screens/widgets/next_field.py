"""NextFieldInput: a field whose Enter goes on to the field after it (a username to its
password, a PIN to the PIN again).

Focus moves as the Enter arrives (a priority binding, as the app's FOCUS_KEYS do for Tab), not in
the field's own turn: over a slow SSH link or on a busy machine a password typed straight after
the username's Enter reaches the app in the same burst, and a focus moved later would let it land
in the username field, shown in clear.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input


class NextFieldInput(Input):
    BINDINGS = [Binding("enter", "next_field", show=False, priority=True)]

    def __init__(self, value: str | None = None, *, next_field: str, **kwargs) -> None:
        super().__init__(value, **kwargs)
        self.next_field = next_field  # the id of the field Enter goes on to

    def action_next_field(self) -> None:
        self.screen.set_focus(self.screen.query_one(f"#{self.next_field}"))
