"""`/info` and `/announcements`: the centre's public information and its current news on the
status server, from the same services as the counter's info screen. Every stored text is
escaped with `esc()`."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from kiosk.services import announcements, centre
from kiosk.thai.dates import format_be_datetime

from .base import Tr, lang_of, settings_of, uses_database
from .pages import esc, page


def _announcements_html(t: Tr, items: list[announcements.AnnouncementView]) -> str:
    if not items:
        return f'<p class="empty">{esc(t("info.no_announcements"))}</p>'
    style = "long" if t.lang == "th" else "short"
    rows = []
    for item in items:
        pinned = f'<span class="badge">{esc(t("info.pinned"))}</span> ' if item.pinned else ""
        body = "".join(f"<p>{esc(para)}</p>" for para in item.body.split("\n\n") if para.strip())
        rows.append(f'<article class="announcement" id="a{item.id}"><h3>{pinned}{esc(item.title)}</h3>'
                    f'<p class="updated">{esc(format_be_datetime(item.starts_at, style))}</p>'
                    f'<div class="body">{body}</div></article>')
    return "".join(rows)


@uses_database("citizen")
def info(request: Request) -> HTMLResponse:
    settings, t = settings_of(request), Tr(lang_of(request))
    now = datetime.now(UTC)
    status = centre.status_of(settings, now)
    emergency = "".join(f'<li>{esc(label)} <a href="tel:{esc(number)}">{esc(number)}</a></li>'
                        for label, number in centre.emergency_lines(settings, t.lang))
    links = (f'<p><a class="button" href="{esc(centre.maps_url(settings))}">{esc(t("info.qr_map"))}</a> '
             f'<a href="{esc(centre.geo_uri(settings))}">{esc(centre.geo_uri(settings))}</a></p>')
    facebook = f'<p>{esc(t("info.facebook"))}: {esc(settings.facebook)}</p>' if settings.facebook else ""
    items = announcements.current(centre.to_utc_naive(now), limit=5)
    main = (f'<section class="info"><h1>{esc(settings.centre_name(t.lang))}</h1>'
            f'<p class="status kind-{"open" if status.open_now else "closed"}" id="open-now">'
            f'{esc(centre.status_text(status, t.lang))}</p>'
            f'<h2>{esc(t("info.address"))}</h2><p id="address">{esc(centre.address_text(settings, t.lang))}</p>{links}'
            f'{facebook}<h2>{esc(t("info.emergency"))}</h2><ul class="emergency">{emergency}</ul>'
            f'<h2>{esc(t("info.announcements"))}</h2>{_announcements_html(t, items)}'
            f'<p><a href="/announcements?lang={t.lang}">{esc(t("info.announcements"))} →</a></p></section>')
    return page(request, title=t("info.title"), main=main)


def _by_lao(settings, t: Tr, items: list[announcements.AnnouncementView]) -> str:
    """A joint centre's news: the whole centre's first, then each member LAO's under its name, in
    the config's order (an LAO no longer in the config after them, by its prefix). LAOs with
    nothing current are left out."""
    if not items:
        return _announcements_html(t, items)
    groups: dict[str, list[announcements.AnnouncementView]] = {}
    for item in items:
        groups.setdefault(item.lao_prefix, []).append(item)
    order = ["", *(lao.ticket_prefix for lao in settings.laos)]
    order += sorted(set(groups) - set(order))
    out = []
    for prefix in order:
        if prefix not in groups:
            continue
        lao = settings.lao(prefix) if prefix else None
        name = t("info.whole_centre") if not prefix else (lao.name(t.lang) if lao else prefix)
        out.append(f'<section class="lao" id="lao-{esc(prefix or "centre")}"><h2>{esc(name)}</h2>'
                   f'{_announcements_html(t, groups[prefix])}</section>')
    return "".join(out)


@uses_database("citizen")
def news(request: Request) -> HTMLResponse:
    settings, t = settings_of(request), Tr(lang_of(request))
    items = announcements.current(centre.to_utc_naive(datetime.now(UTC)))
    listed = _by_lao(settings, t, items) if settings.joint else _announcements_html(t, items)
    main = f'<section class="announcements"><h1>{esc(t("info.announcements"))}</h1>{listed}</section>'
    return page(request, title=t("info.announcements"), main=main, contact=False)


routes = [Route("/info", info, methods=["GET"]), Route("/announcements", news, methods=["GET"])]
