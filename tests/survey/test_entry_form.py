"""The survey entry form in the staff console (Pilot, 80×24): a volunteer reaches it from their
home screen, types a household with two members (Thai typed key by key, tone marks and all),
saves it, and the records exist with the same results as a spreadsheet import; an error shows
beside the member in Thai and keeps everything typed; a household found again by house number
and หมู่ comes back filled in and saving it updates it with history; a volunteer picks only
their own team; a spreadsheet imports from the console."""

from __future__ import annotations

import json

import pytest
from textual.widgets import Input, OptionList, Select, Static

from db.models import Household, HouseholdMember, Person, SurveyChange, SurveyRecord
from kiosk.services import surveys
from tests.conftest import make_actors
from tests.intake.helpers import type_text
from tests.staff.pilot import login, settle, staff_app
from tests.survey.test_import import ORG, SOMSRI
from tests.survey.test_template import kiosk

SIZE = (80, 24)


@pytest.fixture
def town(db):
    actors = make_actors()
    officer = actors["officer"]
    north = surveys.create_team(officer, ORG, "ทีมเหนือ", "health_volunteer", "1,2")
    south = surveys.create_team(officer, ORG, "ทีมใต้", "otl", "3")
    surveys.add_member(officer, north, "กบ ใจกล้า", username="volunteer")
    surveys.add_member(officer, north, "ขวัญ ดีงาม")
    surveys.add_member(officer, south, "อาสา ใต้")
    return actors


def field(app, name: str, member: int | None = None):
    """The form's widget named `name`: the household's, or member n's (1-based)."""
    screen = app.screen
    if member is None:
        return next(w for w in screen.query("#entry-form Input, #entry-form Select, #entry-form Checkbox")
                    if w.name == name and not any(type(a).__name__ == "MemberBlock" for a in w.ancestors))
    block = list(screen.query("MemberBlock"))[member - 1]
    return next(w for w in block.query("Input, Select, Checkbox, SelectionList") if w.name == name)


async def put(pilot, widget, text: str) -> None:
    """Focus a field, empty it, type `text` one key event per character."""
    widget.focus()
    widget.value = ""
    await pilot.pause()
    await type_text(pilot, text)


async def open_form(pilot, username: str = "volunteer") -> None:
    await login(pilot, username)
    if username != "volunteer":  # officers land on the queue
        pilot.app.open_home()
        await settle(pilot)
    await pilot.press("s")
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "SurveyEntryScreen"


async def type_household(pilot) -> None:
    app = pilot.app
    await put(pilot, field(app, "house_no"), "๑๒/๓")
    await put(pilot, field(app, "moo"), "2")
    await put(pilot, field(app, "village"), "บ้านป่าแดง")
    await put(pilot, field(app, "surveyed_on"), "20/11/2569")
    await put(pilot, field(app, "prefix", 1), "นาง")
    await put(pilot, field(app, "first_name", 1), "สมศรี")
    await put(pilot, field(app, "last_name", 1), "ใจดี")
    await put(pilot, field(app, "doc_number", 1), SOMSRI)
    await put(pilot, field(app, "birth_date", 1), "5/3/2480")
    await put(pilot, field(app, "phone", 1), "081-234-5678")
    field(app, "v:bedbound", 1).value = True
    field(app, "needs", 1).select("survival_bag")
    await put(pilot, field(app, "note", 1), "น้ำท่วมถึงใต้ถุนบ้าน ต้องย้ายขึ้นที่สูง")
    await pilot.press("ctrl+n")
    await settle(pilot)
    assert app.focused is field(app, "prefix", 2)
    await put(pilot, field(app, "first_name", 2), "มะลิ")
    await put(pilot, field(app, "birth_date", 2), "1/1/2558")
    field(app, "living_situation", 2).value = "with_carer"
    await pilot.pause()


