"""Step 3: the sub-type within the chosen area (skipped in effect when there is only one)."""

from __future__ import annotations

from kiosk.services import intake

from .category import ChoiceStep


class SubtypeStep(ChoiceStep):
    FIELD = "subtype"

    def options(self) -> tuple[str, ...]:
        return intake.subtypes(self.form.area)
