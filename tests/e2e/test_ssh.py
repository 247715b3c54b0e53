"""The staff console over a real SSH connection: OpenSSH's sshd on a loopback high port with a
throwaway host key, an authorized key whose `command=` runs `kiosk.py staff`, and `ssh -tt`
inside tmux (100×30). We log in by typing, and the queue shows the seeded tickets."""

from __future__ import annotations

import getpass
import os
import shlex
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from db.models import Case, database
from kiosk.config import parse_settings
from kiosk.services import staff as staff_service
from kiosk.services.setup import open_kiosk
from tests.conftest import write_config
from tests.staff.conftest import new_case

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SSHD = "/usr/sbin/sshd"


def _need(tool: str, package: str) -> str:
    path = shutil.which(tool) or (tool if os.path.isabs(tool) and os.path.exists(tool) else None)
    if path is None:
        pytest.skip(f"{tool} missing: install the Debian package {package}")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _uv() -> str:
    """The real uv binary (sshd's PATH is minimal; a pyenv shim would not resolve)."""
    found = shutil.which("uv")
    if found and "shims" in found:
        out = subprocess.run(["pyenv", "which", "uv"], capture_output=True, text=True)
        found = out.stdout.strip() or found
    return found or "uv"


def _wait_for(check, timeout: float, what: str, tail=lambda: ""):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}\n{tail()}")


def test_staff_console_over_real_ssh(tmp_path: Path) -> None:
    _need(SSHD, "openssh-server")
    _need("ssh", "openssh-client")
    _need("tmux", "tmux")
    keygen = _need("ssh-keygen", "openssh-client")

    config = write_config(tmp_path)
    settings = parse_settings(config, config.read_text(encoding="utf-8"), environ={})
    connection = open_kiosk(settings)
    try:
        system = staff_service.Actor(0, "test", "", "admin", "cli")
        staff_service.create_staff("somsri", "ssh-password-1", "officer", "สมศรี", by=system)
        tickets = [Case.get_by_id(new_case(f"เรื่องที่ {i}")).ticket_no for i in range(3)]
    finally:
        connection.close()
        database.initialize(None)

    host_key, user_key = tmp_path / "host_ed25519", tmp_path / "user_ed25519"
    for key in (host_key, user_key):
        subprocess.run([keygen, "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    env = {"KIOSK_STAFF_IDLE_LOCK": "600", "TEXTUAL_FPS": "15", "TEXTUAL_ANIMATIONS": "none",
           "PYTHAINLP_OFFLINE": "1", "PYTHAINLP_READ_ONLY": "1", "UV_NO_SYNC": "1", "HOME": os.environ.get("HOME", "/root")}
    command = (f"cd {shlex.quote(str(ROOT))} && exec env {' '.join(f'{k}={shlex.quote(v)}' for k, v in env.items())} "
               f"{shlex.quote(_uv())} run kiosk.py --config {shlex.quote(str(config))} staff")
    authorized = tmp_path / "authorized_keys"
    authorized.write_text(f'command="{command}",no-port-forwarding,no-agent-forwarding,no-X11-forwarding '
                          f"{(user_key.with_suffix('.pub')).read_text()}")
    port = _free_port()
    sshd_config = tmp_path / "sshd_config"
    sshd_config.write_text("\n".join([
        f"Port {port}", "ListenAddress 127.0.0.1", f"HostKey {host_key}", f"AuthorizedKeysFile {authorized}",
        f"PidFile {tmp_path / 'sshd.pid'}", "StrictModes no", "UsePAM no", "PasswordAuthentication no",
        "KbdInteractiveAuthentication no", "PubkeyAuthentication yes",
        f"PermitRootLogin {'forced-commands-only' if getpass.getuser() == 'root' else 'no'}",
        "AllowTcpForwarding no", "X11Forwarding no", "AcceptEnv LANG COLORTERM", ""]))
    Path("/run/sshd").mkdir(exist_ok=True)  # sshd's privilege-separation directory
    sshd = subprocess.Popen([SSHD, "-D", "-e", "-f", str(sshd_config)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    sock = tmp_path / "tmux.sock"
    tmux = ["tmux", "-S", str(sock)]
    try:
        def listening():
            with socket.socket() as s:
                return s.connect_ex(("127.0.0.1", port)) == 0
        _wait_for(listening, 10, "sshd to listen")
        ssh = (f"ssh -tt -p {port} -i {user_key} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null "
               f"-o LogLevel=ERROR {getpass.getuser()}@127.0.0.1")
        subprocess.run([*tmux, "new-session", "-d", "-s", "staff", "-x", "100", "-y", "30", ssh], check=True)

        def screen() -> str:
            out = subprocess.run([*tmux, "capture-pane", "-p", "-t", "staff"], capture_output=True, text=True)
            return out.stdout

        _wait_for(lambda: "เข้าสู่ระบบเจ้าหน้าที่" in screen(), 60, "the login screen", screen)
        # typed ahead in one burst, as a link with latency delivers it: the password must reach the
        # password field, never the username field (screens/widgets/next_field.py)
        subprocess.run([*tmux, "send-keys", "-t", "staff", "somsri", "Enter", "ssh-password-1", "Enter"], check=True)
        def queue_shown():
            text = screen()
            return text if all(t in text for t in tickets) else None

        shown = _wait_for(queue_shown, 30, "the queue with the seeded tickets", screen)
        assert "รับเรื่องแล้ว" in shown  # status column, in Thai
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
        sshd.terminate()
        try:
            sshd.wait(timeout=5)
        except subprocess.TimeoutExpired:
            sshd.kill()
