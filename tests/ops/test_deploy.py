"""kiosk/deploy/: the systemd units pass `systemd-analyze verify` with their paths rewritten to
this checkout (the program folder, uv, the config); cage and foot, when this machine lacks them,
are stood in for by executables that do nothing (verify checks that each command exists). And
the files agree with each other: one config path, the counter restarts on failure in cage+foot
with a Thai font, nginx logs neither query strings nor tracking tokens."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.receipt.conftest import need

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "kiosk" / "deploy"
UNITS = ("kiosk-counter.service", "kiosk-web.service", "kiosk-backup.service", "kiosk-backup.timer")
CONFIG = "/var/lib/kiosk/kiosk.toml"


def rewritten(tmp_path: Path) -> list[Path]:
    """The units with the deployment's paths replaced by this checkout's."""
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv missing: install it (https://docs.astral.sh/uv/)")
    home = tmp_path / "home"
    home.mkdir()
    swaps = {"/opt/kiosk": str(ROOT), "/usr/local/bin/uv": uv, "/var/lib/kiosk": str(home)}
    for tool in ("cage", "foot"):
        if not Path(f"/usr/bin/{tool}").exists():
            stand_in = tmp_path / "bin" / tool
            stand_in.parent.mkdir(exist_ok=True)
            stand_in.write_text("#!/bin/sh\nexit 0\n")
            stand_in.chmod(0o755)
            swaps[f"/usr/bin/{tool}"] = str(stand_in)
    out = []
    for name in UNITS:
        text = (DEPLOY / name).read_text(encoding="utf-8")
        for old, new in swaps.items():
            text = text.replace(old, new)
        assert "/opt/kiosk" not in text and "/var/lib/kiosk" not in text
        (tmp_path / name).write_text(text, encoding="utf-8")
        out.append(tmp_path / name)
    return out


def test_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    need("systemd-analyze", "systemd")
    units = rewritten(tmp_path)
    done = subprocess.run(["systemd-analyze", "verify", "--man=no", *map(str, units)], capture_output=True,
                          text=True, timeout=60, cwd=tmp_path)
    # verify exits 0 on keys it ignores ("Unknown key", "Failed to parse"): any word from it is a fault
    assert (done.returncode, done.stderr.strip()) == (0, "")


def test_a_broken_unit_is_caught(tmp_path: Path) -> None:
    """The check above can fail: a misspelt key is reported."""
    need("systemd-analyze", "systemd")
    unit = rewritten(tmp_path)[1]
    unit.write_text(unit.read_text(encoding="utf-8").replace("Restart=on-failure", "Restart=sometimes"))
    done = subprocess.run(["systemd-analyze", "verify", "--man=no", str(unit)], capture_output=True, text=True,
                          timeout=60, cwd=tmp_path)
    assert "sometimes" in done.stderr


def test_the_files_agree() -> None:
    texts = {p.name: p.read_text(encoding="utf-8") for p in DEPLOY.iterdir() if p.is_file()}
    commands = {name: re.findall(r"kiosk\.py --config (\S+) (\S+)", text) for name, text in texts.items()}
    assert commands["kiosk-counter.service"] == [(CONFIG, "counter")]
    assert commands["kiosk-web.service"] == [(CONFIG, "serve")]
    assert commands["kiosk-backup.service"] == [(CONFIG, "backup"), (CONFIG, "audit-verify")]
    assert commands["sshd_config.kiosk"] == [(CONFIG, "staff")]
    counter = texts["kiosk-counter.service"]
    assert "Restart=on-failure" in counter and "Restart=on-failure" in texts["kiosk-web.service"]
    assert re.search(r"ExecStart=/usr/bin/cage .*-- /usr/bin/foot --config=/opt/kiosk/kiosk/deploy/foot.ini ", counter)
    font = re.search(r"^font=(.*)$", texts["foot.ini"], re.M)[1]
    assert font.startswith("Tlwg Mono:size=") and int(re.search(r"size=(\d+)", font)[1]) >= 18
    assert "OnCalendar=" in texts["kiosk-backup.timer"]
    nginx = texts["nginx-kiosk.conf"]
    assert "ssl_certificate " in nginx and "listen 443 ssl" in nginx
    formats = re.findall(r"log_format \w+ (.*?);", nginx, re.S)
    assert formats and all("$request " not in f and "$request_uri" not in f and "$args" not in f for f in formats)
    assert "~^/t/           /t/-;" in nginx
    assert all(line.endswith(" kiosk_private;") for line in re.findall(r"access_log .*;", nginx))


def _nginx() -> str:
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
    if found is None:
        pytest.skip("nginx missing: install the Debian package nginx")
    return found


def test_nginx_site_passes_nginx_t(tmp_path: Path) -> None:
    """The site with a throw-away certificate in place of Let's Encrypt's, under `nginx -t`."""
    nginx = _nginx()
    need("openssl", "openssl")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=help.example.go.th", "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
                   check=True, capture_output=True, timeout=60)
    site = (DEPLOY / "nginx-kiosk.conf").read_text(encoding="utf-8")
    site = site.replace("/etc/letsencrypt/live/help.example.go.th/fullchain.pem", str(tmp_path / "cert.pem"))
    site = site.replace("/etc/letsencrypt/live/help.example.go.th/privkey.pem", str(tmp_path / "key.pem"))
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    temp = " ".join(f"{kind}_temp_path {tmp_path}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi",
                                                                        "scgi"))
    (tmp_path / "nginx.conf").write_text(f"error_log {tmp_path}/error.log;\npid {tmp_path}/nginx.pid;\nevents {{}}\n"
                                         f"http {{ {temp} include {tmp_path}/site.conf; }}\n", encoding="utf-8")
    done = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_sshd_snippet_passes_sshd_t(tmp_path: Path) -> None:
    sshd = shutil.which("sshd") or ("/usr/sbin/sshd" if Path("/usr/sbin/sshd").exists() else None)
    if sshd is None:
        pytest.skip("sshd missing: install the Debian package openssh-server")
    need("ssh-keygen", "openssh-client")
    key = tmp_path / "host_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True, timeout=30)
    config = tmp_path / "sshd_config"
    config.write_text(f"HostKey {key}\nPidFile {tmp_path}/sshd.pid\n" + (DEPLOY / "sshd_config.kiosk").read_text(
        encoding="utf-8"), encoding="utf-8")
    done = subprocess.run([sshd, "-t", "-f", str(config)], capture_output=True, text=True, timeout=30)
    assert (done.returncode, done.stderr) == (0, "")


def test_foot_ini_passes_foot_check_config() -> None:
    need("foot", "foot")
    done = subprocess.run(["foot", f"--config={DEPLOY / 'foot.ini'}", "--check-config"], capture_output=True,
                          text=True, timeout=30)
    assert done.returncode == 0 and " err: " not in done.stderr, done.stderr
