"""Item 11: words as people read them. The console's footer and lists in its language (no
"Select", "Dismiss menu", "palette"); no "log out" on the login screen; `--help` in Thai and
English down to argparse's own words; a missing config field names its line, in Thai too."""

from __future__ import annotations

import subprocess
import sys

import pytest
from textual.widgets import Footer, Select

from kiosk.config import SAMPLE_CONFIG, parse_settings
from kiosk.errors import ConfigError
from kiosk.i18n import translate
from screens.app import make_app
from tests.staff.pilot import settle

from ..staff.conftest import new_case
from .test_focus import open_step


def footer_text(app) -> str:
    footer = app.screen.query_one(Footer)
    return " ".join(f"{k.key_display} {k.description}" for k in footer.query("FooterKey"))


async def test_login_footer_has_no_logout_and_says_palette_in_thai(settings, actors):
    app = make_app(settings, "staff", "th")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = footer_text(app)
        assert translate("staff.key_logout", "th") not in text
        assert "palette" not in text and translate("staff.key_palette", "th") in text


async def test_staff_list_in_thai_and_its_menu_too(settings, actors):
    new_case()
    app = make_app(settings, "staff", "th")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_step(pilot, "assign")
        select = app.screen.query_one(Select)
        assert select.prompt == translate("workflow.choose_staff", "th")
        assert translate("workflow.choose_staff", "th") in str(select.query_one("#label").content)
        text = footer_text(app)
        await pilot.press("enter")
        await settle(pilot)
        text = footer_text(app)
        assert "Dismiss" not in text and "palette" not in text


def test_help_is_thai_and_english_down_to_argparse_words():
    for argv in ([], ["poster"], ["backup"]):
        out = subprocess.run([sys.executable, "kiosk.py", *argv, "--help"], capture_output=True, text=True,
                             timeout=60).stdout
        assert "ตัวเลือก / options:" in out and "แสดงวิธีใช้นี้แล้วจบ / show this help message and exit" in out
        assert "\noptions:" not in out and "usage: kiosk.py" not in out.replace("วิธีใช้ / usage: kiosk.py", "")


@pytest.mark.parametrize("section, key", [("centre", "name_th"), ("lao", "kind"), ("address", "subdistrict_code")])
def test_a_missing_field_names_its_line_in_both_languages(tmp_path, section, key):
    lines, kept, current, header = SAMPLE_CONFIG.read_text(encoding="utf-8").splitlines(), [], "", None
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("["):
            current = stripped.strip("[]").strip()
            if current == section and header is None:
                header = len(kept) + 1
        elif current == section and stripped.replace(" ", "").startswith(f"{key}="):
            continue
        kept.append(line)
    path = tmp_path / "kiosk.toml"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        parse_settings(path, path.read_text(encoding="utf-8"), environ={})
    exc = refused.value
    th, en = translate(exc.key, "th", **exc.params), translate(exc.key, "en", **exc.params)
    assert "?" not in th and "ต้องระบุ" in th and "is required" not in th, th
    assert "is required" in en and f"{section}.{key}" in th
    assert exc.params["line"] == header
