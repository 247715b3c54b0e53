"""QR codes: quiet zone, terminal size, and a PNG a scanner reads."""

from __future__ import annotations

from pathlib import Path

from kiosk.qr import qr_half_block_lines, qr_matrix, qr_png
from tests.receipt.conftest import zbar

URL60 = "https://help.example.go.th/track/" + "a" * 27


def test_matrix_has_a_four_module_quiet_zone() -> None:
    matrix = qr_matrix(URL60)
    size = len(matrix)
    assert all(len(row) == size for row in matrix)
    border = [matrix[y][x] for y in range(size) for x in range(size) if min(x, y, size - 1 - x, size - 1 - y) < 4]
    assert not any(border)
    assert matrix[4][4] and matrix[4][size - 5] and matrix[size - 5][4]  # finder patterns just inside


def test_half_blocks_fit_a_60_character_url_in_41_by_21_cells() -> None:
    lines = qr_half_block_lines(URL60)
    assert len(URL60) == 60
    assert (len(lines[0]), len(lines)) == (41, 21)
    assert set("".join(lines)) <= set(" ▀▄█")
    assert lines[0].strip() == "" and lines[-1].strip() == ""


def test_png_decodes_to_the_exact_url(tmp_path: Path) -> None:
    path = tmp_path / "qr.png"
    image = qr_png(URL60, path, box_size=4)
    assert image.getpixel((0, 0)) == 1  # white quiet zone
    assert zbar(path) == [URL60]
