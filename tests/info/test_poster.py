"""The A4 poster: both QR codes read from the printed page (PDF rendered by poppler) and from
the PNG, the Thai title is real text in the PDF, and the command writes both files."""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path

import pytest
from PIL import Image

from kiosk.cli import main
from kiosk.poster import PNG_DPI, layout, render_png
from kiosk.services import centre
from tests.conftest import write_config
from tests.receipt.conftest import need, zbar

MAP, TRACK = "https://maps.google.com/?q=20.405,99.885", "https://kiosk.example.go.th/track"


@pytest.fixture
def poster_config(tmp_path: Path) -> Path:
    path = write_config(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace(
        'public_base_url = "http://127.0.0.1:8080"', 'public_base_url = "https://kiosk.example.go.th"'), encoding="utf-8")
    return path


def without_marks(text: str) -> str:
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


def test_poster_command_writes_a_readable_a4_pdf_and_png(poster_config: Path, tmp_path: Path, capsys) -> None:
    need("pdftoppm", "poppler-utils")
    out = tmp_path / "out"
    assert main(["--config", str(poster_config), "poster", "--out", str(out)]) == 0
    pdf, png = out / "poster-th.pdf", out / "poster-th.png"
    assert str(pdf) in capsys.readouterr().out
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) == 1
    page = Image.open(pages[0])
    assert page.size == pytest.approx((210 / 25.4 * 150, 297 / 25.4 * 150), abs=2)  # A4
    assert sorted(zbar(pages[0])) == [TRACK, MAP]
    assert sorted(zbar(png)) == [TRACK, MAP]
    assert Image.open(png).size == pytest.approx(page.size, abs=1)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    squeezed = "".join(text.split())  # pdftotext breaks lines and sometimes splits Thai clusters
    # pdftotext orders a tone mark by where it is drawn: with Noto Sans Thai (the bundled font, when
    # the system has none) ่ sits at ช's right edge and comes out after ว ("ชว่ย"); the page is right
    assert without_marks("ศูนย์ช่วยเหลือประชาชนเทศบาลตำบลเวียงพางคำ") in without_marks(squeezed)
    assert "เทศบาลตำบลเวียงพางคำ" in squeezed
    for expected in ("เวลาทำการ", "จันทร์–ศุกร์08:30–16:30", "053-000-000", "@sample-wpk", "อำเภอแม่สาย",
                     "จังหวัดเชียงราย57130", "1669", "1784", "สแกนเพื่อเปิดแผนที่", "สแกนเพื่อติดตามเรื่อง"):
        assert expected in squeezed


def test_english_poster(poster_config: Path, tmp_path: Path) -> None:
    need("pdftotext", "poppler-utils")
    assert main(["--config", str(poster_config), "poster", "--out", str(tmp_path), "--lang", "en"]) == 0
    text = subprocess.run(["pdftotext", str(tmp_path / "poster-en.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = " ".join(text.split())
    assert "Citizen Help Centre, Wiang Phang Kham Subdistrict Municipality" in flat
    assert "Mon–Fri 08:30–16:30" in flat and "Mae Sai District" in flat
    assert sorted(zbar(tmp_path / "poster-en.png")) == [TRACK, MAP]


def test_everything_stays_on_the_page_and_thai_is_drawn(settings) -> None:
    plan = layout(settings, "th")
    assert all(16 <= line.y <= 297 - 16 for line in plan.lines)
    assert all(code.x >= 16 and code.x + 62 <= 210 - 16 for code in plan.codes)
    assert {code.data for code in plan.codes} == {centre.maps_url(settings), centre.status_page_url(settings)}
    image = render_png(plan)
    title_band = image.crop((0, int(16 / 25.4 * PNG_DPI), image.width, int(40 / 25.4 * PNG_DPI)))
    assert title_band.histogram()[0] > 2000  # the title's glyphs were drawn (not boxes or nothing)
