"""Office documents the centre hands out or files: spreadsheets (XLSX, CSV with a BOM so Excel
reads Thai) and printable A4 PDFs with a Thai font. One way of writing each, shared by the survey
register, the monthly INFO report and the regulation's forms.

Every file is written atomically and private (kiosk.files.write_private): a crash leaves the old
file or none, never half, and these files hold personal data."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from .files import write_private
from .fonts import thai_font_path
from .i18n import translate
from .thai.dates import format_be_datetime, now_bangkok


@dataclass
class Sheet:
    """One worksheet: a title (≤ 31 characters, Excel's limit), the header row and the rows."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[object]]
    widths: Sequence[float] = field(default_factory=tuple)  # column widths in characters; guessed when empty


def write_xlsx(path: Path, sheets: Sequence[Sheet]) -> Path:
    """An XLSX with one worksheet per Sheet: bold frozen header, a filter on it, readable widths.
    Written with XlsxWriter (twice openpyxl's speed: 12,000 rows of 26 columns in about a second),
    text kept as text: a typed "=HYPERLINK(…)" or "http://…" is never turned into a formula or link."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                     "strings_to_numbers": False})
    bold = book.add_format({"bold": True})
    for sheet in sheets:
        ws = book.add_worksheet(sheet.title[:31])
        ws.write_row(0, 0, [str(h) for h in sheet.header], bold)
        longest = [len(str(h)) for h in sheet.header]
        last = 0
        for last, row in enumerate(sheet.rows, start=1):
            for i, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, str):
                    ws.write_string(last, i, value)
                    size = len(value)
                else:
                    ws.write(last, i, value)
                    size = len(str(value))
                if i < len(longest) and size > longest[i]:
                    longest[i] = min(size, 60)
        ws.freeze_panes(1, 0)
        if sheet.header:
            ws.autofilter(0, 0, max(last, 1), len(sheet.header) - 1)
        for i, width in enumerate(sheet.widths or [w + 2 for w in longest]):
            ws.set_column(i, i, width)
    book.close()
    return write_private(path, out.getvalue())


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    """A CSV in UTF-8 with a byte-order mark, which Excel needs to show Thai instead of mojibake."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return write_private(path, "\ufeff" + out.getvalue())


# Bar colours that stay apart in print and in greyscale: blue, orange, green, red, purple, brown
CHART_COLOURS = ((31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189), (140, 86, 75))


class ThaiPDF(FPDF):
    """An A4 page with the Thai font embedded and shaped (HarfBuzz), and a footer that says when
    it was printed (BE) and the page number, so a paper copy can be dated and kept in order."""

    def __init__(self, title: str, *, landscape: bool = False, lang: str = "th", footer: str = "") -> None:
        super().__init__(orientation="L" if landscape else "P", unit="mm", format="A4")
        self.lang = lang
        self.add_font("thai", "", str(thai_font_path()))
        self.add_font("thai", "B", str(thai_font_path(bold=True)))
        self.set_text_shaping(True)
        self.set_lang(lang)
        self.set_title(title)
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=15)
        self.printed = footer or format_be_datetime(now_bangkok())
        self.alias_nb_pages()
        self.add_page()

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font("thai", "", 8)
        self.cell(0, 5, translate("documents.footer", self.lang, printed=self.printed, page=self.page_no(), pages="{nb}"),
                  align="R")

    def line_of(self, text: str, size: float = 12, *, bold: bool = False, align: str = "L", height: float = 0) -> None:
        """A paragraph, wrapped to the page (fpdf2 breaks at spaces; U+200B dropped for the font's sake)."""
        self.set_font("thai", "B" if bold else "", size)
        self.multi_cell(0, height or size * 0.55, text.replace("\u200b", ""), align=align,
                        new_x="LMARGIN", new_y="NEXT")

    def gap(self, mm: float = 3) -> None:
        self.ln(mm)

    def table_of(self, header: Sequence[str], rows: Iterable[Sequence[object]], *,
                 widths: Sequence[float] | None = None, size: float = 10,
                 align: Sequence[str] | None = None) -> None:
        """A table with its header repeated on every page; `widths` relative, `align` per column (L/C/R)."""
        self.set_font("thai", "", size)
        with self.table(col_widths=tuple(widths) if widths else None, text_align=tuple(align) if align else "LEFT",
                        headings_style=FontFace(emphasis="BOLD", fill_color=(230, 230, 230)),
                        line_height=size * 0.55, first_row_as_headings=True, repeat_headings=1) as table:
            table.row([str(h) for h in header])
            for row in rows:
                table.row(["" if v is None else str(v).replace("\u200b", "") for v in row])

    def bars_of(self, title: str, labels: Sequence[str], stacks: Sequence[Sequence[float]], legend: Sequence[str], *,
                height: float = 55) -> None:
        """A stacked bar chart drawn with fpdf2's lines and rectangles: one bar per label, one
        colour per series (`stacks[i][j]` is series j of bar i), its total above it, a legend below."""
        if self.get_y() + height + 40 > self.h - self.b_margin:
            self.add_page()
        self.line_of(title, 12, bold=True)
        left, top = self.l_margin + 8, self.get_y() + 4
        width = self.w - self.r_margin - left
        totals = [sum(bar) for bar in stacks]
        most = max([*totals, 1])
        step = width / max(len(labels), 1)
        bottom = top + height
        self.set_draw_color(120, 120, 120)
        self.set_line_width(0.2)
        self.line(left, bottom, left + width, bottom)
        self.line(left, top, left, bottom)
        self.set_font("thai", "", 7)
        for tick in (0, most / 2, most):
            y = bottom - height * tick / most
            self.set_xy(self.l_margin - 2, y - 2)
            self.cell(9, 4, f"{tick:,.0f}", align="R")
        for i, (label, bar) in enumerate(zip(labels, stacks, strict=True)):
            x, y = left + i * step + step * 0.15, bottom
            for j, value in enumerate(bar):
                h = height * value / most
                if h > 0:
                    self.set_fill_color(*CHART_COLOURS[j % len(CHART_COLOURS)])
                    self.rect(x, y - h, step * 0.7, h, style="F")
                    y -= h
            self.set_xy(left + i * step, y - 4)
            self.cell(step, 4, f"{totals[i]:,.0f}" if totals[i] else "", align="C")
            self.set_xy(left + i * step, bottom + 1)
            self.cell(step, 4, label, align="C")
        self.set_y(bottom + 7)
        x = self.l_margin
        for j, name in enumerate(legend):
            w = self.get_string_width(name) + 8
            if x + w > self.w - self.r_margin:
                x = self.l_margin
                self.ln(5)
            self.set_fill_color(*CHART_COLOURS[j % len(CHART_COLOURS)])
            self.rect(x, self.get_y() + 1, 3, 3, style="F")
            self.set_xy(x + 4, self.get_y())
            self.cell(w - 4, 5, name)
            x += w
        self.ln(7)

    def signature(self, label: str, name: str = "", *, width: float = 80) -> None:
        """A signature line, the signer's name in brackets under it, and their role or label."""
        self.set_font("thai", "", 12)
        x = self.w - self.r_margin - width
        self.set_x(x)
        self.cell(width, 8, translate("documents.sign", self.lang, line="." * 40), align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_x(x)
        self.cell(width, 7, f"( {name or '.' * 36} )", align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_x(x)
        self.cell(width, 7, label, align="C", new_x="LMARGIN", new_y="NEXT")

    def save(self, path: Path) -> Path:
        return write_private(path, bytes(self.output()))


def stamped(name: str, when: datetime | None = None) -> str:
    """A file name with the BE date and time it was made: `survey-2569-11-26-1430.xlsx` style stems."""
    when = when or now_bangkok()
    return f"{name}-{when.year + 543}-{when:%m-%d-%H%M}"
