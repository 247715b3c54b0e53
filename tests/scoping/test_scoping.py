"""Issue 16 item 1: an officer of LAO A cannot read, search, export or act on a case (or a
person) of LAO B through any service — it is *not found*, as if it did not exist — while the
whole centre's staff see every LAO. Each test runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from db.models import Case, CaseEvent, Person, Staff
from kiosk.errors import NotFound, PermissionDenied, ValidationError
from kiosk.services import case_view, committee, info_report, merge, merge_view, paperwork, queue, workflow
from kiosk.services import staff as staff_service
from kiosk.services.person_view import find_returning_person
from kiosk.services.queue import QueueFilter
from kiosk.services.workflow import Step

from .conftest import A_PERSON, B_PERSON, staff_of


def tickets(page) -> set[str]:
    return {r.ticket_no for r in page.rows}


def test_signed_in_staff_carry_their_lao(centre):
    wpk = Staff.get(Staff.username == "officer.a").organization_id
    assert centre.staff["officer_a"].lao_ids == (wpk,)
    assert centre.staff["joint"].lao_ids is None


def test_queue_lists_only_the_officers_lao_and_the_joint_centre_sees_all(centre):
    s = centre.staff
    assert tickets(queue.list_cases(s["officer_a"])) == {centre.a_ticket}
    assert tickets(queue.list_cases(s["officer_b"])) == {centre.b_ticket}
    assert tickets(queue.list_cases(s["joint"])) == {centre.a_ticket, centre.b_ticket}
    assert queue.list_cases(s["officer_a"]).total == 1


def test_search_does_not_find_another_laos_case_by_ticket_or_name(centre):
    s = centre.staff
    for query in (centre.b_ticket, "สมศรี", "0898765432"):
        assert tickets(queue.list_cases(s["officer_a"], QueueFilter(query=query, status=""))) == set(), query
    assert tickets(queue.list_cases(s["joint"], QueueFilter(query=centre.b_ticket, status=""))) == {centre.b_ticket}


def test_case_view_is_not_found_for_another_lao_and_nothing_is_audited_as_viewed(centre):
    s = centre.staff
    with pytest.raises(NotFound):
        case_view.case_detail(s["officer_a"], centre.b_case)
    with pytest.raises(NotFound):
        case_view.case_id_for_ticket(s["officer_a"], centre.b_ticket)
    assert case_view.case_detail(s["officer_a"], centre.a_case).ticket_no == centre.a_ticket
    assert case_view.case_detail(s["joint"], centre.b_case).ticket_no == centre.b_ticket
    assert case_view.case_id_for_ticket(s["joint"], centre.b_ticket) == centre.b_case


def test_workflow_refuses_a_step_on_another_laos_case_and_changes_nothing(centre):
    s = centre.staff
    before = CaseEvent.select().where(CaseEvent.case == centre.b_case).count()
    with pytest.raises(NotFound):
        workflow.perform(s["officer_a"], centre.b_case, Step("note", 1, internal_note="x"))
    assert Case.get_by_id(centre.b_case).version == 1
    assert CaseEvent.select().where(CaseEvent.case == centre.b_case).count() == before
    workflow.perform(s["joint"], centre.b_case, Step("note", 1, internal_note="จากศูนย์ร่วม"))
    assert Case.get_by_id(centre.b_case).version == 2


def test_a_case_cannot_be_assigned_to_another_laos_officer(centre):
    s = centre.staff
    with pytest.raises(ValidationError):
        workflow.perform(s["officer_a"], centre.a_case, Step("assign", 1, assignee=s["officer_b"].id))
    assert [u for _i, u, _n in staff_service.assignable_staff(s["officer_a"])] == \
        ["admin.a", "joint", "officer.a", "supervisor.a"]


def test_paperwork_forms_are_not_found_for_another_laos_case(centre, settings, tmp_path):
    s = centre.staff
    tmp_path = tmp_path / "forms"
    tmp_path.mkdir()
    with pytest.raises(NotFound):
        paperwork.case_for_ticket(s["officer_a"], centre.b_ticket)
    for kind in ("request", "voucher"):
        with pytest.raises(NotFound):
            paperwork.form(s["officer_a"], settings, centre.b_case, kind, tmp_path)
    assert list(tmp_path.iterdir()) == []
    assert paperwork.form(s["joint"], settings, centre.b_case, "request", tmp_path).exists()


def test_committee_lists_decides_and_writes_the_agenda_for_the_own_lao_only(centre, settings, tmp_path):
    s = centre.staff
    assert [c.ticket_no for c in committee.awaiting(s["supervisor_a"], settings)] == [centre.a_ticket]
    assert {c.ticket_no for c in committee.awaiting(s["joint"], settings)} == {centre.a_ticket, centre.b_ticket}
    with pytest.raises(NotFound):
        committee.awaiting(s["supervisor_a"], settings, lao_prefix="NKL")
    with pytest.raises(NotFound):
        committee.agenda(s["supervisor_a"], settings, tmp_path, lao_prefix="NKL")
    with pytest.raises(NotFound) as refused:
        committee.record_decisions(s["supervisor_a"], settings, "1/2569", date(2026, 11, 25),
                                   [committee.Decision(centre.b_case, 1, True, "3000", "")])
    assert refused.value.params.get("ticket") == "?"  # the other LAO's ticket is not told
    assert Case.get_by_id(centre.b_case).status_id == "awaiting_committee"
    assert committee.agenda(s["joint"], settings, tmp_path, lao_prefix="NKL").cases == 1


def test_info_report_is_per_lao_and_for_the_whole_centre(centre):
    s = centre.staff
    month = info_report.Month.current()
    assert info_report.figures(s["officer_a"], month).requests == 1
    assert info_report.figures(s["officer_b"], month).requests == 1
    assert info_report.figures(s["joint"], month).requests == 2
    assert info_report.figures(s["joint"], month, "NKL").requests == 1
    with pytest.raises(NotFound):
        info_report.figures(s["officer_a"], month, "NKL")
    assert {r.ref for r in info_report.month_records(s["officer_a"], month)[0]} == {centre.a_ticket}
    assert info_report.mark(s["officer_a"], "case", [centre.a_case, centre.b_case], month) == 1


def test_merge_and_its_preview_do_not_reach_another_laos_person(centre):
    s = centre.staff
    with pytest.raises(NotFound):
        merge_view.merge_preview(s["supervisor_a"], centre.a_person, centre.b_person)
    with pytest.raises(NotFound):
        merge.merge_people(s["supervisor_a"], centre.a_person, centre.b_person)
    assert Person.get_by_id(centre.b_person).merged_into_id is None
    assert merge_view.merge_preview(s["joint"], centre.a_person, centre.b_person).tickets == (centre.b_ticket,)


def test_returning_person_lookup_does_not_find_another_laos_person(centre):
    s = centre.staff
    assert find_returning_person(s["officer_a"], B_PERSON.doc_number) is None
    assert find_returning_person(s["officer_a"], "0898765432") is None
    assert find_returning_person(s["officer_a"], A_PERSON.doc_number).id == centre.a_person
    assert find_returning_person(s["joint"], B_PERSON.doc_number).id == centre.b_person


def test_an_laos_admin_manages_only_their_laos_accounts(centre):
    s = centre.staff
    assert {r.username for r in staff_service.list_staff(s["admin_a"])} == {"officer.a", "supervisor.a", "admin.a"}
    assert {r.lao for r in staff_service.list_staff(s["admin_a"])} == {"WPK"}
    with pytest.raises(PermissionDenied):
        staff_service.create_staff("new.b", "password-123", "officer", by=s["admin_a"], lao="NKL")
    with pytest.raises(PermissionDenied):
        staff_service.create_staff("new.all", "password-123", "officer", by=s["admin_a"])
    with pytest.raises(ValidationError):  # another LAO's account: unknown to this admin
        staff_service.set_role(s["admin_a"], s["officer_b"].id, "admin")
    assert Staff.get_by_id(s["officer_b"].id).role == "officer"
    made = staff_service.create_staff("new.a", "password-123", "officer", by=s["admin_a"], lao="wpk")
    assert staff_service.login("new.a", "password-123").lao_ids == centre.staff["officer_a"].lao_ids
    assert made.username == "new.a"


def test_the_centres_admin_moves_an_account_to_another_lao(centre):
    s = centre.staff
    admin = staff_of("centre.admin", "admin", None)
    staff_service.set_lao(admin, s["officer_a"].id, "NKL")
    moved = staff_service.login("officer.a", "password-123")
    assert tickets(queue.list_cases(moved)) == {centre.b_ticket}
    staff_service.set_lao(admin, s["officer_a"].id, None)
    assert tickets(queue.list_cases(staff_service.login("officer.a", "password-123"))) == \
        {centre.a_ticket, centre.b_ticket}


def test_survey_register_and_its_export_hold_the_own_laos_records_only(centre, tmp_path):
    from db.models import SurveyRecord
    from kiosk.services import survey_export, survey_register

    for person_id in (centre.a_person, centre.b_person):
        p = Person.get_by_id(person_id)
        SurveyRecord.create(organization=p.organization_id, person=p, surveyed_on=date(2026, 11, 1),
                            vulnerabilities="elderly")
    s = centre.staff
    assert survey_register.count(s["officer_a"]) == 1
    assert [r.person_id for r in survey_register.people_rows(s["officer_a"])] == [centre.a_person]
    assert survey_register.count(s["joint"]) == 2
    written = survey_export.export(s["officer_a"], "xlsx", tmp_path / "out")
    assert written.people == 1
    from openpyxl import load_workbook

    cells = " ".join(str(c.value) for row in load_workbook(written.path).active.iter_rows() for c in row)
    assert "บุญมี" in cells and "สมศรี" not in cells


def test_a_survey_case_is_opened_only_from_the_own_laos_record_and_under_its_lao(centre):
    from db.models import SurveyRecord
    from kiosk.services import survey_case

    records = {}
    for person_id in (centre.a_person, centre.b_person):
        p = Person.get_by_id(person_id)
        records[person_id] = SurveyRecord.create(organization=p.organization_id, person=p,
                                                 surveyed_on=date(2026, 11, 1), needs="elderly").id
    s = centre.staff
    with pytest.raises(NotFound):
        survey_case.open_case(s["officer_a"], "WPK", records[centre.b_person])
    made = survey_case.open_case(s["joint"], "WPK", records[centre.b_person])  # the host's prefix given
    assert made.created.ticket_no.startswith("NKL-")  # the record's LAO decides


def test_a_person_export_holds_the_own_laos_records_only(centre, tmp_path):
    from kiosk.services import access

    admin_a = centre.staff["admin_a"]
    with pytest.raises(NotFound):
        access.export(admin_a, B_PERSON.doc_number, tmp_path / "b.json")
    assert not (tmp_path / "b.json").exists()
    assert access.export(admin_a, A_PERSON.doc_number, tmp_path / "a.json").cases == 1
    assert access.export(staff_of("centre.admin", "admin", None), B_PERSON.doc_number, tmp_path / "b.json").cases == 1
