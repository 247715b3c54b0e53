"""String catalogues: `kiosk/i18n/<lang>/<area>.toml`, one file per area of the program, the
same keys in every language. A key is `<area>.<name>`; values are str.format templates. An area's
file is read when one of its keys is first asked for (the counter's first screen needs three of
the thirty-odd files)."""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path

LANGUAGES = ("th", "en")
ROOT = Path(__file__).parent


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
    """The text for `key`; a missing key shows as the key itself (a test keeps none missing)."""
    template = lookup(key, lang)
    if template is None:
        return key
    if not params:
        return template
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def has(key: str, lang: str = "th") -> bool:
    return lookup(key, lang) is not None
