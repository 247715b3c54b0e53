"""Step 2: the area of help: the three regulation areas, information/advice, complaint, referral."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Button, Static

from kiosk.services import intake

from .wizard import StepScreen


class ChoiceStep(StepScreen):
    """A step that is one big choice: a button per option, digit keys 1–9 pick one."""

    FIELD = ""

    def options(self) -> tuple[str, ...]:
        return ()

    def body(self) -> ComposeResult:
        current = getattr(self.form, self.FIELD)
        with Grid(id=self.FIELD, classes="choice-grid"):
            for n, key in enumerate(self.options(), 1):
                yield Button(f"{n}  {self.t(f'category.{key}')}", id=f"pick-{key}",
                             classes="pick" + (" -chosen" if key == current else ""),
                             variant="primary" if key == current else "default")
        yield from self.labelled_error()

    def labelled_error(self) -> ComposeResult:
        yield Static(self.error_text(self.FIELD), id=f"{self.FIELD}-error", classes="field-error", markup=False)

    def focus_first(self) -> None:
        current = getattr(self.form, self.FIELD)
        target = self.query(f"#pick-{current}") if current else self.query(".pick")
        if target:
            target.first().focus()

    def pick(self, key: str) -> None:
        if getattr(self.form, self.FIELD) != key:
            setattr(self.form, self.FIELD, key)
            self.changed()
        self.action_next()

    def changed(self) -> None:
        """The choice differs from before."""

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if (event.button.id or "").startswith("pick-"):
            event.prevent_default()
            self.pick(event.button.id.removeprefix("pick-"))

    def on_key(self, event: events.Key) -> None:
        options = self.options()
        if event.character and event.character in "123456789" and int(event.character) <= len(options):
            event.stop()
            self.pick(options[int(event.character) - 1])


class CategoryStep(ChoiceStep):
    FIELD = "area"

    def options(self) -> tuple[str, ...]:
        return intake.AREAS

    def changed(self) -> None:
        self.form.subtype = ""  # a sub-type of another area no longer fits
