"""Every `service_work` worker of both apps, with its service raising a locked SQLite database,
a PostgreSQL server gone, and a plain bug: the app keeps running on the same screen (the counter
stays in kiosk mode), the calm "try again" message shows in the app's language, what the person
typed is kept for the retry and is in no message and not in the fault log, which is private and
holds the traceback. Where it matters most, the service comes back and the same action succeeds
in the same app (no restart).

SCENARIOS is checked against the code by test_inventory.py: a new worker needs a scenario here."""

from __future__ import annotations

import dataclasses

import pytest
from textual.widgets import Static

from db.models import AuditLog, Case, CaseEvent, Staff
from kiosk.i18n import translate
from kiosk.printer_settings import PrinterSettings
from kiosk.services import info_report as info_service
from kiosk.services import staff as staff_service
from screens import (
    audit_view,
    case_action,
    case_detail,
    db_wait,
    gate,
    login,
    merge,
    queue,
    receipt,
    staff_app,
    staff_home,
    track,
    users,
)
from screens import info_report as info_screen
from screens.app import make_app
from screens.intake import identity, review
from screens.intake.wizard import StepScreen, start_intake
from tests.intake.helpers import self_service_to_review
from tests.staff.test_console_gaps import twins

from ..conftest import STAFF_PASSWORD as PASSWORD
from ..conftest import STAFF_PIN as PIN
from . import paperwork_scenarios, register_scenarios, survey_scenarios
from .flows import (
    COUNTER_SIZE,
    ID,
    LAST4,
    NAME,
    PHONE,
    PHONE_E164,
    PHONE_SHOWN,
    choose,
    counter,
    open_first_case,
    staff,
    stored_person_case,
    submitted,
)
from .harness import (
    Trial,
    assert_calm,
    click_again,
    input_value,
    registry,
    settle,
    type_into,
    unavailable,
    visible_text,
    wait_for,
)

SCENARIOS, scenario = registry()


# -- the counter ------------------------------------------------------------------------------

@scenario("screens.intake.review.ReviewStep.submit")
async def intake_submit(t: Trial):
    switch = t.inject(review.intake, "submit")
    async with counter(t) as (app, pilot):
        await self_service_to_review(pilot, first_name=NAME, doc=ID, phone=PHONE)
        await pilot.click("#nav-next")
        await settle(pilot)
        assert_calm(app, t, switch, screen="ReviewStep", typed=(NAME, ID, PHONE, PHONE_SHOWN, PHONE_E164))
        assert unavailable(app) in str(app.screen.query_one("#submit-message", Static).render())
        form = app.screen.form
        assert (form.first_name, form.doc_number, form.phone) == (NAME, ID, PHONE)  # kept for the retry
        assert not app.screen.query_one("#nav-next").disabled and Case.select().count() == 0
        switch.off()  # the database is back: the same Confirm stores it
        await click_again(pilot, "#nav-next")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReceiptScreen")
        assert Case.get().requester.first_name == NAME


@scenario("screens.db_wait.DatabaseWaitScreen.try_open")
async def database_wait(t: Trial):
    """The counter started with the database unreachable: each try fails calmly (the screen
    already says it waits), and the first that works gives way to the home screen."""
    switch = t.inject(db_wait, "open_when_back")
    t.monkeypatch.setattr(db_wait.DatabaseWaitScreen, "RETRY", 0.05)
    app = make_app(t.settings, "counter", t.lang, database_down=True)
    async with app.run_test(size=COUNTER_SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, db_wait.DatabaseWaitScreen) and switch.calls >= 2)
        assert_calm(app, t, switch, screen="DatabaseWaitScreen", shown=False)
        assert translate("app.db_down_title", t.lang) in visible_text(app)
        switch.off()
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HomeScreen")


