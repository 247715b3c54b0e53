"""What a full-screen app needs from its terminal, checked before the app starts, and a clean end
on SIGTERM/SIGHUP/SIGINT. No Textual here: the app is only asked to `exit`.

Textual reads keys from stdin and draws on stderr (stdout stays free for pipes). Without a
terminal on stdin it reads end-of-file in a loop for ever (~95 % CPU), and without one on
stderr it draws into a file or the journal; so both must be terminals, stdout need not be."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from .errors import KioskError

STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
GRACE = 5.0  # seconds a stopping app has to exit on its own before the process ends regardless


class NoTerminal(KioskError):
    """A full-screen app started where nobody can see or type (a systemd unit without TTYPath=,
    a pipe, `ssh` without -t)."""


def _describe(fd: int) -> str:
    """What stands on a file descriptor instead of a terminal: /dev/null, a pipe, a socket, a file."""
    try:
        target = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return "closed"
    kind = target.split(":", 1)[0]
    return kind if kind in ("pipe", "socket") else target


def require_terminal() -> None:
    """Raise NoTerminal (exit 2 with a sentence) unless stdin and stderr are terminals."""
    missing = [f"{name} = {_describe(fd)}" for name, fd in (("stdin", 0), ("stderr", 2)) if not os.isatty(fd)]
    if missing:
        found = ", ".join(missing)
        raise NoTerminal("startup.no_terminal", f"not a terminal: {found}", found=found)


@contextmanager
def stop_on_signals(stop: Callable[[int], None]) -> Iterator[list[int]]:
    """While inside, SIGTERM, SIGHUP and SIGINT call `stop(signum)` in the running event loop, so the app
    leaves the alternate screen and shows the cursor again as on any exit. Yields the list of
    signals received; a second signal, or one before or after the loop runs, ends the process
    at once, and so does GRACE seconds without the app exiting (a loop flooded by a terminal that
    went away never reaches the exit: seen as a process spinning for ever at 4 GiB). Afterwards
    call `die_of` with the first signal received."""
    received: list[int] = []

    def handler(signum: int, _frame) -> None:
        received.append(signum)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is None or len(received) > 1:
            die_of(signum)
        loop.call_soon_threadsafe(stop, signum)
        exit_within(GRACE, 128 + signum)

    previous = {sig: signal.signal(sig, handler) for sig in STOP_SIGNALS}
    try:
        yield received
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def die_of(signum: int) -> None:
    """End the process by `signum` with its default action, as if never caught: the shell sees
    128+signum and systemd a clean stop (an exit code of 143 would count as a failure)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)
    os._exit(128 + signum)  # not reached: the default action of SIGTERM and SIGHUP ends the process


def exit_within(seconds: float, code: int) -> None:
    """An app told to exit must be gone within `seconds`, or the process ends with `code` anyway:
    a service manager restarts only a process that ended, never one stuck half-way out."""
    watchdog = threading.Timer(seconds, force_exit, (code,))
    watchdog.daemon = True  # a normal end does not wait for it
    watchdog.start()


def force_exit(code: int) -> None:
    """The app did not exit in time: leave the alternate screen and show the cursor if a terminal
    is still there, and end the process (from any thread: no signal handler is touched)."""
    try:
        if os.isatty(2):
            os.write(2, b"\x1b[?1049l\x1b[?25h\x1b[0m\r\n")
    except OSError:
        pass
    os._exit(code)
