"""The staff gate and staff logins at the service level, on SQLite files and PostgreSQL: PINs of
6+ digits (old shorter ones still open the gate and are asked to change), a wait that grows with
wrong tries, kept in the database and taken before any secret is checked (so parallel tries all
count), one argon2 check per try whatever the username, the staff member's own password as an
alternative at the gate, officers at the gate (intake, not exit), and audit rows that never
hold what was typed."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from db.models import AuditLog, Staff, database
from kiosk.errors import PermissionDenied, ValidationError
from kiosk.services import audit_view
from kiosk.services import staff as staff_service

from .conftest import write_config

ROOT = Path(__file__).resolve().parent.parent
SYSTEM = staff_service.Actor(0, "t", "", "admin")
PASSWORD = "long-enough-1"


class CountingHasher(PasswordHasher):
    """The real argon2id hasher with the service's parameters, noting every hash it verifies."""

    def __init__(self) -> None:
        super().__init__(time_cost=2, memory_cost=19 * 1024, parallelism=1)
        self.verified: list[str] = []

    def verify(self, hash, password) -> bool:  # noqa: A002 (argon2's own parameter name)
        self.verified.append(hash if isinstance(hash, str) else hash.decode())
        return super().verify(hash, password)


@pytest.fixture
def hasher(monkeypatch) -> CountingHasher:
    counting = CountingHasher()
    monkeypatch.setattr(staff_service, "_hasher", counting)
    return counting


def add(username: str, role: str, pin: str | None = None) -> staff_service.Actor:
    return staff_service.create_staff(username, PASSWORD, role, username.title(), by=SYSTEM, pin=pin)


def give_old_pin(username: str, pin: str) -> None:
    """A PIN as a database from before the 6-digit rule holds it: a hash, no `pin_set` row."""
    Staff.update(pin_hash=staff_service._hasher.hash(pin)).where(Staff.username == username).execute()


def refusal(call, *args) -> PermissionDenied:
    with pytest.raises(PermissionDenied) as err:
        call(*args)
    return err.value


def wait_of(err: PermissionDenied) -> int:
    """The wait a refusal states, in seconds (minutes when it is long)."""
    assert err.key in ("signin.wait_seconds", "errors.login_locked"), err.key
    return err.params["seconds"] if "seconds" in err.params else err.params["minutes"] * 60


def let_time_pass(seconds: float) -> None:
    """Move the gate's and the accounts' last tries back in time (what a wait does)."""
    delta = timedelta(seconds=seconds)
    for row in AuditLog.select().where(AuditLog.action == "counter_unlock_try"):
        AuditLog.update(at=row.at - delta).where(AuditLog.id == row.id).execute()
    for staff in Staff.select().where(Staff.locked_until.is_null(False)):
        Staff.update(locked_until=staff.locked_until - delta).where(Staff.id == staff.id).execute()


def actions(*names: str) -> int:
    return AuditLog.select().where(AuditLog.action << names).count()


# -- PINs ------------------------------------------------------------------------------------

def test_new_pins_need_six_digits_and_not_a_run(db):
    for pin in ("4321", "12345", "1234567890123", "12a456", ""):
        with pytest.raises(ValidationError) as err:
            staff_service.validate_pin(pin)
        assert err.value.key == "errors.pin_format", pin
    for pin in ("111111", "121212", "123456", "987654", "890123", "000000"):
        with pytest.raises(ValidationError) as err:
            staff_service.validate_pin(pin)
        assert err.value.key == "signin.pin_weak", pin
    for pin in ("602569", "481357", "735124930112"):
        assert staff_service.validate_pin(pin) == pin
    with pytest.raises(ValidationError):
        add("boss", "supervisor", pin="4321")  # adduser, init and the Users screen all come here
    assert not Staff.select().where(Staff.username == "boss").exists()
    with pytest.raises(ValidationError) as err:
        add("vol", "volunteer", pin="602569")
    assert err.value.key == "signin.pin_role"


