"""`kiosk.py export` as cron and an officer run it: BE or CE month (with a notice), a refusal is a
sentence and exit 2, a second run replaces the same files, files are 0600 whatever the umask, and a
writer killed in the middle of an export leaves the old file or none."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import file_mode
from tests.test_cli import ROOT, kiosk


@pytest.fixture
def out(tmp_path) -> Path:
    folder = tmp_path / "info"
    folder.mkdir()
    return folder


def test_export_in_be_then_ce_replaces_the_same_file(october, config_file, out, umask_022):
    first = kiosk("--config", str(config_file), "export", "--month", "2569-10", "--format", "xlsx", "--out", str(out))
    assert first.returncode == 0, first.stderr
    path = out / "INFO-2569-10.xlsx"
    assert str(path) in first.stdout and "ตุลาคม 2569" in first.stdout and file_mode(path) == 0o600
    again = kiosk("--config", str(config_file), "export", "--month", "2026-10", "--format", "xlsx", "--out", str(out))
    assert again.returncode == 0 and "2026" in again.stderr and "2569-10" in again.stderr  # the CE notice
    assert sorted(p.name for p in out.iterdir()) == ["INFO-2569-10.xlsx"]
    assert load_workbook(path, read_only=True).sheetnames[0] == "สรุป"


@pytest.mark.parametrize("fmt", ["csv", "pdf"])
def test_other_formats(october, config_file, out, fmt):
    done = kiosk("--config", str(config_file), "export", "--month", "2569-10", "--format", fmt, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert all(file_mode(p) == 0o600 for p in out.iterdir()) and f"INFO-2569-10.{fmt}" in {p.name for p in out.iterdir()}


@pytest.mark.parametrize(("args", "says"), [
    (["--month", "October", "--out", "{out}"], "2569-10"),
    (["--month", "2569-13", "--out", "{out}"], "2569-13"),
    (["--month", "2569-10", "--out", "{out}/missing"], "missing"),
])
def test_refusals_are_sentences_and_exit_2(db, config_file, out, args, says):
    done = kiosk("--config", str(config_file), "export", *[a.format(out=out) for a in args])
    assert done.returncode == 2 and says in done.stderr and "Traceback" not in done.stderr
    assert not list(out.glob("INFO-*"))


KILLED_WRITER = textwrap.dedent("""
    import os, sys, time
    sys.path.insert(0, {root!r})
    real_fsync = os.fsync
    def stalled_fsync(fd):  # the new file is written beside the old one, not yet renamed over it
        print("writing", flush=True)
        time.sleep(60)
    os.fsync = stalled_fsync
    from kiosk.cli import main
    sys.exit(main(["--config", {config!r}, "export", "--month", "2569-10", "--format", {fmt!r}, "--out", {out!r}]))
""")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("had_old", [True, False])
def test_a_writer_killed_mid_export_leaves_the_old_file_or_none(october, config_file, out, fmt, had_old):
    target = out / f"INFO-2569-10.{fmt}"
    if had_old:
        assert kiosk("--config", str(config_file), "export", "--month", "2569-10", "--format", fmt,
                     "--out", str(out)).returncode == 0
        old = target.read_bytes()
    script = KILLED_WRITER.format(root=str(ROOT), config=str(config_file), fmt=fmt, out=str(out))
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=ROOT,
                             env={k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")})
    try:
        assert child.stdout.readline().strip() == "writing"
        assert list(out.glob(f".INFO-2569-10.{fmt}.*.tmp"))  # the new file was being written
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    if had_old:
        assert target.read_bytes() == old
    else:
        assert not target.exists()
    # the next export finishes the job; the killed writer's leftover goes once it is old
    for tmp in out.glob(".INFO-*.tmp"):
        os.utime(tmp, (0, 0))
    assert kiosk("--config", str(config_file), "export", "--month", "2569-10", "--format", fmt,
                 "--out", str(out)).returncode == 0
    assert not list(out.glob(".INFO-*.tmp")) and target.exists()


def test_last_month_for_cron(db, config_file, out):
    """`--month last`: the month before this one on the Bangkok clock (the child's real clock)."""
    from kiosk.services.info_report import Month

    done = kiosk("--config", str(config_file), "export", "--month", "last", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert (out / f"INFO-{Month.current().shift(-1).label}.xlsx").exists()
