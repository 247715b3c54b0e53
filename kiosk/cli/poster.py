"""`kiosk.py poster [--out DIR] [--lang th|en]`: the A4 poster (PDF and PNG) for the notice board."""

from __future__ import annotations

import sys
from pathlib import Path

from ..i18n import translate
from .common import settings_from


def register(sub):
    p = sub.add_parser("poster", help="โปสเตอร์ A4 (PDF และ PNG) สำหรับบอร์ดประกาศ / the A4 poster (PDF and PNG)")
    p.add_argument("--out", metavar="DIR", default=".", help="โฟลเดอร์ที่จะเขียน / folder to write into (default .)")
    p.add_argument("--lang", choices=("th", "en"), default="th", help="ภาษา / language (default th)")
    return p


def run(args, env) -> int:
    from ..poster import write_poster  # fpdf and fontTools: ~0.2 s, only for this command

    settings = settings_from(args, create_sample=True)
    pdf, png = write_poster(settings, Path(args.out), args.lang)
    print(translate("poster.written", args.lang, pdf=pdf, png=png))
    if settings.public_url_is_local:  # the admin running this: said plainly, on stderr
        print(translate("poster.local_url_warning", args.lang, url=settings.public_base_url, path=settings.path),
              file=sys.stderr)
    return 0
