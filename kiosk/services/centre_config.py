"""Admins edit the centre's public information ([centre], [address], [hours]) in the config
file itself, so the file stays the one source of truth. The new text is validated by the same
`parse_settings` as at start-up before anything is written; the write is atomic (temp file +
rename, 0600: the file holds API keys). tomlkit edits the parsed document, so the file's comments,
blank lines and layout survive; it is imported here only, never on the counter's start-up."""

from __future__ import annotations

from pathlib import Path

from ..config import DAYS, Settings, parse_settings
from ..errors import ConfigError, ValidationError
from ..files import write_private
from . import audit
from .staff import Actor, require

EDITABLE = {
    "centre": {"name_th", "name_en", "phones", "line_id", "facebook", "latitude", "longitude",
               "directions_th", "directions_en"},
    "address": {"house_no", "moo", "road", "subdistrict_code"},
    "hours": {*DAYS, "holidays"},
}


def _writable(value: object) -> object:
    """`value` as tomlkit takes it; text that UTF-8 cannot hold (a lone surrogate) is refused."""
    if isinstance(value, str) and any("\ud800" <= ch <= "\udfff" for ch in value):
        raise ValidationError("info.config_value", "lone surrogate", field="value")
    if isinstance(value, (list, tuple)):
        return [_writable(v) for v in value]
    return value


def replace_values(text: str, changes: dict[tuple[str, str], object]) -> str:
    """`text` with each (section, key) set to its value; comments and layout kept, missing keys
    added at the end of their section, missing sections appended. A section that is not a table is
    left as it is (the config rules then name it)."""
    import tomlkit
    from tomlkit.exceptions import ConvertError

    doc = tomlkit.parse(text)
    for (section, key), value in changes.items():
        if section not in doc:
            doc[section] = tomlkit.table()
        table = doc[section]
        if not isinstance(table, dict):
            continue
        try:
            table[key] = _writable(value)
        except ConvertError:
            raise ValidationError("info.config_value", f"cannot write {type(value).__name__}", field="value") from None
    return tomlkit.dumps(doc)


def update_centre_info(actor: Actor, settings: Settings, changes: dict[tuple[str, str], object]) -> Settings:
    """Admins only. Validate, write atomically, audit; returns the new settings (the running
    apps pick them up at their next start). A bad value raises ConfigError naming the field."""
    require(actor, "admin")
    for section, key in changes:
        if key not in EDITABLE.get(section, ()):
            raise ValidationError("info.config_not_editable", f"{section}.{key} is not editable here",
                                  field=f"{section}.{key}")
    path = Path(settings.path)
    new_text = _edited(path, changes)
    new_settings = parse_settings(path, new_text)  # the same rules as at start-up
    write_private(path, new_text)  # atomic, 0600: the file holds API keys
    audit.record("centre_info_edit", actor=actor.username, target_type="config", target_id=path.name,
                 detail=", ".join(sorted(f"{s}.{k}" for s, k in changes)), client=actor.client)
    return new_settings


def _edited(path: Path, changes: dict[tuple[str, str], object]) -> str:
    """The file's text with `changes` made; a file that is no longer TOML is named as the config
    rules name it (file, line, syntax)."""
    from tomlkit.exceptions import ParseError

    try:
        return replace_values(path.read_text(encoding="utf-8"), changes)
    except ParseError as exc:
        raise ConfigError("errors.config", f"{path}:{exc.line}: TOML syntax: {exc}", file=str(path), line=exc.line,
                          field="(syntax)", problem=str(exc)) from None
