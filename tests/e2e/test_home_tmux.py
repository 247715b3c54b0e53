"""The counter in a real terminal (tmux 120×40): `kiosk.py` starts on a fresh folder, creates the
sample centre and paints the Thai home screen; the bordered welcome box has its right edge in
the same column on the row with Thai text as on its border rows (Thai marks take no cell)."""

from __future__ import annotations

import time

from tests.conftest import database_env, query_config_database
from tests.e2e.tmux import Pane, columns_of


def test_counter_home_screen_in_tmux(tmp_path):
    database = database_env()  # under KIOSK_TEST_DB=postgresql the quick start's database is PostgreSQL's
    with Pane("uv run kiosk.py", env={"KIOSK_HOME": str(tmp_path), **database}) as pane:
        screen = pane.wait_for("ขอความช่วยเหลือ")
        pane.wait_for("เจ้าหน้าที่")
        screen = pane.text()
        for text in ("ศูนย์ช่วยเหลือประชาชน เทศบาลตำบลเวียงพางคำ", "ติดตามสถานะ", "ข้อมูลศูนย์และแผนที่",
                     "ยินดีต้อนรับ เลือกบริการที่ต้องการ", "ข้อมูลตัวอย่าง"):
            assert text in screen
        lines = screen.splitlines()
        top = next(i for i, line in enumerate(lines) if "╭" in line)
        box = lines[top:top + 3]
        assert "ยินดีต้อนรับ" in box[1]
        right_edges = [columns_of(line, "╮│╯")[-1] for line in box]
        left_edges = [columns_of(line, "╭│╰")[0] for line in box]
        assert len(set(right_edges)) == 1 and len(set(left_edges)) == 1, box
        assert max(len(line) for line in lines) <= 120 + 60  # marks add code points, not columns
        assert all(max(columns_of(line, line) or [0]) < 120 for line in lines)
        pane.keys("C-c")
        pane.keys("C-q")
        time.sleep(1.0)  # give a quit the time it would need
        assert "ขอความช่วยเหลือ" in pane.text()
    db = database.get("KIOSK_DATABASE_URL") or tmp_path / "kiosk.toml"
    assert query_config_database(db, "SELECT name_th FROM organization") == [("เทศบาลตำบลเวียงพางคำ",)]
    assert "sample = true" in (tmp_path / "kiosk.toml").read_text(encoding="utf-8")
