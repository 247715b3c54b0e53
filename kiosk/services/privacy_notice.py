"""The PDPA privacy notice the citizen accepts before an intake: Markdown a clerk edits in
kiosk/content/privacy.<lang>.md, read as it is (no database, no settings)."""

from __future__ import annotations

from pathlib import Path

CONTENT = Path(__file__).resolve().parent.parent / "content"


def privacy_notice(lang: str = "th") -> str:
    """The notice in `lang` (Thai unless English is asked for)."""
    path = CONTENT / f"privacy.{'en' if lang == 'en' else 'th'}.md"
    return path.read_text(encoding="utf-8")
