"""String catalogues: `kiosk/i18n/<lang>/<area>.toml`, one file per area of the program, the
same keys in every language. A key is `<area>.<name>`; values are str.format templates."""

from __future__ import annotations

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
def catalogue(lang: str) -> dict[str, str]:
    """Every key of one language, loaded once."""
    out: dict[str, str] = {}
    for path in sorted((ROOT / lang).glob("*.toml")):
        _flatten(path.stem, tomllib.loads(path.read_text(encoding="utf-8")), out)
    return out


def translate(key: str, lang: str = "th", **params: object) -> str:
    """The text for `key`; a missing key shows as the key itself (a test keeps none missing)."""
    template = catalogue(lang if lang in LANGUAGES else "th").get(key)
    if template is None:
        return key
    if not params:
        return template
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def has(key: str, lang: str = "th") -> bool:
    return key in catalogue(lang)
