"""Every key the Thai parsers raise is in both catalogues, with the same keys in each."""

import re
from pathlib import Path

SOURCES = Path(__file__).parents[2] / "kiosk" / "thai"


def raised_keys() -> set[str]:
    return {k for p in SOURCES.glob("*.py") for k in re.findall(r'"(thai\.[a-z0-9_]+)"', p.read_text("utf-8"))}


def test_scan_finds_the_keys():
    assert {"thai.id_checksum", "thai.date_looks_ce", "thai.phone_invalid"} <= raised_keys()


def test_every_raised_key_is_in_both_catalogues(catalogues):
    for lang, catalogue in catalogues.items():
        assert raised_keys() <= catalogue.keys(), lang


def test_catalogues_have_the_same_keys_and_placeholders(catalogues):
    th, en = catalogues["th"], catalogues["en"]
    assert th.keys() == en.keys()
    for key in th:
        assert set(re.findall(r"{(\w+)}", th[key])) == set(re.findall(r"{(\w+)}", en[key])), key
