"""Admins edit the centre's information in the config file: validated with the start-up rules,
written atomically, comments kept, refused for other roles."""

from __future__ import annotations

import tomllib
from datetime import date, time

import pytest

from db.models import AuditLog
from kiosk.config import parse_settings
from kiosk.errors import ConfigError, PermissionDenied, ValidationError
from kiosk.files import FILE_MODE
from kiosk.services.centre_config import replace_values, update_centre_info
from tests.conftest import file_mode


def test_admin_changes_name_phones_hours_and_holidays(settings, actors):
    before = settings.path.read_text(encoding="utf-8")
    new = update_centre_info(actors["admin"], settings, {
        ("centre", "name_th"): 'ศูนย์ "ใหม่" #1',
        ("centre", "phones"): ["053-731-000"],
        ("centre", "facebook"): "fb.com/wpk",
        ("hours", "sat"): "09:00-12:00",
        ("hours", "holidays"): [date(2027, 4, 13)],
        ("address", "moo"): 3,
    })
    assert new.centre_name_th == 'ศูนย์ "ใหม่" #1' and new.phones == ("053-731-000",)
    assert new.hours["sat"] == (time(9), time(12)) and new.holidays == (date(2027, 4, 13),) and new.moo == 3
    text = settings.path.read_text(encoding="utf-8")
    assert parse_settings(settings.path, text, environ={}) == new
    assert "# sample numbers" in text and '# "HH:MM-HH:MM" or "closed"' in text  # comments kept
    assert len(text.splitlines()) == len(before.splitlines())  # facebook was there (empty): replaced in place
    assert [p.name for p in settings.path.parent.iterdir() if p.name.startswith(".kiosk-")] == []
    assert AuditLog.get(AuditLog.action == "centre_info_edit").actor == "admin"


PHONES_OVER_LINES = """phones = [                                  # sample numbers
    "053-000-000",                          # the office
    "081-000-0000",
]"""


def test_an_edit_changes_only_its_values_and_keeps_layout_thai_and_privacy(settings, actors):
    """The file is edited, not rewritten: every comment, blank line and Thai value the edit does
    not touch stays byte for byte (a Thai comment too); a value written over several lines becomes
    one line (its inner comments go with it). The new values read back with tomllib; the file is
    replaced by a rename (a new inode, no temporary file left) and is 0600 whatever it was."""
    path = settings.path
    before = (path.read_text(encoding="utf-8")
              .replace('phones = ["053-000-000", "081-000-0000"]     # sample numbers', PHONES_OVER_LINES)
              .replace("name_th = \"ศูนย์", "# ชื่อศูนย์ตามป้ายหน้าอาคาร\nname_th = \"ศูนย์", 1))
    path.write_text(before, encoding="utf-8")
    path.chmod(0o644)
    inode = path.stat().st_ino
    update_centre_info(actors["admin"], settings, {
        ("centre", "name_th"): "ศูนย์ช่วยเหลือ “ใหม่” หมู่ ๒",
        ("centre", "phones"): ["053-731-000"],
        ("address", "road"): "ถนนพหลโยธิน ซอย ๓",
        ("hours", "sat"): "09:00-12:00",
    })
    after = path.read_text(encoding="utf-8")
    assert after == (before.replace(PHONES_OVER_LINES, 'phones = ["053-731-000"]')
                     .replace('name_th = "ศูนย์ช่วยเหลือประชาชน เทศบาลตำบลเวียงพางคำ"',
                              'name_th = "ศูนย์ช่วยเหลือ “ใหม่” หมู่ ๒"')
                     .replace('road = "พหลโยธิน"', 'road = "ถนนพหลโยธิน ซอย ๓"')
                     .replace('sat = "closed"', 'sat = "09:00-12:00"'))
    data = tomllib.loads(after)
    assert data["centre"]["name_th"] == "ศูนย์ช่วยเหลือ “ใหม่” หมู่ ๒" and data["centre"]["phones"] == ["053-731-000"]
    assert data["address"]["road"] == "ถนนพหลโยธิน ซอย ๓" and data["hours"]["sat"] == "09:00-12:00"
    assert file_mode(path) == FILE_MODE and path.stat().st_ino != inode
    assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith(f".{path.name}.")) == []


def test_a_file_that_is_no_longer_toml_is_named_with_its_line(settings, actors):
    settings.path.write_text(settings.path.read_text(encoding="utf-8") + "\nbroken = = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        update_centre_info(actors["admin"], settings, {("centre", "line_id"): "@x"})
    assert err.value.params["field"] == "(syntax)" and err.value.params["file"] == str(settings.path)
    assert err.value.params["line"] == len(settings.path.read_text(encoding="utf-8").splitlines())


def test_invalid_values_are_refused_and_the_file_is_untouched(settings, actors):
    before = settings.path.read_text(encoding="utf-8")
    for change, field in ((("centre", "latitude"), "centre.latitude"), (("hours", "mon"), "hours.mon"),
                          (("address", "subdistrict_code"), "address.subdistrict_code")):
        value = {"centre.latitude": 50.0, "hours.mon": "16:30-08:30", "address.subdistrict_code": "57"}[field]
        with pytest.raises(ConfigError) as err:
            update_centre_info(actors["admin"], settings, {change: value})
        assert err.value.params["field"] == field
    with pytest.raises(ValidationError):
        update_centre_info(actors["admin"], settings, {("database", "url"): "sqlite:////etc/x"})
    assert settings.path.read_text(encoding="utf-8") == before


def test_only_admins(settings, actors):
    for role in ("volunteer", "officer", "supervisor"):
        with pytest.raises(PermissionDenied):
            update_centre_info(actors[role], settings, {("centre", "line_id"): "@x"})


def test_missing_keys_and_sections_are_added():
    text = "[centre]\nname_th = \"ก\"  # the name\n\n[kiosk]\nidle_timeout = 90\n"
    out = replace_values(text, {("centre", "line_id"): "@a#b", ("hours", "sun"): "closed",
                                ("centre", "name_th"): "ข"})
    assert out == ('[centre]\nname_th = "ข"  # the name\nline_id = "@a#b"\n\n[kiosk]\nidle_timeout = 90\n'
                   '\n[hours]\nsun = "closed"\n')


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from kiosk.config import SAMPLE_CONFIG  # noqa: E402


@given(st.text(max_size=60))
def test_any_text_survives_the_round_trip_or_is_refused_clearly(name):
    try:
        text = replace_values(SAMPLE_CONFIG.read_text(encoding="utf-8"), {("centre", "directions_en"): name})
    except ValidationError:
        assert any("\ud800" <= ch <= "\udfff" for ch in name)
        return
    try:
        parsed = parse_settings(SAMPLE_CONFIG, text, environ={})
    except ConfigError as exc:
        raise AssertionError(f"valid text refused: {exc}") from None
    assert parsed.directions_en == name.strip()
