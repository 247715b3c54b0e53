"""What a full-screen app needs from its terminal, checked before the app starts, and a clean end
on SIGTERM/SIGHUP/SIGINT. No Textual here: the app is only asked to `exit`.

Textual reads keys from stdin and draws on stderr (stdout stays free for pipes). Without a
terminal on stdin it reads end-of-file in a loop for ever (~95 % CPU), and without one on
stderr it draws into a file or the journal; so both must be terminals, stdout need not be."""

from __future__ import annotations

import asyncio
import os
import re
import select
import signal
import sys
import termios
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

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


# ------------------------------------------------------------------------------------ measuring (doctor)

THAI_PROBE = "ที่น้ำ"  # ท + two marks (1 column), น + a mark + sara am (2 columns): 3 columns in all
THAI_PROBE_COLUMNS = 3

@dataclass(frozen=True)
class TerminalFacts:
    """What `kiosk.py doctor` measured on the terminal it runs in."""

    columns: int
    rows: int
    term: str
    colorterm: str
    thai_columns: int | None  # columns the cursor moved over the probe; None: the terminal did not answer


def measure_terminal(probe: str, timeout: float = 1.0) -> TerminalFacts | None:
    """Size, colour hints and how many columns the terminal really advances over `probe` (a Thai
    text): it is printed at the start of the line between two cursor-position queries (ESC[6n)
    and rubbed out again. None when the process has no controlling terminal (cron, a systemd
    service, a pipe under setsid): nothing is measured then."""
    try:
        fd = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
    except OSError:
        return None
    try:
        size = os.get_terminal_size(fd)
        columns = _advance(fd, probe, timeout)
    except OSError:
        return None
    finally:
        os.close(fd)
    return TerminalFacts(size.columns, size.lines, os.environ.get("TERM", ""), os.environ.get("COLORTERM", ""),
                         columns)


def _advance(fd: int, text: str, timeout: float) -> int | None:
    old = termios.tcgetattr(fd)
    quiet = list(old)
    quiet[3] &= ~(termios.ICANON | termios.ECHO)  # read the answer byte by byte, and do not show it
    termios.tcsetattr(fd, termios.TCSANOW, quiet)
    try:
        os.write(fd, b"\r")
        start = _cursor_column(fd, timeout)
        if start is None:
            return None
        os.write(fd, text.encode("utf-8"))
        end = _cursor_column(fd, timeout)
        os.write(fd, b"\r\x1b[K")
        return None if end is None else end - start
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, old)


_CPR = re.compile(rb"\x1b\[(\d+);(\d+)R")


def _cursor_column(fd: int, timeout: float) -> int | None:
    """Ask where the cursor is (ESC[6n); the terminal answers ESC[row;colR."""
    os.write(fd, b"\x1b[6n")
    answer, deadline = b"", time.monotonic() + timeout
    while (found := _CPR.search(answer)) is None:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return None
        chunk = os.read(fd, 64)
        if not chunk:
            return None
        answer += chunk
    return int(found[2])
