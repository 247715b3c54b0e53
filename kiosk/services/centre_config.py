"""Admins edit the centre's public information ([centre], [address], [hours]) in the config
file itself, so the file stays the one source of truth. The new text is validated by the same
`parse_settings` as at start-up before anything is written; the write is atomic (temp file +
rename, 0600: the file holds API keys) and keeps the file's comments (line-level replacement:
tomlkit is not a dependency). One-line values only; a value written over several lines is
refused, not mangled."""

from __future__ import annotations

import json
import re
import tomllib
from datetime import date
from pathlib import Path

from ..config import DAYS, Settings, parse_settings
from ..errors import ValidationError
from ..files import write_private
from . import audit
from .staff import Actor, require

EDITABLE = {
    "centre": {"name_th", "name_en", "phones", "line_id", "facebook", "latitude", "longitude",
               "directions_th", "directions_en"},
    "address": {"house_no", "moo", "road", "subdistrict_code"},
    "hours": {*DAYS, "holidays"},
}
_HEADER = re.compile(r"\s*\[\s*([A-Za-z0-9_.]+)\s*\]\s*(#.*)?$")
_ANY_HEADER = re.compile(r"\s*\[")


def toml_value(value: object) -> str:
    """One TOML value on one line (strings as basic strings; JSON escapes are valid TOML)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        if any("\ud800" <= ch <= "\udfff" for ch in value):
            raise ValidationError("info.config_value", "lone surrogate", field="value")
        # JSON's escapes are TOML's; TOML also forbids a raw DEL.
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise ValidationError("info.config_value", f"cannot write {type(value).__name__}", field="value")


def _value_end(rest: str) -> int | None:
    """Where the value in `rest` (text after "key =") ends: before a trailing comment."""
    cuts = [m.start() for m in re.finditer("#", rest)] + [len(rest)]
    for cut in cuts:
        try:
            tomllib.loads(f"x = {rest[:cut].strip()}")
        except tomllib.TOMLDecodeError:
            continue
        return cut
    return None


def replace_values(text: str, changes: dict[tuple[str, str], object]) -> str:
    """`text` with each (section, key) set to its value; comments and layout kept, missing keys
    added at the end of their section, missing sections appended."""
    lines = text.splitlines(keepends=True)
    pending = dict(changes)
    section, last_in_section = "", {}
    for n, line in enumerate(lines):
        header = _HEADER.match(line)
        if header or _ANY_HEADER.match(line):
            section = header.group(1) if header else ""
            last_in_section[section] = n
            continue
        m = re.match(r"(\s*)([A-Za-z0-9_]+)(\s*=\s*)(.*?)(\r?\n)?$", line)
        if not m:
            continue
        if line.strip():
            last_in_section[section] = n
        key = (section, m.group(2))
        if key not in pending:
            continue
        end = _value_end(m.group(4))
        if end is None:
            raise ValidationError("info.config_multiline", f"{section}.{key[1]} spans several lines",
                                  field=f"{section}.{key[1]}")
        comment = m.group(4)[end:]
        old = m.group(4)[:end]
        gap = (old[len(old.rstrip()):] or " ") if comment else ""  # the spacing before the comment
        lines[n] = f"{m.group(1)}{m.group(2)}{m.group(3)}{toml_value(pending.pop(key))}{gap}{comment}{m.group(5) or ''}"
    inserts: dict[int, list[str]] = {}
    appended: list[str] = []
    for (sec, key), value in pending.items():
        row = f"{key} = {toml_value(value)}\n"
        if sec in last_in_section:
            inserts.setdefault(last_in_section[sec], []).append(row)
        else:
            appended += [f"\n[{sec}]\n", row]
    out = []
    for n, line in enumerate(lines):
        out.append(line)
        if n in inserts:
            out += ([] if line.endswith("\n") else ["\n"]) + inserts[n]
    return "".join(out + appended)


def update_centre_info(actor: Actor, settings: Settings, changes: dict[tuple[str, str], object]) -> Settings:
    """Admins only. Validate, write atomically, audit; returns the new settings (the running
    apps pick them up at their next start). A bad value raises ConfigError naming the field."""
    require(actor, "admin")
    for section, key in changes:
        if key not in EDITABLE.get(section, ()):
            raise ValidationError("info.config_not_editable", f"{section}.{key} is not editable here",
                                  field=f"{section}.{key}")
    path = Path(settings.path)
    new_text = replace_values(path.read_text(encoding="utf-8"), changes)
    new_settings = parse_settings(path, new_text)  # the same rules as at start-up
    write_private(path, new_text)  # atomic, 0600: the file holds API keys
    audit.record("centre_info_edit", actor=actor.username, target_type="config", target_id=path.name,
                 detail=", ".join(sorted(f"{s}.{k}" for s, k in changes)), client=actor.client)
    return new_settings
