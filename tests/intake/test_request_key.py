"""The counter's request key (issue 16): one key per request, made when the wizard's form is made
and kept across retries; `intake.submit` files one case per key. A double submit, or a retry of a
request already filed, returns the same ticket; submits at the same moment too; another request
(another form) is another case. On SQLite and PostgreSQL."""

from __future__ import annotations

import threading

import pytest

from db.models import AuditLog, Case
from kiosk.services import intake


def a_form(name: str = "บุญมา") -> intake.IntakeForm:
    return intake.IntakeForm(consent=True, area="disaster", subtype="flood", first_name=name, doc_type="none",
                             phone="0891234567", subdistrict_code="570906", description="น้ำท่วมบ้าน")


@pytest.fixture
def on(any_db, settings):
    return settings


def test_a_double_submit_files_one_case_and_returns_its_ticket(on):
    form = a_form()
    first = intake.submit(on, form)
    second = intake.submit(on, form)
    assert second == first
    assert [(c.ticket_no, c.request_key) for c in Case.select()] == [(first.ticket_no, form.request_key)]
    assert AuditLog.select().where(AuditLog.action == "intake_create").count() == 1


def test_each_new_form_is_its_own_request(on):
    one, two = a_form(), a_form()  # the same person asking twice: two requests
    assert one.request_key != two.request_key and len(one.request_key) == 32
    assert intake.submit(on, one).ticket_no != intake.submit(on, two).ticket_no
    assert Case.select().count() == 2


def test_submits_of_the_same_request_at_once_file_one_case(on):
    form = a_form()
    start = threading.Barrier(4)
    got: list[str] = []
    errors: list[BaseException] = []

    def send() -> None:
        start.wait()
        try:
            got.append(intake.submit(on, form).ticket_no)
        except BaseException as exc:  # noqa: BLE001 — reported below
            errors.append(exc)

    workers = [threading.Thread(target=send) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == [] and len(got) == 4 and len(set(got)) == 1
    assert [c.ticket_no for c in Case.select()] == got[:1]


def test_a_form_without_a_key_still_files(on):
    """Callers that build a form without the wizard (and cases filed before schema 9) have no key."""
    form = a_form()
    form.request_key = ""
    assert intake.submit(on, form).ticket_no != intake.submit(on, form).ticket_no
    assert Case.select().where(Case.request_key.is_null()).count() == 2
