"""Thai search over people and cases (issue 3, item 8).

A query is folded like the stored text (db/search_index.py: Thai digits, tone marks, case),
split into words, and every word must match, either as a substring of the folded text (trigram
index: names, document number, phone in +66 and 0 forms, description, ticket number) or, for
people, by its phonetic key (ณัฐ/นัท, บุญมี/บุนมี). A 2-character word matches the start of a
word; a 1-character query matches the start of a name. Typed text reaches SQL only as bound
parameters: FTS5 phrases are double-quoted with quotes doubled, LIKE patterns escaped.
Never calls pythainlp's word tokenizer, so it is fast enough to call from the UI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from db.connection import is_postgres, write_transaction
from db.models import Case, Person, database
from db.search_index import fold, put_case, put_person

from ..thai.digits import to_arabic_digits
from ..thai.names import phonetic_key, split_prefix
from ..tickets import parse_ticket
from .cases import ticket_condition
from .people import search_keys

MAX_QUERY = 120  # characters of folded query kept
MAX_WORDS = 8
RECENT_PEOPLE = 2000  # PostgreSQL: the newest people looked at first, before the trigram index
_NUMBER = re.compile(r"[+(]*[0-9][0-9\s\-().]*")
_WORD_SPLIT = re.compile(r"[\s,;]+")
_HAS_THAI = re.compile(r"[ก-ฮ]")


@dataclass(frozen=True)
class Word:
    """One query word: `text` is the substring to look for (None when too short), `key` its
    phonetic key (people only, None when not a Thai word)."""

    text: str | None
    key: str | None


def parse_query(query: str) -> list[Word]:
    folded = fold(query)[:MAX_QUERY].strip()
    if _NUMBER.fullmatch(folded):  # ID, phone, 081-234-5678, +66 81 ...
        digits = re.sub(r"[^0-9]", "", folded)
        return [Word(digits, None)] if len(digits) >= 3 else []
    _, rest = split_prefix(folded)  # "นายสมชาย" finds สมชาย: prefixes are not indexed
    words = []
    for word in [w for w in _WORD_SPLIT.split(rest) if w][:MAX_WORDS]:
        text = word if len(word) >= 3 else f" {word}" if len(word) == 2 else None
        key = phonetic_key(word) if len(word) >= 2 and _HAS_THAI.search(word) else None
        if text or key:
            words.append(Word(text, key or None))
    return words


def _phrase(text: str) -> str:
    """An FTS5 string literal: whatever the user typed is one phrase, never query syntax."""
    return '"' + text.replace('"', '""') + '"'


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _sqlite_match(words: list[Word], with_keys: bool) -> str:
    parts = []
    for w in words:
        options = ([f"search_text : {_phrase(w.text)}"] if w.text else []) + \
                  ([f"name_key : {_phrase(w.key)}"] if with_keys and w.key else [])
        if not options:
            return ""
        parts.append("(" + " OR ".join(options) + ")")
    return " AND ".join(parts)


def _person_condition(words: list[Word], with_keys: bool) -> tuple[str, list] | None:
    """SQL selecting matching person ids, with its parameters; None when nothing can match."""
    if is_postgres():
        clauses, params = [], []
        for w in words:
            options = []
            if w.text:
                options.append("search_text LIKE %s")
                params.append(_like(w.text))
            if with_keys and w.key:
                options.append("string_to_array(name_key, ' ') @> ARRAY[%s]::text[]")
                params.append(w.key)
            if not options:
                return None
            clauses.append("(" + " OR ".join(options) + ")")
        return "SELECT person_id FROM person_search WHERE " + " AND ".join(clauses), params
    match = _sqlite_match(words, with_keys)
    if not match:
        return None
    return "SELECT rowid AS person_id FROM person_search WHERE person_search MATCH ?", [match]


def _ids(sql: str, params: list) -> list[int]:
    return [row[0] for row in database.execute_sql(sql, params).fetchall()]


def _people(words: list[Word], with_keys: bool, limit: int) -> list[int]:
    found = _person_condition(words, with_keys)
    if found is None:
        return []
    sql, params = found
    if is_postgres():
        # One common word (ประเสริฐ: 52,000 of 600,000 people) fills the page from the newest
        # people: try those first (2 ms; each is checked by its own index row). Else, and for a
        # name of two words (rare: 5 ms), match through the trigram index first: for one common
        # word that took 100-140 ms, and a walk of every person by id suits no rare name (issue 16).
        if len(words) == 1:
            newest = f'SELECT id FROM "person" WHERE merged_into_id IS NULL ORDER BY id DESC LIMIT {RECENT_PEOPLE}'
            recent = _ids(f"SELECT p.id FROM ({newest}) p CROSS JOIN LATERAL (SELECT 1 FROM ({sql}) m "
                          "WHERE m.person_id = p.id LIMIT 1) s ORDER BY p.id DESC LIMIT %s", [*params, limit])
            if len(recent) >= limit:
                return recent
        return _ids(f'WITH m AS MATERIALIZED ({sql}) SELECT id FROM "person" WHERE id IN (SELECT person_id FROM m) '
                    "AND merged_into_id IS NULL ORDER BY id DESC LIMIT %s", [*params, limit])
    return _ids(f'SELECT id FROM "person" WHERE id IN ({sql}) AND merged_into_id IS NULL '
                "ORDER BY id DESC LIMIT ?", [*params, limit])


def _name_prefix(folded: str, limit: int) -> list[int]:
    """1-character queries: names starting with it (the indexed name_plain column)."""
    q = Person.select(Person.id).where(Person.merged_into.is_null())
    if is_postgres():
        q = q.where(Person.name_plain.startswith(folded))
    else:  # a range uses the index; SQLite LIKE would not
        q = q.where((Person.name_plain >= folded) & (Person.name_plain < folded + "\U0010ffff"))
    return [r.id for r in q.order_by(Person.id.desc()).limit(limit)]


def people_matching(query: str, limit: int = 50) -> list[int]:
    """Ids of people found by `query`, literal matches first, then sound-alike names; newest first
    within each. Merged-away records are left out."""
    limit = max(0, int(limit))
    words = parse_query(query)
    if not words:
        folded = fold(query).strip()
        return _name_prefix(folded, limit) if len(folded) == 1 else []
    literal = _people(words, False, limit)
    if len(literal) >= limit or not any(w.key for w in words):
        return literal
    seen = set(literal)
    return literal + [i for i in _people(words, True, limit + len(literal)) if i not in seen][:limit - len(literal)]


def case_ids_query(query: str) -> tuple[str, list] | None:
    """SQL selecting the ids of cases whose description or ticket number matches, or whose
    requester or subject is a person who matches, with its parameters; None when nothing can
    match. No order and no limit: callers use it as a subquery and filter, sort and page."""
    parts, params = [], []
    ticket = parse_ticket(query)
    if ticket is not None:  # WPK6900001, 69-00001, wpk ๖๙ ๑ …: the case by its number
        sql, ticket_params = Case.select(Case.id).where(ticket_condition(ticket)).sql()
        parts.append(sql)
        params += ticket_params
    words = parse_query(query)
    if not words and not parts:
        return None
    if words and all(w.text for w in words):
        if is_postgres():
            parts.append("SELECT case_id FROM case_search WHERE " + " AND ".join(["search_text LIKE %s"] * len(words)))
            params += [_like(w.text) for w in words]
        else:
            parts.append("SELECT rowid FROM case_search WHERE case_search MATCH ?")
            params.append(" AND ".join(_phrase(w.text) for w in words))
    person = _person_condition(words, True) if words else None
    if person is not None:  # the people matched once, then their cases as requester or subject
        parts.append(f'SELECT c.id FROM ({person[0]}) AS p JOIN "case" AS c '
                     "ON c.requester_id = p.person_id OR c.subject_id = p.person_id")
        params += person[1]
    if not parts:
        return None
    return " UNION ".join(parts), params


def case_ids_matching(query: str, limit: int = 200) -> list[int]:
    """Ids of the newest `limit` cases `case_ids_query` finds, newest first."""
    limit = max(0, int(limit))
    found = case_ids_query(query)
    if found is None:
        return []
    sql, params = found
    p = "%s" if is_postgres() else "?"
    return _ids(f'SELECT id FROM "case" WHERE id IN ({sql}) ORDER BY id DESC LIMIT {p}', [*params, limit])


def find_person_by_id_number(number: str) -> int | None:
    """The person holding this document number (national ID typed with dashes or Thai digits,
    passport in any case); the newest record when there are several, never a merged-away one."""
    typed = to_arabic_digits(number).strip()
    forms = {typed, typed.upper(), re.sub(r"[\s\-]+", "", typed).upper()} - {""}
    if not forms:
        return None
    row = (Person.select(Person.id)
           .where(Person.doc_number.in_(sorted(forms)), Person.merged_into.is_null())
           .order_by(Person.id.desc()).first())
    return row.id if row else None


def reindex_person(person_id: int) -> None:
    """Recompute a person's search keys and index row after a change to name, document or phone.
    Call it from any service that updates those, inside the same transaction."""
    p = Person.get_by_id(person_id)
    keys = search_keys(p.first_name, p.last_name)
    with write_transaction():
        Person.update(**keys).where(Person.id == person_id).execute()
        put_person(p.id, p.first_name, p.last_name, p.doc_number, p.phone, keys["name_key"])


def reindex_case(case_id: int) -> None:
    """Recompute a case's index row after its description changes (same transaction)."""
    c = Case.get_by_id(case_id)
    put_case(c.id, c.description, c.ticket_no)
