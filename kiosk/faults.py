"""One fault log: an unexpected exception's traceback goes to <home>/kiosk-error.log, never to a
screen. Used by the command line (exit 3) and by the apps' fault boundary.

The traceback is written without local variables (they may hold a citizen's ID or a typed PIN),
and the file is created owner-only (0600) whatever the umask, since the message of a database
error can still quote data."""

from __future__ import annotations

import faulthandler
import os
import signal
import threading
import traceback
from datetime import datetime
from pathlib import Path

from .files import ERROR_LOG, private_dir

LOG_NAME = ERROR_LOG
_lock = threading.Lock()
_folder: Path | None = None  # the centre's <home> (its config's folder), once the config is read
_stack_dump_file = None  # kept open: faulthandler writes to its descriptor from a signal handler


def log_beside(folder: Path) -> None:
    """Log into the centre's own folder from now on, beside its config, receipts and backups."""
    global _folder
    _folder = folder


def log_path() -> Path:
    from .config import default_home

    return (_folder or default_home()) / LOG_NAME


def _open_log(path: Path) -> int:
    """The fault log opened for appending, owner-only whatever the umask or an older file's mode."""
    private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.fchmod(fd, 0o600)
    return fd


def log_fault(exc: BaseException, where: str = "") -> Path | None:
    """Append a timestamped traceback of `exc` (`where` says which part failed) to the fault log.
    Returns the log's path, or None when it cannot be written; never raises."""
    try:
        path = log_path()
        head = f"--- {datetime.now().astimezone().isoformat(timespec='seconds')}"
        text = head + (f" {where}" if where else "") + f" (pid {os.getpid()})\n"
        text += "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        with _lock:
            fd = _open_log(path)
            try:
                os.write(fd, text.encode("utf-8", "replace"))
            finally:
                os.close(fd)
        return path
    except Exception:  # the log is the last resort: a fault in it must not hide the first one
        return None


def dump_stacks_on(signum: int = signal.SIGUSR1) -> None:
    """`kill -USR1 <pid>` appends every thread's stack (names and lines, no values) to the fault
    log: a counter that seems stuck tells where it is without being stopped."""
    global _stack_dump_file
    try:
        _stack_dump_file = os.fdopen(_open_log(log_path()), "a", encoding="utf-8")
        faulthandler.register(signum, file=_stack_dump_file, all_threads=True)
    except (OSError, RuntimeError, ValueError):  # no log folder: the kiosk runs without the dump
        pass
