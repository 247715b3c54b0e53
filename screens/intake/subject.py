"""Step 6: who needs help, the person asking or someone else. For someone else only name,
house number and หมู่ are collected (PDPA s.22: only what is needed)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import RadioButton, RadioSet, Static

from kiosk.services import intake
from kiosk.thai.names import PREFIXES

from .wizard import StepScreen


class SubjectStep(StepScreen):
    FIRST_FOCUS = "nav-next"

    def body(self) -> ComposeResult:
        yield from self.radio_field("subject_is_requester", ("true", "false"), "subject_")
        if self.form.subject_is_requester:
            return
        yield Static(self.t("intake.subject_note"), classes="note", markup=False)
        yield from self.radio_field("relationship", intake.RELATIONSHIPS, "rel_")
        yield from self.text_field("subject_prefix", optional=True, layout_hint=True, max_length=40,
                                   suggestions=PREFIXES)
        yield from self.text_field("subject_first_name", layout_hint=True, max_length=200)
        yield from self.text_field("subject_last_name", optional=True, layout_hint=True, max_length=200)
        yield from self.text_field("subject_house_no", optional=True, max_length=20)
        yield from self.text_field("subject_moo", optional=True, max_length=10)

    def radio_field(self, name: str, choices: tuple[str, ...], label_prefix: str) -> ComposeResult:
        if name != "subject_is_requester":
            yield from super().radio_field(name, choices, label_prefix)
            return
        current = "true" if self.form.subject_is_requester else "false"
        labels = {"true": self.t("intake.subject_self"), "false": self.t("intake.subject_other")}
        radios = RadioSet(*(RadioButton(f"{n}  {labels[c]}", value=c == current, id=f"{name}--{c}")
                            for n, c in enumerate(choices, 1)), id=name, classes="choices")
        yield Static(self.t("intake.step_subject"), classes="field-label", markup=False)
        yield radios

    def choice_changed(self, name: str) -> None:
        if name == "subject_is_requester":
            self.refresh(recompose=True)