@scenario("screens.intake.identity.IdentityStep.lookup")
async def intake_lookup(t: Trial):
    submitted(t)  # the person is on file, to be found once the database answers
    switch = t.inject(identity.person_view, "find_returning_person")
    async with counter(t) as (app, pilot):
        app.unlocked_by = t.accounts["supervisor"]
        app.push_screen(start_intake("staff", app.unlocked_by))
        await settle(pilot)
        await pilot.click("#consent-accept")
        await pilot.press("1", "1")  # disaster → flood
        await settle(pilot)
        assert app.screen.state.step_name == "identity"
        await type_into(pilot, "#first_name", NAME)
        await type_into(pilot, "#lookup", ID)
        await pilot.press("enter")
        await settle(pilot)
        assert_calm(app, t, switch, screen="IdentityStep", typed=(NAME, ID))
        assert unavailable(app) in str(app.screen.query_one("#lookup-message", Static).render())
        assert input_value(app, "#lookup") == ID and input_value(app, "#first_name") == NAME
        switch.off()
        app.screen.query_one("#lookup").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.state.lookup_message == "intake.lookup_found" and app.screen.form.requester_id


@scenario("screens.gate.GateScreen.check_pin")
async def gate_pin(t: Trial):
    switch = t.inject(gate.staff_service, "unlock_with_pin")
    async with counter(t) as (app, pilot):
        await pilot.click("#choice-staff")
        await settle(pilot)
        await type_into(pilot, "#gate-pin", PIN)
        await pilot.press("enter")
        await settle(pilot)
        assert_calm(app, t, switch, screen="GateScreen", typed=(PIN,))
        assert unavailable(app) in str(app.screen.query_one("#gate-message", Static).render())
        assert app.unlocked_by is None
        # A secret is not left in a field on a public screen: the PIN is cleared on any refusal
        # (the staff member types it again), everything else on the counter keeps its input.
        assert input_value(app, "#gate-pin") == ""
        switch.off()
        await type_into(pilot, "#gate-pin", PIN)
        await pilot.press("enter")
        await settle(pilot)
        assert app.unlocked_by is not None and app.unlocked_by.username == "supervisor"
        assert app.screen.query("#gate-exit")


