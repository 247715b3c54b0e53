"""QR codes for tickets: one matrix, drawn for the terminal (half blocks) or as an image.

Level M and a 4-module quiet zone everywhere: scanners (and zbar) need the quiet zone, and
the terminal drawing must be black on white or phones see an inverted code.
"""

from __future__ import annotations

from os import PathLike

import qrcode
from PIL import Image

QUIET_ZONE = 4

# (upper dark, lower dark) -> the character that draws them in the foreground colour.
_HALF_BLOCKS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def qr_matrix(data: str) -> list[list[bool]]:
    """Modules of `data` (True = dark), quiet zone included."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(data)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def qr_half_block_lines(data: str) -> list[str]:
    """Two module rows per text line; draw them black on white (dark modules = foreground)."""
    matrix = qr_matrix(data)
    if len(matrix) % 2:
        matrix.append([False] * len(matrix[0]))  # one more light row only widens the quiet zone
    return [
        "".join(_HALF_BLOCKS[upper, lower] for upper, lower in zip(top, bottom))
        for top, bottom in zip(matrix[::2], matrix[1::2])
    ]


def qr_png(data: str, path: str | PathLike[str] | None = None, box_size: int = 8) -> Image.Image:
    """A 1-bit image of the code, black on white; saved as PNG when `path` is given."""
    matrix = qr_matrix(data)
    size = len(matrix)
    image = Image.new("1", (size, size), 1)
    image.putdata([0 if dark else 1 for row in matrix for dark in row])
    image = image.resize((size * box_size, size * box_size), Image.Resampling.NEAREST)
    if path is not None:
        image.save(path, format="PNG")
    return image
