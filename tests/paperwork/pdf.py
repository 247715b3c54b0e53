"""Reading a PDF back as people see it: pdftotext's words (whitespace squeezed: Thai shaping
makes pdftotext split some clusters) and pdftoppm's page images."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.receipt.conftest import need


def pdf_text(path: Path) -> str:
    """The PDF's text with all whitespace removed (pdftotext -raw: in -layout mode it moves a
    vowel above the line, ื in ยื่น, to the next line)."""
    need("pdftotext", "poppler-utils")
    out = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split())


def squeeze(text: str) -> str:
    return "".join(text.split())


def rendered_pages(path: Path, folder: Path) -> list[Path]:
    """Each page rendered to PNG by pdftoppm (a PDF it cannot draw fails here)."""
    need("pdftoppm", "poppler-utils")
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(folder / "page")], check=True, capture_output=True)
    pages = sorted(folder.glob("page*.png"))
    assert pages and all(p.stat().st_size > 1000 for p in pages)
    return pages
