"""Staff accounts: argon2id passwords and counter PINs, a growing wait after wrong tries, roles.

Role checks live here (and in the other services), not only in the screens."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from peewee import fn

from db.connection import is_postgres, write_transaction
from db.models import AuditLog, Organization, Staff, database, utcnow

from ..errors import PermissionDenied, ValidationError
from ..logs import event
from ..roles import ROLES
from . import audit

# Wrong passwords and PINs cost time, not access: the first FREE_TRIES in a row are free (typos),
# then each further try waits FIRST_WAIT seconds, doubling up to MAX_WAIT. A person who mistypes
# waits seconds; a guesser is held to one try per MAX_WAIT (see backoff_seconds).
FREE_TRIES = 3
FIRST_WAIT = 2
MAX_WAIT = 15 * 60
NEW_PIN_DIGITS = 6  # new PINs; shorter ones set before this rule still work and are asked to change
MAX_PIN_DIGITS = 12
PIN_ROLES = ("officer", "supervisor", "admin")  # hold a counter PIN
INTAKE_ROLE = "officer"  # staff-assisted intake at the counter is an officer's job
EXIT_ROLE = "supervisor"  # closing the kiosk program takes a supervisor or an admin
GATE_LOCK_KEY = 0x6B696F736B67  # PostgreSQL advisory lock serialising the gate's tries
# argon2id at OWASP's minimum (19 MiB, 2 passes): the library default takes 64 MiB per check,
# which doubled a staff SSH session's memory at login. Old hashes keep their own parameters and
# are upgraded at the next successful login.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Checked instead of a real hash when the username is unknown, so that an unknown name costs the
# same argon2 work as a known one (no account probing by timing). Same parameters as _hasher
# (a test keeps them equal); it matches no password anyone would type.
DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$D7cjaNA1tck3mm7OM/kP6A$zEacXnmhwkRk2TKZcxuN/UetK/uhtfkPoPIMlZ/EK1g"


def backoff_seconds(failures: int) -> int:
    """How long the next try must wait after `failures` wrong ones in a row."""
    if failures < FREE_TRIES:
        return 0
    return min(MAX_WAIT, FIRST_WAIT * 2 ** min(failures - FREE_TRIES, 30))


@dataclass(frozen=True)
class Actor:
    """Who is acting, as the services see them (never a model the screens could save)."""

    id: int
    username: str
    full_name: str
    role: str
    client: str = ""
    # The LAOs (Organization ids) whose records this actor sees and acts on; None = every LAO of
    # the centre (the joint centre's own staff, the machine's administrator). See services/scope.py.
    lao_ids: tuple[int, ...] | None = None
    lao_prefixes: tuple[str, ...] = ()  # their ticket prefixes, in the same order (read at sign-in)

    def at_least(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


SYSTEM_ID = 0  # the machine's administrator at the shell (init, adduser, demo): no account


def require(actor: Actor | None, role: str) -> Actor:
    """Refuse unless `actor` holds `role` or a higher one *now*: the account is read again, so
    a deactivation or a lower role takes effect at once, not at the next login."""
    current = None
    if actor is not None and actor.id == SYSTEM_ID:
        current = actor.role
    elif actor is not None:
        row = Staff.select(Staff.role).where(Staff.id == actor.id, Staff.active).first()
        current = row.role if row else None
    if current is None or ROLES.index(current) < ROLES.index(role):
        raise PermissionDenied("errors.permission", f"needs role {role}", role=role)
    return actor


def _actor(staff: Staff, client: str) -> Actor:
    laos = (staff.organization_id,) if staff.organization_id else None
    prefixes = (staff.organization.ticket_prefix,) if staff.organization_id else ()
    return Actor(staff.id, staff.username, staff.full_name, staff.role, client, laos, prefixes)


def _lao(prefix: str | None, by: Actor | None) -> Organization | None:
    """The LAO an account is put under, by ticket prefix; none = the whole centre. An admin of one
    LAO may only put accounts under their own LAO."""
    if not prefix:
        if by is not None and by.lao_ids is not None:
            raise PermissionDenied("errors.permission", "an LAO's admin cannot make whole-centre accounts")
        return None
    org = Organization.get_or_none(Organization.ticket_prefix == prefix.strip().upper())
    if org is None:
        raise ValidationError("errors.org_unknown", f"no LAO {prefix}", field="lao")
    if by is not None and by.lao_ids is not None and org.id not in by.lao_ids:
        raise PermissionDenied("errors.permission", f"not an admin of {prefix}")
    return org


def validate_password(password: str) -> str:
    if len(password) < 8:
        raise ValidationError("errors.password_short", "password must have at least 8 characters", field="password")
    return password


def validate_pin(pin: str) -> str:
    """A new PIN: 6–12 digits, not one anyone would try first (few different digits, a run)."""
    if not re.fullmatch(rf"[0-9]{{{NEW_PIN_DIGITS},{MAX_PIN_DIGITS}}}", pin):
        raise ValidationError("errors.pin_format", f"PIN must be {NEW_PIN_DIGITS}–{MAX_PIN_DIGITS} digits",
                              field="pin")
    steps = {(int(b) - int(a)) % 10 for a, b in zip(pin, pin[1:])}
    if len(set(pin)) < 3 or steps in ({1}, {9}):  # 111111, 121212, 123456, 987654, 890123
        raise ValidationError("signin.pin_weak", "PIN too easy to guess", field="pin")
    return pin


def _may_hold_pin(role: str) -> None:
    if role not in PIN_ROLES:
        raise ValidationError("signin.pin_role", f"role {role} holds no counter PIN", field="pin")


def create_staff(username: str, password: str, role: str, full_name: str = "", *, by: Actor | None = None,
                 pin: str | None = None, first_admin: bool = False, lao: str | None = None) -> Actor:
    """Add an account. Only an admin may, except the very first admin made by `init`. `lao` (a
    ticket prefix) puts it under one LAO; without it the account serves the whole centre."""
    if not (first_admin and Staff.select().count() == 0):
        require(by, "admin")
    username = username.strip().lower()
    if not re.fullmatch(r"[a-z][a-z0-9._-]{1,39}", username):
        raise ValidationError("errors.username_format", "username: 2–40 of a-z 0-9 . _ -", field="username")
    if role not in ROLES:
        raise ValidationError("errors.role_unknown", f"unknown role {role}", field="role")
    if Staff.select().where(Staff.username == username).exists():
        raise ValidationError("errors.username_taken", f"{username} exists", field="username")
    if pin:
        _may_hold_pin(role)
    org = _lao(lao, by)
    hashes = {"password_hash": _hasher.hash(validate_password(password)),  # slow: before taking the lock
              "pin_hash": _hasher.hash(validate_pin(pin)) if pin else None}
    who = by.username if by else "init"
    with write_transaction():
        staff = Staff.create(username=username, full_name=full_name.strip(), role=role, organization=org, **hashes)
        audit.record("staff_create", actor=who, target_type="staff", target_id=staff.id,
                     detail=f"{username} {role}" + (f" {org.ticket_prefix}" if org else ""))
        if pin:
            audit.record("pin_set", actor=who, target_type="staff", target_id=staff.id)
    return _actor(staff, "")


def _account(username: str) -> Staff:
    staff = Staff.get_or_none(Staff.username == username.strip().lower())
    if staff is None:
        raise ValidationError("errors.username_unknown", f"no account {username}", field="username")
    return staff


def set_password(username: str, password: str, *, by: Actor | None = None) -> None:
    """Change a password: an admin for anyone, or the account holder (by=their own actor)."""
    staff = _account(username)
    if by is not None and by.id != staff.id:
        require(by, "admin")
    hash_ = _hasher.hash(validate_password(password))  # slow: before taking the lock
    with write_transaction():
        Staff.update(password_hash=hash_, failed_logins=0, locked_until=None).where(Staff.id == staff.id).execute()
        audit.record("password_set", actor=by.username if by else "cli", target_type="staff", target_id=staff.id)


def set_pin(username: str, pin: str, *, by: Actor | None = None) -> None:
    """Set a counter PIN (the new rule: validate_pin): an admin for anyone, an officer or above
    for their own; by=None is the machine's administrator (`kiosk.py passwd --pin`)."""
    staff = _account(username)
    if by is not None:
        require(by, "admin" if by.id != staff.id else INTAKE_ROLE)
    _may_hold_pin(staff.role)
    hash_ = _hasher.hash(validate_pin(pin))
    with write_transaction():
        Staff.update(pin_hash=hash_).where(Staff.id == staff.id).execute()
        audit.record("pin_set", actor=by.username if by else "cli", target_type="staff", target_id=staff.id,
                     client=by.client if by else "cli")


