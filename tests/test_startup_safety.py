"""Start-up refusals, each a sentence in Thai and English with exit 2, never a traceback, and
nothing started or changed:
- a full-screen app (counter, staff) with no terminal on stdin or stderr (a mistaken systemd
  unit) stops at once instead of spinning on end-of-file;
- `--config` or $KIOSK_CONFIG naming a missing file is an error for every command but `init`
  (the quick start without either still writes the sample centre);
- `demo` refuses a live centre (sample = false) and, run again on a sample centre, adds nothing."""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import config_database, database_env, query_config_database, write_config

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("staff", "person", '"case"', "case_event", "audit_log", "organization")


def kiosk(*args: str, home: Path, env: dict | None = None, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE,
          typed: str | None = None) -> subprocess.CompletedProcess:
    """kiosk.py as a service manager would start it: no terminal anywhere unless given one (or
    `typed` answers on a pipe). The timeout is only a backstop for the old fault (spinning)."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    environ.update({"KIOSK_HOME": str(home), **(env or {})})
    stdin_args = {"input": typed} if typed is not None else {"stdin": stdin}
    return subprocess.run([sys.executable, str(ROOT / "kiosk.py"), *args], **stdin_args, stdout=subprocess.PIPE,
                          stderr=stderr, text=True, timeout=30, env=environ, cwd=ROOT)


def counts(config: Path) -> dict[str, int]:
    """Rows per table in the database `config` names (either backend)."""
    return {t: query_config_database(config, f"SELECT count(*) FROM {t}")[0][0] for t in TABLES}


def tables(config: Path) -> list[str]:
    """The tables in the database `config` names: none in a PostgreSQL database nobody has opened."""
    conn = config_database(config)
    try:
        return conn.get_tables()
    finally:
        conn.close()


# -- no terminal ---------------------------------------------------------------------------------

@pytest.mark.parametrize("command", [[], ["counter"], ["staff"]])
def test_no_terminal_refuses_at_once(tmp_path, command):
    config = write_config(tmp_path)
    out = kiosk("--config", str(config), *command, home=tmp_path)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "stdin = /dev/null" in out.stderr and "stderr = pipe" in out.stderr
    assert "เทอร์มินัล" in out.stderr and "needs a terminal" in out.stderr
    assert "\x1b[" not in out.stderr + out.stdout  # the app never started drawing


def test_a_terminal_on_stdin_alone_is_not_enough(tmp_path):
    """stdin on a terminal but stderr into a file: Textual would draw into the file."""
    config = write_config(tmp_path)
    controller, terminal = pty.openpty()
    try:
        out = kiosk("--config", str(config), "counter", home=tmp_path, stdin=terminal)
    finally:
        os.close(controller)
        os.close(terminal)
    assert out.returncode == 2 and "stderr = pipe" in out.stderr and "stdin =" not in out.stderr


def test_a_terminal_on_stderr_alone_is_not_enough(tmp_path):
    config = write_config(tmp_path)
    controller, terminal = pty.openpty()
    try:
        out = kiosk("--config", str(config), "staff", home=tmp_path, stderr=terminal)
        err = os.read(controller, 4096).decode("utf-8", "replace")
    finally:
        os.close(controller)
        os.close(terminal)
    assert out.returncode == 2 and "stdin = /dev/null" in err and "stderr =" not in err
    assert "\x1b[?1049h" not in err  # no alternate screen: the app never started


# -- --config naming a missing file ----------------------------------------------------------------

@pytest.mark.parametrize("command", [["counter"], ["staff"], ["demo"], ["adduser", "kim", "--role", "officer"],
                                     ["passwd", "kim"], ["serve"], ["poster", "--out", "posters"]])
def test_a_named_config_that_is_missing_is_an_error(tmp_path, command):
    missing = tmp_path / "etc" / "kiosk.toml"
    out = kiosk("--config", str(missing), *command, home=tmp_path)
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
    assert str(missing) in out.stderr and "--config" in out.stderr and "ไม่พบไฟล์ตั้งค่า" in out.stderr
    assert "No configuration file" in out.stderr
    assert not missing.exists() and not missing.parent.exists() and not (tmp_path / "kiosk.toml").exists()
    assert list(tmp_path.iterdir()) == []  # no database, no sample centre, nothing


def test_kiosk_config_naming_a_missing_file_is_an_error_too(tmp_path):
    missing = tmp_path / "kiosk-typo.toml"
    out = kiosk("counter", home=tmp_path, env={"KIOSK_CONFIG": str(missing)})
    assert out.returncode == 2 and "$KIOSK_CONFIG" in out.stderr and str(missing) in out.stderr
    assert list(tmp_path.iterdir()) == []


def test_init_creates_the_named_config(tmp_path):
    named = tmp_path / "etc" / "centre.toml"
    env = database_env()
    out = kiosk("--config", str(named), "init", home=tmp_path / "home", typed="chief\n\nsecret-pass-1\n482916\n",
                env=env)
    assert out.returncode == 0, out.stderr
    assert "sample = true" in named.read_text(encoding="utf-8")
    assert (named.parent / "kiosk.sqlite3").exists() != bool(env)  # beside the config, unless on PostgreSQL
    db = env.get("KIOSK_DATABASE_URL") or named
    assert query_config_database(db, "SELECT username FROM staff") == [("chief",)]


def test_quick_start_without_a_named_config_still_writes_the_sample(tmp_path):
    """`uv run kiosk.py demo` with neither --config nor $KIOSK_CONFIG: the sample centre in <home>."""
    out = kiosk("demo", "--cases", "1", home=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "sample = true" in (tmp_path / "kiosk.toml").read_text(encoding="utf-8")


# -- demo -----------------------------------------------------------------------------------------

def test_demo_refuses_a_live_centre_and_adds_nothing(tmp_path):
    config = write_config(tmp_path)
    assert kiosk("--config", str(config), "demo", "--cases", "3", home=tmp_path).returncode == 0
    config.write_text(config.read_text(encoding="utf-8").replace("sample = true", "sample = false"), encoding="utf-8")
    before = counts(config)
    query_config_database(config, "DELETE FROM staff WHERE username = 'supervisor'")  # a demo account it would add again
    before["staff"] -= 1
    for args in ([], ["--cases", "60"]):
        out = kiosk("--config", str(config), "demo", *args, home=tmp_path)
        assert out.returncode == 2 and "Traceback" not in out.stderr
        assert "sample = false" in out.stderr and str(config) in out.stderr
        assert "ใช้งานจริง" in out.stderr and "live" in out.stderr
        assert "PIN" not in out.stdout + out.stderr and "demo-" not in out.stdout + out.stderr
        assert counts(config) == before


def test_demo_on_a_fresh_live_centre_creates_no_database(tmp_path):
    config = write_config(tmp_path, empty=True)
    config.write_text(config.read_text(encoding="utf-8").replace("sample = true", "sample = false"), encoding="utf-8")
    out = kiosk("--config", str(config), "demo", home=tmp_path)
    assert out.returncode == 2 and not (tmp_path / "kiosk.sqlite3").exists()
    assert tables(config) == []  # nor, on PostgreSQL, a schema in the empty database write_config made


def test_demo_twice_adds_nothing_the_second_time(tmp_path):
    config = write_config(tmp_path)
    first = kiosk("--config", str(config), "demo", home=tmp_path)
    assert first.returncode == 0, first.stderr
    after_first = counts(config)
    assert after_first['"case"'] == 60 and after_first["staff"] == 4
    assert "PIN" in first.stdout and "added 60" in first.stdout

    second = kiosk("--config", str(config), "demo", home=tmp_path)
    assert second.returncode == 0, second.stderr
    assert counts(config) == after_first
    assert "no sample cases added" in second.stdout and "exist already" in second.stdout
    assert "PIN" not in second.stdout and "demo-" not in second.stdout

    more = kiosk("--config", str(config), "demo", "--cases", "5", home=tmp_path)
    assert more.returncode == 0 and "added 5" in more.stdout
    assert counts(config)['"case"'] == 65 and counts(config)["staff"] == 4


STUCK_APP = """
import asyncio, sys, time
from kiosk.terminal import stop_on_signals

