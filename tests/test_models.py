"""The data model on both SQLite and PostgreSQL: reference data, case creation with ticket
numbers, pragmas."""

from __future__ import annotations

import pytest

from db.connection import is_postgres
from db.models import Case, CaseEvent, Category, Organization, Person, Status
from db.reference import CATEGORIES, STATUSES
from kiosk.services.cases import CaseData, create_case
from kiosk.services.people import PersonData


def test_reference_data_seeded(any_db):
    assert {s.key for s in Status.select()} == set(STATUSES)
    areas = {c.key for c in Category.select().where(Category.parent.is_null())}
    assert areas == set(CATEGORIES)
    assert Category.get_by_id("flood").parent_id == "disaster"
    assert Status.get_by_id("helped").open311 == "closed"


def test_sample_centre_synced(any_db):
    org = Organization.get(Organization.ticket_prefix == "WPK")
    assert org.name_th == "เทศบาลตำบลเวียงพางคำ"
    assert org.subdistrict_code == "570906"
    assert org.is_sample


def test_create_case_is_atomic_and_numbered(any_db):
    person = PersonData(first_name="บุญมี", last_name="ใจดี", prefix="นาย", phone="+66812345678")
    first = create_case("WPK", CaseData(category="flood", description="น้ำท่วมบ้าน"), person)
    second = create_case("WPK", CaseData(category="elderly"), person)
    assert first.ticket_no.startswith("WPK-") and first.ticket_no.endswith("-00001")
    assert second.ticket_no.endswith("-00002")
    assert len(first.token) >= 20 and first.token != second.token  # ≥ 80 bits, URL-safe
    case = Case.get_by_id(first.id)
    assert case.status_id == "received" and case.subject_id == case.requester_id
    assert [e.action for e in CaseEvent.select().where(CaseEvent.case == case)] == ["create"]
    assert Person.select().count() == 2


def test_failed_case_leaves_nothing(any_db):
    """A case whose category does not exist rolls back: no person, no case, no ticket used."""
    person = PersonData(first_name="มาลี")
    with pytest.raises(Exception):
        create_case("WPK", CaseData(category="no_such_category"), person)
    assert Person.select().count() == 0 and Case.select().count() == 0
    ok = create_case("WPK", CaseData(category="flood"), person)
    assert ok.ticket_no.endswith("-00001")


@pytest.mark.sqlite_file
def test_sqlite_pragmas(db):
    assert not is_postgres(db)
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_returning_person_merged_away_is_refused(any_db):
    """A person looked up, then merged into another record before the case is stored: the case
    is refused with a clear error (the clerk looks them up again), nothing is written."""
    from kiosk.errors import NotFound

    keep = create_case("WPK", CaseData(category="flood"), PersonData(first_name="บุญมี")).id
    gone = Person.create(organization=Organization.get(), first_name="บุนมี",
                         merged_into=Case.get_by_id(keep).requester_id)
    with pytest.raises(NotFound) as err:
        create_case("WPK", CaseData(category="elderly"), None, requester_id=gone.id)
    assert err.value.key == "errors.person_gone" and Case.select().count() == 1
