"""Driving a real terminal: the program runs in a tmux pane of a given size; tests type with
send-keys and read the screen with capture-pane."""

from __future__ import annotations

import shutil
import subprocess
import time
import unicodedata
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def need_tmux() -> None:
    if not shutil.which("tmux"):
        pytest.skip("tmux is missing: apt-get install tmux")


class Pane:
    """`command` in a pane of width×height, on a tmux server of its own (a shared server can be
    shutting down just as another test connects). With hold, the pane stays after the command
    ends, so its last screen can still be read; without, the pane's process is the command."""

    def __init__(self, command: str, width: int = 120, height: int = 40, env: dict[str, str] | None = None,
                 hold: bool = True) -> None:
        need_tmux()
        self.name = f"kiosk-test-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{k}={v!s}" for k, v in {"TERM": "xterm-256color", "COLORTERM": "truecolor",
                                                      **(env or {})}.items())
        # COLUMNS/LINES (pytest may export them) would override the pane's real size in Textual
        exports = f"-u COLUMNS -u LINES {exports}"
        shell = f"cd {ROOT} && env {exports} {command}; sleep 600" if hold else f"cd {ROOT} && exec env {exports} {command}"
        self.tmux("new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height), shell)

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.name, "-f", "/dev/null", *args], capture_output=True, text=True,
                              check=True).stdout

    def text(self, colours: bool = False) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name, *(["-e"] if colours else []))

    def wait_for(self, needle: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.text()
            if needle in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{needle!r} did not appear; the screen shows:\n{self.text()}")

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.tmux("send-keys", "-t", self.name, *(["-l"] if literal else []), "--", *keys)

    def pid(self) -> int:
        return int(self.tmux("list-panes", "-t", self.name, "-F", "#{pane_pid}").split()[0])

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.name, "kill-server"], capture_output=True)

    def __enter__(self) -> Pane:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def columns_of(line: str, chars: str) -> list[int]:
    """Terminal columns of `chars` in a captured line: combining marks (Thai tone marks, vowels
    above and below) take no column of their own."""
    col, found = 0, []
    for ch in line:
        if unicodedata.category(ch) in ("Mn", "Me"):
            continue
        if ch in chars:
            found.append(col)
        col += 1
    return found
