"""Every string comes from a catalogue; Thai and English have exactly the same keys, and every
key the code names literally exists."""

from __future__ import annotations

import re
from pathlib import Path

from db.reference import CATEGORIES, STATUSES
from kiosk.i18n import LANGUAGES, catalogue, translate

ROOT = Path(__file__).resolve().parent.parent


def test_languages_have_the_same_keys():
    th, en = set(catalogue("th")), set(catalogue("en"))
    assert th - en == set(), "missing in English"
    assert en - th == set(), "missing in Thai"


def test_same_placeholders_in_both_languages():
    fields = re.compile(r"{(\w+)}")
    diff = {k: v for k, v in catalogue("th").items() if set(fields.findall(v)) != set(fields.findall(catalogue("en")[k]))}
    assert diff == {}


def test_every_category_and_status_has_a_label():
    keys = [f"category.{c}" for area, (_b, subs) in CATEGORIES.items() for c in (area, *subs)]
    keys += [f"status.{s}" for s in STATUSES]
    for lang in LANGUAGES:
        assert [k for k in keys if k not in catalogue(lang)] == []


def test_keys_named_in_the_code_exist():
    """Literal keys passed to t()/translate()/errors, e.g. t("home.welcome"), must be in the catalogue."""
    areas = {p.stem for p in (ROOT / "kiosk" / "i18n" / "th").glob("*.toml")}
    pattern = re.compile(r"""["']((""" + "|".join(sorted(areas)) + r""")\.[a-z0-9_]+(?:\.[a-z0-9_]+)*)["']""")
    not_keys = (".tcss", ".py", ".md", ".toml", "_", ".")  # file names ("info.tcss") and key prefixes
    missing = set()
    for folder in ("kiosk", "screens"):
        for path in (ROOT / folder).rglob("*.py"):
            for key, _area in pattern.findall(path.read_text(encoding="utf-8")):
                if key not in catalogue("th") and not key.endswith(not_keys):
                    missing.add(f"{path.relative_to(ROOT)}: {key}")
    assert sorted(missing) == []


def test_translate_formats_and_falls_back():
    assert translate("status.received", "th") == "รับเรื่องแล้ว"
    assert translate("status.received", "en") == "Received"
    assert "5" in translate("errors.login_locked", "en", minutes=5)
    assert translate("no.such.key", "th") == "no.such.key"


def test_screens_hold_no_thai_text():
    """Thai the user reads comes from the catalogue, not from string literals in screens
    (docstrings and Thai digits in input patterns aside)."""
    import ast

    letters = re.compile(r"[\u0e01-\u0e4f]")  # Thai letters and marks, not digits
    found = []
    for path in (ROOT / "screens").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                      and node.body and isinstance(node.body[0], ast.Expr)}
        found += [f"{path.relative_to(ROOT)}:{node.lineno}: {node.value[:40]!r}" for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str)
                  and id(node) not in docstrings and letters.search(node.value)]
    assert found == []
