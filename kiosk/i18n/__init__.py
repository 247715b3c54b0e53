"""String catalogues: `kiosk/i18n/<lang>/<area>.toml`, one file per area of the program, the
same keys in every language. A key is `<area>.<name>`; values are str.format templates. An area's
file is read when one of its keys is first asked for (the counter's first screen needs three of
the thirty-odd files).

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
def areas(lang: str) -> frozenset[str]:
    """The areas one language has a file for."""
    return frozenset(name.removesuffix(".toml") for name in os.listdir(ROOT / lang) if name.endswith(".toml"))


@cache
def area(lang: str, name: str) -> dict[str, str]:
    """Every key of one area of one language, loaded once; an area with no file has none."""
    out: dict[str, str] = {}
    if name in areas(lang):
        _flatten(name, tomllib.loads((ROOT / lang / f"{name}.toml").read_text(encoding="utf-8")), out)
    return out


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Every key of one language."""
    out: dict[str, str] = {}
    for name in sorted(areas(lang)):
        out.update(area(lang, name))
    return out


def lookup(key: str, lang: str) -> str | None:
    return area(lang if lang in LANGUAGES else "th", key.partition(".")[0]).get(key)


def translate(key: str, lang: str = "th", **params: object) -> str:
    """The text for `key` in `lang` (Thai for an unknown language), formatted with `params`."""
    template = lookup(key, lang)
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
    return lookup(key, "en") or key


def has(key: str, lang: str = "th") -> bool:
    return lookup(key, lang) is not None