def test_who_may_set_a_pin(db):
    admin, officer, other = add("chief", "admin"), add("somsri", "officer"), add("somchai", "officer")
    staff_service.set_pin("somsri", "735124", by=officer)  # their own
    staff_service.set_pin("somchai", "481357", by=admin)  # an admin for anyone
    staff_service.set_pin("chief", "602569")  # the machine's administrator (kiosk.py passwd --pin)
    with pytest.raises(PermissionDenied):
        staff_service.set_pin("somchai", "918273", by=officer)
    volunteer = add("vol", "volunteer")
    with pytest.raises(PermissionDenied):
        staff_service.set_pin("vol", "918273", by=volunteer)
    with pytest.raises(ValidationError):
        staff_service.set_pin("vol", "918273", by=admin)
    assert staff_service.unlock_with_pin("481357").username == other.username
    assert actions("pin_set") == 3


def test_old_short_pin_unlocks_and_is_asked_to_change(any_db):
    boss = add("boss", "supervisor")
    give_old_pin("boss", "4321")
    assert staff_service.pin_needs_change(boss)  # not proven yet: may be short
    assert ("signin.pin_change_login", {}) in staff_service.login_notices(boss)
    assert staff_service.unlock_with_pin("4321").username == "boss"
    assert staff_service.pin_needs_change(boss)
    assert AuditLog.get(AuditLog.action == "counter_unlock").detail == "pin-short"
    staff_service.set_pin("boss", "602569", by=boss)
    assert not staff_service.pin_needs_change(boss)
    assert staff_service.login_notices(boss) == []
    with pytest.raises(PermissionDenied):
        staff_service.unlock_with_pin("4321")  # the old one is gone
    assert staff_service.unlock_with_pin("602569").username == "boss"


def test_old_long_pin_stops_asking_once_used(db):
    """A PIN from before the rule that already had 6 digits is proven by its first use."""
    boss = add("boss", "supervisor")
    give_old_pin("boss", "90817263")
    assert staff_service.pin_needs_change(boss)
    staff_service.unlock_with_pin("90817263")
    assert not staff_service.pin_needs_change(boss)
    assert [r.pin for r in staff_service.list_staff(SYSTEM)] == ["ok"]


# -- the wait after wrong tries --------------------------------------------------------------

def test_the_wait_grows_then_stops_growing():
    waits = [staff_service.backoff_seconds(n) for n in range(16)]
    assert waits[:3] == [0, 0, 0]  # typos cost nothing
    assert waits[3:8] == [2, 4, 8, 16, 32]
    assert waits[-1] == staff_service.MAX_WAIT == 15 * 60
    assert waits == sorted(waits)


def test_gate_wait_grows_and_a_right_pin_ends_it(any_db):
    add("boss", "supervisor", pin="602569")
    for _ in range(3):
        assert refusal(staff_service.unlock_with_pin, "000000").key == "errors.pin_wrong"
    seen = []
    for _ in range(9):
        err = refusal(staff_service.unlock_with_pin, "602569")  # even the right PIN must wait
        seen.append(wait_of(err))
        let_time_pass(seen[-1])
        assert refusal(staff_service.unlock_with_pin, "000000").key == "errors.pin_wrong"
    expected = [2, 4, 8, 16, 32, 64, 3 * 60, 5 * 60, 9 * 60]  # 128, 256, 512 s: said in minutes
    assert all(want - 1 <= got <= want for got, want in zip(seen, expected, strict=True)), seen  # less time spent
    assert wait_of(refusal(staff_service.unlock_with_pin, "602569")) == 900  # capped at 15 minutes
    assert actions("counter_unlock_failed") == 12  # refusals while waiting check nothing, log nothing
    let_time_pass(900)
    assert staff_service.unlock_with_pin("602569").username == "boss"
    assert refusal(staff_service.unlock_with_pin, "000000").key == "errors.pin_wrong"  # free again


RESTARTED = """
import json, sys
from pathlib import Path
from kiosk.config import load_settings
from kiosk.errors import PermissionDenied
from kiosk.services.setup import open_kiosk
from kiosk.services import staff
open_kiosk(load_settings(Path(sys.argv[1])))
try:
    staff.unlock_with_pin(sys.argv[2])
    print(json.dumps({"key": "unlocked"}))
except PermissionDenied as exc:
    print(json.dumps({"key": exc.key, **exc.params}))
"""


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_gate_wait_survives_a_restart(request, tmp_path, kind):
    """The tries are in the database: a new kiosk process still makes the guesser wait."""
    url = request.getfixturevalue("pg_url") if kind == "postgres" else None
    config = write_config(tmp_path, database_url=url)
    from kiosk.config import load_settings
    from kiosk.services.setup import open_kiosk

    connection = open_kiosk(load_settings(config))
    try:
        add("boss", "supervisor", pin="602569")
        for _ in range(8):
            let_time_pass(3600)
            assert refusal(staff_service.unlock_with_pin, "000000").key == "errors.pin_wrong"
    finally:
        connection.close()
    for _ in range(2):  # two restarts: asking again does not reset or extend the wait
        out = subprocess.run([sys.executable, "-c", RESTARTED, str(config), "602569"], capture_output=True,
                             text=True, timeout=60, cwd=ROOT)
        answer = json.loads(out.stdout or "{}")
        assert "key" in answer, out.stderr
        assert answer.get("key") == "signin.wait_seconds" and 0 < answer["seconds"] <= 64


