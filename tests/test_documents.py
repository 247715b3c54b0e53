"""Office documents (kiosk.documents) read back by the tools people open them with: openpyxl for
XLSX, Python's csv with the BOM Excel needs, pdftotext for the PDF's Thai text and page footer."""

from __future__ import annotations

import csv
import subprocess

from openpyxl import load_workbook

from kiosk.documents import Sheet, ThaiPDF, write_csv, write_xlsx
from tests.conftest import file_mode
from tests.receipt.conftest import need

ROWS = [[1, "นางบุญมี ใจดี", "12/3"], [2, "นายสมชาย กล้าหาญ", None]]


def test_xlsx_reads_back_with_its_header_frozen_and_private(tmp_path, umask_022):
    path = write_xlsx(tmp_path / "list.xlsx", [Sheet("รายชื่อ", ["ที่", "ชื่อ", "บ้านเลขที่"], ROWS),
                                              Sheet("สรุป", ["รวม"], [[2]])])
    book = load_workbook(path)
    assert book.sheetnames == ["รายชื่อ", "สรุป"]
    ws = book["รายชื่อ"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [["ที่", "ชื่อ", "บ้านเลขที่"], *ROWS]
    assert ws.freeze_panes == "A2" and ws["A1"].font.bold
    assert file_mode(path) == 0o600


def test_csv_has_a_bom_and_thai_intact(tmp_path, umask_022):
    path = write_csv(tmp_path / "list.csv", ["ที่", "ชื่อ", "บ้านเลขที่"], ROWS)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as f:
        assert list(csv.reader(f)) == [["ที่", "ชื่อ", "บ้านเลขที่"], ["1", "นางบุญมี ใจดี", "12/3"],
                                       ["2", "นายสมชาย กล้าหาญ", ""]]
    assert file_mode(path) == 0o600


def test_pdf_holds_thai_text_a_table_over_pages_and_a_dated_footer(tmp_path, umask_022):
    need("pdftotext", "poppler-utils")
    pdf = ThaiPDF("รายชื่อ", footer="26/11/2569 14:30")
    pdf.line_of("รายชื่อผู้ป่วยติดเตียง หมู่ 3", 16, bold=True, align="C")
    pdf.table_of(["ที่", "ชื่อ"], [[i, f"นางบุญมี ใจดี {i}"] for i in range(120)], widths=(10, 80))
    pdf.signature("เจ้าหน้าที่", "นายสมชาย กล้าหาญ")
    path = pdf.save(tmp_path / "list.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    squeezed = "".join(text.split())
    assert "รายชื่อผู้ป่วยติดเตียงหมู่3" in squeezed
    assert "นางบุญมีใจดี119" in squeezed
    pages = text.count("\f")
    assert pages >= 3 and "หน้า3/3" in squeezed and "พิมพ์เมื่อ26/11/256914:30" in squeezed
    assert text.count("ที่") >= pages  # the header row repeats on every page
    assert "ลงชื่อ" in text and "(นายสมชายกล้าหาญ)" in squeezed
    assert file_mode(path) == 0o600


def test_xlsx_keeps_typed_text_as_text(tmp_path):
    """A name typed as a formula or a link stays text in the sheet (no formula injection)."""
    typed = ["=HYPERLINK(\"http://x\",\"x\")", "http://example.com", "+66812345678", "0812345678", "12/3"]
    path = write_xlsx(tmp_path / "t.xlsx", [Sheet("x", ["typed"], [[v] for v in typed])])
    ws = load_workbook(path)["x"]
    cells = [row[0] for row in ws.iter_rows(min_row=2)]
    assert [c.value for c in cells] == typed and all(c.data_type == "s" for c in cells)
