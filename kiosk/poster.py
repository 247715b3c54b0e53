"""The A4 poster for the notice board and the sign: the centre's name, what it does, hours,
phones, where it is in words, and two QR codes (the map, and tracking a request).

One layout, measured with the Thai font itself, drawn twice: a PDF (fpdf2 with HarfBuzz
shaping, text stays searchable) and a PNG (Pillow with RAQM). Both place tone marks correctly."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from .config import Settings
from .fonts import add_pdf_fonts, pil_font
from .i18n import translate
from .qr import qr_png
from .receipt_drawing import _wrap
from .services import centre

PAGE_W, PAGE_H, MARGIN = 210.0, 297.0, 16.0  # mm
QR_MM = 62.0
PNG_DPI = 150
_PT_MM = 25.4 / 72  # one typographic point in mm


@dataclass(frozen=True)
class Line:
    """One line of text at a place on the page (mm from the top-left corner)."""

    y: float
    text: str
    size: float  # points
    bold: bool = False
    centre: bool = False
    under_x: float | None = None  # a caption: centred under the QR code that starts here


@dataclass(frozen=True)
class Code:
    x: float
    y: float
    data: str


@dataclass(frozen=True)
class Layout:
    lines: list[Line]
    codes: list[Code]
    rules: list[float]  # y of horizontal rules


def _measure_font(size_pt: float, bold: bool) -> ImageFont.FreeTypeFont:
    """A font scaled so one pixel is 0.01 mm: measures widths the way both outputs draw them."""
    return pil_font(max(1, round(size_pt * _PT_MM * 100)), bold)


class _Flow:
    def __init__(self) -> None:
        self.y, self.lines, self.rules = MARGIN, [], []

    def text(self, text: str, size: float, bold: bool = False, centre: bool = False, after: float = 0.0,
             width: float = PAGE_W - 2 * MARGIN) -> None:
        font = _measure_font(size, bold)
        for part in _wrap(text, font, int(width * 100)):
            self.lines.append(Line(self.y, part, size, bold, centre))
            self.y += size * _PT_MM * 1.45
        self.y += after

    def rule(self) -> None:
        self.y += 2
        self.rules.append(self.y)
        self.y += 4


def layout(settings: Settings, lang: str = "th") -> Layout:
    """Where everything goes on the page."""
    t = lambda key, **kw: translate(key, lang, **kw)  # noqa: E731
    f = _Flow()
    if settings.is_sample:  # the example centre, or QR codes that point at this machine
        f.text(t("poster.sample_mark"), 20, bold=True, centre=True)
        why = (t("poster.sample_why_local", url=settings.public_base_url) if settings.public_url_is_local
               else t("poster.sample_why_sample"))
        f.text(why, 11, centre=True, after=2)
    f.text(settings.centre_name(lang), 26, bold=True, centre=True, after=1)
    other = settings.centre_name_en if lang != "en" else settings.centre_name_th
    if other:
        f.text(other, 13, centre=True)
    f.rule()
    f.text(t("poster.what"), 14, after=3)
    f.text(t("info.hours"), 16, bold=True)
    for days, spec in centre.week_lines(settings.hours, lang):
        f.text(f"{days}  {spec}", 14)
    f.text(t("poster.holidays_closed"), 12, after=3)
    f.text(t("info.phones"), 16, bold=True)
    contacts = list(settings.phones)
    if settings.line_id:
        contacts.append(f"LINE {settings.line_id}")
    if settings.facebook:
        contacts.append(f"Facebook {settings.facebook}")
    f.text("   ".join(contacts), 14, after=3)
    f.text(t("poster.where"), 16, bold=True)
    f.text(centre.address_text(settings, lang), 14)
    if centre.directions(settings, lang):
        f.text(centre.directions(settings, lang), 14)
    f.y += 3
    f.text(t("info.emergency"), 14, bold=True)
    f.text("   ".join(f"{label} {number}" for label, number in centre.emergency_lines(settings, lang)), 13)
    # The two codes sit side by side under the text, captions below them.
    top = max(f.y + 6, PAGE_H - MARGIN - QR_MM - 24)
    gap = (PAGE_W - 2 * MARGIN - 2 * QR_MM) / 3
    xs = (MARGIN + gap, MARGIN + 2 * gap + QR_MM)
    codes = [Code(xs[0], top, centre.maps_url(settings)), Code(xs[1], top, centre.status_page_url(settings))]
    lines = list(f.lines)
    for x, key in zip(xs, ("info.qr_map", "info.qr_status")):
        lines.append(Line(top + QR_MM + 1, t(key), 13, bold=True, under_x=x))
    lines.append(Line(PAGE_H - MARGIN - 6, centre.status_page_url(settings), 10, centre=True))
    return Layout(lines, codes, f.rules)


def _x_of(line: Line, width_mm: float) -> float:
    if line.under_x is not None:
        return line.under_x + (QR_MM - width_mm) / 2
    return (PAGE_W - width_mm) / 2 if line.centre else MARGIN


def write_pdf(plan: Layout, path: Path, lang: str = "th", title: str = "") -> None:
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    add_pdf_fonts(pdf, "thai")
    pdf.set_text_shaping(True)
    pdf.set_lang(lang)
    pdf.set_title(title)
    pdf.add_page()
    for line in plan.lines:
        pdf.set_font("thai", "B" if line.bold else "", line.size)
        width = pdf.get_string_width(line.text)
        pdf.set_xy(_x_of(line, width), line.y)
        pdf.cell(width, line.size * _PT_MM * 1.2, line.text)
    pdf.set_line_width(0.6)
    for y in plan.rules:
        pdf.line(MARGIN, y, PAGE_W - MARGIN, y)
    for code in plan.codes:
        pdf.image(qr_png(code.data, None, box_size=10).convert("L"), x=code.x, y=code.y, w=QR_MM)
    pdf.output(str(path))


def render_png(plan: Layout, dpi: int = PNG_DPI) -> Image.Image:
    px = dpi / 25.4  # pixels per mm
    image = Image.new("L", (round(PAGE_W * px), round(PAGE_H * px)), 255)
    draw = ImageDraw.Draw(image)
    for line in plan.lines:
        font = pil_font(round(line.size * _PT_MM * px), line.bold)
        width_mm = font.getlength(line.text) / px
        draw.text((_x_of(line, width_mm) * px, line.y * px), line.text, font=font, fill=0)
    for y in plan.rules:
        draw.line((MARGIN * px, y * px, (PAGE_W - MARGIN) * px, y * px), fill=0, width=max(1, round(0.6 * px)))
    for code in plan.codes:
        qr = qr_png(code.data, None, box_size=1)
        side = round(QR_MM * px)
        image.paste(qr.resize((side, side), Image.Resampling.NEAREST).convert("L"), (round(code.x * px), round(code.y * px)))
    return image


def write_poster(settings: Settings, folder: Path, lang: str = "th") -> tuple[Path, Path]:
    """Write poster-<lang>.pdf and poster-<lang>.png into `folder`; returns both paths."""
    folder.mkdir(parents=True, exist_ok=True)
    plan = layout(settings, lang)
    pdf, png = folder / f"poster-{lang}.pdf", folder / f"poster-{lang}.png"
    write_pdf(plan, pdf, lang, settings.centre_name(lang))
    render_png(plan).save(png, format="PNG", dpi=(PNG_DPI, PNG_DPI))
    return pdf, png
