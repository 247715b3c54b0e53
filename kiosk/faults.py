"""One fault log for every process: a traceback (never local variables, which may hold a
citizen's ID or a typed PIN) appended to `<home>/kiosk-error.log`, private to the owner."""

from __future__ import annotations

import os
import traceback
from datetime import datetime
from pathlib import Path


def fault_log_path() -> Path:
    from .config import default_home

    return default_home() / "kiosk-error.log"


def log_fault(exc: BaseException, where: str = "") -> Path | None:
    """Append `exc`'s traceback to the fault log; returns its path, None if it cannot be written.
    Never raises: it runs while something else has already gone wrong."""
    try:
        path = fault_log_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as log:
            log.write(f"--- {datetime.now().astimezone().isoformat(timespec='seconds')} {where}\n")
            log.write("".join(traceback.format_exception(exc)))
        return path
    except Exception:  # noqa: BLE001 — a fault log that fails must not add a second fault
        return None
