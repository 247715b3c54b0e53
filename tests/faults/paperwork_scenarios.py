"""Fault scenarios of the paperwork screens, added to test_boundary_workers.SCENARIOS."""

from __future__ import annotations

from .harness import registry

WORKERS, worker = registry()
