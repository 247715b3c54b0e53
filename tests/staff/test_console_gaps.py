"""The staff console's remaining pieces, driven with Pilot: adding an account, merging two
records of one person, announcements and the centre's information from the console, and Thai
text fields (ThaiInput) that keep every tone mark."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input, OptionList, Static

from db.models import AuditLog, Case, CaseEvent, Person, Staff
from kiosk.errors import PermissionDenied
from kiosk.services import staff as staff_service
from kiosk.services.people import PersonData
from screens.widgets.thai_input import ThaiInput

from ..conftest import HOSTILE
from .conftest import new_case
from .pilot import login, settle, staff_app, table_text

SIZE = (80, 24)


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def type_thai(pilot, widget, text: str) -> None:
    """One events.Key per code point (Pilot.press drops Thai tone marks)."""
    widget.focus()
    await pilot.pause()
    for ch in text:
        widget.post_message(events.Key(ch, ch))
    await pilot.pause()


# -- 1. adding an account ---------------------------------------------------------------------

async def open_add_user(pilot) -> None:
    await login(pilot, "admin")
    await pilot.press("u")
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "UsersScreen"
    await pilot.press("a")
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "AddUserDialog"


async def test_admin_adds_an_account_with_thai_errors_first(db, settings, actors):
    app = staff_app(settings, lang="th")
    async with app.run_test(size=SIZE) as pilot:
        await open_add_user(pilot)
        screen = app.screen
        screen.query_one("#u-username", Input).value = "Bad Name!"
        assert isinstance(screen.query_one("#u-full_name"), ThaiInput)
        assert not isinstance(screen.query_one("#u-password"), ThaiInput)
        await type_thai(pilot, screen.query_one("#u-full_name", Input), "นางสาวน้ำผึ้ง ใจดี")
        screen.query_one("#u-password", Input).value = "long-enough-1"
        screen.query_one("#u-password2", Input).value = "long-enough-2"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert text_of(app, "#add-user-error") == "รหัสผ่านทั้งสองช่องไม่ตรงกัน"
        screen.query_one("#u-password2", Input).value = "long-enough-1"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "ชื่อผู้ใช้" in text_of(app, "#add-user-error")  # errors.username_format in Thai
        screen.query_one("#u-username", Input).value = "officer"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert text_of(app, "#add-user-error") == app.t("errors.username_taken")
        app.action_toggle_language()  # (a modal hides the app's ctrl+l) the form keeps what was typed
        await settle(pilot)
        assert app.screen.query_one("#u-full_name", Input).value == "นางสาวน้ำผึ้ง ใจดี"
        app.screen.query_one("#u-username", Input).value = "nampueng"
        app.screen.query_one("#u-pin", Input).value = "12"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert text_of(app, "#add-user-error") == "The PIN must be 6–12 digits"
        app.screen.query_one("#u-pin", Input).value = "246813"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "UsersScreen"
        assert "nampueng" in [r[0] for r in table_text(app, "#users-table")]
        assert "nampueng" in text_of(app, "#users-message")
    staff = Staff.get(Staff.username == "nampueng")
    assert staff.full_name == "นางสาวน้ำผึ้ง ใจดี" and staff.role == "officer" and staff.pin_hash
    assert staff_service.login("nampueng", "long-enough-1").username == "nampueng"
    assert AuditLog.select().where(AuditLog.action == "staff_create", AuditLog.actor == "admin").count() == 1


async def test_non_admins_cannot_add_accounts(db, settings, actors):
    with pytest.raises(PermissionDenied):
        staff_service.create_staff("sneaky", "long-enough-1", "admin", by=actors["supervisor"])
    app = staff_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "supervisor")
        app.open_users()  # even when the screen is reached, "add" is not offered
        await settle(pilot)
        assert "add" not in {b.action for _n, b, _e, _t in app.screen.active_bindings.values() if _e}
        await pilot.press("a")
        await settle(pilot)
        assert type(app.screen).__name__ == "UsersScreen"
    assert not Staff.select().where(Staff.username == "sneaky").exists()


# -- 2. merging two records of one person -----------------------------------------------------

def twins(first: str = "สมชาย", other_name: str = "[@click=app.quit]x[/]") -> tuple[int, int, int]:
    """A case whose person shares a phone with an older record (who has a case of their own)."""
    older = new_case("เก่า", PersonData(first_name=other_name, last_name="\x1b[2J", phone="+66812345678",
                                        village="บ้านเก่า"))
    case = new_case("ใหม่", PersonData(first_name=first, last_name="ใจดี", phone="+66812345678"))
    return Case.get_by_id(case).subject_id, Case.get_by_id(older).subject_id, case


async def open_case(pilot, ticket: str) -> None:
    pilot.app.open_case(Case.get(Case.ticket_no == ticket).id)
    await settle(pilot)


async def test_supervisor_merges_a_duplicate_from_the_case(db, settings, actors):
    keep, drop, case = twins()
    ticket = Case.get_by_id(case).ticket_no
    AuditLog.delete().execute()
    app = staff_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "supervisor")
        await open_case(pilot, ticket)
        await pilot.press("m")
        await settle(pilot)
        assert type(app.screen).__name__ == "MergeScreen"
        option = app.screen.query_one("#merge-list", OptionList).get_option_at_index(0)
        shown = option.prompt.plain
        assert "[@click=app.quit]x[/]" in shown and "␛[2J" in shown  # literally, no escape sent
        assert "The same phone number" in shown
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "MergeConfirm"
        moves = text_of(app, "#merge-moves")
        older_ticket = Case.get(Case.subject == drop).ticket_no
        assert "Cases that move to the kept record: 1" in moves and older_ticket in moves
        assert "Village" in moves  # the kept record has no village: filled from the other
        assert "[@click=app.quit]x[/]" in text_of(app, "#merge-drop")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseDetailScreen"
        assert any("Cases moved: 1" in str(n.message) for n in app._notifications), [str(n.message) for n in app._notifications]
        assert app.is_running  # the [@click=app.quit] text never ran
    assert Person.get_by_id(drop).merged_into_id == keep
    assert Person.get_by_id(keep).village == "บ้านเก่า"
    assert Case.get(Case.ticket_no == older_ticket).subject_id == keep
    viewed = {(a.target_id, a.actor) for a in AuditLog.select().where(AuditLog.action == "person_view")}
    assert {(str(keep), "supervisor"), (str(drop), "supervisor")} <= {(str(t), a) for t, a in viewed}
    assert AuditLog.select().where(AuditLog.action == "person_merge").count() == 1


async def test_swap_keeps_the_other_record_and_officers_see_no_merge(db, settings, actors):
    keep, drop, case = twins()
    ticket = Case.get_by_id(case).ticket_no
    app = staff_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "officer")
        await open_case(pilot, ticket)
        await pilot.press("m")
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseDetailScreen"
        assert all("duplicates" not in label.lower() for label, _c, _h in app.screen.palette_commands())
        await pilot.press("ctrl+o")
        await settle(pilot)
        await login(pilot, "supervisor")
        await open_case(pilot, ticket)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("s")  # swap: keep the older record, fold this case's person into it
        await settle(pilot)
        assert "[@click=app.quit]x[/]" in text_of(app, "#merge-keep")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseDetailScreen"
        assert app.screen.detail.people[0].id == drop and app.screen.detail.version > 1  # bumped: stale forms are told
    assert Person.get_by_id(keep).merged_into_id == drop


async def test_no_duplicates_says_so(db, settings, actors):
    case = new_case()
    app = staff_app(settings, lang="th")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "supervisor")
        await open_case(pilot, Case.get_by_id(case).ticket_no)
        await pilot.press("m")
        await settle(pilot)
        assert text_of(app, "#merge-message") == app.t("merge.none")


# -- 3. announcements from the console --------------------------------------------------------

async def test_announcements_from_palette_and_staff_home(db, settings, actors):
    from db.models import Announcement

    app = staff_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "officer")
        labels = [label for label, _open in app.staff_places()]
        assert "Announcements" in labels and "Centre information" not in labels
        dict(app.staff_places())["Staff home"]()
        await settle(pilot)
        assert type(app.screen).__name__ == "StaffHomeScreen" and not app.screen.query("#staff-centre")
        await pilot.press("i")  # admins only: nothing opens
        await settle(pilot)
        assert type(app.screen).__name__ == "StaffHomeScreen"
        await pilot.press("n")
        await settle(pilot)
        assert type(app.screen).__name__ == "AnnouncementsScreen"
        assert isinstance(app.screen.query_one("#ann-title"), ThaiInput)
        await type_thai(pilot, app.screen.query_one("#ann-title", Input), "งดจ่ายน้ำประปาวันพุธ")
        app.screen.query_one("#ann-body").text = "ขออภัยในความไม่สะดวก"
        app.screen.action_save()
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "StaffHomeScreen"
        await pilot.click("#staff-announcements")
        await settle(pilot)
        assert type(app.screen).__name__ == "AnnouncementsScreen"
    assert [a.title for a in Announcement.select()] == ["งดจ่ายน้ำประปาวันพุธ"]


async def test_palette_offers_the_places_by_role(db, settings, actors):
    from textual.command import CommandPalette

    app = staff_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "volunteer")
        assert [label for label, _o in app.staff_places()] == ["Staff home", "Survey entry", "Import a survey file",
                                                               app.t("register.title"), "About this program"]
        assert not app.screen.query("#staff-announcements")
        await pilot.press("ctrl+o")
        await settle(pilot)
        await login(pilot, "admin")
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        for ch in "centre":
            await pilot.press(ch)
        await settle(pilot, 6)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "CentreEditScreen"


# -- 4. the centre's information ----------------------------------------------------------------

async def open_centre(pilot, lang_app) -> None:
    await login(pilot, "admin")
    lang_app.open_centre_edit()
    await settle(pilot)
    assert type(lang_app.screen).__name__ == "CentreEditScreen"


async def test_admin_edits_centre_info_and_sees_config_errors(db, settings, actors):
    before = settings.path.read_text(encoding="utf-8")
    app = staff_app(settings, lang="th")
    async with app.run_test(size=SIZE) as pilot:
        await open_centre(pilot, app)
        screen = app.screen
        assert screen.query_one("#c-mon", Input).value == "08:30-16:30"
        assert screen.query_one("#c-sat", Input).value == "closed"
        assert {w.id for w in screen.query(ThaiInput)} == {"c-name_th", "c-directions_th"}
        screen.query_one("#c-phones", Input).value = "053-111-222, โทร"
        screen.query_one("#c-wed", Input).value = "17:00-08:00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        message = text_of(app, "#centre-message")
        assert "kiosk.toml" in message and "บรรทัด 16" in message and "centre.phones" in message
        assert "ต้องเป็นหมายเลขโทรศัพท์" in message  # the problem in Thai
        assert screen.query_one("#c-phones", Input).value == "053-111-222, โทร"  # nothing lost
        assert app.focused is screen.query_one("#c-phones", Input)
        assert settings.path.read_text(encoding="utf-8") == before  # nothing written
        screen.query_one("#c-phones", Input).value = "053-111-222, 081-222-3333"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "hours.wed" in text_of(app, "#centre-message") and "เวลาปิดต้องหลังเวลาเปิด" in text_of(app, "#centre-message")
        screen.query_one("#c-wed", Input).value = "09:00-15:00"
        screen.query_one("#c-latitude", Input).value = "abc"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "ต้องเป็นตัวเลข" in text_of(app, "#centre-message")
        screen.query_one("#c-latitude", Input).value = "20.5"
        await type_thai(pilot, screen.query_one("#c-directions_th", Input), "หน้าที่ว่าการอำเภอ")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "หลังเริ่มโปรแกรมใหม่" in text_of(app, "#centre-message")
        assert app.settings.phones == ("053-111-222", "081-222-3333")
        assert app.settings.directions_th == "หน้าที่ว่าการอำเภอ" and app.settings.latitude == 20.5
    from kiosk.config import load_settings

    after = settings.path.read_text(encoding="utf-8")
    assert 'phones = ["053-111-222", "081-222-3333"]     # sample numbers' in after  # comments kept
    assert '[hours]                                       # "HH:MM-HH:MM" or "closed"' in after  # comments kept
    saved = load_settings(settings.path)
    assert saved.hours["wed"][0].hour == 9 and saved.hours["sat"] is None
    assert AuditLog.select().where(AuditLog.action == "centre_info_edit").count() == 1


async def test_centre_edit_is_for_admins_only(db, settings, actors):
    app = staff_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "supervisor")
        app.open_centre_edit()
        await settle(pilot)
        assert type(app.screen).__name__ == "QueueScreen"
        from screens.centre_edit import CentreEditScreen

        app.push_screen(CentreEditScreen())  # reached anyway: the service refuses
        await settle(pilot)
        app.screen.query_one("#c-name_en", Input).value = "Hijacked"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert text_of(app, "#centre-message") == "Your role does not allow this."
    assert "Hijacked" not in settings.path.read_text(encoding="utf-8")


# -- 5. ThaiInput keeps every mark ------------------------------------------------------------

async def test_thai_note_typed_key_by_key_is_stored_exactly(db, settings, actors, case_id):
    note = "ผู้สูงอายุอยู่คนเดียว น้ำท่วมถึงเข่า ต้องการถุงยังชีพ ๒ ชุด ฝากผู้ใหญ่บ้านช่วยดู"
    app = staff_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "officer")
        await open_case(pilot, Case.get_by_id(case_id).ticket_no)
        app.screen.open_action("note")
        await settle(pilot)
        field = app.screen.query_one("#f-internal_note", Input)
        assert isinstance(field, ThaiInput)
        await type_thai(pilot, field, note)
        assert field.value == note
        await pilot.press("left")  # one cluster back: over "ดู" whole, never between ด and its vowel
        assert field.cursor_position == len(note) - 2
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseDetailScreen"
    assert CaseEvent.get(CaseEvent.action == "note").internal_note == note
    assert any(ch in note for ch in "\u0e49\u0e48")  # tone marks were in it


async def test_nasty_names_on_merge_screens_at_80x24(db, settings, actors):
    """Every HOSTILE value as a duplicate's name: shown literally, nothing runs, nothing crashes."""
    for nasty in HOSTILE:  # cut to the columns, as the forms do (PostgreSQL refuses a longer value)
        nasty = nasty[:Person.first_name.max_length]
        new_case("x", PersonData(first_name=nasty, phone="+66899999999", village=nasty))
    case = new_case("ใหม่", PersonData(first_name="ปกติ", phone="+66899999999"))
    app = staff_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "supervisor")
        await open_case(pilot, Case.get_by_id(case).ticket_no)
        await pilot.press("m")
        await settle(pilot)
        options = app.screen.query_one("#merge-list", OptionList)
        assert options.option_count == len(HOSTILE)
        shown = "\n".join(options.get_option_at_index(i).prompt.plain for i in range(options.option_count))
        assert "[@click=app.quit]x[/]" in shown and "[b" in shown and "\x1b" not in shown
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "MergeConfirm" and app.is_running