def _verify(hash_: str | None, secret: str) -> bool:
    if not hash_:
        return False
    try:
        return _hasher.verify(hash_, secret)
    except (VerificationError, InvalidHashError):
        return False


def _refuse_published_secret(staff: Staff, secret: str, client: str) -> None:
    """The demo accounts' passwords and PINs are printed by `kiosk.py demo` and shown in its
    source: once the centre is live (`sample = false`), a secret that is one of them opens
    nothing, whoever holds it. Checked after a right guess, on the typed text (no extra hash)."""
    from .demo import DEMO_STAFF

    if secret not in {s for *_, password, pin in DEMO_STAFF for s in (password, pin) if s}:
        return
    if not Organization.select().where(Organization.is_sample == False).exists():  # noqa: E712 (SQL)
        return
    with write_transaction():
        audit.record("demo_secret_refused", actor=staff.username, client=client)
    raise PermissionDenied("errors.demo_secret", "a published demo secret on a live centre",
                           username=staff.username)


def _wait_error(seconds: float) -> PermissionDenied:
    """'Please wait': in seconds while that is short, else in minutes."""
    seconds = max(1, math.ceil(seconds))
    if seconds < 120:
        return PermissionDenied("signin.wait_seconds", f"wait {seconds} s", seconds=seconds)
    return PermissionDenied("errors.login_locked", f"wait {seconds} s", minutes=math.ceil(seconds / 60))


