"""A staff member beyond their role (issue 11): reading a person's details and changing a stored
person need an officer or above (or the counter's unlocked staff mode), checked in the services,
not only on screen. A volunteer, or no one, is refused with PermissionDenied and nothing is
read, written or logged as a view; a change is audited as "person_update" with the names of the
fields changed, never their values."""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path

import pytest

from db.models import AuditLog, Case, Person
from kiosk.errors import NotFound, PermissionDenied
from kiosk.services import (
    access,
    audit_view,
    case_view,
    intake,
    merge,
    merge_view,
    people,
    person_view,
    queue,
    retention,
    staff,
)
from kiosk.services.people import PersonData
from kiosk.thai.ids import check_digit

ROOT = Path(__file__).resolve().parents[2]
ID = "1101700203" + "45"
ID += str(check_digit(ID))


def form(**changes) -> intake.IntakeForm:
    base = intake.IntakeForm(consent=True, area="disaster", subtype="flood", prefix="นาย", first_name="สมชาย",
                             last_name="ใจดี", doc_type="national_id", doc_number=ID, phone="081-234-5678",
                             house_no="12/3", moo="5", village="บ้านสันผักฮี้", subdistrict_code="570906",
                             description="น้ำท่วมบ้าน")
    return replace(base, **changes)


def stored(settings) -> int:
    """A person on file (asked once at the counter): their id."""
    return Case.get_by_id(intake.submit(settings, form()).id).requester_id


def row(pid: int) -> dict:
    return dict(Person.get_by_id(pid).__data__)


def test_volunteer_and_the_public_may_not_look_up_a_person(db, settings, actors):
    stored(settings)
    for who in (None, actors["volunteer"]):
        with pytest.raises(PermissionDenied):
            person_view.find_returning_person(who, ID)
    assert AuditLog.select().where(AuditLog.action == "person_lookup").count() == 0
    found = person_view.find_returning_person(actors["officer"], ID)
    assert found is not None and found.form_values["phone"] == "081-234-5678"


def test_volunteer_and_the_public_may_not_change_a_person(db, settings, actors):
    pid = stored(settings)
    before, cases = row(pid), Case.select().count()
    changed = form(requester_id=pid, phone="089-999-9999", village="บ้านใหม่")
    for who in (None, actors["volunteer"]):
        with pytest.raises(PermissionDenied):
            intake.submit(settings, changed, actor=who)
        with pytest.raises(PermissionDenied):
            people.update(who, pid, PersonData("ใครก็ได้"))
    assert row(pid) == before and Case.select().count() == cases
    assert AuditLog.select().where(AuditLog.action == "person_update").count() == 0


def test_an_officer_may_and_the_change_is_audited_by_field_name_not_value(db, settings, actors):
    pid = stored(settings)
    intake.submit(settings, form(requester_id=pid, phone="089-999-9999", village="บ้านดอยใหม่"),
                  actor=actors["officer"])
    person = Person.get_by_id(pid)
    assert (person.phone, person.village) == ("+66899999999", "บ้านดอยใหม่")
    entry = AuditLog.get(AuditLog.action == "person_update")
    assert (entry.actor, entry.target_type, entry.target_id) == ("officer", "person", str(pid))
    assert entry.detail == "fields: phone,village"
    every_row = " ".join(f"{r.actor} {r.target_id} {r.detail}" for r in AuditLog.select())
    for value in ("899999999", "812345678", "บ้านดอยใหม่", "บ้านสันผักฮี้", "สมชาย", ID):
        assert value not in every_row, value
    assert AuditLog.select().where(AuditLog.action == "intake_create").count() == 2


def test_unchanged_details_log_no_change(db, settings, actors):
    pid = stored(settings)
    intake.submit(settings, form(requester_id=pid), actor=actors["officer"])
    assert AuditLog.select().where(AuditLog.action == "person_update").count() == 0
    assert Case.select().where(Case.requester == pid).count() == 2


