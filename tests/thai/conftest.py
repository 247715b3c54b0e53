"""Shared by the Thai parser tests: the two catalogues, and a check that an error is one the UI
can show (its key exists in both languages and its message formats with its params)."""

from collections.abc import Callable

import pytest

from kiosk.errors import ValidationError
from kiosk.i18n import LANGUAGES, catalogue


@pytest.fixture(scope="session")
def catalogues() -> dict[str, dict[str, str]]:
    """{"th": {"thai.key": text}, "en": {...}}: the thai.toml part of each language."""
    return {lang: {k: v for k, v in catalogue(lang).items() if k.startswith("thai.")} for lang in LANGUAGES}


@pytest.fixture(scope="session")
def accepts_or_rejects(catalogues: dict[str, dict[str, str]]) -> Callable:
    """Call fn(*args): a value, or a ValidationError the UI can show. Anything else fails the test."""

    def call(fn: Callable, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ValidationError as e:
            for texts in catalogues.values():
                assert e.key in texts, e.key
                texts[e.key].format(**e.params)
            return e

    return call