def _reserve_login(name: str) -> Staff | None:
    """Count this try as a failure *before* checking the password, in one transaction (the row
    locked on PostgreSQL, the write lock held on SQLite): parallel tries each count, and none is
    checked while the account must wait. A success resets the count. None for an unknown name."""
    now = utcnow()
    with write_transaction():
        query = Staff.select().where(Staff.username == name)
        staff = (query.for_update() if is_postgres() else query).first()
        if staff is None:
            return None
        if staff.locked_until and staff.locked_until > now:
            raise _wait_error((staff.locked_until - now).total_seconds())
        failures = staff.failed_logins + 1
        wait = backoff_seconds(failures)
        Staff.update(failed_logins=failures, locked_until=now + timedelta(seconds=wait) if wait else None).where(
            Staff.id == staff.id).execute()
    return staff


def _authenticate(username: str, password: str, client: str, failed_action: str) -> Staff:
    """One path for every name: take the try, then exactly one argon2 check (the account's hash,
    or DUMMY_HASH for an unknown name), then the verdict. The same message for an unknown user
    and a wrong password (no account probing)."""
    name = username.strip().lower()
    staff = _reserve_login(name)
    right = _verify(staff.password_hash if staff is not None else DUMMY_HASH, password)
    if staff is None or not staff.active or not right:
        with write_transaction():
            # an unknown name may be a password typed in the wrong box: don't keep it
            audit.record(failed_action, actor=name if staff is not None else "?", client=client, detail="password")
        raise PermissionDenied("errors.login_failed", "wrong username or password")
    return staff


def _succeeded(staff: Staff, password: str, **extra) -> None:
    fresh = {"password_hash": _hasher.hash(password)} if _hasher.check_needs_rehash(staff.password_hash) else {}
    Staff.update(failed_logins=0, locked_until=None, **fresh, **extra).where(Staff.id == staff.id).execute()


def login(username: str, password: str, client: str = "") -> Actor:
    """Check a password. Wrong ones in a row make the next try wait (backoff_seconds); every
    try that is checked is audited, never with what was typed as the password."""
    staff = _authenticate(username, password, client, "login_failed")
    _refuse_published_secret(staff, password, client)
    with write_transaction():
        _succeeded(staff, password, last_login_at=utcnow())
        audit.record("login", actor=staff.username, client=client)
    event("kiosk.staff", "staff login", event="login", staff_id=staff.id, role=staff.role)
    return _actor(staff, client)


