"""The citizen's receipt drawn: one layout as a 1-bit image (thermal printers, PNG) or a PDF.
What it says for a stored case, and where its files are kept, is kiosk.services.receipt.

Thai is drawn with a real font (RAQM / HarfBuzz shaping) instead of printer code pages, which
vary by model. Labels come translated from the caller, so this module needs no catalogue.
Label keys (kiosk.services.receipt.LABELS): ticket_no, date, category, next_steps, track, short_code, phone, hours.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from os import PathLike
from typing import Literal

from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from kiosk.errors import ValidationError
from kiosk.files import write_private
from kiosk.fonts import add_pdf_fonts, pil_font
from kiosk.qr import qr_matrix, qr_png
from kiosk.thai.dates import format_be_datetime


@dataclass(frozen=True)
class Receipt:
    """What the citizen takes home: the ticket, when, what next, and how to follow it."""

    centre_name: str
    ticket_no: str
    created_at: datetime
    category_label: str
    next_steps: str
    centre_phone: str
    centre_hours: str
    tracking_url: str
    short_code: str
    lang: Literal["th", "en"] = "th"
    labels: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.created_at.utcoffset() is None:
            raise ValidationError("receipt.naive_datetime", "created_at needs a time zone", field="created_at")

    def label(self, key: str) -> str:
        return self.labels.get(key, "")


def _labelled(receipt: Receipt, key: str, value: str) -> str:
    label = receipt.label(key)
    return f"{label}: {value}" if label else value


# ---------------------------------------------------------------- raster image (printers, PNG)

def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return pil_font(size, bold)


def _clusters(word: str) -> list[str]:
    """Split only where a line may break: never before a Thai mark or after a leading vowel."""
    out: list[str] = []
    for ch in word:
        if out and (unicodedata.category(ch) == "Mn" or ch == "\u0e33" or out[-1][-1] in "เแโใไ"):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Break at spaces or zero-width spaces (U+200B, how Thai text marks word ends); a run
    still wider than the paper breaks between clusters."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        parts = re.split("( |\u200b)", paragraph)
        for sep, word in zip(["", *parts[1::2]], parts[::2]):
            candidate = line + sep.strip("\u200b") + word if line else word
            if font.getlength(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            for cluster in _clusters(word):
                if line and font.getlength(line + cluster) > width:
                    lines.append(line)
                    line = ""
                line += cluster
        lines.append(line)
    return lines


class _Canvas:
    """A tall greyscale strip written top to bottom, cropped and made 1-bit at the end."""

    def __init__(self, width: int) -> None:
        self.width, self.margin, self.y = width, max(8, width // 24), max(8, width // 24)
        self.image = Image.new("L", (width, width * 3), 255)
        self.draw = ImageDraw.Draw(self.image)

    def _room(self, px: int) -> None:
        """Grow the strip when long text needs it."""
        if self.y + px > self.image.height:
            taller = Image.new("L", (self.width, 2 * (self.y + px)), 255)
            taller.paste(self.image)
            self.image, self.draw = taller, ImageDraw.Draw(taller)

    def text(self, text: str, font: ImageFont.FreeTypeFont, centre: bool = False) -> None:
        ascent, descent = font.getmetrics()
        usable = self.width - 2 * self.margin
        for line in _wrap(text, font, usable):
            self._room(ascent + descent)
            x = self.margin + (usable - font.getlength(line)) / 2 if centre else self.margin
            self.draw.text((x, self.y), line, font=font, fill=0)
            self.y += ascent + descent

    def gap(self, px: int) -> None:
        self.y += px

    def rule(self) -> None:
        self._room(self.width // 40)
        self.draw.line((self.margin, self.y, self.width - self.margin, self.y), fill=0, width=2)
        self.y += self.width // 40

    def paste_centred(self, image: Image.Image) -> None:
        self._room(image.height)
        self.image.paste(image.convert("L"), ((self.width - image.width) // 2, self.y))
        self.y += image.height

    def finish(self) -> Image.Image:
        self._room(self.margin)
        cropped = self.image.crop((0, 0, self.width, self.y + self.margin))
        return cropped.point(lambda v: 255 if v >= 128 else 0).convert("1", dither=Image.Dither.NONE)


def _fit(text: str, width: int, size: int, smallest: int = 12) -> ImageFont.FreeTypeFont:
    """The largest bold font from `size` down to `smallest` that keeps `text` on one line."""
    font = _font(size, True)
    while size > smallest and font.getlength(text) > width:
        size -= 2
        font = _font(size, True)
    return font


def render_receipt_image(receipt: Receipt, width_px: int) -> Image.Image:
    """The receipt as a 1-bit image `width_px` wide (384 for 58 mm paper, 576 for 80 mm)."""
    c = _Canvas(width_px)
    usable = width_px - 2 * c.margin
    body, small = _font(max(14, width_px // 20)), _font(max(12, width_px // 26))
    title = _fit(receipt.centre_name.replace("\u200b", ""), usable, width_px // 16, max(14, width_px // 24))
    c.text(receipt.centre_name, title, centre=True)
    c.rule()
    if receipt.label("ticket_no"):
        c.text(receipt.label("ticket_no"), body, centre=True)
    c.text(receipt.ticket_no, _fit(receipt.ticket_no, usable, width_px // 7), centre=True)
    c.gap(width_px // 40)
    c.text(_labelled(receipt, "date", format_be_datetime(receipt.created_at)), body)
    c.text(_labelled(receipt, "category", receipt.category_label), body)
    c.gap(width_px // 60)
    if receipt.label("next_steps"):
        c.text(receipt.label("next_steps"), _font(max(14, width_px // 20), bold=True))
    c.text(receipt.next_steps, body)
    c.rule()
    if receipt.label("track"):
        c.text(receipt.label("track"), body, centre=True)
    # About 60% of the paper: ~0.9 mm modules on 80 mm paper at 203 dpi, easy for phones.
    box = max(4, int(width_px * 0.6) // len(qr_matrix(receipt.tracking_url)))
    c.paste_centred(qr_png(receipt.tracking_url, None, box_size=box))
    c.text(_labelled(receipt, "short_code", receipt.short_code), body, centre=True)
    c.rule()
    c.text(_labelled(receipt, "phone", receipt.centre_phone), small)
    c.text(_labelled(receipt, "hours", receipt.centre_hours), small)
    return c.finish()


def save_receipt_png(receipt: Receipt, path: str | PathLike[str], width_px: int = 576) -> None:
    """The printer's picture as a PNG (for a screen preview or to send by chat)."""
    out = io.BytesIO()
    render_receipt_image(receipt, width_px).save(out, format="PNG")
    write_private(path, out.getvalue())  # a receipt names the case and its tracking link: 0600


