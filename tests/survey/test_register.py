"""The register of surveyed people (issue 13, item 4): counts by หมู่, vulnerability and team
equal what plain SQL counts over each person's latest record; "elderly" is computed from the
birth date today; the not-surveyed-for-N-months list; a volunteer sees their own team's people
only, in lists and counts; a listing is audited; the queries do not grow with the register."""

from __future__ import annotations

from datetime import date

import pytest
from playhouse.test_utils import assert_query_count

from db.models import AuditLog, Person, SurveyRecord, database
from kiosk.errors import PermissionDenied, ValidationError
from kiosk.services import survey_register as reg
from kiosk.services.survey_register import RegisterFilter
from kiosk.services.survey_rows import VULNERABILITIES
from kiosk.thai.dates import age_on
from tests.survey import town
from tests.survey.test_import import TODAY

LATEST = """
    FROM survey_record r JOIN person p ON p.id = r.person_id LEFT JOIN household h ON h.id = r.household_id
    LEFT JOIN survey_team t ON t.id = r.survey_team_id
    WHERE p.merged_into_id IS NULL AND NOT EXISTS (
        SELECT 1 FROM survey_record r2 WHERE r2.person_id = r.person_id {scope2}
        AND (r2.surveyed_on > r.surveyed_on OR (r2.surveyed_on = r.surveyed_on AND r2.id > r.id))) {scope}"""


def plain(sql: str, *params, team: int | None = None) -> list[tuple]:
    """Plain SQL over each person's latest record (`?` for parameters, on either database)."""
    scope = f"AND r.survey_team_id = {int(team)}" if team else ""
    scope2 = f"AND r2.survey_team_id = {int(team)}" if team else ""
    sql = sql.replace("{latest}", LATEST.format(scope=scope, scope2=scope2)).replace("?", database.obj.param)
    return [tuple(date.fromisoformat(str(v)) if isinstance(v, date) else v for v in row)
            for row in database.obj.execute_sql(sql, params).fetchall()]


@pytest.fixture
def place(any_db) -> town.Town:
    """The town on SQLite and on PostgreSQL."""
    return town.build()


@pytest.fixture
def sqlite_place(db) -> town.Town:
    return town.build()


def test_counts_by_moo_and_team_equal_plain_sql(place):
    officer = place.actors["officer"]
    by_moo = plain("SELECT COALESCE(h.moo, p.moo), COUNT(*) {latest} GROUP BY 1 ORDER BY 1 NULLS LAST")
    assert [(c.key, c.count) for c in reg.counts(officer, "moo", today=TODAY)] == by_moo
    by_team = plain("SELECT COALESCE(t.name, r.team), COUNT(*) {latest} GROUP BY 1 ORDER BY 1 NULLS LAST")
    assert sorted((c.key, c.count) for c in reg.counts(officer, "team", today=TODAY)) == sorted(by_team)
    assert reg.count(officer, today=TODAY) == plain("SELECT COUNT(*) {latest}")[0][0] == Person.select().count()
    # the mover counts once, in หมู่ 4 where the latest survey found them, no longer bedridden
    mover = reg.people(officer, RegisterFilter(moo=4), today=TODAY).rows
    assert [r.vulnerabilities for r in mover if r.first_name == "ย้ายบ้าน"] == [("elderly", "low_income")]
    assert "ย้ายบ้าน" not in [r.first_name for r in reg.people(officer, RegisterFilter(moo=1), today=TODAY).rows]


def test_counts_by_vulnerability_equal_plain_sql_and_elderly_is_computed_today(place):
    officer = place.actors["officer"]
    got = {c.key: c.count for c in reg.counts(officer, "vulnerability", today=TODAY)}
    for key in VULNERABILITIES:
        if key == "elderly":
            continue
        expected = plain("SELECT COUNT(*) {latest} AND (',' || r.vulnerabilities || ',') LIKE ?", f"%,{key},%")
        assert got[key] == expected[0][0], key
    born = plain("SELECT p.birth_date, r.vulnerabilities {latest}")
    elderly = sum(1 for b, v in born if b and age_on(date.fromisoformat(str(b)), TODAY) >= 60
                  or not b and "elderly" in v.split(","))
    assert got["elderly"] == elderly > 0
    # someone who turns 60 after the survey is elderly now, though the record did not say so
    assert any(b and age_on(date.fromisoformat(str(b)), TODAY) >= 60 and "elderly" not in v for b, v in born)
    disabled = plain("SELECT COUNT(*) {latest} AND r.vulnerabilities LIKE ?", "%disability_%")[0][0]
    assert got[reg.DISABILITY] == disabled > 0


def test_the_elderly_cut_off_agrees_with_age_on():
    for today in (date(2026, 11, 26), date(2028, 2, 29), date(2027, 2, 28), date(2027, 3, 1)):
        cut = reg.elderly_born_by(today)
        assert age_on(cut, today) >= 60
        assert age_on(date.fromordinal(cut.toordinal() + 1), today) < 60


