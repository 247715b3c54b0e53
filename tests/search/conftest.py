"""Fixtures: the test town (town.py) on both databases, or a smaller one on SQLite only."""

from __future__ import annotations

import pytest

from .town import Town, build_town


@pytest.fixture
def town(any_db) -> Town:
    return build_town()


@pytest.fixture
def sqlite_town(db) -> Town:
    return build_town(100)
