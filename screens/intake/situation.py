"""Step 7: what happened, when, the household, vulnerable members (incl. the 7 official
disability types), the help asked for and already received, and how urgent it is."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid

from kiosk.services import intake

from .wizard import StepCheckbox, StepScreen


class SituationStep(StepScreen):
    FIRST_FOCUS = "description"

    def body(self) -> ComposeResult:
        yield from self.text_area_field("description")
        yield from self.text_field("occurred_on", optional=True, max_length=20)
        yield from self.text_field("household_size", optional=True, max_length=5)
        boxes = Grid(*(StepCheckbox(self.t(f"intake.vuln_{key}"), key in self.form.vulnerabilities, id=f"vuln-{key}")
                       for key in intake.VULNERABILITIES), id="vulnerabilities", classes="checks")
        yield from self.labelled("vulnerabilities", boxes, optional=True)
        yield from self.labelled("sensitive_consent", StepCheckbox(self.t("intake.yes"), self.form.sensitive_consent))
        yield from self.text_field("help_requested", optional=True, max_length=400)
        yield from self.text_field("help_received", optional=True, max_length=400)
        yield from self.radio_field("urgency", intake.URGENCIES, "urgency_")
