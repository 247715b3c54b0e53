"""Benchmark of the staff console at 100,000 cases: p95 of opening the queue, applying filters
and opening a case — at the service layer, and through the UI with Pilot (80×24) in a separate
process; then the memory of one real `kiosk.py staff` process in tmux (what one SSH session costs).

    uv run python tests/bench/staff.py [--cases 100000] [--runs 40]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

from db.connection import write_transaction  # noqa: E402
from db.models import Case, Organization, Person, utcnow  # noqa: E402
from db.reference import CATEGORIES  # noqa: E402
from kiosk.config import parse_settings  # noqa: E402
from kiosk.services import case_view, queue  # noqa: E402
from kiosk.services import staff as staff_service  # noqa: E402
from kiosk.services.demo import DESCRIPTIONS, fake_people  # noqa: E402
from kiosk.services.queue import QueueFilter  # noqa: E402
from kiosk.services.setup import open_kiosk  # noqa: E402
from tests.conftest import write_config  # noqa: E402

PASSWORD = "bench-password-1"
FILTERS = {
    "open": QueueFilter(status="open"),
    "area+moo": QueueFilter(status="open", area="quality_of_life", moo=3),
    "subtype": QueueFilter(subtype="flood"),
    "urgent-first": QueueFilter(status="open", sort="urgency"),
    "waiting>30d": QueueFilter(older_than_days=30),
    "mine": QueueFilter(mine=True),
    "ticket": QueueFilter(query="WPK-69-04321"),
}


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] * 1000 if len(samples) > 1 else samples[0] * 1000


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def fill(n: int) -> None:
    """n people and n cases, inserted in bulk inside one transaction."""
    rng = random.Random(2569)
    org = Organization.get(Organization.ticket_prefix == "WPK")
    subtypes = [s for _a, (_b, subs) in CATEGORIES.items() for s in subs]
    statuses = ["received"] * 4 + ["more_info", "field_check", "awaiting_committee", "approved", "helped", "closed",
                                   "not_approved", "referred"]
    officer = staff_service.login("officer", PASSWORD)
    now = utcnow()
    start = time.perf_counter()
    with write_transaction():
        first_person = (Person.select(Person.id).order_by(Person.id.desc()).scalar() or 0) + 1
        people = []
        for p in fake_people(n, seed=7):
            people.append(dict(organization=org.id, prefix=p.prefix, first_name=p.first_name, last_name=p.last_name,
                               doc_type=p.doc_type, doc_number=p.doc_number, phone=p.phone, house_no=p.house_no,
                               moo=p.moo, village=p.village, subdistrict_code=p.subdistrict_code,
                               name_plain=f"{p.first_name} {p.last_name}", created_at=now, updated_at=now))
            if len(people) == 1000:
                Person.insert_many(people).execute()
                people = []
        if people:
            Person.insert_many(people).execute()
        rows = []
        for i in range(1, n + 1):
            sub = rng.choice(subtypes)
            created = now - timedelta(minutes=rng.randrange(0, 365 * 24 * 60))
            rows.append(dict(organization=org.id, ticket_no=f"WPK-69-{i:05d}", year_be=2569, seq=i,
                             token=f"bench{i:010d}", short_code=f"B{i:07d}", category=sub,
                             status=rng.choice(statuses), channel="counter", requester=first_person + i - 1,
                             subject=first_person + i - 1, description=DESCRIPTIONS.get(sub, "ขอความช่วยเหลือ"),
                             urgency=rng.choice(("normal",) * 6 + ("urgent", "emergency")),
                             assigned_to=officer.id if rng.random() < 0.05 else None,
                             created_at=created, updated_at=created))
            if len(rows) == 1000:
                Case.insert_many(rows).execute()
                rows = []
        if rows:
            Case.insert_many(rows).execute()
    print(f"inserted {n:,} people + {n:,} cases in {time.perf_counter() - start:.1f} s")


def service_bench(runs: int) -> None:
    actor = staff_service.login("officer", PASSWORD)
    ids = [c for (c,) in Case.select(Case.id).order_by(Case.id).tuples()]
    rng = random.Random(1)
    print(f"service layer, {runs} runs each (p95 ms):")
    print(f"  open queue (page 1, all open)   {p95(timed(lambda: queue.list_cases(actor, FILTERS['open']), runs)):7.1f}")
    print(f"  open queue, page 500            "
          f"{p95(timed(lambda: queue.list_cases(actor, FILTERS['open'], page=500), runs)):7.1f}")
    for name, flt in FILTERS.items():
        print(f"  filter {name:<24} {p95(timed(lambda f=flt: queue.list_cases(actor, f), runs)):7.1f}")
    print(f"  open case (detail + audit)      "
          f"{p95(timed(lambda: case_view.case_detail(actor, rng.choice(ids)), runs)):7.1f}")


class Frames:
    """Wraps the app's `_display` (called once per frame the compositor has rendered) so a wait
    ends at the first frame that shows the awaited state: `done()` is checked when the frame is
    drawn, so the time is action → that frame, with nothing subtracted."""

    def __init__(self, app) -> None:
        self.app = app
        self.done = None
        self.shown = asyncio.Event()
        self.at = 0.0
        draw = app._display

        def display(screen, update) -> None:
            draw(screen, update)
            if update is not None and self.done is not None and self.done():
                self.at, self.done = time.perf_counter(), None
                self.shown.set()

        app._display = display

    async def time(self, action, done) -> float:
        """Seconds from calling `action` to the first frame drawn once `done()` holds."""
        self.shown.clear()
        self.done = done
        # Some actions are called directly rather than through a key; count them as the keystroke
        # a person would have made (the app collects garbage only in pauses between inputs).
        self.app.last_input = time.monotonic()
        start = time.perf_counter()
        result = action()
        if asyncio.iscoroutine(result):
            await result
        await asyncio.wait_for(self.shown.wait(), 30)
        return self.at - start


async def ui_bench(settings, runs: int) -> None:
    from textual.widgets import DataTable

    from screens.app import make_app
    from screens.queue import QueueScreen

    app = make_app(settings, "staff", "th")

    async def settle(pilot):
        for _ in range(2):
            await app.workers.wait_for_complete()
            await pilot.pause()

    def shown(widget) -> bool:
        return widget.is_attached and bool(widget.region)

    async with app.run_test(size=(80, 24)) as pilot:
        frames = Frames(app)
        app.screen.query_one("#login-username").value = "officer"
        app.screen.query_one("#login-password").value = PASSWORD
        app.screen.query_one("#login-password").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "QueueScreen", app.screen
        opened, filtered, cases, back, idle = [], [], [], [], []
        for i in range(runs):
            start = time.perf_counter()
            await settle(pilot)  # nothing to do: the cost of waiting for Pilot itself
            idle.append(time.perf_counter() - start)

            fresh = QueueScreen()  # as after login: a new screen, composed, its first page loaded
            opened.append(await frames.time(lambda: app.switch_screen(fresh), lambda: app.screen is fresh
                                            and fresh.result is not None and shown(fresh.query_one(DataTable))))
            await settle(pilot)

            screen, before = app.screen, app.screen.result
            urgency = screen.query_one("#q-urgency")
            filtered.append(await frames.time(lambda: setattr(urgency, "value", ("urgent", "emergency")[i % 2]),
                                              lambda: screen.result is not before))
            await settle(pilot)
            table = screen.query_one(DataTable)
            assert table.row_count > 0
            table.focus()
            table.move_cursor(row=i % table.row_count)
            await settle(pilot)

            def case_shown() -> bool:
                top = app.screen
                return (type(top).__name__ == "CaseDetailScreen" and top.detail is not None
                        and bool(top.query("#case-header")) and shown(top.query_one("#case-header")))

            cases.append(await frames.time(lambda: pilot.press("enter"), case_shown))
            await settle(pilot)
            back.append(await frames.time(lambda: pilot.press("escape"), lambda: app.screen is screen))
            await settle(pilot)
    print(f"through the UI (Pilot, 80×24), {runs} runs each, p95 ms from the action to the first frame "
          "that shows its result:")
    for name, samples in (("open queue (new screen, page 1)", opened), ("apply filter (urgency)", filtered),
                          ("open case", cases), ("back to the queue", back)):
        print(f"  {name:<31} {p95(samples):7.1f}   (median {statistics.median(samples) * 1000:.1f})")
    print(f"  (Pilot's own settle, no work: {p95(idle):.1f}; not part of the figures above)")
    print(f"Pilot process memory: {memory(os.getpid())}")


def memory(pid: int) -> str:
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    mib = {k: int(status[k].split()[0]) / 1024 for k in ("VmHWM", "VmRSS")}
    return f"now {mib['VmRSS']:.1f} MiB (VmRSS), peak {mib['VmHWM']:.1f} MiB (VmHWM)"


def real_process(config: Path) -> None:
    """RSS of one real `kiosk.py staff` process in a tmux pane (80×24), as an SSH session runs it:
    logged in, at the queue; then after opening a case and going back."""
    from tests.e2e.tmux import Pane

    if not shutil.which("tmux"):
        print("real staff process: skipped (tmux missing: apt-get install tmux)")
        return
    env = {"PYTHAINLP_OFFLINE": "1", "PYTHAINLP_READ_ONLY": "1", "LANG": "C.UTF-8"}
    with Pane(f"{sys.executable} kiosk.py --config {config} staff --lang en", 80, 24, env=env, hold=False) as pane:
        pane.wait_for("Password", 60)
        pane.keys("officer", "Enter")
        time.sleep(0.3)
        pane.keys(PASSWORD, "Enter")
        pane.wait_for("WPK-69-", 60)
        time.sleep(1.0)
        print(f"real staff process (kiosk.py staff in tmux 80×24), at the queue: {memory(pane.pid())}")
        pane.keys("Enter")
        pane.wait_for("Timeline", 30)
        pane.keys("Escape")
        pane.wait_for("WPK-69-", 30)
        time.sleep(1.0)
        print(f"  after opening a case and going back:                  {memory(pane.pid())}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--dir", type=Path, help="keep the database in this folder and reuse it next time "
                        "(for profiling: `--ui DIR/kiosk.toml` then runs only the UI part)")
    parser.add_argument("--ui", metavar="CONFIG", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.ui:
        path = Path(args.ui)
        settings = parse_settings(path, path.read_text(encoding="utf-8"), environ={})
        open_kiosk(settings)
        asyncio.run(ui_bench(settings, args.runs))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.dir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        reuse = (folder / "kiosk.toml").exists()
        config = folder / "kiosk.toml" if reuse else write_config(folder)
        settings = parse_settings(config, config.read_text(encoding="utf-8"), environ={})
        db = open_kiosk(settings)
        if reuse:
            print(f"reusing {Case.select().count():,} cases in {folder}")
        else:
            system = staff_service.Actor(0, "bench", "", "admin", "cli")
            staff_service.create_staff("officer", PASSWORD, "officer", by=system)
            fill(args.cases)
            db.execute_sql("ANALYZE")
        service_bench(args.runs)
        db.close()
        subprocess.run([sys.executable, __file__, "--ui", str(config), "--runs", str(args.runs)], check=True)
        real_process(config)


if __name__ == "__main__":
    main()
