"""Staff accounts at the service level: argon2id hashes with the chosen parameters, old hashes
upgraded at login, the wait after wrong passwords (tests/test_gate_access.py covers the counter
gate, parallel tries and the one-check-per-name path)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from db.models import Staff
from kiosk.errors import PermissionDenied
from kiosk.services import staff as staff_service

SYSTEM = staff_service.Actor(0, "t", "", "admin")


def test_hash_is_argon2id_at_19_mib(db):
    staff_service.create_staff("somchai", "long-enough-1", "officer", by=SYSTEM)
    hash_ = Staff.get(Staff.username == "somchai").password_hash
    assert hash_.startswith("$argon2id$") and "m=19456,t=2,p=1" in hash_


def test_old_parameters_upgraded_at_login(db):
    staff_service.create_staff("malee", "long-enough-1", "officer", by=SYSTEM)
    old = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4).hash("long-enough-1")
    Staff.update(password_hash=old).where(Staff.username == "malee").execute()
    assert staff_service.login("malee", "long-enough-1").username == "malee"
    assert "m=19456,t=2,p=1" in Staff.get(Staff.username == "malee").password_hash


def test_wrong_passwords_make_the_next_try_wait(db):
    staff_service.create_staff("nat", "long-enough-1", "officer", by=SYSTEM)
    for _ in range(3):
        with pytest.raises(PermissionDenied) as err:
            staff_service.login("nat", "wrong-password")
        assert err.value.key == "errors.login_failed"
    with pytest.raises(PermissionDenied) as err:
        staff_service.login("nat", "long-enough-1")  # even the right password, while waiting
    assert err.value.key == "signin.wait_seconds" and err.value.params["seconds"] in (1, 2)


def test_only_admins_create_accounts(db):
    officer = staff_service.Actor(5, "o", "", "officer")
    with pytest.raises(PermissionDenied):
        staff_service.create_staff("x1", "long-enough-1", "officer", by=officer)


def test_deactivation_and_demotion_take_effect_at_once(db):
    staff_service.create_staff("sup", "long-enough-1", "supervisor", by=SYSTEM)
    actor = staff_service.login("sup", "long-enough-1")
    assert staff_service.require(actor, "supervisor") is actor
    Staff.update(role="volunteer").where(Staff.username == "sup").execute()
    with pytest.raises(PermissionDenied):
        staff_service.require(actor, "officer")
    Staff.update(role="supervisor", active=False).where(Staff.username == "sup").execute()
    with pytest.raises(PermissionDenied):
        staff_service.require(actor, "volunteer")


def test_unknown_username_is_not_kept_in_the_audit(db):
    """A password typed into the username box must not end up readable in the audit log."""
    from db.models import AuditLog

    with pytest.raises(PermissionDenied):
        staff_service.login("my-secret-password", "x")
    assert AuditLog.get(AuditLog.action == "login_failed").actor == "?"
