"""The citizen's pages: /t/{token} (the receipt's QR), /track (ticket + last four phone
digits, or the short code, or a receipt link), / (the same form), and a friendly 404 that
reveals nothing. The lookup and what a case page says are kiosk.services.public_case, shared
with the kiosk's track screen; this module draws them as HTML."""

from __future__ import annotations

import math

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from kiosk.errors import NotFound, ValidationError
from kiosk.i18n import translate
from kiosk.services import centre, public_case

from .base import Tr, hold_back, lang_of, limit_key_of, run_with_database, uses_database
from .forms import FormUnreadable, read_form
from .pages import esc, page

_HEADINGS = ("next", "timeline")  # labels drawn as headings; the others as small labels above their value


def case_html(case: public_case.PublicCase, t: Tr, handled_by: str = "") -> str:
    """The public view of one case (public_case.present: the lines the kiosk's track screen shows
    too), with machine-readable times on the timeline and when it last changed."""
    view = public_case.present(case, t.lang, handled_by)
    parts = []
    for line in view.lines:
        if line.label:
            parts.append(f"<h2>{esc(line.label)}</h2>" if line.name in _HEADINGS
                         else f'<p class="label">{esc(line.label)}</p>')
        if line.name == "status":
            parts.append(f'<p class="status kind-{esc(view.status_kind)}" id="status">{esc(line.value)}</p>')
        elif line.name == "timeline":
            parts.append(f'<ol class="timeline">{"".join(_step_html(s) for s in view.steps)}</ol>')
        else:
            parts.append(f'<p class="{line.name}">{esc(line.value)}</p>')
    return f'<section class="case">{"".join(parts)}<p class="updated">{esc(view.updated)}</p></section>'


def _step_html(step: public_case.Step) -> str:
    return (f'<li><time datetime="{step.at.isoformat(timespec="seconds")}Z">{esc(step.when)}</time>'
            + (f'<span class="step">{esc(step.status)}</span>' if step.status else "")
            + (f'<p class="note">{esc(step.note)}</p>' if step.note else "") + "</li>")


def case_page(request: Request, case: public_case.PublicCase) -> HTMLResponse:
    """The page of `case`; its HTML is rendered once per (case as it is now, language, path)."""
    lang, path = lang_of(request), request.scope["path"]  # the path alone: building request.url costs more

    def render() -> bytes:
        t = Tr(lang)
        lao = centre.lao_contact(request.app.state.settings, case.agency_prefix, lang)  # a joint centre: who has it
        return page(request, title=t("web.case_title", ticket=case.ticket_no), main=case_html(case, t, lao),
                    lang=lang).body

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
        case = public_case.lookup(token=request.path_params["token"])
    except NotFound:
        return not_found_page(request)
    return case_page(request, case)


def form_html(t: Tr, *, ticket: str = "", message: str = "") -> str:
    """The lookup form. The phone digits are never echoed back."""
    alert = f'<p class="alert" role="alert">{esc(message)}</p>' if message else ""
    return (
        f'<section class="track"><h1>{esc(t("public_case.title"))}</h1><p>{esc(t("web.track_intro"))}</p>{alert}'
        f'<form method="post" action="/track?lang={t.lang}">'
        f'<label for="ticket">{esc(t("public_case.ticket_label"))}</label>'
        f'<input id="ticket" name="ticket" value="{esc(ticket)}" autocomplete="off" autocapitalize="characters" '
        f'placeholder="WPK-69-00123" maxlength="20" required>'
        f'<label for="last4">{esc(t("public_case.last4_label"))}</label>'
        f'<input id="last4" name="last4" inputmode="numeric" pattern="[0-9๐-๙]{{4}}" maxlength="4" autocomplete="off">'
        f'<p class="hint">{esc(t("public_case.short_code_hint"))}</p>'
        f'<button type="submit">{esc(t("public_case.submit"))}</button></form></section>')


def track_form(request: Request) -> HTMLResponse:
    t = Tr(lang_of(request))
    return page(request, title=t("public_case.title"), main=form_html(t))


async def track_submit(request: Request) -> HTMLResponse:
    """Look a case up by ticket + last four phone digits (or by short code alone), rate-limited
    per client address."""
    t = Tr(lang_of(request))
    wait = request.app.state.track_limiter.hit(limit_key_of(request))
    if wait:
        await hold_back()
        minutes = max(1, math.ceil(wait / 60))
        response = page(request, title=t("public_case.title"), status_code=429,
                        main=form_html(t, message=t("web.rate_limited", minutes=minutes)))
        response.headers["Retry-After"] = str(math.ceil(wait))
        return response
    try:
        form = await read_form(request, max_bytes=4096)
    except FormUnreadable:
        return page(request, title=t("public_case.title"), status_code=400,
                    main=form_html(t, message=t("web.form_unreadable")))
    ticket, last4 = form.get("ticket", "")[:40], form.get("last4", "")[:10]
    return await run_with_database(request, "citizen", _lookup, request, t, ticket, last4)


def _lookup(request: Request, t: Tr, ticket: str, last4: str) -> HTMLResponse:
    try:
        case = public_case.lookup(typed=ticket, last4=last4)
    except (ValidationError, NotFound) as exc:
        return page(request, title=t("public_case.title"), status_code=404 if isinstance(exc, NotFound) else 400,
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
