"""Merging two records of one person (kiosk.services.merge) carries their household places: the
kept person joins the other's households, once in each, and no member is left pointing at a
record merged away."""

from __future__ import annotations

from db.models import HouseholdMember, Person
from kiosk.services import surveys
from kiosk.services.merge import merge_people
from tests.conftest import make_actors
from tests.survey import sheet_rows
from tests.survey.test_import import CLI, KAEW, ORG, TODAY


def test_merge_moves_household_memberships(db):
    rows = [{"household_no": "1", "house_no": "3", "moo": "2", "first_name": "แก้ว", "last_name": "มณี",
             "doc_number": KAEW, "surveyed_on": "20/11/2569"},
            {"household_no": "1", "house_no": "3", "moo": "2", "first_name": "แก้วตา", "last_name": "มณี",
             "surveyed_on": "20/11/2569"},
            {"household_no": "2", "house_no": "8", "moo": "2", "first_name": "แก้วตา", "last_name": "มณี",
             "surveyed_on": "20/11/2569"}]
    report = surveys.import_rows(CLI, ORG, sheet_rows(rows), today=TODAY)
    assert report.imported and report.people_added == 3
    kaew = Person.get(Person.doc_number == KAEW).id
    first, second = [p.id for p in Person.select().where(Person.first_name == "แก้วตา").order_by(Person.id)]
    actors = make_actors()
    merge_people(actors["supervisor"], kaew, first)  # the same household: one membership left
    merge_people(actors["supervisor"], kaew, second)  # another household: the membership moves
    places = sorted((m.household.house_no, m.person_id) for m in HouseholdMember.select())
    assert places == [("3", kaew), ("8", kaew)]
