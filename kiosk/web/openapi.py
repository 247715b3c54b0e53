"""/openapi.json: a hand-written OpenAPI 3.0 description of the public web and Open311 API
(small enough to keep by hand; schemathesis checks it against the running server)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .open311 import REQUEST_FIELDS

_NULLABLE_TEXT = {"type": "string", "nullable": True}
_REQUEST = {
    "type": "object",
    "required": ["service_request_id", "status", "service_code", "requested_datetime"],
    "properties": {
        **{name: _NULLABLE_TEXT for name in REQUEST_FIELDS},
        "status": {"type": "string", "enum": ["open", "closed"]},
        "requested_datetime": {"type": "string", "format": "date-time"},
        "updated_datetime": {"type": "string", "format": "date-time"},
        "lat": {"type": "number", "nullable": True},
        "long": {"type": "number", "nullable": True},
    },
}
_SERVICE = {
    "type": "object",
    "required": ["service_code", "service_name", "metadata", "type"],
    "properties": {
        "service_code": {"type": "string"}, "service_name": {"type": "string"}, "description": {"type": "string"},
        "metadata": {"type": "boolean"}, "type": {"type": "string", "enum": ["realtime", "batch", "blackbox"]},
        "keywords": {"type": "string"}, "group": {"type": "string"},
    },
}
_ERRORS = {"type": "array", "items": {"type": "object", "required": ["code", "description"], "properties": {
    "code": {"type": "integer"}, "description": {"type": "string"}}}}
_FMT = {"name": "fmt", "in": "path", "required": True, "schema": {"type": "string", "enum": ["json", "xml"]}}
_LANG = {"name": "lang", "in": "query", "required": False, "schema": {"type": "string", "enum": ["th", "en"]}}
_KEY = {"name": "api_key", "in": "query", "required": False, "schema": {"type": "string"},
        "description": "A partner's key from [web] api_keys (or the X-API-Key header): non-public categories, "
                       "exact times, no rate limit. Without it: public categories only, times to the day."}
_PAGING = [{"name": "page", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1}},
           {"name": "page_size", "in": "query", "required": False,
            "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 50}}]


def _answers(ok: dict, *, codes: tuple[int, ...] = (), ok_code: str = "200") -> dict:
    """`codes` plus 503 (busy, or a fault: nothing inside is said)."""
    out = {ok_code: {"description": "OK", "content": {"application/json": {"schema": ok},
                                                      "application/xml": {"schema": {"type": "string"}}}}}
    for code in (*codes, 503):
        out[str(code)] = {"description": "Error", "content": {"application/json": {"schema": _ERRORS},
                                                              "application/xml": {"schema": {"type": "string"}}}}
    return out


def _html(*codes: int) -> dict:
    return {str(c): {"description": "HTML page", "content": {"text/html": {"schema": {"type": "string"}}}}
            for c in (*codes, 503)}


SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Help Centre Kiosk: status pages and Open311 GeoReport v2", "version": "1.0",
             "description": "Public view of help requests. No personal data is ever returned."},
    "paths": {
        "/": {"get": {"summary": "Home: the lookup form", "parameters": [_LANG], "responses": _html(200)}},
        "/t/{token}": {"get": {
            "summary": "Status page behind the receipt's QR",
            "parameters": [{"name": "token", "in": "path", "required": True, "schema": {"type": "string"}}, _LANG],
            "responses": _html(200, 404)}},
        "/track": {
            "get": {"summary": "Lookup form", "parameters": [_LANG], "responses": _html(200)},
            "post": {"summary": "Look a case up by ticket + last four phone digits, or by short code",
                     "parameters": [_LANG],
                     "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {
                         "type": "object", "required": ["ticket"],
                         "properties": {"ticket": {"type": "string"}, "last4": {"type": "string"}}}}}},
                     "responses": _html(200, 400, 404, 429)}},
        "/open311/v2/services.{fmt}": {"get": {
            "summary": "Service list (help categories)", "parameters": [_FMT, _LANG, _KEY],
            "responses": _answers({"type": "array", "items": _SERVICE}, codes=(403, 404, 429))}},
        "/open311/v2/requests.{fmt}": {
            "get": {"summary": "Service requests, newest first; a date range of at most 90 days; paged "
                               "(a Link header with rel=next when there are more)",
                    "parameters": [_FMT, _LANG, _KEY, *_PAGING, *({"name": n, "in": "query", "required": False,
                                                   "schema": {"type": "string", **extra}} for n, extra in (
                        ("service_request_id", {}), ("service_code", {}), ("status", {"enum": ["open", "closed"]}),
                        ("start_date", {"format": "date-time"}), ("end_date", {"format": "date-time"})))],
                    "responses": _answers({"type": "array", "items": _REQUEST}, codes=(400, 403, 404, 429))},
            "post": {"summary": "File a request from another channel (needs an api_key)",
                     "parameters": [_FMT, _LANG],
                     "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {
                         "type": "object", "required": ["api_key", "service_code", "description"],
                         "properties": {n: {"type": "string"} for n in (
                             "api_key", "jurisdiction_id", "service_code", "description", "lat", "long",
                             "address_string", "first_name", "last_name", "phone")}}}}},
                     "responses": _answers({"type": "array", "items": {"type": "object", "properties": {
                         "service_request_id": {"type": "string"}, "service_notice": {"type": "string"},
                         "account_id": {"type": "string", "nullable": True}}}}, codes=(400, 403, 404),
                         ok_code="201")}},
        "/open311/v2/requests/{id}.{fmt}": {"get": {
            "summary": "One service request by its id (the ticket number)",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}, _FMT, _LANG,
                           _KEY],
            "responses": _answers({"type": "array", "items": _REQUEST}, codes=(403, 404, 429))}},
    },
}


def openapi(request: Request) -> JSONResponse:
    return JSONResponse(SPEC)


routes = [Route("/openapi.json", openapi, methods=["GET"])]
