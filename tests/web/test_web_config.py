"""The web's settings: [web] trusted_proxies and open311_per_minute, [privacy] which categories
the public API hides. Bad values name the file, line and field."""

from __future__ import annotations

import pytest

from db.reference import CATEGORIES, NON_PUBLIC
from kiosk.config import SAMPLE_CONFIG, parse_settings
from kiosk.errors import ConfigError


def settings_with(tmp_path, web: str = "", privacy: str = ""):
    text = SAMPLE_CONFIG.read_text(encoding="utf-8")
    for line in text.splitlines():  # the sample sets these two: a test's own value replaces it
        if web and line.startswith(("trusted_proxies", "open311_per_minute")):
            text = text.replace(line + "\n", "")
    text = text.replace("\n[web]\n", f"\n[web]\n{web}\n").replace("\n[privacy]\n", f"\n[privacy]\n{privacy}\n")
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return parse_settings(path, text, environ={})


def test_defaults(tmp_path):
    s = settings_with(tmp_path)
    assert s.trusted_proxies == ("127.0.0.1", "::1") and s.open311_per_minute == 60
    assert s.non_public_categories == NON_PUBLIC
    assert {"bedbound_patient", "disability", "human_disease", "elderly", "low_income", "homeless",
            "children_youth"} <= NON_PUBLIC
    assert NON_PUBLIC.isdisjoint(CATEGORIES["disaster"][1]) and "animal_epidemic" not in NON_PUBLIC


def test_categories_made_public_or_hidden_an_area_standing_for_its_subtypes(tmp_path):
    s = settings_with(tmp_path, privacy='public_categories = ["home_repair", "survival_bag"]')
    assert s.non_public_categories == NON_PUBLIC - {"home_repair", "survival_bag"}
    s = settings_with(tmp_path, privacy='non_public_categories = ["disease", "elderly"]')
    assert s.non_public_categories == {"disease", *CATEGORIES["disease"][1], "elderly"}
    s = settings_with(tmp_path, privacy='non_public_categories = ["quality_of_life"]\npublic_categories = ["elderly"]')
    assert s.non_public_categories == {"quality_of_life", *CATEGORIES["quality_of_life"][1]} - {"elderly"}
    assert settings_with(tmp_path, privacy="non_public_categories = []").non_public_categories == frozenset()


@pytest.mark.parametrize(("web", "privacy", "field"), [
    ("", 'public_categories = ["bedridden"]', "privacy.public_categories"),
    ("", "non_public_categories = [3]", "privacy.non_public_categories"),
    ("", 'non_public_categories = "elderly"', "privacy.non_public_categories"),
    ("", 'non_public_categories = ["elderly"]\npublic_categories = ["elderly"]', "privacy.public_categories"),
    ("", "retention = 3", "privacy.retention"),
    ('trusted_proxies = ["nginx"]', "", "web.trusted_proxies"),
    ('trusted_proxies = ["10.0.0.0/33"]', "", "web.trusted_proxies"),
    ("trusted_proxies = [1]", "", "web.trusted_proxies"),
    ("open311_per_minute = 0", "", "web.open311_per_minute"),
])
def test_bad_values_name_the_field_and_line(tmp_path, web, privacy, field):
    with pytest.raises(ConfigError) as caught:
        settings_with(tmp_path, web=web, privacy=privacy)
    assert caught.value.params["field"] == field and caught.value.params["line"] != "?"


def test_proxies_may_be_networks(tmp_path):
    s = settings_with(tmp_path, web='trusted_proxies = ["10.0.0.0/8", "fd00::/8", "192.0.2.1"]')
    assert s.trusted_proxies == ("10.0.0.0/8", "fd00::/8", "192.0.2.1")
