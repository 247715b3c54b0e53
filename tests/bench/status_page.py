"""Benchmark: GET /t/{token} on one uvicorn worker against a constant page served by the same
app in the same run (wrk -t1 -c50 -d5s --latency). Like with like: the constant page goes through
the same middleware (security headers, no-store), the server settings of `kiosk.py serve`, and answers the very
bytes the status page answers, so the ratio measures the status page's own work (database lookup
and rendering). The two are measured in alternation, `--rounds` times each.
Prints requests/s, p99 and the ratio per round, then the medians.
Target (issue 5): ratio ≥ 0.6, p99 ≤ 20 ms at 50 concurrent clients.

    uv run python tests/bench/status_page.py [--cases 2000] [--duration 5] [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

from tests.web.server import ROOT, free_port, seed, write_config  # noqa: E402

APP = """
import sys
from pathlib import Path
from starlette.responses import HTMLResponse
from starlette.routing import Route
from kiosk.config import load_settings
from kiosk.web.app import make_web_app

CONSTANT = []  # the status page's own body, saved by the benchmark before it measures

async def constant(request):
    if not CONSTANT:
        CONSTANT.append((Path(sys.argv[1]).parent / "constant.html").read_bytes())
    return HTMLResponse(CONSTANT[0])

app = make_web_app(load_settings(__import__("pathlib").Path(sys.argv[1])))
app.router.routes.insert(0, Route("/constant", constant))
"""


def wrk(url: str, duration: int) -> tuple[float, float]:
    out = subprocess.run(["wrk", "-t1", "-c50", f"-d{duration}s", "--latency", url], capture_output=True, text=True,
                         check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    if "Non-2xx" in out or "Socket errors" in out:
        print(out)
    return rps, p99


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk missing: install the Debian package wrk")
        return 1
    folder = Path(tempfile.mkdtemp(prefix="bench-status-"))
    config = write_config(folder)
    from kiosk.config import parse_settings

    seeded = seed(parse_settings(config, config.read_text(encoding="utf-8"), environ={}), args.cases)
    token = seeded["known"].token
    (folder / "bench_app.py").write_text(APP, encoding="utf-8")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", f"import sys; sys.argv[1:] = [{str(config)!r}]; sys.path[:0] = [{str(folder)!r}, "
         f"{str(ROOT)!r}]; import uvicorn, bench_app; uvicorn.run(bench_app.app, host='127.0.0.1', port={port}, "
         "workers=1, access_log=False, server_header=False, proxy_headers=True, forwarded_allow_ips='127.0.0.1', "
         "log_level='warning')"], cwd=ROOT)
    rounds = []
    try:
        import httpx, time  # noqa: E401

        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if httpx.get(f"{base}/t/{token}").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        body = httpx.get(f"{base}/t/{token}").content
        (folder / "constant.html").write_bytes(body)
        assert httpx.get(f"{base}/constant").content == body
        wrk(f"{base}/t/{token}", 1)  # warm up both
        wrk(f"{base}/constant", 1)
        for _ in range(args.rounds):
            rounds.append((*wrk(f"{base}/t/{token}", args.duration), *wrk(f"{base}/constant", args.duration)))
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(folder, ignore_errors=True)
    print(f"database: SQLite, {len(seeded['cases'])} cases; one uvicorn worker (access log off for both); "
          f"wrk -t1 -c50 -d{args.duration}s; both pages answer the same {len(body)} bytes")
    for i, (page_rps, page_p99, const_rps, const_p99) in enumerate(rounds, 1):
        print(f"round {i}: GET /t/{{token}} {page_rps:7.0f} req/s  p99 {page_p99:6.2f} ms | "
              f"GET /constant {const_rps:7.0f} req/s  p99 {const_p99:6.2f} ms | ratio {page_rps / const_rps:.2f}")
    page_rps, page_p99, const_rps, const_p99 = (statistics.median(r[i] for r in rounds) for i in range(4))
    print(f"GET /t/{{token}}   {page_rps:9.0f} req/s   p99 {page_p99:7.2f} ms   (median of {len(rounds)})")
    print(f"GET /constant     {const_rps:9.0f} req/s   p99 {const_p99:7.2f} ms")
    print(f"ratio status/constant: {page_rps / const_rps:.2f}  (target ≥ 0.6; p99 target ≤ 20 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
