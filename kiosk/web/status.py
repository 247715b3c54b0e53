"""The citizen's pages: /t/{token} (the receipt's QR), /track (ticket + last four phone
digits, or the short code), / (the same form), and a friendly 404 that reveals nothing."""

from __future__ import annotations

import math

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from kiosk.errors import NotFound, ValidationError
from kiosk.i18n import translate
from kiosk.services import public
from kiosk.thai.dates import format_be_datetime

from .base import Tr, hold_back, lang_of, limit_key_of, run_with_database, uses_database
from .forms import FormUnreadable, read_form
from .pages import esc, page


def case_html(case: public.PublicCase, t: Tr) -> str:
    """The public view of one case: ticket, category, status in plain words, what happens next,
    and the timeline of public notes with Buddhist-Era dates."""
    style = "long" if t.lang == "th" else "short"
    events = "".join(
        f'<li><time datetime="{e.at.isoformat(timespec="seconds")}Z">{esc(format_be_datetime(e.at, style))}</time>'
        + (f'<span class="step">{esc(t("status." + e.status))}</span>' if e.status else "")
        + (f'<p class="note">{esc(e.note)}</p>' if e.note else "") + "</li>"
        for e in reversed(case.events))
    return (
        f'<section class="case"><p class="label">{esc(t("web.ticket"))}</p>'
        f'<p class="ticket">{esc(case.ticket_no)}</p>'
        f'<p class="label">{esc(t("web.category"))}</p>'
        f'<p class="category">{esc(public.category_label(case, t.lang))}</p>'
        f'<p class="label">{esc(t("web.status_now"))}</p>'
        f'<p class="status kind-{esc(case.status_kind)}" id="status">{esc(t("status." + case.status))}</p>'
        f'<p class="explain">{esc(t(f"web.explain_{case.status}"))}</p>'
        f'<h2>{esc(t("web.next"))}</h2><p class="next">{esc(t(f"web.next_{case.status}"))}</p>'
        f'<h2>{esc(t("web.timeline"))}</h2><ol class="timeline">{events}</ol>'
        f'<p class="updated">{esc(t("web.updated", at=format_be_datetime(case.updated_at, style)))}</p></section>')


def case_page(request: Request, case: public.PublicCase) -> HTMLResponse:
    """The page of `case`; its HTML is rendered once per (case as it is now, language, path)."""
    lang, path = lang_of(request), request.scope["path"]  # the path alone: building request.url costs more

    def render() -> bytes:
        t = Tr(lang)
        return page(request, title=t("web.case_title", ticket=case.ticket_no), main=case_html(case, t), lang=lang).body

    return HTMLResponse(request.app.state.pages.get((case, lang, path), render))


def not_found_page(request: Request) -> HTMLResponse:
    t = Tr(lang_of(request))
    main = (f'<section class="notfound"><h1>{esc(t("web.not_found_title"))}</h1>'
            f'<p>{esc(t("web.not_found_body"))}</p>'
            f'<p><a class="button" href="/track?lang={t.lang}">{esc(t("web.track_link"))}</a></p></section>')
    return page(request, title=t("web.not_found_title"), main=main, status_code=404)


@uses_database("citizen")
def by_token(request: Request) -> HTMLResponse:
    try:
        case = public.by_token(request.path_params["token"])
    except NotFound:
        return not_found_page(request)
    return case_page(request, case)


def form_html(t: Tr, *, ticket: str = "", message: str = "") -> str:
    """The lookup form. The phone digits are never echoed back."""
    alert = f'<p class="alert" role="alert">{esc(message)}</p>' if message else ""
    return (
        f'<section class="track"><h1>{esc(t("web.track_title"))}</h1><p>{esc(t("web.track_intro"))}</p>{alert}'
        f'<form method="post" action="/track?lang={t.lang}">'
        f'<label for="ticket">{esc(t("track.ticket_label"))}</label>'
        f'<input id="ticket" name="ticket" value="{esc(ticket)}" autocomplete="off" autocapitalize="characters" '
        f'placeholder="WPK-69-00123" maxlength="20" required>'
        f'<label for="last4">{esc(t("track.last4_label"))}</label>'
        f'<input id="last4" name="last4" inputmode="numeric" pattern="[0-9๐-๙]{{4}}" maxlength="4" autocomplete="off">'
        f'<p class="hint">{esc(t("track.short_code_hint"))}</p>'
        f'<button type="submit">{esc(t("track.submit"))}</button></form></section>')


def track_form(request: Request) -> HTMLResponse:
    t = Tr(lang_of(request))
    return page(request, title=t("web.track_title"), main=form_html(t))


async def track_submit(request: Request) -> HTMLResponse:
    """Look a case up by ticket + last four phone digits (or by short code alone), rate-limited
    per client address."""
    t = Tr(lang_of(request))
    wait = request.app.state.track_limiter.hit(limit_key_of(request))
    if wait:
        await hold_back()
        minutes = max(1, math.ceil(wait / 60))
        response = page(request, title=t("web.track_title"), status_code=429,
                        main=form_html(t, message=t("web.rate_limited", minutes=minutes)))
        response.headers["Retry-After"] = str(math.ceil(wait))
        return response
    try:
        form = await read_form(request, max_bytes=4096)
    except FormUnreadable:
        return page(request, title=t("web.track_title"), status_code=400,
                    main=form_html(t, message=t("web.form_unreadable")))
    ticket, last4 = form.get("ticket", "")[:40], form.get("last4", "")[:10]
    return await run_with_database(request, "citizen", _lookup, request, t, ticket, last4)


def _lookup(request: Request, t: Tr, ticket: str, last4: str) -> HTMLResponse:
    try:
        if not last4.strip() and public.looks_like_short_code(ticket):
            case = public.by_short_code(ticket)
        else:
            case = public.by_ticket(ticket, last4)
    except (ValidationError, NotFound) as exc:
        return page(request, title=t("web.track_title"), status_code=404 if isinstance(exc, NotFound) else 400,
                    main=form_html(t, ticket=ticket, message=translate(exc.key, t.lang, **exc.params)))
    return case_page(request, case)


def home(request: Request) -> HTMLResponse:
    t = Tr(lang_of(request))
    return page(request, title=t("web.home_title"), main=form_html(t))


routes = [
    Route("/", home),
    Route("/t/{token}", by_token),
    Route("/track", track_form, methods=["GET"]),
    Route("/track", track_submit, methods=["POST"]),
]
