"""Staff accounts: argon2id passwords, lockout after repeated failures, roles.

Role checks live here (and in the other services), not only in the screens."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from db.connection import write_transaction
from db.models import AuditLog, Staff, utcnow

from ..errors import PermissionDenied, ValidationError
from ..roles import ROLES
from . import audit

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=5)
# argon2id at OWASP's minimum (19 MiB, 2 passes): the library default takes 64 MiB per check,
# which doubled a staff SSH session's memory at login. Old hashes keep their own parameters and
# are upgraded at the next successful login.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


@dataclass(frozen=True)
class Actor:
    """Who is acting, as the services see them (never a model the screens could save)."""

    id: int
    username: str
    full_name: str
    role: str
    client: str = ""

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
    return Actor(staff.id, staff.username, staff.full_name, staff.role, client)


def validate_password(password: str) -> str:
    if len(password) < 8:
        raise ValidationError("errors.password_short", "password must have at least 8 characters", field="password")
    return password


def validate_pin(pin: str) -> str:
    if not re.fullmatch(r"[0-9]{4,8}", pin):
        raise ValidationError("errors.pin_format", "PIN must be 4–8 digits", field="pin")
    return pin


def create_staff(username: str, password: str, role: str, full_name: str = "", *, by: Actor | None = None,
                 pin: str | None = None, first_admin: bool = False) -> Actor:
    """Add an account. Only an admin may, except the very first admin made by `init`."""
    if not (first_admin and Staff.select().count() == 0):
        require(by, "admin")
    username = username.strip().lower()
    if not re.fullmatch(r"[a-z][a-z0-9._-]{1,39}", username):
        raise ValidationError("errors.username_format", "username: 2–40 of a-z 0-9 . _ -", field="username")
    if role not in ROLES:
        raise ValidationError("errors.role_unknown", f"unknown role {role}", field="role")
    if Staff.select().where(Staff.username == username).exists():
        raise ValidationError("errors.username_taken", f"{username} exists", field="username")
    hashes = {"password_hash": _hasher.hash(validate_password(password)),  # slow: before taking the lock
              "pin_hash": _hasher.hash(validate_pin(pin)) if pin else None}
    with write_transaction():
        staff = Staff.create(username=username, full_name=full_name.strip(), role=role, **hashes)
        audit.record("staff_create", actor=by.username if by else "init", target_type="staff", target_id=staff.id,
                     detail=f"{username} {role}")
    return _actor(staff, "")


def set_password(username: str, password: str, *, by: Actor | None = None) -> None:
    """Change a password: an admin for anyone, or the account holder (by=their own actor)."""
    staff = Staff.get_or_none(Staff.username == username.strip().lower())
    if staff is None:
        raise ValidationError("errors.username_unknown", f"no account {username}", field="username")
    if by is not None and by.id != staff.id:
        require(by, "admin")
    hash_ = _hasher.hash(validate_password(password))  # slow: before taking the lock
    with write_transaction():
        Staff.update(password_hash=hash_, failed_logins=0, locked_until=None).where(Staff.id == staff.id).execute()
        audit.record("password_set", actor=by.username if by else "cli", target_type="staff", target_id=staff.id)


def _verify(hash_: str | None, secret: str) -> bool:
    if not hash_:
        return False
    try:
        return _hasher.verify(hash_, secret)
    except (VerificationError, InvalidHashError):
        return False


def login(username: str, password: str, client: str = "") -> Actor:
    """Check a password. Five failures lock the account for five minutes; every try is audited.
    The same message for an unknown user and a wrong password (no account probing)."""
    name = username.strip().lower()
    staff = Staff.get_or_none(Staff.username == name)
    now = utcnow()
    if staff is not None and staff.locked_until and staff.locked_until > now:
        audit.record("login_locked", actor=name, client=client)
        minutes = max(1, int((staff.locked_until - now).total_seconds() // 60) + 1)
        raise PermissionDenied("errors.login_locked", "account locked", minutes=minutes)
    if staff is None or not staff.active or not _verify(staff.password_hash, password):
        with write_transaction():  # counted in SQL: parallel wrong tries must each count
            if staff is not None:
                Staff.update(failed_logins=Staff.failed_logins + 1).where(Staff.id == staff.id).execute()
                Staff.update(failed_logins=0, locked_until=now + LOCKOUT).where(
                    Staff.id == staff.id, Staff.failed_logins >= MAX_FAILURES).execute()
            # an unknown name may be a password typed in the wrong box: don't keep it
            audit.record("login_failed", actor=name if staff is not None else "?", client=client)
        raise PermissionDenied("errors.login_failed", "wrong username or password")
    fresh = {"password_hash": _hasher.hash(password)} if _hasher.check_needs_rehash(staff.password_hash) else {}
    with write_transaction():
        Staff.update(failed_logins=0, locked_until=None, last_login_at=now, **fresh).where(Staff.id == staff.id).execute()
        audit.record("login", actor=name, client=client)
    return _actor(staff, client)


def unlock_with_pin(pin: str, client: str = "counter") -> Actor:
    """The counter's exit: a supervisor's or admin's PIN. Same lockout rules as login."""
    now = utcnow()
    recent_failures = (AuditLog.select().where(AuditLog.action == "counter_unlock_failed",
                                               AuditLog.at > now - LOCKOUT).count())
    if recent_failures >= MAX_FAILURES:
        raise PermissionDenied("errors.login_locked", "too many wrong PINs", minutes=int(LOCKOUT.total_seconds() // 60))
    candidates = Staff.select().where(Staff.active, Staff.pin_hash.is_null(False), Staff.role << ("supervisor", "admin"))
    for staff in candidates:
        if staff.locked_until and staff.locked_until > now:
            continue
        if _verify(staff.pin_hash, pin):
            audit.record("counter_unlock", actor=staff.username, client=client)
            return _actor(staff, client)
    audit.record("counter_unlock_failed", client=client)
    raise PermissionDenied("errors.pin_wrong", "wrong PIN")


def has_staff() -> bool:
    return Staff.select().exists()


# -- accounts managed by admins (the users screen) -------------------------------------------

@dataclass(frozen=True)
class StaffRow:
    id: int
    username: str
    full_name: str
    role: str
    active: bool
    locked: bool
    last_login_at: object


def list_staff(actor: Actor) -> list[StaffRow]:
    require(actor, "admin")
    now = utcnow()
    return [StaffRow(s.id, s.username, s.full_name, s.role, s.active, bool(s.locked_until and s.locked_until > now),
                     s.last_login_at) for s in Staff.select().order_by(Staff.username)]


def assignable_staff(actor: Actor) -> list[tuple[int, str, str]]:
    """Active officers and above a case can be assigned to: (id, username, full name)."""
    require(actor, "officer")
    query = Staff.select().where(Staff.active, Staff.role << ("officer", "supervisor", "admin")).order_by(Staff.username)
    return [(s.id, s.username, s.full_name) for s in query]


def _other_admin_remains(staff: Staff) -> bool:
    return Staff.select().where(Staff.active, Staff.role == "admin", Staff.id != staff.id).exists()


def _target(staff_id: int) -> Staff:
    staff = Staff.get_or_none(Staff.id == staff_id)
    if staff is None:
        raise ValidationError("errors.username_unknown", f"no staff {staff_id}", field="username")
    return staff


def set_active(actor: Actor, staff_id: int, active: bool) -> None:
    """Deactivate (or reactivate) an account; the last active admin cannot be deactivated."""
    require(actor, "admin")
    staff = _target(staff_id)
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
    staff = _target(staff_id)
    if staff.role == "admin" and role != "admin" and not _other_admin_remains(staff):
        raise ValidationError("users.last_admin", "the last admin must stay", field="role")
    with write_transaction():
        Staff.update(role=role).where(Staff.id == staff_id).execute()
        audit.record("staff_role", actor=actor.username, target_type="staff", target_id=staff_id,
                     detail=f"{staff.username} {staff.role}->{role}", client=actor.client)
