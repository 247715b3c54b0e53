"""Intake tests run on the sample centre (the `db` fixture) with a staff account for the
staff-assisted mode."""

from __future__ import annotations

import pytest

from kiosk.services import staff


@pytest.fixture
def clerk(db):
    """An officer with a counter PIN (the staff gate unlocks staff-assisted intake with it)."""
    admin = staff.create_staff("admin", "long-password", "admin", "Admin", first_admin=True)
    return staff.create_staff("clerk", "long-password", "officer", "สมหญิง เจ้าหน้าที่", by=admin, pin="246813")
