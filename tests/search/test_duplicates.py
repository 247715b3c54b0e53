"""The duplicate-person check: the same document number is the same person; a sound-alike name in
the same village, or the same phone, is a question for staff; different national IDs never are."""

from __future__ import annotations

from dataclasses import replace

from db.models import Person
from kiosk.i18n import catalogue
from kiosk.services.duplicates import Suggestion, possible_duplicates
from kiosk.services.people import PersonData

from .town import KNOWN, national_id

BOONMEE = KNOWN["boonmee"]  # บุญมี แก้วประเสริฐ, หมู่ 9, 570906, +66531234567


def test_duplicate_check(town):
    me = town.ids["boonmee"]
    # same national ID, typed on a new form with another spelling: certain
    assert possible_duplicates(PersonData("บุนมี", "แกวประเสริด", doc_type="national_id",
                                          doc_number=BOONMEE.doc_number)) == [
        Suggestion(me, ("search.dup_same_document",), certain=True)]
    # sound-alike name, same หมู่ and subdistrict, no document
    asked = PersonData("บุนมี", "แก้วประเสริฐ", moo=9, subdistrict_code="570906")
    assert possible_duplicates(asked) == [Suggestion(me, ("search.dup_same_name_village",))]
    # same name in another village: nothing; same phone there: a question
    assert possible_duplicates(replace(asked, moo=4)) == []
    assert possible_duplicates(replace(asked, moo=4, phone=BOONMEE.phone)) == [
        Suggestion(me, ("search.dup_same_phone",))]
    assert possible_duplicates(replace(asked, phone=BOONMEE.phone)) == [
        Suggestion(me, ("search.dup_same_name_village", "search.dup_same_phone"))]
    # another valid national ID: a different person, even with the same name, village and phone
    other = national_id("310170020345")
    assert possible_duplicates(replace(asked, phone=BOONMEE.phone, doc_type="national_id", doc_number=other)) == []
    # a different name entirely
    assert possible_duplicates(PersonData("สมชาย", "ใจดี", moo=9, subdistrict_code="570906")) == []


def test_merged_people_are_not_suggested(town):
    keep, drop = town.ids["natthaphon"], town.ids["boonmee"]
    Person.update(merged_into=keep).where(Person.id == drop).execute()
    assert possible_duplicates(PersonData("บุญมี", "แก้วประเสริฐ", moo=9, subdistrict_code="570906",
                                          phone=BOONMEE.phone)) == []


def test_reasons_have_labels():
    for key in ("search.dup_same_document", "search.dup_same_name_village", "search.dup_same_phone"):
        assert key in catalogue("th") and key in catalogue("en")
