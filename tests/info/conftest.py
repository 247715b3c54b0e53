"""The info tests use the shared staff accounts and hostile text (tests/conftest.py); NASTY here is
the part of it that an announcement's title can hold whole (markup and a terminal escape)."""

from __future__ import annotations

from ..conftest import HOSTILE

NASTY = HOSTILE[1:4]
