"""The shared page layout of the public web: header (centre name, sample badge, language
toggle), the page's own main part, and a footer with the centre's contact details.

How a route module makes a page (this is the whole API)::

    from kiosk.web.pages import esc, page
    from kiosk.web.base import Tr, lang_of, uses_database

    @uses_database("citizen")           # sync endpoint: runs in a worker thread of the citizens' lane
    def info(request):
        t = Tr(lang_of(request))
        main = f"<h1>{esc(t('info.title'))}</h1><p>{esc(text_from_a_service)}</p>"
        return page(request, title=t("info.title"), main=main)

`main` is HTML you build yourself: pass EVERY piece of stored or typed text through `esc()`
(there is no template engine to do it for you). `page()` adds the security and no-cache headers
through the app's middleware, the Thai font stack and CSS from /static, and the toggle link
(`?lang=en` / `?lang=th` on the same path). `contact_block(settings, t)` is the centre's phone,
hours and address, usable on any page; `page(..., status_code=404)` for error pages.
"""

from __future__ import annotations

from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse

from kiosk.config import Settings
from kiosk.services import centre

from .base import Tr, lang_of, settings_of

STATIC_VERSION = "1"  # bump when static files change, so browsers fetch them again


def esc(text: object) -> str:
    """HTML-escape any text (quotes too: safe inside attributes)."""
    return escape(str(text), quote=True)


def contact_block(settings: Settings, t: Tr) -> str:
    """The centre's name, address, directions, phones (tap to call), LINE and opening hours."""
    lang = t.lang
    directions = centre.directions(settings, lang)
    phones = "".join(f'<li><a href="tel:{esc(p.replace("-", "").replace(" ", ""))}">{esc(p)}</a></li>'
                     for p in settings.phones)
    hours = "".join(f"<tr><th scope=row>{esc(d)}</th><td>{esc(h)}</td></tr>"
                    for d, h in centre.week_lines(settings.hours, lang))
    parts = [f'<section class="contact" aria-labelledby="contact-h"><h2 id="contact-h">{esc(t("web.contact"))}</h2>',
             f"<p><strong>{esc(settings.centre_name(lang))}</strong><br>{esc(centre.address_text(settings, lang))}</p>"]
    if directions:
        parts.append(f"<p>{esc(directions)}</p>")
    if phones:
        parts.append(f"<h3>{esc(t('web.phones'))}</h3><ul class=phones>{phones}</ul>")
    if settings.line_id:
        parts.append(f"<p>{esc(t('web.line'))}: {esc(settings.line_id)}</p>")
    parts.append(f"<h3>{esc(t('web.hours'))}</h3><table class=hours>{hours}</table></section>")
    return "".join(parts)


_contact_blocks: dict[tuple[int, str], str] = {}


def cached_contact_block(settings: Settings, lang: str) -> str:
    """contact_block() depends on the settings only: built once per language (Settings never
    change while the server runs)."""
    key = (id(settings), lang)
    if key not in _contact_blocks:
        _contact_blocks[key] = contact_block(settings, Tr(lang))
    return _contact_blocks[key]


def page(request: Request, *, title: str, main: str, status_code: int = 200, lang: str | None = None,
         contact: bool = True) -> HTMLResponse:
    """A whole HTML page around `main` (already-escaped HTML)."""
    settings = settings_of(request)
    lang = lang or lang_of(request)
    t = Tr(lang)
    other = "en" if lang == "th" else "th"
    badge = f'<span class="badge">{esc(t("web.sample_badge"))}</span>' if settings.sample else ""
    footer = cached_contact_block(settings, lang) if contact else ""
    html = (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)} · {esc(settings.centre_name(lang))}</title>"
        f'<link rel="stylesheet" href="/static/site.css?v={STATIC_VERSION}">'
        f'<link rel="icon" href="/static/favicon.svg?v={STATIC_VERSION}" type="image/svg+xml">'
        '<meta name="robots" content="noindex"></head><body>'
        f'<header class="top"><a class="centre" href="/?lang={lang}">{esc(settings.centre_name(lang))}</a>{badge}'
        f'<a class="lang" href="?lang={other}" lang="{other}" hreflang="{other}">'
        f"{esc(t('web.language_toggle'))}</a></header>"
        f"<main>{main}</main>"
        f'<footer>{footer}<p class="privacy">{esc(t("web.privacy_line"))}</p></footer>'
        "</body></html>"
    )
    return HTMLResponse(html, status_code=status_code)