# -- the staff gate at the counter -----------------------------------------------------------
# One gate for everyone, and a PIN names no account: its tries are counted in the audit log
# (`counter_unlock_try` rows since the last `counter_unlock`), taken under a lock before any PIN
# is checked, so a restart forgets nothing and parallel tries all count.

def _gate_streak(account: str | None = None) -> tuple[int, object]:
    """(tries since the last unlock, when the latest was taken): the PIN's tries, or with
    `account` the password tries for that name ("?" for names that are no account)."""
    unlocks = AuditLog.select(fn.MAX(AuditLog.id)).where(AuditLog.action == "counter_unlock")
    if account is not None:
        unlocks = unlocks.where(AuditLog.actor == account)
    last_ok = unlocks.scalar() or 0
    tries = AuditLog.select(AuditLog.id, AuditLog.at).where(
        AuditLog.action == ("counter_unlock_try" if account is None else "counter_password_try"),
        AuditLog.id > last_ok)
    if account is not None:
        tries = tries.where(AuditLog.actor == account)
    latest = tries.order_by(AuditLog.id.desc()).first()
    return tries.count(), latest.at if latest else None


def _reserve_gate(client: str, account: str | None = None) -> None:
    """Take one try at the gate before anything is checked: the PIN's streak, or with `account`
    that name's password streak (so wrong PINs never hold up a password, nor one person's
    wrong passwords another's)."""
    with write_transaction():
        if is_postgres():
            database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (GATE_LOCK_KEY,))
        count, latest = _gate_streak(account)
        if count:
            wait = backoff_seconds(count) - (utcnow() - latest).total_seconds()
            if wait > 0:
                raise _wait_error(wait)
        if account is None:
            audit.record("counter_unlock_try", client=client)
        else:
            audit.record("counter_password_try", actor=account, client=client)


def unlock_with_pin(pin: str, client: str = "counter") -> Actor:
    """The counter's staff gate: an officer's, supervisor's or admin's PIN. What the holder may
    then do is their role's (INTAKE_ROLE, EXIT_ROLE). The PIN itself is never stored or logged."""
    if not pin.isascii() or not pin.isdigit():
        raise PermissionDenied("errors.pin_wrong", "not a PIN")  # nothing to check: not a try
    _reserve_gate(client)
    holders = Staff.select().where(Staff.active, Staff.pin_hash.is_null(False), Staff.role << PIN_ROLES)
    for staff in holders.order_by(Staff.id):
        if _verify(staff.pin_hash, pin):
            _refuse_published_secret(staff, pin, client)
            with write_transaction():
                audit.record("counter_unlock", actor=staff.username, client=client,
                             detail="pin" if len(pin) >= NEW_PIN_DIGITS else "pin-short")
            return _actor(staff, client)
    with write_transaction():
        audit.record("counter_unlock_failed", client=client, detail="pin")
    raise PermissionDenied("errors.pin_wrong", "wrong PIN")


def unlock_with_password(username: str, password: str, client: str = "counter") -> Actor:
    """The gate with a staff member's own username and password instead of a PIN, for the same
    roles (INTAKE_ROLE and up). Its tries are the gate's, per name, not the account's: wrong
    passwords typed at the public counter must not make the owner wait at the console, and
    wrong PINs must not hold up a password. One argon2 check for every name, as at the console."""
    name = username.strip().lower()
    staff = Staff.get_or_none(Staff.username == name)
    _reserve_gate(client, account=name if staff is not None else "?")
    right = _verify(staff.password_hash if staff is not None else DUMMY_HASH, password)
    if staff is None or not staff.active or not right:
        with write_transaction():
            audit.record("counter_unlock_failed", actor=name if staff is not None else "?", client=client,
                         detail="password")
        raise PermissionDenied("errors.login_failed", "wrong username or password")
    _refuse_published_secret(staff, password, client)
    with write_transaction():
        _succeeded(staff, password)
        if staff.role not in PIN_ROLES:
            audit.record("counter_unlock_failed", actor=staff.username, client=client, detail="role")
        else:
            audit.record("counter_unlock", actor=staff.username, client=client, detail="password")
    if staff.role not in PIN_ROLES:
        raise PermissionDenied("errors.permission", f"needs role {INTAKE_ROLE}", role=INTAKE_ROLE)
    return _actor(staff, client)


