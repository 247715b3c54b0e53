"""Form bodies read as UTF-8, strictly.

Starlette's form parser decodes a urlencoded body as Latin-1 before unquoting, so raw UTF-8
bytes (which curl, PHP and many LINE-bot libraries send unescaped) came out as `à¸ªà¸¡...` for
สมชาย and were stored so. The Open311 spec and every browser send UTF-8; here both raw bytes and
%-escapes are decoded as UTF-8, and anything that is not valid UTF-8 is refused rather than
guessed at. Bodies are read up to a limit, never whole into memory."""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.requests import Request

MAX_BYTES = 64 * 1024
MAX_FIELDS = 50
URLENCODED = "application/x-www-form-urlencoded"


class FormUnreadable(ValueError):
    """A body that is not an urlencoded UTF-8 form of reasonable size (the caller answers 400 in
    its own words: Open311 and the pages say it differently)."""


async def read_form(request: Request, *, max_bytes: int = MAX_BYTES, max_fields: int = MAX_FIELDS) -> dict[str, str]:
    """The form's fields (the first value of a repeated name). Raises FormUnreadable for another
    content type or charset, a body over `max_bytes`, more than `max_fields` fields, or bytes or
    %-escapes that are not UTF-8."""
    media, _, params = request.headers.get("content-type", URLENCODED).partition(";")
    charset = next((v.strip().strip('"').lower() for k, _, v in (p.partition("=") for p in params.split(";"))
                    if k.strip().lower() == "charset"), "utf-8")
    if media.strip().lower() != URLENCODED or charset not in ("utf-8", "utf8"):
        raise FormUnreadable(f"content type {media.strip()!r} charset {charset!r}")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:
            raise FormUnreadable(f"body over {max_bytes} bytes")
    try:
        text = body.decode("utf-8")
        pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict", max_num_fields=max_fields)
    except ValueError as exc:  # UnicodeDecodeError is a ValueError; so is "too many fields"
        raise FormUnreadable(str(exc)) from None
    fields: dict[str, str] = {}
    for name, value in pairs:
        fields.setdefault(name, value)
    return fields
