"""Asking for secrets: getpass at a terminal; plain lines from stdin when scripted."""

from __future__ import annotations

import sys
from collections.abc import Callable

from ..errors import KioskError


class NoAnswer(KioskError):
    """Standard input ended before a question was answered (no terminal, nothing piped in)."""


def ask(prompt: str, default: str = "") -> str:
    print(prompt + (f" [{default}]" if default else "") + ": ", end="", flush=True)
    line = sys.stdin.readline()
    if not line:
        print(file=sys.stderr)
        raise NoAnswer("errors.no_answer", f"no answer to {prompt!r}", question=prompt)
    return line.strip() or default


def ask_secret(prompt: str, check: Callable[[str], str], confirm: bool = True) -> str:
    """Ask until `check` accepts the value (twice at a terminal, to catch typos)."""
    import getpass

    from ..errors import ValidationError
    from ..i18n import translate

    while True:
        if sys.stdin.isatty():
            value = getpass.getpass(prompt + ": ")
            again = getpass.getpass("อีกครั้ง / again: ") if confirm else value
        else:
            value = again = ask(prompt)
        if value != again:
            print("ไม่ตรงกัน ลองใหม่ / they differ, try again", file=sys.stderr)
            continue
        try:
            return check(value)
        except ValidationError as exc:
            print(translate(exc.key, "th"), "/", translate(exc.key, "en"), file=sys.stderr)
            if not sys.stdin.isatty():
                raise