def test_the_counter_staff_mode_may_reuse_a_person(db, settings):
    """The gate's unlocked actor (a supervisor's PIN) is what the staff-assisted intake passes."""
    admin = staff.create_staff("admin", "long-password", "admin", first_admin=True)
    staff.create_staff("clerk", "long-password", "supervisor", by=admin, pin="246813")
    pid = stored(settings)
    actor = staff.unlock_with_pin("246813")
    assert person_view.find_returning_person(actor, ID).id == pid
    intake.submit(settings, form(requester_id=pid, house_no="14"), actor=actor)
    assert Person.get_by_id(pid).house_no == "14"
    assert AuditLog.get(AuditLog.action == "person_update").client == "counter"


def test_a_person_merged_away_meanwhile_is_refused_and_nothing_is_stored(db, settings, actors):
    pid = stored(settings)
    other = stored(settings)
    merge.merge_people(actors["supervisor"], other, pid)
    before, cases = row(pid), Case.select().count()
    with pytest.raises(NotFound) as err:
        intake.submit(settings, form(requester_id=pid, phone="089-999-9999"), actor=actors["officer"])
    assert err.value.key == "errors.person_gone"
    assert row(pid) == before and Case.select().count() == cases


def _calls(settings, tmp_path):
    """Every service that returns a person's details or changes a person, with arguments."""
    pid = stored(settings)
    other = Case.get_by_id(intake.submit(settings, form(doc_number="", doc_type="none", first_name="สมหญิง",
                                                        phone="081-111-2222")).id).requester_id
    case = Case.get(Case.requester == pid)
    return {
        "case_view.case_detail": lambda a: case_view.case_detail(a, case.id),
        "case_view.case_id_for_ticket": lambda a: case_view.case_id_for_ticket(a, case.ticket_no),
        "queue.list_cases": lambda a: queue.list_cases(a),
        "merge_view.duplicates_for": lambda a: merge_view.duplicates_for(a, [pid]),
        "merge_view.merge_preview": lambda a: merge_view.merge_preview(a, pid, other),
        "merge.merge_people": lambda a: merge.merge_people(a, pid, other),
        "person_view.find_returning_person": lambda a: person_view.find_returning_person(a, ID),
        "intake.submit(requester_id)": lambda a: intake.submit(settings, form(requester_id=pid), actor=a),
        "people.update": lambda a: people.update(a, pid, PersonData("ใครก็ได้")),
        "access.export": lambda a: access.export(a, ID, tmp_path / "x.json"),
        "retention.plan": lambda a: retention.plan(a, retention.cutoff_for(365)),
        "retention.purge": lambda a: retention.purge(a, retention.cutoff_for(365)),
        "audit_view.list_entries": lambda a: audit_view.list_entries(a),
    }


def test_every_service_that_shows_or_changes_a_person_refuses_a_volunteer(db, settings, actors, tmp_path):
    calls = _calls(settings, tmp_path)
    people_before = [row(p.id) for p in Person.select().order_by(Person.id)]
    logged = AuditLog.select().count()
    allowed = {name for name, call in calls.items() for who in (None, actors["volunteer"]) if _runs(call, who)}
    assert allowed == set()
    assert [row(p.id) for p in Person.select().order_by(Person.id)] == people_before
    assert AuditLog.select().count() == logged  # no view, look-up or change was logged: none happened
    assert _runs(calls["case_view.case_detail"], actors["officer"])  # the same call works for an officer


def _runs(call, actor) -> bool:
    try:
        call(actor)
    except PermissionDenied:
        return False
    return True


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def test_screens_and_the_web_reach_people_only_through_role_checked_services():
    """search, duplicates and people take no actor (they return ids, or are called by services
    that check the role first): the screens and the web never call them directly."""
    unguarded = {"kiosk.services.search", "kiosk.services.duplicates", "kiosk.services.people"}
    bad = {}
    for folder in ("screens", "kiosk/web"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            hits = sorted(n for n in _imports(path) if any(n == u or n.startswith(u + ".") for u in unguarded))
            if hits:
                bad[str(path.relative_to(ROOT))] = hits
    assert bad == {}
