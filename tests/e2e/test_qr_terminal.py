"""A QR code shown by the QRCode widget in a real terminal (tmux) decodes with zbar."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from kiosk.qr import qr_half_block_lines
from tests.e2e.qr_pane import decode_qr, qr_image_from_ansi

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
URL = "https://example.invalid/t/abcdefghijklmnopqrstuvwx"
APP = f"""
from textual.app import App
from screens.widgets.qr_code import QRCode


class QRApp(App):
    def compose(self):
        yield QRCode({URL!r})


QRApp().run()
"""


@pytest.mark.parametrize(
    "scheme",
    ["\x1b[30;107m", "\x1b[38;5;16;48;5;231m", "\x1b[38;2;0;0;0m\x1b[48;2;255;255;255m", "\x1b[97;40;7m"],
)
def test_capture_parser_reads_16_256_and_truecolour_schemes(scheme: str) -> None:
    """The decoder understands every colour form a terminal capture may use, on a dark screen."""
    _need("zbarimg", "zbar-tools")
    frame = "\x1b[0m\x1b[49;39m" + " " * 10
    capture = "\n".join(f"{frame}{scheme}{line}{frame}\x1b[0m" for line in qr_half_block_lines(URL))
    assert decode_qr(qr_image_from_ansi(capture)) == [URL]


def test_inverted_code_is_not_read() -> None:
    """White on the dark default background, as an unstyled widget draws it: unreadable."""
    _need("zbarimg", "zbar-tools")
    capture = "\n".join(f"\x1b[97;40m{line}" for line in qr_half_block_lines(URL))
    assert decode_qr(qr_image_from_ansi(capture)) == []


def _need(tool: str, package: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} missing: install the Debian package {package}")


def test_qr_in_tmux_decodes_on_the_dark_theme(tmp_path: Path) -> None:
    """The default (dark) theme shows the code black on white with its quiet zone: zbar reads
    the exact URL from the captured pane."""
    _need("tmux", "tmux")
    _need("zbarimg", "zbar-tools")
    app = tmp_path / "app.py"
    app.write_text(APP)
    socket = f"kiosk-qr-{os.getpid()}"
    tmux = ["tmux", "-L", socket, "-f", "/dev/null"]
    command = (
        f"cd {shlex.quote(str(ROOT))} && env TERM=xterm-256color COLORTERM=truecolor "
        f"PYTHONPATH={shlex.quote(str(ROOT))} uv run python {shlex.quote(str(app))}"
    )
    subprocess.run([*tmux, "new-session", "-d", "-x", "120", "-y", "40", "-s", "qr", command], check=True)
    try:
        decoded: list[str] = []
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and URL not in decoded:
            time.sleep(0.3)
            capture = subprocess.run(
                [*tmux, "capture-pane", "-e", "-p", "-t", "qr"], capture_output=True, text=True, check=False
            ).stdout
            if "▀" in capture or "▄" in capture:
                decoded = decode_qr(qr_image_from_ansi(capture))
        assert decoded == [URL], f"decoded {decoded!r} from:\n{capture}"
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True, check=False)
