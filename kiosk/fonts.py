"""Where to find a Thai TrueType font for receipts (image and PDF).

Receipts are drawn with a real Thai font rather than printer code pages, so a missing font is
a setup problem worth a clear message (install Debian's fonts-thai-tlwg).
"""

from __future__ import annotations

import functools
import subprocess
from pathlib import Path

from kiosk.errors import KioskError

TLWG_DIR = Path("/usr/share/fonts/truetype/tlwg")
_PREFERRED = ("Garuda", "Loma", "Sarabun", "Norasi")
_FALLBACKS = (  # common places for Noto / Sarabun when tlwg is absent
    Path("/usr/share/fonts/truetype/noto/NotoSansThai-Regular.ttf"),
    Path("/usr/share/fonts/truetype/noto/NotoSansThai-Bold.ttf"),
    Path("/usr/share/fonts/opentype/noto/NotoSansThai-Regular.ttf"),
)


@functools.cache
def thai_font_path(bold: bool = False) -> Path:
    """A Thai TTF (bold when asked and available), or KioskError("receipt.no_thai_font")."""
    suffix = "-Bold" if bold else ""
    for family in _PREFERRED:
        for name in (f"{family}{suffix}.ttf", f"{family}.ttf"):
            for base in (TLWG_DIR, Path("/usr/share/fonts/truetype/thai")):
                if (base / name).is_file():
                    return base / name
    for path in (*_FALLBACKS, *_fc_list_thai()):
        if path.is_file() and path.suffix.lower() == ".ttf":
            return path
    raise KioskError(
        "receipt.no_thai_font",
        "No Thai TrueType font found; install the Debian package fonts-thai-tlwg",
    )


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
