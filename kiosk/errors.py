"""The errors the core raises on purpose: each carries a catalogue key so screens and the web
can show it in Thai or English, and plain words for logs."""

from __future__ import annotations


class KioskError(Exception):
    """Base of every error the core raises deliberately (never a bug)."""

    def __init__(self, key: str, message: str = "", **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(message or key)


class ValidationError(KioskError, ValueError):
    """Input that cannot be accepted. `key` is an i18n catalogue key (e.g. errors.pin_format),
    `field` names the form field when there is one."""

    def __init__(self, key: str, message: str = "", field: str | None = None, **params: object) -> None:
        self.field = field
        if field is not None:
            params.setdefault("field", field)
        super().__init__(key, message, **params)


class NotFound(KioskError, LookupError):
    """The thing asked for does not exist (or the caller may not know that it does)."""


class PermissionDenied(KioskError, PermissionError):
    """The acting staff member's role does not allow this."""


class Conflict(KioskError):
    """Someone else changed the record first (optimistic locking); `changes` says what."""

    def __init__(self, key: str, message: str = "", changes: dict | None = None, **params: object) -> None:
        self.changes = changes or {}
        super().__init__(key, message, **params)


class ConfigError(KioskError):
    """A configuration file that cannot be used; the message names file, line and field."""


class Unavailable(KioskError):
    """Something failed that is not the person's doing (the database locked or gone, a disk
    full, a bug): what they typed is kept and they may try again. Details are in the fault log."""

    def __init__(self, where: str = "") -> None:
        super().__init__("errors.unavailable", where)


def as_kiosk_error(exc: BaseException, where: str = "") -> KioskError:
    """The one fault boundary's rule: a KioskError is shown as it is; anything else is logged
    (traceback, no locals) and shown as `Unavailable`."""
    if isinstance(exc, KioskError):
        return exc
    from .faults import log_fault

    log_fault(exc, where)
    return Unavailable(where)
