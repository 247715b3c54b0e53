"""The month's figures against counts made here with plain SQL, Bangkok months with the process in
UTC, the year and fiscal-year turns, and the marks: bulk, undo, changed since entered."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from db.models import Case, database
from kiosk.errors import PermissionDenied, ValidationError
from kiosk.services import info_report as info
from kiosk.services.info_report import Month, parse_month
from kiosk.services.workflow import Step, perform
from kiosk.thai.dates import fiscal_year

from .conftest import OCT_HI, OCT_LO, case_at, seed_october, survey_on, utc

OCT = Month(2026, 10)


def sql(query: str, *params) -> list[tuple]:
    """Plain SQL written with SQLite's `?`, on either backend (psycopg's `%s`, a literal % doubled)."""
    if database.obj.param == "%s":
        query = query.replace("%", "%%").replace("?", "%s")
    return database.obj.execute_sql(query, params).fetchall()


def sql_counts(column: str) -> dict:
    return dict(sql(f'SELECT {column}, COUNT(*) FROM "case" c JOIN category g ON g.key = c.category_id '
                    'LEFT JOIN person p ON p.id = COALESCE(c.subject_id, c.requester_id) '
                    f'WHERE c.created_at >= ? AND c.created_at < ? GROUP BY {column}', OCT_LO, OCT_HI))


def test_every_figure_equals_plain_sql(october, actors):
    check_against_sql(actors)


def test_every_figure_equals_plain_sql_on_postgres(pg_db):
    from tests.conftest import make_actors

    actors = make_actors()
    seed_october(actors)
    check_against_sql(actors)
    assert info.mark_month(actors["officer"], OCT) == (6, 2)
    assert info.figures(actors["officer"], OCT).backlog.total == 0
    assert info.undo_month(actors["officer"], OCT) == (6, 2)


def check_against_sql(actors) -> None:
    f = info.figures(actors["officer"], OCT)
    (requests,), = sql('SELECT COUNT(*) FROM "case" WHERE created_at >= ? AND created_at < ?', OCT_LO, OCT_HI)
    assert f.requests == requests == 5
    assert f.by_area == sql_counts("g.parent_id")
    assert f.by_subtype == sql_counts("c.category_id")
    assert f.by_status == sql_counts("c.status_id")
    assert f.by_channel == sql_counts("c.channel")
    assert f.by_moo == sql_counts("p.moo")
    (times, people, baht), = sql(
        'SELECT COUNT(*), COUNT(DISTINCT COALESCE(c.subject_id, c.requester_id)), SUM(e.amount) FROM case_event e '
        'JOIN "case" c ON c.id = e.case_id WHERE e.to_status = ? AND e.at >= ? AND e.at < ? '
        "AND c.status_id NOT IN ('duplicate', 'withdrawn')", "helped", OCT_LO, OCT_HI)
    assert (f.helped.times, f.helped.people) == (times, people) == (3, 2)  # one person twice, the Sep case once
    assert f.helped.baht == Decimal(str(round(baht, 2))).quantize(Decimal("0.01")) == Decimal("4500.85")
    assert isinstance(f.helped.baht, Decimal)
    assert f.helped_by_area["quality_of_life"].people == 1 and f.helped_by_area["quality_of_life"].times == 2
    (surveys,), = sql("SELECT COUNT(*) FROM survey_record WHERE surveyed_on >= ? AND surveyed_on <= ?",
                      "2026-10-01", "2026-10-31")
    assert f.surveys == surveys == 2 and f.surveys_by_moo == {2: 2}
    assert f.backlog.cases == 6 and f.backlog.surveys == 2  # 5 asked + the Sep case helped in Oct


def test_a_duplicate_or_withdrawn_case_is_not_helped(october, actors):
    f = info.figures(actors["officer"], OCT)
    assert f.by_status.get("duplicate") == 1
    assert october["dup"] not in {row[1] for row in info.help_rows(OCT)}
    assert october["dup"] in info.month_case_ids(OCT)  # still a request of the month


def test_bangkok_month_edges_with_the_process_in_utc(october):
    ids = set(info.month_case_ids(OCT))
    assert october["oct_first"] in ids and october["oct_last"] in ids
    assert october["nov_first"] not in ids
    assert october["sep_last"] in ids  # asked in September, helped in October
    assert october["sep_last"] not in {r[0] for r in info.month_case_rows(OCT)}
    assert {r[0] for r in info.month_case_rows(Month(2026, 9))} >= {october["sep_last"]}
    assert october["oct_last"] in {r[1] for r in info.help_rows(Month(2026, 11))}  # helped 1 Nov 00:30 Bangkok
    assert OCT.utc_bounds() == (utc(2026, 9, 30, 17).replace(tzinfo=None), utc(2026, 10, 31, 17).replace(tzinfo=None))


def test_december_2568_turns_into_january_2569(db):
    dec = Month(2025, 12)
    assert dec.label == "2568-12" and dec.shift(1) == Month(2026, 1) and dec.shift(1).label == "2569-01"
    assert Month(2026, 1).shift(-1) == dec
    new_year = case_at(utc(2025, 12, 31, 17, 0))  # 1 Jan 2569 00:00 Bangkok
    old_year = case_at(utc(2025, 12, 31, 16, 59))
    assert {r[0] for r in info.month_case_rows(Month(2026, 1))} == {new_year}
    assert {r[0] for r in info.month_case_rows(dec)} == {old_year}
    assert Month(2026, 1).name("th") == "มกราคม 2569" and dec.name("th") == "ธันวาคม 2568"


def test_fiscal_year_turns_on_1_october():
    assert fiscal_year(Month(2026, 9).last_day) == 2569 and fiscal_year(Month(2026, 10).first_day) == 2570


@pytest.mark.parametrize(("text", "month", "ce"), [
    ("2569-10", Month(2026, 10), False), ("๒๕๖๙-๑๐", Month(2026, 10), False), ("10/2569", Month(2026, 10), False),
    ("2026-10", Month(2026, 10), True), ("2568-12", Month(2025, 12), False)])
def test_months_typed_in_be_or_ce(text, month, ce):
    assert parse_month(text) == (month, ce)


@pytest.mark.parametrize("text", ["", "2569", "2569-13", "69-10", "abc", "2569-00"])
def test_months_that_are_not(text):
    with pytest.raises(ValidationError) as err:
        parse_month(text)
    assert err.value.key == "inforeport.month_format"


def test_deadline_is_the_next_5th():
    assert info.next_deadline(date(2026, 11, 1)) == date(2026, 11, 5)
    assert info.next_deadline(date(2026, 11, 5)) == date(2026, 11, 5)
    assert info.next_deadline(date(2026, 11, 6)) == date(2026, 12, 5)
    assert info.next_deadline(date(2026, 12, 31)) == date(2027, 1, 5)
    assert info.due_month(date(2027, 1, 3)) == Month(2026, 12) and info.due_month(date(2026, 12, 20)) == Month(2026, 12)


def test_marking_undo_and_changed_since(october, actors):
    officer = actors["officer"]
    one = october["oct_first"]
    assert info.mark(officer, "case", [one], OCT) == 1
    assert info.mark(officer, "case", [one], OCT) == 0  # already entered, unchanged
    assert info.states("case", [one])[one][0] == "entered"
    f = info.figures(officer, OCT)
    assert (f.backlog.cases, f.backlog.cases_entered) == (5, 1)
    (by, n), = sql("SELECT marked_by, COUNT(*) FROM info_mark WHERE undone_at IS NULL GROUP BY marked_by")
    assert (by, n) == ("officer", 1)
    perform(officer, one, Step("note", Case.get_by_id(one).version, internal_note="โทรแล้ว"))
    assert info.states("case", [one])[one][0] == "changed"
    assert info.figures(officer, OCT).backlog.cases_changed == 1
    assert info.mark(officer, "case", [one], OCT) == 1  # entered again: the old mark ended, a new one live
    assert info.states("case", [one])[one][0] == "entered"
    assert sql("SELECT COUNT(*) FROM info_mark WHERE target_id = ?", one) == [(2,)]
    assert info.undo(officer, "case", [one]) == 1
    assert info.states("case", [one])[one][0] == "todo"
    assert info.figures(officer, OCT).backlog.cases == 6
    actions = [a for (a,) in sql("SELECT action FROM audit_log WHERE action LIKE 'info_%' ORDER BY id")]
    assert actions == ["info_mark", "info_mark", "info_unmark"]


def test_a_survey_record_changed_after_marking(october, actors):
    from db.models import SurveyRecord, utcnow

    rid = october["survey_oct1"]
    info.mark(actors["officer"], "survey", [rid], OCT)
    assert info.states("survey", [rid])[rid][0] == "entered"
    with time_machine.travel(utc(2030, 1, 1), tick=False):
        SurveyRecord.update(notes="เยี่ยมซ้ำ", updated_at=utcnow()).where(SurveyRecord.id == rid).execute()
    assert info.states("survey", [rid])[rid][0] == "changed"


def test_bulk_mark_and_undo_a_month(october, actors):
    officer = actors["officer"]
    assert info.mark_month(officer, OCT) == (6, 2)
    assert info.figures(officer, OCT).backlog.total == 0
    assert info.mark_month(officer, OCT) == (0, 0)
    sept = Month(2026, 9)
    info.mark(officer, "case", [october["sep_last"]], sept)  # unchanged: keeps October's mark
    assert info.undo_month(officer, sept) == (0, 0)
    assert info.undo_month(officer, OCT) == (6, 2)
    assert info.figures(officer, OCT).backlog.total == 8


def test_volunteers_do_not_see_the_report(october, actors):
    with pytest.raises(PermissionDenied):
        info.figures(actors["volunteer"], OCT)
    with pytest.raises(PermissionDenied):
        info.mark(actors["volunteer"], "case", [october["dup"]], OCT)
    assert info.reminder(actors["volunteer"]) is None


@pytest.mark.parametrize(("day", "shown"), [(1, True), (5, True), (6, False), (30, False)])
def test_reminder_from_the_1st_to_the_5th_while_a_backlog_remains(october, actors, day, shown):
    with time_machine.travel(utc(2026, 11, day - 1 if day > 1 else 1, 17, 30) if day > 1 else utc(2026, 11, 1, 0, 30),
                             tick=False):  # 00:30 in Bangkok on the day (17:30 UTC the day before); the 1st at 07:30
        r = info.reminder(actors["officer"])
    assert (r is not None) == shown
    if shown:
        assert r.month == OCT and r.deadline == date(2026, 11, 5) and r.days_left == 5 - day and r.backlog == 8


def test_no_reminder_once_all_is_entered(october, actors):
    info.mark_month(actors["officer"], OCT)
    with time_machine.travel(utc(2026, 11, 2, 3), tick=False):
        assert info.reminder(actors["officer"]) is None
    survey_on(date(2026, 10, 20))  # a late survey record: the backlog is back
    with time_machine.travel(utc(2026, 11, 2, 3), tick=False):
        assert info.reminder(actors["officer"]).backlog == 1


def test_a_person_corrected_after_marking_shows_as_changed(october, actors):
    from kiosk.services import people
    from kiosk.services.people import PersonData

    one = october["twice_a"]
    info.mark(actors["officer"], "case", [one], OCT)
    assert info.states("case", [one])[one][0] == "entered"
    person = Case.get_by_id(one).requester_id
    with time_machine.travel(utc(2030, 1, 1), tick=False):  # later than the mark
        people.update(actors["officer"], person, PersonData(first_name="สมศรี", last_name="ใจดี", prefix="นาง", moo=3,
                                                            house_no="99", village="บ้านป่าแดง",
                                                            subdistrict_code="570906", doc_type="national_id",
                                                            doc_number="1101700230703"))
    assert info.states("case", [one])[one][0] == "changed"
    assert info.mark(actors["officer"], "case", [one], OCT) == 1  # entered again after the correction
    assert info.states("case", [one])[one][0] == "entered"
