"""Benchmark: GET /t/{token} on one uvicorn worker against a constant page served by the same
app in the same run (wrk -t1 -c50 -d5s --latency). Like with like: the constant page goes through
the same middleware (security headers, no-store), the server settings of `kiosk.py serve`, and answers the very
bytes the status page answers, so the ratio measures the status page's own work (database lookup
and rendering). The two are measured in alternation, `--rounds` times each.
Prints requests/s, p99 and the ratio per round, then the medians.
Target (issue 5): ratio ≥ 0.6, p99 ≤ 20 ms at 50 concurrent clients.

    uv run python tests/bench/status_page.py [--cases 2000] [--duration 5] [--rounds 2]

`--abuse` (issue 11): the real `kiosk.py serve` under `wrk -c500` on the Open311 list while one
bounded client loop (one request at a time, a pause of 10 ms between) keeps asking for
/t/{token} and records every latency. Three attacks, each `--duration` seconds: one client
(mostly 429 from the rate limit), many clients asking the same thing (a different
X-Forwarded-For per request from the trusted proxy 127.0.0.1: the answer cache), and many
clients asking different things (varied pages and filters: every request needs the database,
the lane refuses what it cannot do at once with 503). Prints the status counts of each attack,
the probe's latency before, during and after it, and how long after the attack the probe
was answering normally again (within twice the quiet p99, five answers in a row).

    uv run python tests/bench/status_page.py --abuse [--cases 2000] [--duration 10]
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


COUNT_STATUSES = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) counts = {} end
function response(status, headers, body) counts[status] = (counts[status] or 0) + 1 end
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("counts")) do total[k] = (total[k] or 0) + v end
  end
  for k, v in pairs(total) do io.write(string.format("status %d: %d\\n", k, v)) end
end
"""
MANY_CLIENTS = """
local n = 0
request = function()
  n = n + 1
  local ip = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
  return wrk.format("GET", "/open311/v2/requests.xml", {["X-Forwarded-For"] = ip})
end
"""
MANY_QUESTIONS = """
local statuses = {"", "&status=open", "&status=closed"}
request = function()
  local ip = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
  local path = string.format("/open311/v2/requests.xml?page=%d&page_size=%d%s", math.random(1, 10),
                             math.random(20, 100), statuses[math.random(1, 3)])
  return wrk.format("GET", path, {["X-Forwarded-For"] = ip})
end
"""
ATTACKS = (("one client", ""), ("many clients, one question", MANY_CLIENTS),
           ("many clients, many questions", MANY_QUESTIONS))


class Probe:
    """One bounded client loop on /t/{token}: a request, a 10 ms pause, the next. Records
    (time sent, latency in ms, status) for every answer; a request that fails counts as its
    time to fail with status 0."""

    def __init__(self, url: str) -> None:
        import threading

        self.url, self.samples, self.stop = url, [], threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        import time

        import httpx

        with httpx.Client(timeout=60) as client:
            while not self.stop.is_set():
                sent = time.monotonic()
                try:
                    status = client.get(self.url).status_code
                except httpx.HTTPError:
                    status = 0
                self.samples.append((sent, (time.monotonic() - sent) * 1000, status))
                time.sleep(0.01)

    def between(self, start: float, end: float) -> list[tuple[float, float, int]]:
        return [s for s in self.samples if start <= s[0] < end]


def figures(samples: list[tuple[float, float, int]]) -> str:
    if not samples:
        return "no answers"
    ms = sorted(s[1] for s in samples)
    bad = sum(1 for s in samples if s[2] != 200)
    return (f"{len(ms):5d} answers  p50 {ms[len(ms) // 2]:7.1f} ms  p99 {ms[min(len(ms) - 1, int(len(ms) * 0.99))]:7.1f} ms"
            f"  max {ms[-1]:7.1f} ms  not 200: {bad}")


def abuse(args) -> int:
    import time

    import httpx

    from tests.web.server import seeded_server

    folder = Path(tempfile.mkdtemp(prefix="bench-abuse-"))
    srv = seeded_server(folder, args.cases, web="\n[web]\n")  # the shipped defaults: 60 a minute
    lua = folder / "attack.lua"
    try:
        token = srv.seeded["known"].token
        httpx.get(f"{srv.url}/t/{token}")
        probe = Probe(f"{srv.url}/t/{token}")
        probe.thread.start()
        time.sleep(3)
        quiet = probe.between(0, time.monotonic())
        normal = 2 * max(2.0, sorted(s[1] for s in quiet)[int(len(quiet) * 0.99)])
        print(f"database: SQLite, {len(srv.seeded['cases'])} cases; `kiosk.py serve` (one worker); probe: one "
              f"client loop on /t/{{token}}, 10 ms between requests")
        print(f"quiet                              {figures(quiet)}")
        for name, script in ATTACKS[:args.attacks]:
            lua.write_text(script + COUNT_STATUSES, encoding="utf-8")
            start = time.monotonic()
            out = subprocess.run(["wrk", "-t1", "-c500", f"-d{args.duration}s", "--timeout", "30s", "-s", str(lua),
                                  f"{srv.url}/open311/v2/requests.xml"], capture_output=True, text=True).stdout
            end = time.monotonic()
            time.sleep(args.after)
            after = probe.between(end, time.monotonic())
            back = next((i for i in range(len(after)) if all(s[1] <= normal and s[2] == 200 for s in after[i:i + 5])),
                        None)
            rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
            statuses = ", ".join(f"{m[0]}: {m[1]}" for m in sorted(re.findall(r"status (\d+): (\d+)", out)))
            print(f"attack: {name} (wrk -c500 -d{args.duration}s on requests.xml): "
                  f"{float(rps[1]) if rps else 0:.0f} req/s; {statuses}")
            print(f"  probe during the attack          {figures(probe.between(start, end))}")
            print(f"  probe in the {args.after:g} s after           {figures(after)}")
            if back is None:
                print(f"  not back to normal (≤ {normal:.1f} ms) within {args.after:g} s")
            else:
                print(f"  back to normal (≤ {normal:.1f} ms, 5 in a row) {after[back][0] - end:.3f} s after the attack; "
                      f"first answers after it: " + ", ".join(f"{s[1]:.1f}" for s in after[:5]) + " ms")
        probe.stop.set()
        probe.thread.join(60)
    finally:
        srv.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--abuse", action="store_true", help="wrk -c500 on the Open311 list, /t/{token} probed")
    parser.add_argument("--after", type=float, default=3.0, help="--abuse: seconds probed after each attack")
    parser.add_argument("--attacks", type=int, default=len(ATTACKS), help="--abuse: run the first N attacks")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk missing: install the Debian package wrk")
        return 1
    if args.abuse:
        return abuse(args)
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
         "workers=1, access_log=False, server_header=False, proxy_headers=False, "
         "log_level='warning')"], cwd=ROOT)
    rounds = []
    try:
        import time

        import httpx  # noqa: E401

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
