"""The error log: where a fault that is not a deliberate KioskError goes (a database that is
locked or gone, a bug). People see a calm sentence; the traceback goes here, never to a screen
or a web page, and never with local variables (they may hold a citizen's ID or a typed PIN)."""

from __future__ import annotations

import os
import traceback
from datetime import datetime
from pathlib import Path

LOG_NAME = "kiosk-error.log"


def log_fault(exc: BaseException, where: str = "") -> Path | None:
    """Append a timestamped traceback of `exc` (no locals) to <home>/kiosk-error.log, a file only
    its owner can read. Returns the log's path, or None when it cannot be written. Never raises:
    it runs while something else has already gone wrong."""
    try:
        from .config import default_home

        path = default_home() / LOG_NAME
        path.parent.mkdir(parents=True, exist_ok=True)
        text = (f"--- {datetime.now().astimezone().isoformat(timespec='seconds')}"
                f"{' ' + where if where else ''}\n" + "".join(traceback.format_exception(exc)))
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.fchmod(fd, 0o600)  # an older log made under another umask
            os.write(fd, text.encode("utf-8", "replace"))
        finally:
            os.close(fd)
        return path
    except Exception:  # noqa: BLE001 - the log is best effort; the caller is already handling a fault
        return None
