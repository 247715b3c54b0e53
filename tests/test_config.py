"""Configuration: the sample parses; every kind of bad file names the file, line and field;
environment variables override; hypothesis garbage never escapes as anything but ConfigError."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from kiosk.config import SAMPLE_CONFIG, parse_settings, schema
from kiosk.errors import ConfigError
from kiosk.i18n import translate

SAMPLE = SAMPLE_CONFIG.read_text(encoding="utf-8")
PATH = Path("/etc/kiosk/kiosk.toml")


def parse(text: str, env: dict | None = None):
    return parse_settings(PATH, text, environ=env or {})


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_sample_parses():
    s = parse(SAMPLE)
    assert s.sample and s.host_lao.ticket_prefix == "WPK" and s.host_lao.subdistrict_code == "570906"
    assert s.hours["mon"] is not None and s.hours["sun"] is None
    assert s.emergency == {"medical": "1669", "fire": "199", "police": "191", "disaster": "1784"}
    assert s.database_url == "sqlite:////etc/kiosk/kiosk.sqlite3"  # relative to the file


@pytest.mark.parametrize("old,new,field", [
    ('latitude = 20.4050', 'latitude = "north"', "centre.latitude"),
    ('latitude = 20.4050', 'latitude = 48.85', "centre.latitude"),
    ('idle_timeout = 90', 'idle_timeout = 2', "kiosk.idle_timeout"),
    ('default_language = "th"', 'default_language = "fr"', "kiosk.default_language"),
    ('mon = "08:30-16:30"', 'mon = "8.30 to 4.30"', "hours.mon"),
    ('tue = "08:30-16:30"', 'tue = "16:30-08:30"', "hours.tue"),
    ('ticket_prefix = "WPK"', 'ticket_prefix = "W1"', "lao.ticket_prefix"),
    ('subdistrict_code = "570906"                   # DOPA', 'subdistrict_code = "5709"  # DOPA', "lao.subdistrict_code"),
    ('public_base_url = "http://127.0.0.1:8080"', 'public_base_url = "javascript:alert(1)"', "centre.public_base_url"),
    ('port = 8080', 'port = 99999', "web.port"),
    ('moo = 1', 'moo = 0', "address.moo"),
    ('url = "sqlite:///kiosk.sqlite3"', 'url = "mysql://x"', "database.url"),
    ('police = "191"', 'police = "call us"', "emergency.police"),
    ('kind = "none"                                 # none, usb, network, file', 'kind = "laser"', "printer.kind"),
    ('kind = "none"                                 # none, usb, network, file', 'kind = "network"\nport = 0', "printer.port"),
])
def test_bad_values_name_file_line_and_field(old, new, field):
    assert old in SAMPLE
    text = SAMPLE.replace(old, new, 1)
    with pytest.raises(ConfigError) as err:
        parse(text)
    p = err.value.params
    assert p["file"] == str(PATH) and p["field"] == field
    assert p["line"] == line_of(text, new.split("#")[0].strip().split("\n")[-1])
    assert str(PATH) in str(err.value) and field in str(err.value)


def test_unknown_key_is_named():
    text = SAMPLE.replace("[kiosk]\n", "[kiosk]\nidle_timout = 30\n")
    with pytest.raises(ConfigError) as err:
        parse(text)
    assert err.value.params["field"] == "kiosk.idle_timout"
    assert err.value.params["line"] == line_of(text, "idle_timout")


def test_syntax_error_names_the_line():
    text = SAMPLE.replace('name_th = "ศูนย์', 'name_th = ศูนย์', 1)
    with pytest.raises(ConfigError) as err:
        parse(text)
    assert str(err.value.params["line"]) == str(line_of(text, "name_th = ศูนย์"))


def test_missing_lao():
    before, rest = SAMPLE.split("[[lao]]")
    with pytest.raises(ConfigError) as err:
        parse(before + "[address]" + rest.split("[address]")[1])
    assert err.value.params["field"] == "lao"


def test_environment_overrides():
    s = parse(SAMPLE, {"KIOSK_DATABASE_URL": "postgresql://u@h/db", "KIOSK_DEFAULT_LANGUAGE": "en",
                       "KIOSK_IDLE_TIMEOUT": "120", "KIOSK_PUBLIC_BASE_URL": "https://help.example.go.th/",
                       "KIOSK_WEB_PORT": "9000", "KIOSK_API_KEYS": "a" * 20 + "," + "b" * 20})
    assert (s.database_url, s.default_language, s.idle_timeout) == ("postgresql://u@h/db", "en", 120)
    assert s.public_base_url == "https://help.example.go.th" and s.web_port == 9000 and len(s.api_keys) == 2


BAD_OVERRIDES = [
    ("KIOSK_IDLE_TIMEOUT", "soon", "must be a whole number"),
    ("KIOSK_IDLE_TIMEOUT", "5", "must be 15–3600 seconds"),
    ("KIOSK_WEB_PORT", "๘๐", "must be a whole number"),
    ("KIOSK_WEB_PORT", "70000", "must be 1–65535"),
    ("KIOSK_DEFAULT_LANGUAGE", "de", 'must be "th" or "en"'),
    ("KIOSK_API_KEYS", "short", "each key must be text of at least 16 characters"),
    ("KIOSK_PUBLIC_BASE_URL", "javascript:alert(1)", "must be an http:// or https:// address"),
    ("KIOSK_DATABASE_URL", "mysql://x", "must start with sqlite:/// or postgresql://"),
]


@pytest.mark.parametrize("variable,value,problem", BAD_OVERRIDES)
def test_a_bad_environment_override_is_blamed_on_the_variable_not_the_file(variable, value, problem):
    """The sample's own value for the field is fine: the error names the variable, not the file."""
    with pytest.raises(ConfigError) as err:
        parse(SAMPLE, {variable: value})
    assert err.value.key == "errors.config_environment"
    assert str(err.value) == f"{variable} (environment): {problem}"
    assert err.value.params["field"] == variable and err.value.params["problem"] == problem
    assert translate(err.value.key, "en", **err.value.params) == (
        f"Configuration error: environment variable {variable}: {problem}")


