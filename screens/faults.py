"""The fault boundary of both apps: no exception from a service reaches Textual's crash screen
(which prints local variables — a citizen's ID, a typed PIN — and ends the kiosk).

- `service_work` is the only way a screen runs a service off the UI thread: the worker's result
  goes to the screen's `done` method; any exception goes to its `failed` method as a KioskError
  (anything that is not one is logged and becomes `Unavailable`, a calm "try again" message).
  The screen keeps what the person typed, so they can try again when the fault clears.
- `safely` does the same for the few quick service calls made on the UI thread.
- `KioskApp._handle_exception` (screens/app.py) is the last net behind both."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from textual import work
from textual.dom import DOMNode

from kiosk.errors import as_kiosk_error
from kiosk.faults import log_fault

T = TypeVar("T")


def _where(node: object, method: Callable) -> str:
    return f"{type(node).__module__}.{type(node).__qualname__}.{method.__name__}"


def service_work(*, done: str, failed: str, group: str = "default", exclusive: bool = True):
    """Decorate a method that calls services and returns their result; it runs in a thread
    worker, then `self.<done>(result)` or `self.<failed>(KioskError)` runs on the UI thread
    (only while the screen is still shown: a person may have left it meanwhile)."""

    def decorate(method: Callable[..., Any]):
        @wraps(method)
        def guarded(self: DOMNode, *args: Any, **kwargs: Any) -> None:
            try:
                result = method(self, *args, **kwargs)
            except Exception as exc:  # noqa: BLE001 — the boundary: every fault becomes a message
                _deliver(self, failed, as_kiosk_error(exc, _where(self, method)))
            else:
                _deliver(self, done, result)

        guarded.fault_boundary = (done, failed)  # type: ignore[attr-defined]  (read by the tests)
        return work(thread=True, exclusive=exclusive, group=group, exit_on_error=False)(guarded)

    return decorate


def _deliver(node: DOMNode, name: str, value: object) -> None:
    def on_ui_thread() -> object:
        if node.is_attached:
            return getattr(node, name)(value)  # an awaitable is awaited by call_from_thread
        return None

    app = node.app
    try:
        app.call_from_thread(on_ui_thread)
    except Exception as exc:  # noqa: BLE001 — the app is closing, or the screen's method failed
        try:  # the last net: logged, and the screen the method belongs to is the broken one
            app.call_from_thread(app.handle_fault, exc, node)
        except Exception:  # noqa: BLE001 — the app is gone: nothing left to show
            log_fault(exc, f"{type(node).__qualname__}.{name}")


def safely(call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call a service on the UI thread; any fault arrives as a KioskError (logged if it is not
    one), for the caller's `except KioskError` to show."""
    try:
        return call(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 — the boundary
        raise as_kiosk_error(exc, getattr(call, "__qualname__", repr(call))) from None
