"""Admins edit the centre's information in the config file: validated with the start-up rules,
written atomically, comments kept, refused for other roles."""

from __future__ import annotations

from datetime import date, time

import pytest

from db.models import AuditLog
from kiosk.config import parse_settings
from kiosk.errors import ConfigError, PermissionDenied, ValidationError
from kiosk.services.centre_config import replace_values, update_centre_info


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
