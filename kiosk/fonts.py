"""Where to find a Thai TrueType font for receipts and posters (image and PDF).

Receipts are drawn with a real Thai font rather than printer code pages. The system's fonts come
first (Debian's fonts-thai-tlwg: Garuda, Loma…; Noto Sans Thai; whatever fontconfig knows);
when there is none, Noto Sans Thai from the Python package ``fontpkg-noto-sans-thai`` (SIL Open
Font License 1.1, installed with the other dependencies) is used, so Thai renders on any machine
``uv`` runs on.

``KIOSK_FONT_DIRS`` (folders separated by ``:``) replaces the system search: only those folders
are looked at, fontconfig is not asked. Pointed at an empty folder it shows what a machine
without Thai fonts does (the bundled font).

The bundled file is a variable font (weight 100–900 in one file): ``pil_font`` and
``add_pdf_fonts`` pick the regular and bold weights from it, so callers need not care.
"""

from __future__ import annotations

import functools
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.errors import KioskError

if TYPE_CHECKING:
    from fpdf import FPDF
    from PIL import ImageFont

TLWG_DIR = Path("/usr/share/fonts/truetype/tlwg")
SYSTEM_DIRS = (TLWG_DIR, Path("/usr/share/fonts/truetype/thai"))
_PREFERRED = ("Garuda", "Loma", "Sarabun", "Norasi")
_FALLBACKS = (  # common places for Noto / Sarabun when tlwg is absent
    Path("/usr/share/fonts/truetype/noto/NotoSansThai-Regular.ttf"),
    Path("/usr/share/fonts/truetype/noto/NotoSansThai-Bold.ttf"),
    Path("/usr/share/fonts/opentype/noto/NotoSansThai-Regular.ttf"),
)
ENV_DIRS = "KIOSK_FONT_DIRS"
REGULAR, BOLD = 400, 700


@dataclass(frozen=True)
class ThaiFont:
    """A font file and, for a variable font, the weight to draw with (None: use the file as is)."""

    path: Path
    weight: int | None = None
    bundled: bool = False


def thai_font(bold: bool = False) -> ThaiFont:
    """The Thai font to draw with: the system's, else the bundled Noto Sans Thai."""
    return _thai_font(bold, os.environ.get(ENV_DIRS))


def thai_font_path(bold: bool = False) -> Path:
    """The file of ``thai_font(bold)`` (for a variable font, pick the weight: use ``pil_font``)."""
    return thai_font(bold).path


def pil_font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """A Pillow font with complex-text layout (Raqm), at the bold weight when asked."""
    from PIL import ImageFont

    chosen = thai_font(bold)
    font = ImageFont.truetype(str(chosen.path), size, layout_engine=ImageFont.Layout.RAQM)
    if chosen.weight is not None:
        axes = font.get_variation_axes()
        font.set_variation_by_axes([
            chosen.weight if axis["name"] in (b"Weight", "Weight") else axis["default"] for axis in axes
        ])
    return font


def add_pdf_fonts(pdf: FPDF, family: str = "thai") -> None:
    """Register the regular ("") and bold ("B") Thai styles of ``family`` with an fpdf2 document."""
    for style, bold in (("", False), ("B", True)):
        chosen = thai_font(bold)
        variations = {"wght": float(chosen.weight)} if chosen.weight is not None else None
        pdf.add_font(family, style, str(chosen.path), variations=variations)


def bundled_font_path() -> Path | None:
    """The variable Noto Sans Thai installed with the Python dependencies, if it is there."""
    try:
        import fontpkg_noto_sans_thai
    except ImportError:
        return None
    found = sorted((Path(fontpkg_noto_sans_thai.ROOT) / "files").glob("*.ttf"))
    return found[0] if found else None


@functools.cache
def _thai_font(bold: bool, env_dirs: str | None) -> ThaiFont:
    system = _system_font(bold, env_dirs)
    if system is not None:
        return ThaiFont(system)
    bundled = bundled_font_path()
    if bundled is not None:
        return ThaiFont(bundled, BOLD if bold else REGULAR, bundled=True)
    raise KioskError(
        "receipt.no_thai_font",
        "No Thai TrueType font found; install the Debian package fonts-thai-tlwg",
    )


def _system_font(bold: bool, env_dirs: str | None) -> Path | None:
    if env_dirs is not None:
        dirs = tuple(Path(d) for d in env_dirs.split(os.pathsep) if d)
        candidates = [p for d in dirs if d.is_dir() for p in sorted(d.rglob("*.ttf"))]
        by_name = {p.name: p for p in reversed(candidates)}
        fallbacks = [p for p in candidates if "thai" in p.name.lower()]
    else:
        by_name = {name: base / name for base in SYSTEM_DIRS for name in _names(bold) if (base / name).is_file()}
        fallbacks = [*_FALLBACKS, *_fc_list_thai()]
    for name in _names(bold):
        if name in by_name:
            return by_name[name]
    for path in fallbacks:
        if path.is_file() and path.suffix.lower() == ".ttf":
            return path
    return None


def _names(bold: bool) -> list[str]:
    suffix = "-Bold" if bold else ""
    return [name for family in _PREFERRED for name in (f"{family}{suffix}.ttf", f"{family}.ttf")]


def _fc_list_thai() -> list[Path]:
    """Thai-capable fonts fontconfig knows about, Noto Sans Thai first."""
    try:
        out = subprocess.run(
            ["fc-list", ":lang=th", "file"], capture_output=True, text=True, timeout=5, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    paths = [Path(line.strip().rstrip(":")) for line in out.splitlines() if line.strip()]
    return sorted(paths, key=lambda p: "NotoSansThai" not in p.name)
