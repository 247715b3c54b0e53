"""Thai without system fonts: with the font search pointed at an empty folder (KIOSK_FONT_DIRS),
the Noto Sans Thai that comes with the Python dependencies draws receipts and posters — real
Thai glyphs (not boxes), a bold heavier than the regular, Thai text in the PDFs."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from PIL import Image

from kiosk import fonts
from kiosk.cli import main
from kiosk.receipt_drawing import Receipt, render_receipt_image, save_receipt_pdf, save_receipt_png
from tests.conftest import write_config
from tests.receipt.conftest import CENTRE, TRACKING_URL, need, zbar


@pytest.fixture
def no_system_fonts(tmp_path: Path, monkeypatch) -> Path:
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    monkeypatch.setenv(fonts.ENV_DIRS, str(empty))
    return empty


def _bare(text: str) -> str:
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


def _ink(image: Image.Image) -> int:
    return image.convert("L").histogram()[0] + sum(image.convert("L").histogram()[:128])


def test_the_bundled_font_is_used_when_the_system_has_none(no_system_fonts: Path) -> None:
    regular, bold = fonts.thai_font(), fonts.thai_font(bold=True)
    assert regular.bundled and bold.bundled
    assert regular.path == fonts.bundled_font_path() and regular.path.suffix == ".ttf"
    assert (regular.weight, bold.weight) == (400, 700)
    assert (regular.path.parent.parent / "LICENSE").read_text(encoding="utf-8").count("SIL Open Font License") >= 1


def test_bundled_font_draws_thai_glyphs_not_boxes(no_system_fonts: Path) -> None:
    font = fonts.pil_font(48)
    masks = {ch: bytes(font.getmask(ch)) for ch in "กขคงจ"}
    assert len(set(masks.values())) == 5  # a missing glyph draws the same box for each
    assert font.getlength("น้ำ") < font.getlength("นาม")  # marks stack above, not beside (Raqm shaping)
    regular = Image.new("L", (400, 80), 255)
    bold = regular.copy()
    from PIL import ImageDraw

    ImageDraw.Draw(regular).text((4, 4), "ศูนย์ช่วยเหลือ", font=fonts.pil_font(40), fill=0)
    ImageDraw.Draw(bold).text((4, 4), "ศูนย์ช่วยเหลือ", font=fonts.pil_font(40, bold=True), fill=0)
    assert _ink(bold) > _ink(regular) * 1.2  # the variable font's bold weight was chosen


def test_receipt_png_and_pdf_without_system_fonts(no_system_fonts: Path, receipt: Receipt, tmp_path: Path) -> None:
    png = tmp_path / "receipt.png"
    save_receipt_png(receipt, png, 576)
    image = Image.open(png)
    assert image.crop((0, 0, 576, 57)).histogram()[0] > 576  # the Thai centre name was drawn
    assert render_receipt_image(receipt, 384).width == 384
    pdf = tmp_path / "receipt.pdf"
    save_receipt_pdf(receipt, pdf)
    assert zbar(png) == [TRACKING_URL]
    need("pdftotext", "poppler-utils")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert CENTRE in "".join(text.split())


def test_poster_pdf_has_thai_text_without_system_fonts(no_system_fonts: Path, tmp_path: Path) -> None:
    config = write_config(tmp_path)
    out = tmp_path / "out"
    assert main(["--config", str(config), "poster", "--out", str(out)]) == 0
    assert (out / "poster-th.png").stat().st_size > 0
    need("pdftotext", "poppler-utils")
    text = subprocess.run(["pdftotext", str(out / "poster-th.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    squeezed = "".join(text.split())
    # pdftotext orders a tone mark by where it is drawn: over ว Noto sets ่ a little left (ชว่ย)
    assert _bare("ศูนย์ช่วยเหลือประชาชนเทศบาลตำบลเวียงพางคำ") in _bare(squeezed)
    assert "เทศบาลตำบลเวียงพางคำ" in squeezed and "เวลาทำการ" in squeezed


def test_a_font_in_the_searched_folder_comes_before_the_bundled_one(no_system_fonts: Path) -> None:
    shutil.copy(fonts.bundled_font_path(), no_system_fonts / "Loma.ttf")
    chosen = fonts.thai_font()
    assert chosen == fonts.ThaiFont(no_system_fonts / "Loma.ttf")
    assert not chosen.bundled


def test_without_any_font_the_error_names_the_package(no_system_fonts: Path, monkeypatch) -> None:
    from kiosk.errors import KioskError

    monkeypatch.setattr(fonts, "bundled_font_path", lambda: None)
    fonts._thai_font.cache_clear()
    try:
        with pytest.raises(KioskError) as err:
            fonts.thai_font()
        assert err.value.key == "receipt.no_thai_font"
    finally:
        fonts._thai_font.cache_clear()
