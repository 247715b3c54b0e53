"""Receipt image and PDF: Thai drawn with a Thai font, the QR readable from the page."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image, features

from kiosk.errors import ValidationError
from kiosk.receipt_drawing import Receipt, render_receipt_image, save_receipt_pdf, save_receipt_png
from tests.receipt.conftest import CENTRE, TRACKING_URL, need, zbar


def test_pillow_has_raqm_for_thai_shaping() -> None:
    """Without libraqm Pillow draws Thai tone marks in the wrong place."""
    assert features.check("raqm")


@pytest.mark.parametrize("width", [384, 576])
def test_receipt_png_has_a_readable_qr_and_thai_text(receipt: Receipt, tmp_path: Path, width: int) -> None:
    path = tmp_path / "receipt.png"
    save_receipt_png(receipt, path, width)
    image = Image.open(path)
    assert image.width == width and image.mode == "1"
    assert zbar(path) == [TRACKING_URL]
    title_band = image.crop((0, 0, width, width // 10))  # the Thai centre name
    assert title_band.histogram()[0] > width  # glyphs were drawn, not empty boxes or nothing


def test_receipt_image_is_pure_black_and_white(receipt: Receipt) -> None:
    histogram = render_receipt_image(receipt, 576).convert("L").histogram()
    assert {level for level, count in enumerate(histogram) if count} == {0, 255}


def test_naive_datetime_is_rejected(receipt: Receipt) -> None:
    with pytest.raises(ValidationError) as err:
        Receipt(**{**receipt.__dict__, "created_at": datetime(2026, 3, 5, 14, 7)})
    assert err.value.field == "created_at"


def test_pdf_keeps_thai_text_and_a_readable_qr(receipt: Receipt, tmp_path: Path) -> None:
    need("pdftoppm", "poppler-utils")
    pdf = tmp_path / "receipt.pdf"
    save_receipt_pdf(receipt, pdf)
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) == 1
    assert Image.open(pages[0]).width == pytest.approx(80 / 25.4 * 200, abs=2)  # 80 mm wide
    assert zbar(pages[0]) == [TRACKING_URL]
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    squeezed = "".join(text.split())  # pdftotext breaks lines and sometimes splits Thai clusters
    assert CENTRE in squeezed
    assert "WPK-69-00123" in squeezed
    assert "05/03/256914:07" in squeezed  # Buddhist Era


def test_core_modules_do_not_import_textual() -> None:
    code = "import sys, kiosk.qr, kiosk.fonts, kiosk.receipt_drawing, kiosk.printing; print('textual' in sys.modules)"
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True)
    assert out.stdout.strip() == "False"
