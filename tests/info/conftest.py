"""Staff actors of each role on the test database, and text that must never become markup."""

from __future__ import annotations

import pytest

from kiosk.services.staff import Actor, create_staff

NASTY = ["[@click=app.quit]x[/]", "[b", "\x1b[2J"]


class _Staff(dict):
    """Accounts made on first use (argon2 hashing is deliberately slow): staff["officer"]."""

    def __missing__(self, role: str) -> Actor:
        if role == "admin":
            actor = create_staff("admin", "correct horse", "admin", first_admin=True)
        else:
            actor = create_staff(role, "correct horse", role, by=self["admin"])
        self[role] = actor
        return actor


@pytest.fixture
def staff(db) -> dict[str, Actor]:
    """One account per role, the admin first (as `init` makes it)."""
    return _Staff()