async def test_a_volunteer_types_a_household_and_saves_it(town, settings):
    """Two members typed, ctrl+s: one household, two people, two records (the volunteer's own
    team and surveyor chosen for them), the form cleared for the next household of the walk."""
    app = staff_app(settings, lang="th")
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot)
        team = field(app, "team")
        assert team.value == "ทีมเหนือ" and [str(o[0]) for o in team._options if o[1] != Select.NULL] == ["ทีมเหนือ"]
        assert field(app, "surveyor").value == "กบ ใจกล้า"
        await type_household(pilot)
        assert field(app, "first_name", 1).value == "สมศรี"  # the tone marks typed arrived
        assert "ต้องได้รับความยินยอม" in str(app.screen.query_one("#entry-basis", Static).render())
        field(app, "consent").value = True
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        message = str(app.screen.query_one("#entry-message", Static).render())
        assert message.startswith("บันทึกแล้ว 2 คน"), message

        assert Household.select().count() == 1 and HouseholdMember.select().count() == 2
        household = Household.get()
        assert (household.house_no, household.moo, household.village) == ("12/3", 2, "บ้านป่าแดง")
        somsri = Person.get(Person.doc_number == SOMSRI)
        assert (somsri.prefix, somsri.first_name, somsri.last_name, somsri.phone) == (
            "นาง", "สมศรี", "ใจดี", "+66812345678")
        record = SurveyRecord.get(SurveyRecord.person == somsri)
        assert (record.vulnerabilities, record.needs, record.consent, record.legal_basis) == (
            "elderly,bedbound", "survival_bag", True, "public_task+explicit_consent")
        assert record.notes == "น้ำท่วมถึงใต้ถุนบ้าน ต้องย้ายขึ้นที่สูง"
        assert (record.team, record.surveyor_member.name, record.surveyor.username) == (
            "ทีมเหนือ", "กบ ใจกล้า", "volunteer")
        mali = SurveyRecord.get(SurveyRecord.person == Person.get(Person.first_name == "มะลิ"))
        assert mali.living_situation == "with_carer" and mali.vulnerabilities == ""

        # cleared for the next household of the same walk
        assert field(app, "house_no").value == "" and field(app, "moo").value == "2"
        assert field(app, "team").value == "ทีมเหนือ" and field(app, "surveyed_on").value == "20/11/2569"
        assert len(app.screen.query("MemberBlock")) == 1 and field(app, "first_name", 1).value == ""
        assert not field(app, "consent").value


async def test_an_error_is_shown_beside_the_member_and_nothing_typed_is_lost(town, settings):
    app = staff_app(settings, lang="th")
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot)
        await type_household(pilot)  # bedridden without consent; and a wrong ID below
        await put(pilot, field(app, "doc_number", 2), "1234567890123")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert SurveyRecord.select().count() == 0 and Person.select().count() == 0
        message = str(app.screen.query_one("#entry-message", Static).render())
        assert message.startswith("ยังไม่ได้บันทึก"), message
        household = str(app.screen.query_one("#household-issues", Static).render())
        assert household.startswith("✗ ยินยอม:") and field(app, "consent").has_class("-flagged")  # beside the box
        blocks = list(app.screen.query("MemberBlock"))
        first = str(blocks[0].query_one(".member-issues", Static).render())
        second = str(blocks[1].query_one(".member-issues", Static).render())
        assert first == "" and second.startswith("✗ เลขบัตรประชาชน/เอกสาร:")
        assert field(app, "doc_number", 2).has_class("-flagged") and not field(app, "first_name", 2).has_class(
            "-flagged")
        # everything typed is still there, Thai marks and ticks included
        assert field(app, "note", 1).value == "น้ำท่วมถึงใต้ถุนบ้าน ต้องย้ายขึ้นที่สูง"
        assert field(app, "v:bedbound", 1).value and field(app, "first_name", 2).value == "มะลิ"
        assert field(app, "needs", 1).selected == ["survival_bag"]

        # a language switch redraws the form from what was typed, the issues in English
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert field(app, "house_no").value == "๑๒/๓" and field(app, "first_name", 1).value == "สมศรี"
        await put(pilot, field(app, "doc_number", 2), "")
        field(app, "consent").value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert str(app.screen.query_one("#entry-message", Static).render()).startswith("Saved 2 people")
        assert SurveyRecord.select().count() == 2


async def test_a_resurvey_opens_the_household_and_keeps_the_history(town, settings):
    app = staff_app(settings, lang="th")
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot)
        await type_household(pilot)
        field(app, "consent").value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert SurveyRecord.select().count() == 2

        await pilot.press("ctrl+f")
        await settle(pilot)
        assert type(app.screen).__name__ == "FindHouseholdDialog"
        await type_text(pilot, "12/3")
        await pilot.press("tab")
        await type_text(pilot, "๒")
        await pilot.press("enter")
        await settle(pilot)
        hits = app.screen.query_one("#find-list", OptionList)
        assert hits.option_count == 1 and "2 คน" in str(hits.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "SurveyEntryScreen"
        assert str(app.screen.query_one("#entry-title", Static).render()) == "สำรวจซ้ำ: บ้านเลขที่ 12/3 หมู่ 2"
        assert field(app, "first_name", 1).value == "สมศรี" and field(app, "first_name", 2).value == "มะลิ"
        assert field(app, "v:bedbound", 1).value and field(app, "consent").value
        assert field(app, "needs", 1).selected == ["survival_bag"]

        await put(pilot, field(app, "note", 1), "ย้ายไปอยู่กับลูกสาวแล้ว")
        await put(pilot, field(app, "surveyed_on"), "20/11/2569")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert str(app.screen.query_one("#entry-message", Static).render()).startswith("บันทึกแล้ว 2 คน")
    assert Household.select().count() == 1 and SurveyRecord.select().count() == 2
    [change] = SurveyChange.select()
    assert json.loads(change.changes) == {"notes": ["น้ำท่วมถึงใต้ถุนบ้าน ต้องย้ายขึ้นที่สูง", "ย้ายไปอยู่กับลูกสาวแล้ว"]}
    assert change.actor == "volunteer"


async def test_a_volunteer_sees_only_their_own_team(town, settings):
    """The team list holds their team only, and a household of another team is not found."""
    officer = town["officer"]
    rows = [(2, {"household_no": "1", "house_no": "9", "moo": "3", "first_name": "ก้อย", "surveyed_on": "1/11/2569",
                 "team": "ทีมใต้"})]
    assert surveys.import_rows(officer, ORG, rows).imported
    app = staff_app(settings, lang="th")
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot)
        assert [o[1] for o in field(app, "team")._options if o[1] != Select.NULL] == ["ทีมเหนือ"]
        await pilot.press("ctrl+f")
        await settle(pilot)
        await type_text(pilot, "9")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#find-list", OptionList).option_count == 0
        assert "ไม่พบครัวเรือน" in str(app.screen.query_one("#find-note", Static).render())

    app = staff_app(settings, lang="th")
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot, "officer")
        assert [o[1] for o in field(app, "team")._options if o[1] != Select.NULL] == ["ทีมเหนือ", "ทีมใต้"]
        assert field(app, "team").value == Select.NULL


