"""Read a QR code back from a real terminal: rebuild it from `tmux capture-pane -e -p` output.

Each character cell holds two modules (upper/lower half). Only cells drawn dark-on-white count
as the code, so a code drawn inverted (dark theme, no explicit colours) fails to decode — which
is exactly what a phone would do.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import unicodedata
from pathlib import Path

from PIL import Image

RGB = tuple[int, int, int]

_ANSI16: list[RGB] = [
    (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
    (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
]  # xterm's defaults
_CUBE = (0, 95, 135, 175, 215, 255)
_SGR = re.compile(r"\x1b\[([0-9;:]*)m")
_OTHER_ESCAPES = re.compile(r"\x1b(\[[0-9;:?]*[A-Za-ln-z]|\][^\x07]*\x07|[()][0-9A-Za-z])")


def xterm256(n: int) -> RGB:
    """The RGB colour of xterm palette entry `n`."""
    if n < 16:
        return _ANSI16[n]
    if n < 232:
        n -= 16
        return _CUBE[n // 36], _CUBE[n // 6 % 6], _CUBE[n % 6]
    grey = 8 + 10 * (n - 232)
    return grey, grey, grey


class _Pen:
    """SGR state: colours (None = terminal default) and reverse video."""

    def __init__(self) -> None:
        self.fg: RGB | None = None
        self.bg: RGB | None = None
        self.reverse = False

    def apply(self, params: str) -> None:
        codes = [int(p) if p else 0 for p in params.replace(":", ";").split(";")]
        i = 0
        while i < len(codes):
            code = codes[i]
            if code == 0:
                self.__init__()
            elif code == 7:
                self.reverse = True
            elif code == 27:
                self.reverse = False
            elif 30 <= code <= 37 or 90 <= code <= 97:
                self.fg = _ANSI16[code - 30 if code < 90 else code - 82]
            elif 40 <= code <= 47 or 100 <= code <= 107:
                self.bg = _ANSI16[code - 40 if code < 100 else code - 92]
            elif code == 39:
                self.fg = None
            elif code == 49:
                self.bg = None
            elif code in (38, 48) and i + 1 < len(codes):
                if codes[i + 1] == 5 and i + 2 < len(codes):
                    colour, i = xterm256(codes[i + 2]), i + 2
                elif codes[i + 1] == 2 and i + 4 < len(codes):
                    colour, i = (codes[i + 2], codes[i + 3], codes[i + 4]), i + 4
                else:
                    colour = None
                if code == 38:
                    self.fg = colour
                else:
                    self.bg = colour
            i += 1


Cell = tuple[str, RGB, RGB]  # character, foreground, background (after reverse video)


def parse_cells(captured: str, default_fg: RGB = (229, 229, 229), default_bg: RGB = (0, 0, 0)) -> list[list[Cell]]:
    """The screen as rows of cells; the SGR state carries across lines as in a terminal."""
    pen, rows = _Pen(), []
    for line in captured.split("\n"):
        row: list[Cell] = []
        line = _OTHER_ESCAPES.sub("", line.rstrip("\r"))
        pos = 0
        for match in [*_SGR.finditer(line), None]:
            for ch in line[pos : match.start() if match else len(line)]:
                if unicodedata.combining(ch) or unicodedata.category(ch) == "Mn":
                    continue
                fg, bg = pen.fg or default_fg, pen.bg or default_bg
                cell = (ch, bg, fg) if pen.reverse else (ch, fg, bg)
                row += [cell] * (2 if unicodedata.east_asian_width(ch) in "WF" else 1)
            if match:
                pen.apply(match.group(1))
                pos = match.end()
        rows.append(row)
    return rows


def _light(rgb: RGB) -> bool:
    r, g, b = rgb
    return 0.299 * r + 0.587 * g + 0.114 * b >= 128


def _halves(cell: Cell) -> tuple[RGB, RGB]:
    ch, fg, bg = cell
    return {"█": (fg, fg), "▀": (fg, bg), "▄": (bg, fg)}.get(ch, (bg, bg))


def _in_scheme(cell: Cell) -> bool:
    """A half block or space drawn dark on a light background."""
    ch, fg, bg = cell
    return _light(bg) and (ch == " " or (ch in "▀▄█" and not _light(fg)))


def _largest_region(rows: list[list[Cell]]) -> set[tuple[int, int]]:
    """The biggest 4-connected set of in-scheme cells: the QR and its quiet zone."""
    todo = {(y, x) for y, row in enumerate(rows) for x, cell in enumerate(row) if _in_scheme(cell)}
    best: set[tuple[int, int]] = set()
    while todo:
        stack, region = [todo.pop()], set()
        while stack:
            y, x = stack.pop()
            region.add((y, x))
            for near in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
                if near in todo:
                    todo.remove(near)
                    stack.append(near)
        best = max(best, region, key=len)
    return best


def qr_image_from_ansi(captured: str, scale: int = 8) -> Image.Image:
    """A black-and-white image of the QR drawn in the capture, `scale` pixels per module."""
    rows = parse_cells(captured)
    region = _largest_region(rows)
    if not region:
        return Image.new("1", (scale, scale), 1)
    top, bottom = min(y for y, _ in region), max(y for y, _ in region)
    left, right = min(x for _, x in region), max(x for _, x in region)
    image = Image.new("1", (right - left + 1, 2 * (bottom - top + 1)), 1)
    for y in range(top, bottom + 1):
        for x in range(left, right + 1):
            cell = rows[y][x] if x < len(rows[y]) else (" ", (0, 0, 0), (0, 0, 0))
            upper, lower = _halves(cell)
            image.putpixel((x - left, 2 * (y - top)), int(_light(upper)))
            image.putpixel((x - left, 2 * (y - top) + 1), int(_light(lower)))
    return image.resize((image.width * scale, image.height * scale), Image.Resampling.NEAREST)


def decode_qr(image: Image.Image) -> list[str]:
    """Every QR payload zbarimg finds in the image (empty when none)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "qr.png"
        image.save(path)
        done = subprocess.run(["zbarimg", "--raw", "-q", str(path)], capture_output=True, text=True, timeout=10)
    return [line for line in done.stdout.splitlines() if line]
