"""The real counter started while PostgreSQL is unreachable (a TCP proxy in front of the shared
server, cut: tests/pgproxy.py): instead of exiting — which systemd would repeat until it gives up
and leaves a black screen — it shows the calm "ระบบขัดข้องชั่วคราว" screen, tries again every few
seconds and opens the home screen once the database answers, in the same process. The staff
console over SSH says plainly that the database cannot be reached and exits non-zero."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from db.models import database
from kiosk.config import parse_settings
from kiosk.i18n import translate
from kiosk.services.setup import open_kiosk
from tests.conftest import write_config
from tests.e2e.tmux import Pane
from tests.pgproxy import PgProxy

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
ENV = {"PYTHAINLP_OFFLINE": "1", "PYTHAINLP_READ_ONLY": "1"}


@pytest.fixture
def centre(tmp_path, pg_url):
    """A centre on PostgreSQL behind the proxy, its schema made while the database was up."""
    proxy = PgProxy(pg_url)
    config = write_config(tmp_path, database_url=proxy.url)
    open_kiosk(parse_settings(config, config.read_text(encoding="utf-8"), environ={})).close()
    database.close()
    yield config, proxy
    proxy.cut()


def test_the_counter_waits_for_postgresql_then_opens_home(tmp_path, centre):
    config, proxy = centre
    proxy.cut()
    with Pane(f"uv run kiosk.py --config {config}", env={**ENV, "KIOSK_HOME": str(tmp_path)}) as pane:
        screen = pane.wait_for("ระบบขัดข้องชั่วคราว", timeout=40)
        assert translate("app.db_down_title", "th") in screen and "Traceback" not in screen
        pid = pane.pid()
        time.sleep(12)  # two tries at least, each refused
        screen = pane.text()
        assert "ระบบขัดข้องชั่วคราว" in screen and pane.pid() == pid
        proxy.restore()
        pane.wait_for("ขอความช่วยเหลือ", timeout=30)
        assert pane.pid() == pid  # the same counter, no restart
    fault_log = tmp_path / "kiosk-error.log"  # expected, not a fault: no traceback per try
    assert not fault_log.exists() or "Traceback" not in fault_log.read_text(encoding="utf-8")
    events = (tmp_path / "logs" / "counter.jsonl").read_text(encoding="utf-8")
    assert '"event": "database_down"' in events and '"event": "database_back"' in events  # for the staff


def test_the_staff_console_says_the_database_is_unreachable_and_exits(tmp_path, centre):
    config, proxy = centre
    proxy.cut()
    done = subprocess.run(["uv", "run", "kiosk.py", "--config", str(config), "staff"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env={**__import__("os").environ, **ENV, "KIOSK_HOME": str(tmp_path)})
    assert done.returncode == 2, done
    url = proxy.url
    assert translate("errors.db_connect", "th", url=url) in done.stderr
    assert translate("errors.db_connect", "en", url=url) in done.stderr
    assert "Traceback" not in done.stderr