async def test_a_spreadsheet_imports_from_the_console(town, settings, config_file, tmp_path):
    out = tmp_path / "survey.xlsx"
    assert kiosk(config_file, "survey-template", "--out", str(out)).returncode == 0
    from openpyxl import load_workbook

    from kiosk.services.survey_rows import COLUMNS

    book = load_workbook(out)
    cells = {"household_no": "1", "house_no": "๘", "moo": "๒", "first_name": "ทองดี", "vulnerabilities": "ผู้ป่วยติดเตียง",
             "consent": "ไม่ใช่", "surveyed_on": "๑/๑๑/๒๕๖๙", "team": "ทีมเหนือ"}
    book["แบบสำรวจ"].append([cells.get(c) for c in COLUMNS])
    book.save(out)
    app = staff_app(settings, lang="th")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "volunteer")
        await pilot.press("u")
        await settle(pilot)
        assert type(app.screen).__name__ == "ImportSurveyDialog"
        app.screen.query_one("#import-path", Input).value = str(out)
        await pilot.press("enter")
        await settle(pilot)
        lines = str(app.screen.query_one("#import-lines", Static).render()).splitlines()
        assert lines[0].startswith("แถว 2 · ยินยอม:") and lines[-1].startswith("ยังไม่ได้นำเข้าข้อมูลใด ๆ")
        assert SurveyRecord.select().count() == 0

        cells["consent"] = "ใช่"
        book["แบบสำรวจ"].delete_rows(2)
        book["แบบสำรวจ"].append([cells.get(c) for c in COLUMNS])
        book.save(out)
        await pilot.click("#import-go")
        await settle(pilot)
        lines = str(app.screen.query_one("#import-lines", Static).render()).splitlines()
        assert lines == [lines[0]] and lines[0].startswith("นำเข้าแล้ว 1 แถว")
        path = app.screen.query_one("#import-path", Input)
        path.value = str(tmp_path / "none.xlsx")
        path.focus()  # Enter in the path imports too (a click may land on the notice of the last import)
        await pilot.press("enter")
        await settle(pilot)
        assert "ไม่พบไฟล์" in str(app.screen.query_one("#import-lines", Static).render())
    assert SurveyRecord.get().survey_team.name == "ทีมเหนือ"


async def test_the_volunteer_home_offers_the_survey(town, settings):
    app = staff_app(settings, lang="th")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "volunteer")
        text = str(app.screen.query_one("#staff-not-ready", Static).render())
        assert "ยังไม่มี" not in text and "บันทึกผลสำรวจ" in text
        assert app.screen.query("#staff-survey-entry") and app.screen.query("#staff-survey-import")
        assert not app.screen.query("#staff-survey-teams")
        await pilot.click("#staff-survey-entry")
        await settle(pilot)
        assert type(app.screen).__name__ == "SurveyEntryScreen"
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "StaffHomeScreen"


async def test_members_are_added_and_removed_by_key(town, settings):
    """ctrl+n adds a member and puts the cursor in it; ctrl+r removes the member being typed, the
    others keep what was typed and are numbered again."""
    app = staff_app(settings, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot)
        await put(pilot, field(app, "first_name", 1), "สมศรี")
        for name in ("มะลิ", "ทองดี"):
            await pilot.press("ctrl+n")
            await settle(pilot)
            await pilot.press("tab")
            await type_text(pilot, name)
        assert [field(app, "first_name", n).value for n in (1, 2, 3)] == ["สมศรี", "มะลิ", "ทองดี"]
        field(app, "note", 2).focus()
        await pilot.press("ctrl+r")
        await settle(pilot)
        titles = [str(s.render()) for s in app.screen.query(".member-title").results(Static)]
        assert titles == ["Member 1", "Member 2"]
        assert [field(app, "first_name", n).value for n in (1, 2)] == ["สมศรี", "ทองดี"]
        assert app.focused is field(app, "prefix", 2)
        assert [m["first_name"] for m in app.screen.members] == ["สมศรี", "ทองดี"]
