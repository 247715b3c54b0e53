"""The full-text index behind Thai search: what text a person or a case is found by, and the
tables that index it on each database.

The indexed text is folded (Thai digits → Arabic, tone marks stripped, lower case) and starts
with a space, so every word is preceded by one and a 2-character query can match the start of a
word as the 3-character trigram " xy". It lives in its own tables, one row per person or case
(key = its id), written by the services in the same transaction as the row itself:
- SQLite: FTS5 tables with the `trigram` tokenizer: person_search(search_text, name_key) and
  case_search(search_text), rowid = person.id / case.id.
- PostgreSQL: plain tables person_search(person_id, search_text, name_key) and
  case_search(case_id, search_text) with `pg_trgm` GIN indexes, and a GIN index on the words of
  name_key (the phonetic keys).
"""

from __future__ import annotations

from peewee import Database, PostgresqlDatabase

from kiosk.thai.digits import to_arabic_digits
from kiosk.thai.names import strip_marks

from .models import database

_SQLITE_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS person_search USING fts5(search_text, name_key, tokenize='trigram')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS case_search USING fts5(search_text, tokenize='trigram')",
)
_POSTGRES_DDL = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    'CREATE TABLE IF NOT EXISTS person_search (person_id integer PRIMARY KEY REFERENCES "person" (id) '
    "ON DELETE CASCADE, search_text text NOT NULL, name_key text NOT NULL)",
    'CREATE TABLE IF NOT EXISTS case_search (case_id integer PRIMARY KEY REFERENCES "case" (id) '
    "ON DELETE CASCADE, search_text text NOT NULL)",
    "CREATE INDEX IF NOT EXISTS person_search_text_trgm ON person_search USING gin (search_text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS case_search_text_trgm ON case_search USING gin (search_text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS person_search_name_key_words ON person_search "
    "USING gin (string_to_array(name_key, ' '))",
)


def fold(text: str) -> str:
    """The one comparable form of stored and typed text: no tone marks, Arabic digits, lower case.
    Control characters become spaces; lone surrogates (unencodable) are dropped."""
    clean = text.encode("utf-8", "ignore").decode("utf-8")
    return strip_marks(to_arabic_digits(clean)).lower()


def phone_forms(e164: str) -> list[str]:
    """Digits of a stored E.164 phone as people type them: 66812345678 and, for Thai, 0812345678."""
    digits = e164.lstrip("+")
    return [digits, "0" + digits[2:]] if digits.startswith("66") else [digits] if digits else []


def person_text(first_name: str, last_name: str, doc_number: str, phone: str) -> str:
    parts = [fold(f"{first_name} {last_name}"), fold(doc_number), *phone_forms(phone)]
    return " " + " ".join(p for p in parts if p)


def case_text(description: str, ticket_no: str) -> str:
    parts = [fold(description), ticket_no.lower()]
    return " " + " ".join(p for p in parts if p)


def put_person(person_id: int, first_name: str, last_name: str, doc_number: str, phone: str,
               name_key: str, db: Database | None = None) -> None:
    """Write (or replace) a person's index row; call inside the transaction that wrote the person."""
    db = db or database.obj
    text = person_text(first_name, last_name, doc_number, phone)
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql("INSERT INTO person_search (person_id, search_text, name_key) VALUES (%s, %s, %s) "
                       "ON CONFLICT (person_id) DO UPDATE SET search_text = EXCLUDED.search_text, "
                       "name_key = EXCLUDED.name_key", (person_id, text, name_key))
    else:
        db.execute_sql("DELETE FROM person_search WHERE rowid = ?", (person_id,))
        db.execute_sql("INSERT INTO person_search (rowid, search_text, name_key) VALUES (?, ?, ?)",
                       (person_id, text, name_key))


def put_case(case_id: int, description: str, ticket_no: str, db: Database | None = None) -> None:
    """Write (or replace) a case's index row; call inside the transaction that wrote the case."""
    db = db or database.obj
    text = case_text(description, ticket_no)
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql("INSERT INTO case_search (case_id, search_text) VALUES (%s, %s) "
                       "ON CONFLICT (case_id) DO UPDATE SET search_text = EXCLUDED.search_text", (case_id, text))
    else:
        db.execute_sql("DELETE FROM case_search WHERE rowid = ?", (case_id,))
        db.execute_sql("INSERT INTO case_search (rowid, search_text) VALUES (?, ?)", (case_id, text))


def create(db: Database) -> None:
    """Create the index tables (idempotent)."""
    for statement in _POSTGRES_DDL if isinstance(db, PostgresqlDatabase) else _SQLITE_DDL:
        db.execute_sql(statement)


def backfill(db: Database) -> None:
    """Index every existing person and case (migration 2)."""
    people = db.execute_sql('SELECT id, first_name, last_name, doc_number, phone, name_key FROM "person"')
    for row in people.fetchall():
        put_person(*row, db=db)
    for row in db.execute_sql('SELECT id, description, ticket_no FROM "case"').fetchall():
        put_case(*row, db=db)