async def stuck():
    print("ready", flush=True)
    while True:
        time.sleep(0.05)  # a loop that never gets to the exit it is asked for (a flood of events)

with stop_on_signals(lambda signum: None):
    asyncio.run(stuck())
"""


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM])
def test_a_stuck_app_still_ends_after_the_grace_period(signum):
    """SIGHUP (its terminal gone) or SIGTERM reaches an app whose event loop never gets to the
    exit: the process must still end, not spin for ever (seen: a counter at 4 GiB, 65 % CPU,
    still running long after its terminal was closed)."""
    from kiosk.terminal import GRACE

    process = subprocess.Popen([sys.executable, "-c", STUCK_APP], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "ready"
    process.send_signal(signum)
    assert process.wait(timeout=GRACE + 20) == 128 + signum


STUCK_ON_THE_WAY_OUT = """
import time
from kiosk.terminal import exit_within

exit_within(0.5, 3)  # what the counter does once a fault made it decide to exit
print("ready", flush=True)
while True:
    time.sleep(0.05)  # the way out hangs (a shutdown that waits for ever)
"""


def test_an_app_stuck_on_its_way_out_after_a_fault_still_ends_with_code_3():
    """The counter exits with code 3 after a fault it cannot recover from, so its service manager
    starts it again; if the way out hangs, the process must still end, with that code."""
    process = subprocess.Popen([sys.executable, "-c", STUCK_ON_THE_WAY_OUT], cwd=ROOT, stdout=subprocess.PIPE,
                               text=True)
    assert process.stdout.readline().strip() == "ready"
    assert process.wait(timeout=20) == 3


def test_init_with_nothing_to_read_says_so_instead_of_a_fault(tmp_path):
    """`init` asks for the first administrator; with standard input at its end (a script, a
    service) it stops with a sentence naming the question, not "something unexpected"."""
    done = kiosk("init", home=tmp_path)  # stdin is /dev/null
    assert done.returncode == 2, done.stderr
    assert "No answer to" in done.stderr and "admin username" in done.stderr
    assert "unexpected" not in done.stderr
    log = tmp_path / "kiosk-error.log"
    assert not log.exists() or log.read_text(encoding="utf-8") == ""
