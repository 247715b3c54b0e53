"""The counter intake wizard: one module per step, state in wizard.py."""

from .wizard import WizardState, start_intake

__all__ = ["WizardState", "start_intake"]