def test_filters_combine_and_groups_keep_the_other_filters(place):
    officer = place.actors["officer"]
    page = reg.people(officer, RegisterFilter(moo=3, vulnerability="bedbound"), today=TODAY)
    expected = plain("SELECT COUNT(*) {latest} AND COALESCE(h.moo, p.moo) = 3 AND r.vulnerabilities LIKE ?",
                     "%bedbound%")[0][0]
    assert page.total == len(page.rows) == expected > 0
    assert all(r.moo == 3 and "bedbound" in r.vulnerabilities for r in page.rows)
    # grouped by หมู่ with "bedridden" chosen: bedridden people per หมู่ (the หมู่ filter itself set aside)
    per_moo = {c.key: c.count for c in reg.counts(officer, "moo", RegisterFilter(moo=3, vulnerability="bedbound"),
                                                  today=TODAY)}
    assert per_moo[3] == expected and sum(per_moo.values()) == reg.count(
        officer, RegisterFilter(vulnerability="bedbound"), today=TODAY)
    north = reg.people(officer, RegisterFilter(team=town.NORTH), today=TODAY)
    assert {r.team for r in north.rows} == {town.NORTH}
    with pytest.raises(ValidationError):
        reg.people(officer, RegisterFilter(vulnerability="flying"))
    with pytest.raises(ValidationError):
        reg.count(officer, RegisterFilter(months=0))


def test_not_surveyed_for_n_months(place):
    officer = place.actors["officer"]
    page = reg.people(officer, RegisterFilter(months=12), today=TODAY)
    cutoff = date(2025, 11, 26)
    expected = plain("SELECT COUNT(*) {latest} AND r.surveyed_on < ?", cutoff.isoformat())[0][0]
    assert page.total == expected > 0 and all(r.surveyed_on < cutoff for r in page.rows)
    assert reg.RegisterFilter(months=12).label("th") == "ไม่ได้สำรวจเกิน 12 เดือน"


def test_a_volunteer_sees_their_own_team_only(place):
    volunteer, officer = place.actors["volunteer"], place.actors["officer"]
    mine = reg.people(volunteer, today=TODAY)
    assert mine.total > 0 and {r.team for r in mine.rows} == {town.NORTH}
    assert [c.key for c in reg.counts(volunteer, "team", today=TODAY)] == [town.NORTH]
    north_ids = {r.person_id for r in mine.rows}
    south = {r.person_id for r in reg.people(officer, RegisterFilter(team=town.SOUTH), today=TODAY).rows}
    assert north_ids - south == north_ids - {Person.get(Person.doc_number == place.mover).id}
    by_moo = plain("SELECT COALESCE(h.moo, p.moo), COUNT(*) {latest} GROUP BY 1 ORDER BY 1 NULLS LAST", team=place.north)
    assert [(c.key, c.count) for c in reg.counts(volunteer, "moo", today=TODAY)] == by_moo
    assert reg.count(volunteer, RegisterFilter(team=town.SOUTH), today=TODAY) == 0
    assert reg.team_names(volunteer) == [town.NORTH]
    with pytest.raises(PermissionDenied):
        reg.people(None)


def test_a_listing_is_audited_counts_are_not(place):
    officer = place.actors["officer"]
    before = AuditLog.select().count()
    reg.counts(officer, "moo")
    assert AuditLog.select().count() == before
    page = reg.people(officer, RegisterFilter(moo=2, vulnerability="elderly"), today=TODAY)
    entry = AuditLog.select().order_by(AuditLog.id.desc()).get()
    assert (entry.action, entry.actor) == ("survey_register_view", "officer")
    assert entry.detail == f"moo=2 vulnerability=elderly shown={len(page.rows)} total={page.total}"


def test_queries_do_not_grow_with_the_register(place):
    officer = place.actors["officer"]
    assert SurveyRecord.select().count() > 60
    with assert_query_count(4):  # each: the actor's role checked, then one statement
        rows = list(reg.people_rows(officer, today=TODAY))
        reg.count(officer, today=TODAY)
    assert len(rows) == Person.select().count()
    with assert_query_count(2):  # every vulnerability in one statement
        reg.counts(officer, "vulnerability", today=TODAY)


# -- the screen -----------------------------------------------------------------------------------

async def open_register(pilot, username: str = "officer") -> None:
    from tests.snapshots.conftest import reach
    from tests.staff.pilot import login

    await login(pilot, username)
    pilot.app.open_home()
    await reach(pilot, "StaffHomeScreen")
    await pilot.press("r")  # the staff home's key for the register
    await reach(pilot, "RegisterScreen")


