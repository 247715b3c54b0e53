"""`kiosk.py doctor` in a real terminal (tmux): it measures the size, reads the colour hints and
asks the terminal where the cursor went after a Thai cluster (ESC[6n); tmux stacks Thai marks,
so the Thai check passes. The probe is rubbed out: it does not stay on the screen."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write_config
from tests.e2e.tmux import ROOT, Pane

pytestmark = pytest.mark.e2e


def test_doctor_measures_the_terminal_and_thai(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    out = tmp_path / "doctor.json"
    with Pane(f"{sys.executable} kiosk.py --config {config} doctor --json > {out}; echo DONE", width=100,
              height=30) as pane:
        screen = pane.wait_for("DONE")
    checks = {c["check"]: c for c in json.loads(out.read_text(encoding="utf-8"))["checks"]}
    assert checks["terminal_size"]["level"] == "ok" and "100×30" in checks["terminal_size"]["en"]
    assert checks["colours"]["key"] == "doctor.colours_true"
    assert (checks["thai"]["level"], checks["thai"]["key"]) == ("ok", "doctor.thai_ok")
    assert "ที่น้ำ" not in screen


def test_doctor_reports_the_counters_own_screen(tmp_path: Path) -> None:
    """The counter measures its terminal as it starts (nobody can run doctor inside cage); doctor,
    run later from cron with no terminal, reports that."""
    config = write_config(tmp_path)
    with Pane(f"{sys.executable} kiosk.py --config {config} counter", width=120, height=40, hold=False) as pane:
        pane.wait_for("เจ้าหน้าที่")
    done = subprocess.run([sys.executable, "kiosk.py", "--config", str(config), "doctor", "--json"],
                          capture_output=True, text=True, timeout=60, cwd=ROOT, stdin=subprocess.DEVNULL,
                          start_new_session=True)
    checks = {c["check"]: c for c in json.loads(done.stdout)["checks"]}
    assert checks["terminal"]["level"] == "skip"  # doctor itself had no terminal
    assert checks["counter_terminal_size"]["level"] == "ok" and "120×40" in checks["counter_terminal_size"]["en"]
    assert checks["counter_thai"]["level"] == "ok"
    assert checks["counter_thai"]["en"].startswith("The counter's screen (at its start ")