def authorize_intake(actor: Actor | None) -> Actor:
    """Staff-assisted intake at the counter (the account is read again: a change applies at once)."""
    return require(actor, INTAKE_ROLE)


def authorize_exit(actor: Actor | None) -> Actor:
    """Closing the kiosk program: a supervisor or an admin. Audited."""
    require(actor, EXIT_ROLE)
    with write_transaction():
        audit.record("counter_exit", actor=actor.username, client=actor.client)
    return actor


def pin_needs_change(actor: Actor) -> bool:
    """True when the holder's PIN may be shorter than NEW_PIN_DIGITS: it was last proven by an
    unlock with a short PIN, or it predates the rule (set with no `pin_set` row since, never
    used at the gate). Read from the audit log, so no schema change was needed."""
    return _pin_states([actor.id]).get(actor.id) == "change"


def _pin_states(ids: list[int]) -> dict[int, str]:
    """Staff id → "none" (no PIN), "ok" or "change" (see pin_needs_change)."""
    staff = list(Staff.select(Staff.id, Staff.username, Staff.pin_hash).where(Staff.id << ids))
    holders = {s.id: s.username for s in staff if s.pin_hash}
    states = {s.id: "none" for s in staff} | dict.fromkeys(holders, "change")
    if not holders:
        return states
    by_name = {name: i for i, name in holders.items()}
    rows = (AuditLog.select(AuditLog.action, AuditLog.actor, AuditLog.target_id, AuditLog.detail)
            .where(((AuditLog.action == "pin_set") & (AuditLog.target_type == "staff")
                    & (AuditLog.target_id << [str(i) for i in holders]))
                   | ((AuditLog.action == "counter_unlock") & (AuditLog.actor << list(by_name))
                      & (AuditLog.detail << ("pin", "pin-short"))))
            .order_by(AuditLog.id))
    for row in rows:  # the latest row for each holder decides
        if row.action == "pin_set":
            states[int(row.target_id)] = "ok"
        else:
            states[by_name[row.actor]] = "change" if row.detail == "pin-short" else "ok"
    return states


@dataclass(frozen=True)
class FailedAttempts:
    gate: int  # wrong PINs or passwords at the counter's staff gate
    login: int  # failed console logins
    hours: int


def failed_attempts(actor: Actor, hours: int = 24) -> FailedAttempts:
    """How many tries failed lately, for officers and above (admins read the rows in the audit
    log: action "counter_unlock" or "login_failed")."""
    require(actor, "officer")
    since = utcnow() - timedelta(hours=hours)
    recent = AuditLog.select().where(AuditLog.at >= since)
    return FailedAttempts(recent.where(AuditLog.action == "counter_unlock_failed").count(),
                          recent.where(AuditLog.action == "login_failed").count(), hours)


def has_staff() -> bool:
    return Staff.select().exists()


def login_notices(actor: Actor) -> list[tuple[str, dict]]:
    """What the console tells someone who has just logged in, as (catalogue key, params): an old
    short PIN to change, and (officers and up) wrong tries at the counter's gate lately."""
    notices: list[tuple[str, dict]] = []
    if actor.role in PIN_ROLES and pin_needs_change(actor):
        notices.append(("signin.pin_change_login", {}))
    if actor.at_least("officer"):
        failed = failed_attempts(actor)
        if failed.gate:
            notices.append(("signin.failed_notice", {"gate": failed.gate, "hours": failed.hours}))
    return notices


# -- accounts managed by admins (the users screen) -------------------------------------------

@dataclass(frozen=True)
class StaffRow:
    id: int
    username: str
    full_name: str
    role: str
    active: bool
    locked: bool  # waiting after wrong passwords
    last_login_at: object
    pin: str = "none"  # "none", "ok" or "change" (see pin_needs_change)
    lao: str = ""  # ticket prefix of the account's LAO; "" = the whole centre