@scenario("screens.gate.GateScreen.check_password")
async def gate_password(t: Trial):
    switch = t.inject(gate.staff_service, "unlock_with_password")
    async with counter(t) as (app, pilot):
        await pilot.click("#choice-staff")
        await settle(pilot)
        await pilot.click("#gate-mode")
        await settle(pilot)
        await type_into(pilot, "#gate-username", "supervisor")
        await type_into(pilot, "#gate-password", PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        assert_calm(app, t, switch, screen="GateScreen", typed=(PASSWORD,))
        assert unavailable(app) in str(app.screen.query_one("#gate-message", Static).render())
        assert app.unlocked_by is None
        # As with the PIN: the password is cleared on any refusal, the user name (no secret) stays.
        assert input_value(app, "#gate-password") == "" and input_value(app, "#gate-username") == "supervisor"
        switch.off()
        await type_into(pilot, "#gate-password", PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        assert app.unlocked_by is not None and app.unlocked_by.username == "supervisor"
        assert app.screen.query("#gate-exit") and app.screen.query("#gate-intake")


async def unlocked_gate(pilot) -> None:
    """The counter's gate, unlocked with the supervisor's PIN (the real check)."""
    await pilot.click("#choice-staff")
    await settle(pilot)
    await type_into(pilot, "#gate-pin", PIN)
    await pilot.press("enter")
    await settle(pilot)
    assert pilot.app.unlocked_by is not None and pilot.app.screen.query("#gate-intake")


@scenario("screens.gate.GateScreen.open_intake")
async def gate_intake(t: Trial):
    async with counter(t) as (app, pilot):
        await unlocked_gate(pilot)
        switch = t.inject(gate.staff_service, "authorize_intake")
        await pilot.click("#gate-intake")
        await settle(pilot)
        assert_calm(app, t, switch, screen="GateScreen", typed=(PIN,))
        assert unavailable(app) in str(app.screen.query_one("#gate-message", Static).render())
        # still unlocked for the staff member standing there: the same button, once the database answers
        assert app.unlocked_by.username == "supervisor" and app.screen.query("#gate-intake")
        assert PIN not in visible_text(app)
        switch.off()
        await click_again(pilot, "#gate-intake")
        await settle(pilot)
        assert isinstance(app.screen, StepScreen) and app.screen.state.actor.username == "supervisor"


@scenario("screens.gate.GateScreen.leave_kiosk")
async def gate_exit(t: Trial):
    async with counter(t) as (app, pilot):
        await unlocked_gate(pilot)
        switch = t.inject(gate.staff_service, "authorize_exit")
        await pilot.click("#gate-exit")
        await settle(pilot)
        # the kiosk stays up (no unaudited exit), the gate unlocked for the supervisor to try again
        assert_calm(app, t, switch, screen="GateScreen", typed=(PIN,))
        assert unavailable(app) in str(app.screen.query_one("#gate-message", Static).render())
        assert app.unlocked_by.username == "supervisor" and app.screen.query("#gate-exit")
        assert not AuditLog.select().where(AuditLog.action == "counter_exit").exists()
        switch.off()
        await click_again(pilot, "#gate-exit")
        await settle(pilot)
    assert app.return_code == 0 and not app.is_running
    assert AuditLog.get(AuditLog.action == "counter_exit").actor == "supervisor"


@scenario("screens.track.TrackScreen.lookup")
async def track_lookup(t: Trial):
    _case, ticket = stored_person_case()
    switch = t.inject(track.public_case, "lookup")
    async with counter(t) as (app, pilot):
        await pilot.click("#choice-track")
        await settle(pilot)
        await type_into(pilot, "#track-ticket", ticket)
        await type_into(pilot, "#track-last4", LAST4)
        await pilot.click("#track-submit")
        await settle(pilot)
        assert_calm(app, t, switch, screen="TrackScreen", typed=(LAST4,))
        assert unavailable(app) in str(app.screen.query_one("#track-message", Static).render())
        assert input_value(app, "#track-ticket") == ticket and input_value(app, "#track-last4") == LAST4
        switch.off()
        await click_again(pilot, "#track-submit")
        await settle(pilot)
        assert str(app.screen.query_one("#track-case-ticket", Static).render()) == ticket


@scenario("screens.receipt.ReceiptScreen.print_now")
async def receipt_print(t: Trial):
    created = submitted(t)
    # a counter with a printer (with none, the screen neither prints nor offers "print again")
    printer = PrinterSettings(kind="file", device=str(t.settings.home / "printer.out"))
    t.monkeypatch.setattr(t, "settings", dataclasses.replace(t.settings, printer=printer))
    switch = t.inject(receipt, "print_receipt")
    async with counter(t) as (app, pilot):
        app.push_screen(receipt.ReceiptScreen(created, "flood"))  # as the review step does; it prints at once
        await settle(pilot)
        assert_calm(app, t, switch, screen="ReceiptScreen", typed=(NAME, ID, PHONE_E164))
        assert unavailable(app) in str(app.screen.query_one("#print-status", Static).render())
        switch.off()
        await click_again(pilot, "#receipt-print")
        await settle(pilot)
        status = str(app.screen.query_one("#print-status", Static).render())
        assert unavailable(app) not in status and status  # the printer's own answer now


@scenario("screens.receipt.ReceiptScreen.save_files")
async def receipt_save(t: Trial):
    created = submitted(t)
    switch = t.inject(receipt.receipt_service, "save_receipt_files")
    async with counter(t) as (app, pilot):
        app.push_screen(receipt.ReceiptScreen(created, "flood", auto_print=False))
        await settle(pilot)
        await pilot.click("#receipt-save")
        await settle(pilot)
        assert_calm(app, t, switch, screen="ReceiptScreen", typed=(NAME, ID, PHONE_E164))
        assert unavailable(app) in str(app.screen.query_one("#print-status", Static).render())
        assert not (t.settings.home / "receipts").exists() or not any((t.settings.home / "receipts").iterdir())


# -- the staff console --------------------------------------------------------------------------

@scenario("screens.login.LoginScreen.attempt")
async def staff_login(t: Trial):
    switch = t.inject(login.staff_service, "login")
    async with staff(t, role=None) as (app, pilot):
        await type_into(pilot, "#login-username", "officer")
        await type_into(pilot, "#login-password", PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        assert_calm(app, t, switch, screen="LoginScreen", typed=(PASSWORD,))
        assert unavailable(app) in str(app.screen.query_one("#login-message", Static).render())
        assert app.actor is None
        # The user name is kept; the password is cleared on any refusal, as on a wrong one.
        assert input_value(app, "#login-username") == "officer" and input_value(app, "#login-password") == ""
        switch.off()
        await type_into(pilot, "#login-password", PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "QueueScreen" and app.actor.username == "officer"


@scenario("screens.queue.QueueScreen.load")
async def queue_load(t: Trial):
    stored_person_case()
    async with staff(t) as (app, pilot):
        switch = t.inject(queue.queue_service, "list_cases")
        await type_into(pilot, "#q-query", NAME)
        await pilot.press("enter")
        await settle(pilot)
        assert_calm(app, t, switch, screen="QueueScreen", typed=(NAME,))
        assert unavailable(app) in str(app.screen.query_one("#queue-pager", Static).render())
        assert input_value(app, "#q-query") == NAME and app.screen.filter.query == NAME
        switch.off()
        await pilot.press("r")  # reload, same filter
        await settle(pilot)
        assert app.screen.query_one("#queue-table").row_count == 1
        assert unavailable(app) not in str(app.screen.query_one("#queue-pager", Static).render())


@scenario("screens.staff_app.StaffApp._load_case")
async def open_case(t: Trial):
    stored_person_case(doc_number=ID)
    async with staff(t) as (app, pilot):
        switch = t.inject(staff_app.case_view, "case_detail")
        await open_first_case(pilot)
        assert_calm(app, t, switch, screen="CaseDetailScreen", typed=(NAME, ID))
        assert unavailable(app) in str(app.screen.query_one("#case-loading", Static).render())
        switch.off()
        await pilot.press("r")
        await settle(pilot)
        assert app.screen.detail is not None and NAME in visible_text(app)


@scenario("screens.case_detail.CaseDetailScreen.load")
async def case_reload(t: Trial):
    stored_person_case(doc_number=ID)
    async with staff(t) as (app, pilot):
        await open_first_case(pilot)
        switch = t.inject(case_detail.case_view, "case_detail")
        await pilot.press("r")
        await settle(pilot)
        assert_calm(app, t, switch, screen="CaseDetailScreen", typed=(ID,))
        # the case as last read stays, with the reason it may be out of date above it
        assert unavailable(app) in str(app.screen.query_one("#case-error", Static).render())
        assert app.screen.detail is not None and NAME in visible_text(app)
        switch.off()
        await pilot.press("r")
        await settle(pilot)
        assert app.screen.detail is not None and unavailable(app) not in visible_text(app)


@scenario("screens.case_action.CaseActionScreen.save")
async def case_action_save(t: Trial):
    case_id, _ticket = stored_person_case()
    note = f"โทรหา {NAME} {PHONE} แล้ว"
    async with staff(t) as (app, pilot):
        await open_first_case(pilot)
        await pilot.press("a")
        await settle(pilot)
        await choose(pilot, "action-list", "note")
        switch = t.inject(case_action.workflow, "perform")
        await type_into(pilot, "#f-internal_note", note)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert_calm(app, t, switch, screen="CaseActionScreen", typed=(note, NAME, PHONE))
        assert unavailable(app) in str(app.screen.query_one("#action-error", Static).render())
        assert input_value(app, "#f-internal_note") == note
        assert not CaseEvent.select().where(CaseEvent.action == "note").exists()
        switch.off()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseDetailScreen"
        assert CaseEvent.get(CaseEvent.action == "note", CaseEvent.case == case_id).internal_note == note


@scenario("screens.merge.MergeScreen.load")
async def merge_suggestions(t: Trial):
    twins(first=NAME)
    async with staff(t, "supervisor") as (app, pilot):
        await open_first_case(pilot)
        switch = t.inject(merge.merge_view, "duplicates_for")
        await pilot.press("m")
        await settle(pilot)
        assert_calm(app, t, switch, screen="MergeScreen", typed=(NAME,))
        assert unavailable(app) in str(app.screen.query_one("#merge-message", Static).render())


@scenario("screens.merge.MergeConfirm.load")
async def merge_preview(t: Trial):
    twins(first=NAME)
    async with staff(t, "supervisor") as (app, pilot):
        await open_first_case(pilot)
        await pilot.press("m")
        await settle(pilot)
        switch = t.inject(merge.merge_view, "merge_preview")
        await pilot.press("enter")
        await settle(pilot)
        assert_calm(app, t, switch, screen="MergeConfirm", typed=(NAME,))
        assert unavailable(app) in str(app.screen.query_one("#merge-error", Static).render())


@scenario("screens.audit_view.AuditScreen.fill")
async def audit_page(t: Trial):
    async with staff(t, "admin") as (app, pilot):
        app.open_audit()
        await settle(pilot)
        switch = t.inject(audit_view.audit_view, "list_entries")
        await type_into(pilot, "#a-target", ID)
        await pilot.press("enter")
        await settle(pilot)
        assert_calm(app, t, switch, screen="AuditScreen", typed=(ID,))
        assert unavailable(app) in str(app.screen.query_one("#audit-pager", Static).render())
        assert input_value(app, "#a-target") == ID and app.screen.filters["target"] == ID
        switch.off()
        app.screen.query_one("#a-target").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert unavailable(app) not in str(app.screen.query_one("#audit-pager", Static).render())


@scenario("screens.users.AddUserDialog.create")
async def add_user(t: Trial):
    full_name, password, pin = f"{NAME} {PHONE}", "long-enough-secret-7", "975310"
    async with staff(t, "admin") as (app, pilot):
        app.open_users()
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        switch = t.inject(users.staff_service, "create_staff")
        await type_into(pilot, "#u-username", "nampueng")
        await type_into(pilot, "#u-full_name", full_name)
        await type_into(pilot, "#u-password", password)
        await type_into(pilot, "#u-password2", password)
        await type_into(pilot, "#u-pin", pin)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert_calm(app, t, switch, screen="AddUserDialog", typed=(full_name, NAME, PHONE, password, pin))
        assert unavailable(app) in str(app.screen.query_one("#add-user-error", Static).render())
        kept = {f: input_value(app, f"#u-{f}") for f in ("username", "full_name", "password", "password2", "pin")}
        assert kept == {"username": "nampueng", "full_name": full_name, "password": password, "password2": password,
                        "pin": pin}
        switch.off()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "UsersScreen"
        assert Staff.get(Staff.username == "nampueng").full_name == full_name


@scenario("screens.staff_home.StaffHomeScreen.count_failures")
async def home_failures(t: Trial):
    async with staff(t) as (app, pilot):
        switch = t.inject(staff_home.staff_service, "failed_attempts")
        app.open_home()
        await settle(pilot)
        assert_calm(app, t, switch, screen="StaffHomeScreen")
        assert str(app.screen.query_one("#staff-failed", Static).render()) == unavailable(app)
        assert app.screen.query("#staff-my-pin") and app.screen.query("#staff-announcements")  # the rest works
        switch.off()
        await pilot.press("ctrl+l")  # a redraw counts again
        await settle(pilot)
        shown = str(app.screen.query_one("#staff-failed", Static).render())
        assert shown == app.t("signin.failed_recent", hours=24, gate=0, login=0)


@scenario("screens.users.SetPinDialog.save_pin")
async def set_my_pin(t: Trial):
    new_pin = "582937"
    async with staff(t) as (app, pilot):
        app.open_my_pin()
        await settle(pilot)
        switch = t.inject(users.staff_service, "set_pin")
        await type_into(pilot, "#p-pin", new_pin)
        await type_into(pilot, "#p-pin2", new_pin)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert_calm(app, t, switch, screen="SetPinDialog", typed=(new_pin,))
        assert unavailable(app) in str(app.screen.query_one("#set-pin-error", Static).render())
        # a PIN is not kept on screen after any refusal: typed again once the database answers
        assert input_value(app, "#p-pin") == "" and input_value(app, "#p-pin2") == ""
        assert new_pin not in visible_text(app)
        assert Staff.get(Staff.username == "officer").pin_hash is None
        switch.off()
        await type_into(pilot, "#p-pin", new_pin)
        await type_into(pilot, "#p-pin2", new_pin)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "QueueScreen"
        assert app.t("signin.pin_saved", username="officer") in visible_text(app)
    assert staff_service.unlock_with_pin(new_pin).username == "officer"


# -- INFO by the 5th (screens/info_report.py and its reminder lines) ----------------------------

async def open_info(app, pilot) -> None:
    app.open_info_report()
    await settle(pilot)


@scenario("screens.info_report.InfoReportScreen.load")
async def info_load(t: Trial):
    switch = t.inject(info_screen.info_report, "dashboard")
    async with staff(t) as (app, pilot):
        await open_info(app, pilot)
        assert_calm(app, t, switch, screen="InfoReportScreen")
        assert unavailable(app) in str(app.screen.query_one("#info-deadline", Static).render())
        switch.off()
        await pilot.press("n")  # another month: read again
        await settle(pilot)
        assert unavailable(app) not in str(app.screen.query_one("#info-deadline", Static).render())


async def info_change(t: Trial, service: str, key: str):
    stored_person_case()
    async with staff(t) as (app, pilot):
        await open_info(app, pilot)
        await pilot.press("n")  # this month: the case just made
        await settle(pilot)
        switch = t.inject(info_screen.info_report, service)
        await pilot.press(key)
        await settle(pilot)
        assert_calm(app, t, switch, screen="InfoReportScreen", typed=(NAME,))
        assert unavailable(app) in str(app.screen.query_one("#info-message", Static).render())
        switch.off()
        await pilot.press(key)
        await settle(pilot)
        assert unavailable(app) not in str(app.screen.query_one("#info-message", Static).render())


@scenario("screens.info_report.InfoReportScreen.mark_month")
async def info_mark_month(t: Trial):
    await info_change(t, "mark_month", "m")


@scenario("screens.info_report.InfoReportScreen.undo_month")
async def info_undo_month(t: Trial):
    await info_change(t, "undo_month", "u")


@scenario("screens.info_report.InfoReportScreen.toggle_record")
async def info_toggle_record(t: Trial):
    from textual.widgets import DataTable

    stored_person_case()
    async with staff(t) as (app, pilot):
        await open_info(app, pilot)
        await pilot.press("n")
        await settle(pilot)
        switch = t.inject(info_screen.info_report, "mark")
        app.screen.query_one("#info-records", DataTable).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert_calm(app, t, switch, screen="InfoReportScreen")
        switch.off()
        app.screen.query_one("#info-records", DataTable).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert Case.select().count() == 1
        ticket = Case.get().ticket_no
        assert app.t("inforeport.marked_one", ref=ticket) in str(app.screen.query_one("#info-message", Static).render())


@scenario("screens.staff_home.StaffHomeScreen.check_info_due")
async def home_info_due(t: Trial):
    async with staff(t) as (app, pilot):
        switch = t.inject(info_service, "reminder")
        app.open_home()
        await settle(pilot)
        # a courtesy line: the fault is logged, nothing is shown, the home works on
        assert_calm(app, t, switch, screen="StaffHomeScreen", shown=False)
        assert str(app.screen.query_one("#staff-info-reminder", Static).render()) == ""
        assert app.screen.query("#staff-my-pin") and app.screen.query("#staff-announcements")


@scenario("screens.gate.GateScreen.check_info_due")
async def gate_info_due(t: Trial):
    switch = t.inject(info_service, "reminder")
    async with counter(t) as (app, pilot):
        await pilot.click("#choice-staff")
        await settle(pilot)
        await type_into(pilot, "#gate-pin", PIN)
        await pilot.press("enter")
        await settle(pilot)
        assert app.unlocked_by is not None  # unlocked: the reminder failed quietly behind it
        assert_calm(app, t, switch, screen="GateScreen", typed=(PIN,), shown=False)
        assert not app.screen.query_one("#gate-info").display and app.screen.query("#gate-exit")


SCENARIOS.update(register_scenarios.SCENARIOS)  # the survey register's, kept beside their screen's
SCENARIOS.update(survey_scenarios.WORKERS)  # the survey entry form's and the teams screen's
SCENARIOS.update(paperwork_scenarios.WORKERS)  # forms, the committee, the aid limit, the ID card reader


@pytest.mark.parametrize("where", sorted(SCENARIOS))
async def test_worker_fault_is_calm(trial: Trial, where: str):
    await SCENARIOS[where](trial)
