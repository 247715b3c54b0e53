"""Open311 GeoReport v2 under /open311/v2/: services, requests (list, one, POST), in JSON or
XML. Only public fields: no description, address, location or person data leaves the centre;
`service_request_id` is the ticket number. Times are ISO 8601 in Asia/Bangkok (+07:00).

Two audiences (kiosk.services.open311.Audience). Anyone: no case in a non-public category
(`[privacy]`; such a case is "not found" like a ticket that does not exist), times to the day,
`[web] open311_per_minute` requests per client, lists paged (`page`, `page_size` ≤ 100) and kept
a few seconds (AnswerCache), database work in the "open" lane. A partner with a key from
`[web] api_keys` (`api_key` in the query or form, or an `X-API-Key` header): every case, exact
times, no rate limit, the citizens' lane. A wrong key is refused (403), not quietly ignored."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kiosk.errors import KioskError, NotFound, PermissionDenied, ValidationError
from kiosk.i18n import translate
from kiosk.services import open311, public_case
from kiosk.thai.dates import BANGKOK

from .base import HOLD_BUSY, Busy, client_of, hold_back, lang_of, limit_key_of, run_with_database, settings_of
from .forms import FormUnreadable, read_form

OPEN, CITIZEN = "open", "citizen"  # the lanes (see base.py)
FORMATS = ("json", "xml")
REQUEST_FIELDS = ("service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url")
SERVICE_FIELDS = ("service_code", "service_name", "description", "metadata", "type", "keywords", "group")


def iso(moment: datetime | None) -> str | None:
    """Naive UTC → "2026-05-01T14:30:00+07:00"."""
    return moment.replace(tzinfo=UTC).astimezone(BANGKOK).isoformat(timespec="seconds") if moment else None


def _xml_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def respond(fmt: str, root: str, item: str, rows: list[dict], status_code: int = 200) -> Response:
    if fmt == "json":
        return JSONResponse(rows, status_code=status_code)
    top = ET.Element(root)
    for row in rows:
        el = ET.SubElement(top, item)
        for key, value in row.items():
            ET.SubElement(el, key).text = _xml_text(value)
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(top, encoding="utf-8", xml_declaration=False)
    return Response(body, status_code=status_code, media_type="application/xml; charset=utf-8")


def error(fmt: str, code: int, description: str) -> Response:
    return respond(fmt if fmt in FORMATS else "json", "errors", "error", [{"code": code, "description": description}], code)


def fail(fmt: str, exc: KioskError, lang: str) -> Response:
    code = 404 if isinstance(exc, NotFound) else 403 if isinstance(exc, PermissionDenied) else 400
    return error(fmt, code, translate(exc.key, lang, **exc.params))


def agency(settings, prefix: str, lang: str) -> str:
    lao = next((x for x in settings.laos if x.ticket_prefix == prefix), settings.host_lao)
    return lao.name(lang)


def request_row(case: public_case.PublicCase, settings, lang: str) -> dict:
    row = dict.fromkeys(REQUEST_FIELDS)
    # status_notes: the status in words, never a note's free text (notes are written to the
    # citizen and may name people; this API answers anyone who knows a ticket number)
    row.update(service_request_id=case.ticket_no, status=case.open311,
               status_notes=translate(f"status.{case.status}", lang),
               service_name=translate(f"category.{case.category}", lang), service_code=case.category,
               agency_responsible=agency(settings, case.agency_prefix, lang),
               requested_datetime=iso(case.created_at), updated_datetime=iso(case.updated_at))
    return row


def _fmt(request: Request) -> str | None:
    fmt = request.path_params.get("fmt", "")
    return fmt if fmt in FORMATS else None


def too_many(fmt: str, lang: str, wait: float) -> Response:
    response = error(fmt, 429, translate("open311.rate_limited", lang, seconds=math.ceil(wait)))
    response.headers["retry-after"] = str(math.ceil(wait))
    return response


def _audience(request: Request, fmt: str, lang: str) -> open311.Audience | Response:
    """Who asks: PARTNER for a valid key, else the public (counted by the rate limit). An
    answer instead when the client must stop here (429, or 403 for a wrong key)."""
    settings = settings_of(request)
    key = request.headers.get("x-api-key") or request.query_params.get("api_key")
    if key:
        try:
            open311.check_api_key(key, settings.api_keys)
            return open311.PARTNER
        except PermissionDenied as exc:
            refused = fail(fmt, exc, lang)
    else:
        refused = None
    wait = request.app.state.open311_limiter.hit(limit_key_of(request))
    if wait:
        return too_many(fmt, lang, wait)
    return refused or open311.Audience(settings.non_public_categories, whole_days=True)


async def _answer(request: Request, build) -> Response:
    """Check who asks, then `build(request, audience)` in the audience's lane; a public
    answer of 200 is kept for the next few seconds, keyed by everything it depends on."""
    fmt, lang = _fmt(request), lang_of(request)
    if fmt is None:
        return error("json", 404, translate("open311.format", lang))
    audience = _audience(request, fmt, lang)
    if isinstance(audience, Response):
        if audience.status_code == 429:
            await hold_back()
        return audience
    if audience is open311.PARTNER:
        return await run_with_database(request, CITIZEN, build, request, audience)
    key = (build.__name__, request.scope["path"], tuple(sorted(request.query_params.multi_items())))

    async def fill() -> tuple[tuple, bool]:
        try:
            response = await run_with_database(request, OPEN, build, request, audience)
        except Busy:
            await hold_back(HOLD_BUSY)
            raise
        return (response.status_code, response.body, response.media_type, response.headers.get("link")), \
            response.status_code == 200

    status_code, body, media_type, link = await request.app.state.answers.get_or_fill(key, fill)
    return Response(body, status_code=status_code, media_type=media_type, headers={"link": link} if link else None)


def _services(request: Request, audience: open311.Audience) -> Response:
    lang = lang_of(request)
    rows = [{"service_code": code, "service_name": translate(f"category.{code}", lang),
             "description": translate(f"category.{code}", lang), "metadata": False, "type": "realtime",
             "keywords": "", "group": translate(f"category.{area}", lang)} for code, area in open311.services()]
    return respond(_fmt(request), "services", "service", rows)


async def services(request: Request) -> Response:
    return await _answer(request, _services)


def _requests(request: Request, audience: open311.Audience) -> Response:
    fmt, lang, q = _fmt(request), lang_of(request), request.query_params
    try:
        page = open311.parse_page(q.get("page"), q.get("page_size"))
        start = open311.parse_datetime(q["start_date"], "start_date") if q.get("start_date") else None
        end = open311.parse_datetime(q["end_date"], "end_date") if q.get("end_date") else None
        codes = tuple(c.strip() for c in q.get("service_code", "").split(",") if c.strip())
        ids = tuple(i.strip() for i in q.get("service_request_id", "").split(",") if i.strip())
        cases = open311.list_requests(status=q.get("status") or None, service_codes=codes, start=start, end=end,
                                       ids=ids, audience=audience, offset=page.offset, limit=page.limit + 1)
    except ValidationError as exc:
        return fail(fmt, exc, lang)
    settings = settings_of(request)
    response = respond(fmt, "service_requests", "request", [request_row(c, settings, lang) for c in cases[:page.limit]])
    if len(cases) > page.limit and page.offset + page.limit < open311.MAX_RESULTS:  # relative: the Host header is the client's to choose, and answers are shared
        following = {k: v for k, v in q.multi_items() if k != "api_key"} | {"page": str(page.number + 1)}
        response.headers["link"] = f'<{request.scope["path"]}?{urlencode(following)}>; rel="next"'
    return response


async def requests_list(request: Request) -> Response:
    return await _answer(request, _requests)


def _request_one(request: Request, audience: open311.Audience) -> Response:
    fmt, lang = _fmt(request), lang_of(request)
    try:
        case = open311.one_request(request.path_params["id"], audience)
    except NotFound as exc:
        return fail(fmt, exc, lang)
    return respond(fmt, "service_requests", "request", [request_row(case, settings_of(request), lang)])


async def request_one(request: Request) -> Response:
    return await _answer(request, _request_one)


def _float(value: str, field: str) -> float | None:
    if not value.strip():
        return None
    try:
        number = float(value)
    except ValueError:
        raise ValidationError("open311.location", "not a number", field=field) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValidationError("open311.location", "not a number", field=field)
    return number


async def request_create(request: Request) -> Response:
    """POST requests.json|xml (form-encoded UTF-8, as the spec says) with an api_key from the config."""
    fmt, lang, settings = _fmt(request), lang_of(request), settings_of(request)
    if fmt is None:
        return error("json", 404, translate("open311.format", lang))
    try:
        text = await read_form(request)
    except FormUnreadable:
        return error(fmt, 400, translate("open311.body", lang))
    try:
        open311.check_api_key(text.get("api_key", "") or request.headers.get("x-api-key", ""), settings.api_keys)
        prefix = settings.host_lao.ticket_prefix
        if text.get("jurisdiction_id"):
            prefix = text["jurisdiction_id"].strip().upper()
            if prefix not in {lao.ticket_prefix for lao in settings.laos}:
                raise ValidationError("open311.jurisdiction", "unknown jurisdiction_id", field="jurisdiction_id")
        post = open311.NewRequest(
            service_code=text.get("service_code", "").strip(), description=text.get("description", ""),
            lat=_float(text.get("lat", ""), "lat"), long=_float(text.get("long", ""), "long"),
            address_string=text.get("address_string", ""), first_name=text.get("first_name", ""),
            last_name=text.get("last_name", ""), phone=text.get("phone", ""))
        created = await run_with_database(request, CITIZEN, open311.create_request, prefix, post,
                                          f"web:{client_of(request)}")
    except KioskError as exc:
        return fail(fmt, exc, lang)
    notice = translate("open311.service_notice", lang, url=public_case.tracking_url(settings, created.token))
    return respond(fmt, "service_requests", "request",
                   [{"service_request_id": created.ticket_no, "service_notice": notice, "account_id": None}], 201)


routes = [
    Route("/open311/v2/services.{fmt}", services, methods=["GET"]),
    Route("/open311/v2/requests.{fmt}", requests_list, methods=["GET"]),
    Route("/open311/v2/requests.{fmt}", request_create, methods=["POST"]),
    Route("/open311/v2/requests/{id}.{fmt}", request_one, methods=["GET"]),
]
