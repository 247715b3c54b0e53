"""String catalogues: `kiosk/i18n/<lang>/<area>.toml`, one file per area of the program, the
same keys in every language. A key is `<area>.<name>`; values are str.format templates.

A missing key is a bug that tests/test_i18n.py should have caught: under the tests
(KIOSK_CATALOGUE_STRICT=1, set by tests/conftest.py) it raises; in production it is written to the
fault log once and the English text is shown (or, missing too, the key)."""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path

LANGUAGES = ("th", "en")
ROOT = Path(__file__).parent
STRICT = "KIOSK_CATALOGUE_STRICT"
_logged: set[tuple[str, str]] = set()


class MissingText(LookupError):
    """A catalogue key with no text in some language."""


def _flatten(prefix: str, table: dict, out: dict[str, str]) -> None:
    for key, value in table.items():
        name = f"{prefix}.{key}"
        if isinstance(value, dict):
            _flatten(name, value, out)
        else:
            out[name] = str(value)


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Every key of one language, loaded once."""
    out: dict[str, str] = {}
    for path in sorted((ROOT / lang).glob("*.toml")):
        _flatten(path.stem, tomllib.loads(path.read_text(encoding="utf-8")), out)
    return out


def translate(key: str, lang: str = "th", **params: object) -> str:
    """The text for `key` in `lang` (Thai for an unknown language), formatted with `params`."""
    lang = lang if lang in LANGUAGES else "th"
    template = catalogue(lang).get(key)
    if template is None:
        template = _missing(key, lang)
    if not params:
        return template
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def _missing(key: str, lang: str) -> str:
    """Raise under the tests; else log once and fall back to English, then to the key."""
    fault = MissingText(f"no {lang} text for catalogue key {key!r}")
    if os.environ.get(STRICT) == "1":
        raise fault
    if (key, lang) not in _logged:
        _logged.add((key, lang))
        from ..faults import log_fault  # here: only a missing key needs the fault log

        log_fault(fault, "i18n")
    return catalogue("en").get(key, key)


def has(key: str, lang: str = "th") -> bool:
    return key in catalogue(lang)
