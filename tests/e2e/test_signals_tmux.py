"""Stopping the apps from outside, in a real terminal (tmux): SIGTERM (systemd stop, shutdown),
SIGHUP and SIGINT end the counter and the staff console the way a normal exit does, so the
terminal is back on its normal screen with the cursor shown, and the shell sees the process
ended by that signal (128 + n; systemd counts a stop by SIGTERM as clean). When the terminal
itself goes away (an SSH connection dropped, the tmux server killed) the app ends too instead of
spinning on a dead terminal."""

from __future__ import annotations

import os
import signal
import sys
import time

import pytest

from tests.conftest import write_config
from tests.e2e.tmux import Pane

pytestmark = pytest.mark.e2e

READY = {"counter": "ขอความช่วยเหลือ", "staff": "เข้าสู่ระบบเจ้าหน้าที่"}


def app_pid(config) -> int:
    """The process running kiosk.py with this test's own config file."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    args = f.read().decode(errors="replace").split("\0")
            except OSError:
                continue
            if any(a.endswith("kiosk.py") for a in args) and str(config) in args:
                found.append(int(entry))
    assert len(found) == 1, found
    return found[0]


def ended(pid: int, timeout: float = 20.0) -> bool:
    """Has `pid` exited (gone, or a zombie nobody has reaped yet)?"""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                if stat.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize(("mode", "signum"), [
    ("counter", signal.SIGTERM), ("counter", signal.SIGHUP), ("counter", signal.SIGINT),
    ("staff", signal.SIGTERM), ("staff", signal.SIGHUP),
])
def test_signal_ends_the_app_and_restores_the_terminal(tmp_path, mode, signum):
    config = write_config(tmp_path)
    command = f"{sys.executable} kiosk.py --config {config} {mode}; echo \"exit=$?\""
    with Pane(command, width=100, height=30, env={"KIOSK_HOME": str(tmp_path)}) as pane:
        pane.wait_for(READY[mode])
        state = pane.tmux("display", "-p", "-t", pane.name, "#{alternate_on} #{cursor_flag}").split()
        assert state == ["1", "0"], "the app runs on the alternate screen with the cursor hidden"
        os.kill(app_pid(config), signum)
        screen = pane.wait_for("exit=")
        print(f"{mode} {signum.name}: {[line for line in screen.splitlines() if line.strip()]}")
        assert f"exit={128 + signum}" in screen
        assert READY[mode] not in screen  # the shell's own screen, not the app's picture
        state = pane.tmux("display", "-p", "-t", pane.name, "#{alternate_on} #{cursor_flag}").split()
        assert state == ["0", "1"], "the alternate screen is off and the cursor shown again"
    log = tmp_path / "kiosk-error.log"
    assert not log.exists() or log.read_text(encoding="utf-8") == "", "a stop by signal is no fault"


def test_sigusr1_writes_every_threads_stack_to_the_fault_log_and_the_counter_carries_on(tmp_path):
    """`kill -USR1` asks a counter that seems stuck where it is: every thread's stack (file and
    line, no values) goes to the private fault log, and the counter keeps serving."""
    config = write_config(tmp_path)
    command = f"{sys.executable} kiosk.py --config {config} counter; echo \"exit=$?\""
    with Pane(command, width=100, height=30, env={"KIOSK_HOME": str(tmp_path)}) as pane:
        pane.wait_for(READY["counter"])
        pid = app_pid(config)
        os.kill(pid, signal.SIGUSR1)
        log = tmp_path / "kiosk-error.log"
        deadline, dump = time.monotonic() + 20, ""
        while time.monotonic() < deadline:  # until the dump is there and has stopped growing
            time.sleep(0.3)
            before, dump = dump, log.read_text(encoding="utf-8") if log.exists() else ""
            if "Current thread" in dump and dump == before:
                break
        print(dump)
        assert "Current thread" in dump and "textual" in dump  # the UI thread, inside Textual's loop
        assert log.stat().st_mode & 0o777 == 0o600
        assert not ended(pid, timeout=1.0)
        pane.keys("Tab")
        assert READY["counter"] in pane.text()
        os.kill(pid, signal.SIGTERM)
        assert f"exit={128 + signal.SIGTERM}" in pane.wait_for("exit=")


@pytest.mark.parametrize("mode", ["counter", "staff"])
def test_the_app_ends_when_its_terminal_goes_away(tmp_path, mode):
    config = write_config(tmp_path)
    pane = Pane(f"{sys.executable} kiosk.py --config {config} {mode}", width=100, height=30,
                env={"KIOSK_HOME": str(tmp_path)}, hold=False)
    try:
        pane.wait_for(READY[mode])
        pid = pane.pid()  # without hold, the pane's process is the app itself
    finally:
        pane.close()  # the terminal closes under the app: the kernel sends it SIGHUP
    assert ended(pid), f"the {mode} is still running after its terminal went away"


def test_stdout_may_be_a_pipe(tmp_path):
    """Textual reads stdin and draws on stderr: with those on the terminal the counter runs even
    when stdout goes into a pipe (the terminal check asks for no more than it needs)."""
    config = write_config(tmp_path)
    command = f"{sys.executable} kiosk.py --config {config} counter | cat; echo \"exit=$?\""
    with Pane(command, width=100, height=30, env={"KIOSK_HOME": str(tmp_path)}) as pane:
        pane.wait_for(READY["counter"])
        os.kill(app_pid(config), signal.SIGTERM)
        screen = pane.wait_for("exit=")
    assert "exit=0" in screen  # the pipeline's status is cat's