def run_together(n: int, attempt) -> list[str]:
    """`n` tries released at the same moment from `n` threads, each on its own connection."""
    start = threading.Barrier(n)

    def one(_):
        database.connect(reuse_if_open=True)  # connected before the start: the tries themselves race
        start.wait()
        try:
            attempt()
            return "ok"
        except PermissionDenied as exc:
            return exc.key
        finally:
            database.close()  # this thread's connection

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(one, range(n)))


def test_parallel_wrong_pins_all_count(any_db, hasher):
    """Ten wrong PINs at once: the three free tries are checked, the other seven are refused
    before any argon2 check (the try is taken under a lock before the PIN is checked)."""
    add("boss", "supervisor", pin="602569")
    hasher.verified.clear()
    results = run_together(10, lambda: staff_service.unlock_with_pin("000000"))
    assert sorted(results) == ["errors.pin_wrong"] * 3 + ["signin.wait_seconds"] * 7
    assert len(hasher.verified) == 3
    assert actions("counter_unlock_try") == 3 and actions("counter_unlock_failed") == 3


def test_parallel_wrong_passwords_all_count(any_db, hasher):
    """The console login: the count is taken before the password is checked, so of ten wrong
    passwords at once three are checked and counted, and seven wait without a check."""
    add("target", "officer")
    hasher.verified.clear()
    results = run_together(10, lambda: staff_service.login("target", "wrong-password"))
    assert sorted(results) == ["errors.login_failed"] * 3 + ["signin.wait_seconds"] * 7
    assert len(hasher.verified) == 3
    assert Staff.get(Staff.username == "target").failed_logins == 3
    assert actions("login_failed") == 3
    let_time_pass(2)
    assert staff_service.login("target", PASSWORD).username == "target"
    assert Staff.get(Staff.username == "target").failed_logins == 0


# -- one path for every username -------------------------------------------------------------

def test_every_login_costs_one_argon2_check(db, hasher):
    """An unknown username is checked against a dummy hash with the same parameters, so it costs
    what a known one costs (the timing no longer tells which names exist)."""
    add("somsri", "officer")
    add("gone", "officer")
    Staff.update(active=False).where(Staff.username == "gone").execute()
    real = Staff.get(Staff.username == "somsri").password_hash
    hasher.verified.clear()
    for name, password, verified in (("nobody", "whatever-1", staff_service.DUMMY_HASH),
                                     ("somsri", "wrong-password", real),
                                     ("gone", PASSWORD, Staff.get(Staff.username == "gone").password_hash)):
        before = len(hasher.verified)
        assert refusal(staff_service.login, name, password).key == "errors.login_failed"
        assert hasher.verified[before:] == [verified], name
    assert not staff_service._hasher.check_needs_rehash(staff_service.DUMMY_HASH)  # same cost as real hashes
    before = len(hasher.verified)
    refusal(staff_service.unlock_with_password, "nobody", "whatever-1")  # the gate's password path too
    assert hasher.verified[before:] == [staff_service.DUMMY_HASH]


# -- the gate: password alternative, roles ---------------------------------------------------

