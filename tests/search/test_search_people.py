"""Finding people by name as Thai clerks type it (with or without tone marks, common
misspellings, 2-character names, a title typed in front), and by ID or phone in any format, on
SQLite (FTS5 trigram) and PostgreSQL (pg_trgm)."""

from __future__ import annotations

from db.models import Person
from kiosk.services import search
from kiosk.thai.digits import to_thai_digits
from kiosk.thai.ids import format_national_id

from .town import KNOWN

WIDE = 10_000  # limit high enough to see every hit in the test town


def names(ids: list[int]) -> set[str]:
    return {f"{p.first_name} {p.last_name}" for p in Person.select().where(Person.id.in_(ids))}


FOUND_BY_NAME = [
    ("ณัฐพล ศรีสุขเจริญ", "natthaphon"),
    ("ณัฐพล", "natthaphon"),
    ("นัทพล", "natthaphon"),  # misspelt: ณัฐ/นัท
    ("นัทพน ศรีสุขเจริญ", "natthaphon"),
    ("ศรีสุขเจ", "natthaphon"),  # part of a surname
    ("นายณัฐพล", "natthaphon"),  # title typed in front
    ("บุนมี", "boonmee"),  # บุญมี/บุนมี
    ("แก้วประเสริฐ", "boonmee"),
    ("แกวประเสริฐ", "boonmee"),  # typed without the tone mark
    ("แก้วประเสริฐ", "untoned"),  # stored without it
    ("บุญมี แกวประเสริฐ", "boonmee"),
    ("นก", "nok"),  # 2-character first name
    ("นก อินตะวงศ", "nok"),
    ("ปู่คำ", "da"),
    ("ดา", "da"),
    ("aung", "passport"),
    ("MIN THU", "passport"),
]
NOT_FOUND_BY_NAME = [
    ("ณัฐพล", "boonmee"),
    ("บุนมี", "natthaphon"),
    ("นก", "da"),
    ("แก้วประเสริฐ", "nok"),
]


def test_finds_people_by_name_as_typed(town):
    """One test per database over the whole table (a fresh database per test is the slow part)."""
    missed = [(q, who) for q, who in FOUND_BY_NAME if town.ids[who] not in search.people_matching(q, limit=WIDE)]
    wrong = [(q, who) for q, who in NOT_FOUND_BY_NAME if town.ids[who] in search.people_matching(q, limit=WIDE)]
    assert (missed, wrong) == ([], [])


def test_every_hit_has_what_was_typed_or_sounds_like_it(town):
    found = names(search.people_matching("บุญมี", limit=WIDE))
    assert found and all(n.startswith(("บุญมี", "บุนมี")) or " บุญมี" in n for n in found), found
    assert {n for n in names(search.people_matching("นก", limit=WIDE))} == {"นก อินต๊ะวงศ์"}


def test_literal_matches_come_before_sound_alikes(town):
    hits = search.people_matching("นัท", limit=WIDE)
    literal = [i for i in hits if "นัท" in Person.get_by_id(i).name_plain]
    assert literal and hits[:len(literal)] == literal
    assert town.ids["natthaphon"] not in hits[:len(literal)]  # ณัฐ… is a sound-alike, after
    assert hits == sorted(literal, reverse=True) + sorted(hits[len(literal):], reverse=True)


def test_limit_and_newest_first(town):
    hits = search.people_matching("แก้ว", limit=5)
    assert len(hits) == 5 and hits == sorted(hits, reverse=True)
    assert search.people_matching("แก้ว", limit=0) == []


def test_the_newest_matches_whichever_way_they_are_read(town, monkeypatch):
    """PostgreSQL looks among the newest people first (RECENT_PEOPLE) and through the index when
    those do not fill the page: a window of any size gives the same, newest, people."""
    everyone = search.people_matching("แก้ว", limit=WIDE)
    assert len(everyone) > 5
    for window in (1, 5, 10_000):
        monkeypatch.setattr(search, "RECENT_PEOPLE", window)
        assert search.people_matching("แก้ว", limit=5) == everyone[:5], window


def test_finds_by_national_id_in_any_format(town):
    number = KNOWN["natthaphon"].doc_number
    for typed in (number, format_national_id(number), to_thai_digits(format_national_id(number)),
                  format_national_id(number).replace("-", " ")):
        assert search.people_matching(typed) == [town.ids["natthaphon"]], typed
        assert search.find_person_by_id_number(typed) == town.ids["natthaphon"], typed


def test_id_starting_with_zero_and_passport(town):
    assert search.find_person_by_id_number(format_national_id(KNOWN["boonmee"].doc_number)) == town.ids["boonmee"]
    assert search.find_person_by_id_number("ma1234567") == town.ids["passport"]
    assert search.find_person_by_id_number("1-1111-11111-11-1") is None
    assert search.find_person_by_id_number("") is None


def test_finds_by_mobile_phone_in_0_and_plus66_formats(town):
    for typed in ("0812345678", "081-234-5678", "+66 81 234 5678", "+66812345678", "๐๘๑-๒๓๔-๕๖๗๘", "(081) 234 5678"):
        assert search.people_matching(typed) == [town.ids["natthaphon"]], typed


def test_finds_by_landline_and_part_of_a_number(town):
    assert search.people_matching("053-123-456") == [town.ids["boonmee"]]
    assert town.ids["natthaphon"] in search.people_matching("2345678", limit=WIDE)


def test_one_character_and_empty_queries(town):
    hits = search.people_matching("น", limit=WIDE)
    assert town.ids["nok"] in hits and all(Person.get_by_id(i).name_plain.startswith("น") for i in hits)
    assert search.people_matching("") == search.people_matching("   ") == search.people_matching("่") == []


def test_merged_people_are_left_out(town):
    keep, drop = town.ids["boonmee"], town.ids["untoned"]
    Person.update(merged_into=keep).where(Person.id == drop).execute()
    hits = search.people_matching("แก้วประเสริฐ", limit=WIDE)
    assert keep in hits and drop not in hits


def test_reindex_person_follows_a_change(town):
    pid = town.ids["da"]
    Person.update(first_name="ดารุณี", last_name="ใหม่สุวรรณ", phone="+66898887777").where(Person.id == pid).execute()
    search.reindex_person(pid)
    assert search.people_matching("ใหม่สุวรรณ") == [pid]
    assert search.people_matching("0898887777") == [pid]
    assert pid not in search.people_matching("ปู่คำ", limit=WIDE)
    assert Person.get_by_id(pid).name_plain == "ดารุณี ใหมสุวรรณ"