def test_every_checked_override_has_a_bad_value_case():
    assert {s.env for _, _, s in schema() if s.env and s.checks} == {v for v, _, _ in BAD_OVERRIDES}


def test_an_empty_variable_leaves_the_file_value():
    assert parse(SAMPLE, {"KIOSK_WEB_PORT": "", "KIOSK_DEFAULT_LANGUAGE": ""}).web_port == 8080


def _keys_in(text: str) -> set[tuple[str, str]]:
    """(section, key) for each `key = ...` line of a TOML text, commented out or not."""
    found, section = set(), ""
    for line in text.splitlines():
        header = re.match(r"\s*\[\[?\s*([\w.]+)", line)
        if header:
            section = header.group(1)
        elif m := re.match(r"\s*#?\s*(\w+)\s*=", line):
            found.add((section, m.group(1)))
    return found


def test_the_sample_documents_every_setting_and_the_readme_every_override():
    """The schema is the truth: the sample config (which the README says documents every field)
    shows each key, set or commented out, and no key the schema lacks; the README's Configuration
    section and the sample's header name exactly the environment overrides the schema declares."""
    keys = {(section, key) for section, key, _ in schema()}
    assert keys == _keys_in(SAMPLE)
    overrides = {s.env for _, _, s in schema() if s.env}
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    config_section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0].split("**Databases.**")[0]
    assert set(re.findall(r"KIOSK_[A-Z_]+", config_section)) == overrides
    header = SAMPLE.split("\nsample =")[0]
    assert set(re.findall(r"KIOSK_[A-Z_]+", header)) == overrides


@hsettings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_garbage_is_only_ever_a_config_error(text):
    try:
        parse(text)
    except ConfigError as exc:
        assert exc.params.get("file") == str(PATH)


@hsettings(max_examples=200, deadline=None)
@given(st.sampled_from(SAMPLE.splitlines()), st.text(max_size=40))
def test_a_mangled_sample_line_is_only_ever_a_config_error(line, junk):
    try:
        parse(SAMPLE.replace(line, line[: len(line) // 2] + junk, 1))
    except ConfigError:
        pass