def test_own_password_opens_the_gate_with_the_gates_wait_not_the_accounts(any_db):
    add("somsri", "officer")  # no PIN at all
    actor = staff_service.unlock_with_password("Somsri ", PASSWORD)
    assert actor.username == "somsri" and actor.role == "officer"
    assert AuditLog.select().where(AuditLog.action == "counter_unlock", AuditLog.detail == "password").count() == 1
    for _ in range(3):
        assert refusal(staff_service.unlock_with_password, "somsri", "wrong-password").key == "errors.login_failed"
    # counted at the gate for that name: the gate now waits for somsri's password, but neither
    # somsri's console login nor the PIN does
    assert wait_of(refusal(staff_service.unlock_with_password, "somsri", PASSWORD)) in (1, 2)
    assert staff_service.login("somsri", PASSWORD).username == "somsri"
    add("boss", "supervisor", pin="602569")
    assert staff_service.unlock_with_pin("602569").username == "boss"
    failed = AuditLog.select().where(AuditLog.action == "counter_unlock_failed")
    assert [(r.actor, r.detail, r.client) for r in failed] == [("somsri", "password", "counter")] * 3
    add("vol", "volunteer")
    assert refusal(staff_service.unlock_with_password, "vol", PASSWORD).key == "errors.permission"


def test_officer_may_open_intake_but_not_close_the_kiosk(any_db):
    add("somsri", "officer", pin="735124")
    add("boss", "supervisor", pin="602569")
    officer = staff_service.unlock_with_pin("735124")
    assert staff_service.authorize_intake(officer) is officer
    with pytest.raises(PermissionDenied):
        staff_service.authorize_exit(officer)
    with pytest.raises(PermissionDenied):
        staff_service.authorize_exit(staff_service.Actor(officer.id, "somsri", "", "supervisor", "counter"))
    boss = staff_service.unlock_with_pin("602569")
    assert staff_service.authorize_exit(boss) is boss
    assert AuditLog.get(AuditLog.action == "counter_exit").actor == "boss"
    Staff.update(active=False).where(Staff.username == "somsri").execute()
    with pytest.raises(PermissionDenied):
        staff_service.authorize_intake(officer)  # a deactivation applies at once


# -- audited, counted, never the secret ------------------------------------------------------

def test_failures_are_audited_and_counted_without_the_secret(any_db):
    officer = add("somsri", "officer", pin="735124")
    volunteer = add("vol", "volunteer")
    admin = add("chief", "admin")
    refusal(staff_service.unlock_with_pin, "918273")
    refusal(staff_service.unlock_with_password, "somsri", "hunter2-secret")
    refusal(staff_service.unlock_with_password, "my-typed-password", "x")
    refusal(staff_service.login, "somsri", "hunter3-secret")
    columns = (AuditLog.actor, AuditLog.action, AuditLog.target_type, AuditLog.target_id, AuditLog.detail,
               AuditLog.client)
    cells = [str(v) for row in AuditLog.select(*columns).tuples() for v in row]
    for secret in ("918273", "hunter2-secret", "my-typed-password", "hunter3-secret"):
        assert not [c for c in cells if secret in c], secret
    counts = staff_service.failed_attempts(officer)
    assert (counts.gate, counts.login, counts.hours) == (3, 1, 24)
    assert ("signin.failed_notice", {"gate": 3, "hours": 24}) in staff_service.login_notices(officer)
    with pytest.raises(PermissionDenied):
        staff_service.failed_attempts(volunteer)
    rows, total = audit_view.list_entries(admin, action="counter_unlock_failed")
    assert total == 3 and {r.detail for r in rows} == {"pin", "password"}
    assert {r.actor for r in rows} == {"", "somsri", "?"}


def test_published_demo_secrets_open_nothing_on_a_live_centre(db, settings):
    """`kiosk.py demo` prints its accounts' passwords and PINs (and they are in the source): once
    the centre is live, a right guess of one of them is refused and audited, at the gate and at
    the console; the same account with its own new secrets works."""
    from db.models import Organization
    from kiosk.services.demo import ensure_demo_staff

    ensure_demo_staff()
    assert staff_service.unlock_with_pin("481357").username == "supervisor"  # a sample centre: fine
    Organization.update(is_sample=False).execute()  # the config now says sample = false
    assert refusal(staff_service.unlock_with_pin, "481357").key == "errors.demo_secret"
    assert refusal(staff_service.login, "admin", "demo-admin-2569").key == "errors.demo_secret"
    assert refusal(staff_service.unlock_with_password, "admin", "demo-admin-2569").key == "errors.demo_secret"
    assert AuditLog.select().where(AuditLog.action == "demo_secret_refused").count() == 3
    staff_service.set_pin("supervisor", "864209")  # by the machine's administrator, as `kiosk.py passwd --pin`
    staff_service.set_password("admin", "a-new-long-password")
    assert staff_service.unlock_with_pin("864209").username == "supervisor"
    assert staff_service.login("admin", "a-new-long-password").username == "admin"