def _staff_in_reach(actor: Actor):
    """Accounts an admin manages: all, or (an LAO's admin) those of their own LAO(s)."""
    if actor.lao_ids is None:
        return Staff.organization.is_null() | Staff.organization.is_null(False)
    return Staff.organization.in_(list(actor.lao_ids))


def list_staff(actor: Actor) -> list[StaffRow]:
    require(actor, "admin")
    now = utcnow()
    staff = list(Staff.select().where(_staff_in_reach(actor)).order_by(Staff.username))
    pins = _pin_states([s.id for s in staff])
    prefixes = dict(Organization.select(Organization.id, Organization.ticket_prefix).tuples())
    return [StaffRow(s.id, s.username, s.full_name, s.role, s.active, bool(s.locked_until and s.locked_until > now),
                     s.last_login_at, pins.get(s.id, "none"), prefixes.get(s.organization_id, ""))
            for s in staff]


def assignable_staff(actor: Actor) -> list[tuple[int, str, str]]:
    """Active officers and above a case can be assigned to: (id, username, full name). An LAO's
    officer sees their LAO's staff and the whole centre's."""
    require(actor, "officer")
    query = Staff.select().where(Staff.active, Staff.role << ("officer", "supervisor", "admin"))
    if actor.lao_ids is not None:
        query = query.where(Staff.organization.is_null() | Staff.organization.in_(list(actor.lao_ids)))
    return [(s.id, s.username, s.full_name) for s in query.order_by(Staff.username)]


def _other_admin_remains(staff: Staff) -> bool:
    return Staff.select().where(Staff.active, Staff.role == "admin", Staff.id != staff.id).exists()


def _target(staff_id: int, actor: Actor | None = None) -> Staff:
    staff = Staff.get_or_none(Staff.id == staff_id)
    if staff is not None and actor is not None and actor.lao_ids is not None \
            and staff.organization_id not in actor.lao_ids:
        staff = None  # another LAO's account: as unknown to an LAO's admin as one that does not exist
    if staff is None:
        raise ValidationError("errors.username_unknown", f"no staff {staff_id}", field="username")
    return staff


def set_active(actor: Actor, staff_id: int, active: bool) -> None:
    """Deactivate (or reactivate) an account; the last active admin cannot be deactivated."""
    require(actor, "admin")
    staff = _target(staff_id, actor)
    if not active and staff.role == "admin" and not _other_admin_remains(staff):
        raise ValidationError("users.last_admin", "the last admin must stay", field="active")
    with write_transaction():
        Staff.update(active=active, failed_logins=0, locked_until=None).where(Staff.id == staff_id).execute()
        audit.record("staff_activate" if active else "staff_deactivate", actor=actor.username, target_type="staff",
                     target_id=staff_id, detail=staff.username, client=actor.client)


def set_role(actor: Actor, staff_id: int, role: str) -> None:
    require(actor, "admin")
    if role not in ROLES:
        raise ValidationError("errors.role_unknown", f"unknown role {role}", field="role")
    staff = _target(staff_id, actor)
    if staff.role == "admin" and role != "admin" and not _other_admin_remains(staff):
        raise ValidationError("users.last_admin", "the last admin must stay", field="role")
    with write_transaction():
        Staff.update(role=role).where(Staff.id == staff_id).execute()
        audit.record("staff_role", actor=actor.username, target_type="staff", target_id=staff_id,
                     detail=f"{staff.username} {staff.role}->{role}", client=actor.client)


def set_lao(actor: Actor, staff_id: int, lao: str | None) -> None:
    """Put an account under one LAO (ticket prefix) or, with none, under the whole centre. Takes
    effect at the account's next login."""
    require(actor, "admin")
    staff = _target(staff_id, actor)
    org = _lao(lao, actor)
    with write_transaction():
        Staff.update(organization=org).where(Staff.id == staff_id).execute()
        audit.record("staff_lao", actor=actor.username, target_type="staff", target_id=staff_id,
                     detail=f"{staff.username} -> {org.ticket_prefix if org else '*'}", client=actor.client)


def lao_choices() -> list[tuple[str, str]]:
    """The centre's LAOs as (ticket prefix, Thai name), for choosing an account's LAO."""
    return [(o.ticket_prefix, o.name_th) for o in Organization.select().order_by(Organization.id)]
