"""Issue 15 (at the counter and the desk): the staff fixtures (one account per role, a second
officer) are shared with tests/staff."""

from tests.staff.conftest import actors  # noqa: F401
