"""Start-up benchmark: time from process start to the first painted home screen in a real
terminal (tmux 120×40, polling the pane), median of N runs, beside a minimal Textual "hello" app
measured the same way in the same run; and the counter's peak RSS at the home screen.

    uv run python tests/bench/startup.py [--runs 10]

Targets (issue 2): startup ≤ 1.3 × the hello app; RSS ≤ 80 MiB."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.e2e.tmux import Pane  # noqa: E402

HELLO = '''
from textual.app import App
from textual.widgets import Static
class Hello(App):
    def compose(self):
        yield Static("HELLO-READY")
Hello().run()
'''


def time_to_paint(command: str, needle: str, env: dict[str, str]) -> tuple[float, int]:
    """Seconds until `needle` shows in the pane, and the process's peak RSS (KiB) then."""
    start = time.perf_counter()
    with Pane(command, env=env, hold=False) as pane:
        while needle not in pane.text():
            if time.perf_counter() - start > 30:
                raise RuntimeError(f"{needle!r} never appeared:\n{pane.text()}")
            time.sleep(0.005)
        elapsed = time.perf_counter() - start
        time.sleep(0.5)  # let it settle, then read its peak memory
        status = Path(f"/proc/{pane.pid()}/status").read_text()
        return elapsed, int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    python = sys.executable
    with tempfile.TemporaryDirectory() as home:
        hello = Path(home) / "hello.py"
        hello.write_text(HELLO)
        env = {"KIOSK_HOME": home}
        time_to_paint(f"{python} kiosk.py", "เจ้าหน้าที่", env)  # first run creates config + database
        kiosk_t, hello_t, rss = [], [], []
        for _ in range(runs):  # interleaved, so both see the same machine
            t, hwm = time_to_paint(f"{python} kiosk.py", "เจ้าหน้าที่", env)
            kiosk_t.append(t)
            rss.append(hwm)
            hello_t.append(time_to_paint(f"{python} {hello}", "HELLO-READY", env)[0])
    k, h = statistics.median(kiosk_t), statistics.median(hello_t)
    print(f"runs: {runs} (python: {python})")
    print(f"counter home screen  median {k * 1000:7.0f} ms  (min {min(kiosk_t) * 1000:.0f}, max {max(kiosk_t) * 1000:.0f})")
    print(f"textual hello app    median {h * 1000:7.0f} ms  (min {min(hello_t) * 1000:.0f}, max {max(hello_t) * 1000:.0f})")
    print(f"ratio                {k / h:7.2f}   (target ≤ 1.30)")
    print(f"counter peak RSS     {statistics.median(rss) / 1024:7.1f} MiB (target ≤ 80)")


if __name__ == "__main__":
    main()
