"""A QR code drawn with half blocks, explicitly black on white.

Phones and zbar only read it with a light quiet zone around dark modules; on a dark theme
without explicit colours the code comes out inverted and unreadable.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from kiosk.qr import qr_half_block_lines

QR_STYLE = Style(color="#000000", bgcolor="#ffffff")


class QRCode(Widget):
    """Shows `data` as a QR code sized to its content (41×21 cells for a 60-character URL)."""

    can_focus = False

    DEFAULT_CSS = """
    QRCode {
        width: auto;
        height: auto;
        padding: 0;
        border: none;
        background: #ffffff;
        color: #000000;
    }
    """

    def __init__(self, data: str, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._lines = qr_half_block_lines(data)

    def update(self, data: str) -> None:
        """Show a new code (its size may change)."""
        self._lines = qr_half_block_lines(data)
        self.refresh(layout=True)

    def render(self) -> Text:
        return Text("\n".join(self._lines), style=QR_STYLE, no_wrap=True, overflow="crop", end="")

    def get_content_width(self, container, viewport) -> int:
        return len(self._lines[0])

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self._lines)