# ---------------------------------------------------------------- PDF (text stays searchable)

_PDF_WIDTH_MM, _PDF_MARGIN_MM, _PDF_QR_MM = 80, 5, 40


def _pdf(receipt: Receipt, height_mm: float) -> tuple[FPDF, float]:
    """Lay the receipt out on an 80 mm page; returns the PDF and where the content ended."""
    pdf = FPDF(unit="mm", format=(_PDF_WIDTH_MM, height_mm))
    pdf.set_margins(_PDF_MARGIN_MM, _PDF_MARGIN_MM, _PDF_MARGIN_MM)
    pdf.set_auto_page_break(False)
    add_pdf_fonts(pdf, "thai")
    pdf.set_text_shaping(True)
    pdf.set_lang(receipt.lang)
    pdf.set_title(receipt.ticket_no)
    pdf.add_page()

    def line(text: str, size: float, style: str = "", align: str = "L", height: float = 5.5) -> None:
        if text:
            pdf.set_font("thai", style, size)
            # fpdf2 breaks lines at spaces only; drop U+200B rather than risk a missing glyph.
            pdf.multi_cell(0, height, text.replace("\u200b", ""), align=align, new_x="LMARGIN", new_y="NEXT")

    def rule() -> None:
        pdf.ln(1)
        pdf.line(_PDF_MARGIN_MM, pdf.get_y(), _PDF_WIDTH_MM - _PDF_MARGIN_MM, pdf.get_y())
        pdf.ln(2)

    line(receipt.centre_name, 14, "B", "C", 7)
    rule()
    line(receipt.label("ticket_no"), 11, align="C")
    line(receipt.ticket_no, 22, "B", "C", 10)
    line(_labelled(receipt, "date", format_be_datetime(receipt.created_at)), 11)
    line(_labelled(receipt, "category", receipt.category_label), 11)
    line(receipt.label("next_steps"), 11, "B")
    line(receipt.next_steps, 11)
    rule()
    line(receipt.label("track"), 11, align="C")
    x = (_PDF_WIDTH_MM - _PDF_QR_MM) / 2
    pdf.image(qr_png(receipt.tracking_url, None, box_size=10).convert("L"), x=x, y=pdf.get_y(), w=_PDF_QR_MM)
    pdf.set_y(pdf.get_y() + _PDF_QR_MM)
    line(_labelled(receipt, "short_code", receipt.short_code), 11, align="C")
    rule()
    line(_labelled(receipt, "phone", receipt.centre_phone), 10)
    line(_labelled(receipt, "hours", receipt.centre_hours), 10)
    return pdf, pdf.get_y()


def save_receipt_pdf(receipt: Receipt, path: str | PathLike[str]) -> None:
    """An 80 mm wide PDF, as long as its content, Thai font embedded and shaped."""
    _, end = _pdf(receipt, 5000)  # PDF's largest page; the first pass measures, second pass cuts the page to fit
    pdf, _ = _pdf(receipt, end + _PDF_MARGIN_MM)
    write_private(path, bytes(pdf.output()))