async def test_bedridden_in_moo_3_is_two_keystrokes(sqlite_place, settings):
    place = sqlite_place
    from tests.staff.pilot import settle, staff_app, table_text

    app = staff_app(settings, lang="th")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_register(pilot)
        everyone = reg.count(place.actors["officer"])
        assert f"{everyone} คน" in str(app.screen.query_one("#reg-filter").render())
        await pilot.press("b", "3")
        await settle(pilot)
        rows = table_text(app, "#reg-people")
        expected = reg.people(place.actors["officer"], RegisterFilter(moo=3, vulnerability="bedbound")).rows
        assert [r[2] for r in rows] == [r.full_name for r in expected] and rows
        assert all(r[0] == "3" and "ติดเตียง" in r[4] for r in rows)
        assert str(app.screen.query_one("#reg-filter").render()).startswith("หมู่ 3 · ผู้ป่วยติดเตียง")
        hint = str(app.screen.query_one("#reg-hint").render())
        assert "b ติดเตียง" in hint and "1-9 หมู่" in hint and "o ค้างสำรวจ" in hint
        # g: grouped by vulnerability, with หมู่ 3 kept; Enter on a group filters by it
        await pilot.press("g")
        await settle(pilot)
        groups = app.screen.query_one("#reg-groups")
        assert groups.border_title == "ตามความเปราะบาง"
        # v: every vulnerability in a list (letters shown beside theirs); "any disability" chosen
        await pilot.press("v")
        await settle(pilot)
        picker = app.screen.query_one("#reg-pick-vulnerability")
        prompts = [str(picker.get_option_at_index(i).prompt) for i in range(picker.option_count)]
        assert "b  ผู้ป่วยติดเตียง" in prompts
        picker.highlighted = prompts.index("d  ผู้พิการ (ทุกประเภท)")
        await pilot.press("enter")
        await settle(pilot)
        assert str(app.screen.query_one("#reg-filter").render()).startswith("หมู่ 3 · ผู้พิการ (ทุกประเภท)")
        assert len(table_text(app, "#reg-people")) == reg.count(
            place.actors["officer"], RegisterFilter(moo=3, vulnerability="disability"))
        # o: not surveyed for more than 6 months; Escape clears the filter, then goes back
        await pilot.press("o")
        await settle(pilot)
        assert "ไม่ได้สำรวจเกิน 6 เดือน" in str(app.screen.query_one("#reg-filter").render())
        await pilot.press("escape")
        await settle(pilot)
        assert str(app.screen.query_one("#reg-filter").render()).startswith("ทุกคน")
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "StaffHomeScreen"
    views = AuditLog.select().where(AuditLog.action == "survey_register_view").count()
    assert views >= 4  # every list shown is audited


async def test_a_volunteer_screen_lists_their_team_only_and_cannot_open_cases(sqlite_place, settings):
    from tests.snapshots.conftest import reach
    from tests.staff.pilot import login, settle, staff_app, table_text

    app = staff_app(settings, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "volunteer")
        await pilot.press("ctrl+p")  # the command palette offers the register to every role
        await settle(pilot)
        for ch in "register":
            await pilot.press(ch)
        await settle(pilot, 6)
        await pilot.press("enter")
        await reach(pilot, "RegisterScreen")
        await pilot.press("ctrl+l")  # Thai, drawn again from the service
        await settle(pilot)
        assert str(app.screen.query_one("#reg-groups").get_option_at_index(0).prompt).endswith("หมู่ 1")
        await pilot.press("ctrl+l")
        await settle(pilot)
        await pilot.press("t")  # the team picker offers their own team only
        await settle(pilot)
        picks = app.screen.query_one("#reg-pick-team")
        assert [str(picks.get_option_at_index(i).prompt).split("  ")[0] for i in range(picks.option_count)] == [
            "Everyone", town.NORTH]
        await pilot.press("escape")
        await settle(pilot)
        assert {r[5] for r in table_text(app, "#reg-people")} == {town.NORTH}
        assert not app.screen.check_action("case", ())
        await pilot.press("n")
        await settle(pilot)
        assert type(app.screen).__name__ == "RegisterScreen"


async def test_stored_markup_stays_text_on_the_register_screen(sqlite_place, settings):
    from db.models import SurveyTeam
    from tests.conftest import HOSTILE
    from tests.staff.pilot import settle, staff_app, table_text

    SurveyTeam.update(name=HOSTILE[1]).where(SurveyTeam.id == sqlite_place.north).execute()
    first = reg.people(sqlite_place.actors["officer"], RegisterFilter(team=HOSTILE[1])).rows[0]
    Person.update(first_name=HOSTILE[2], last_name=HOSTILE[3]).where(Person.id == first.person_id).execute()
    app = staff_app(settings, lang="th")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_register(pilot)
        await pilot.press("g", "g")  # grouped by team: the hostile name is a group
        await settle(pilot)
        labels = [str(app.screen.query_one("#reg-groups").get_option_at_index(i).prompt)
                  for i in range(app.screen.query_one("#reg-groups").option_count)]
        assert any(HOSTILE[1] in label for label in labels)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("down", "enter")  # past "everyone": the hostile team (sorted first)
        await settle(pilot)
        assert app.is_running and type(app.screen).__name__ == "RegisterScreen"
        names = [r[2] for r in table_text(app, "#reg-people")]
        assert any(HOSTILE[2] in n for n in names) and all(r[5] == HOSTILE[1] for r in table_text(app, "#reg-people"))
