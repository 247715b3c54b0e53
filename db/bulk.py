"""Inserting many rows fast: one statement per model, written once and executed for each row.
peewee builds the SQL of every `Model.create` again (about 0.3 ms a row, and a savepoint when
called through a service inside a transaction); a survey import inserts tens of thousands."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .connection import is_postgres
from .models import BaseModel, database

IN_LIMIT = 500  # ids per IN (...) list: well under SQLite's parameter limit, with room for the rest of the query


def chunks(values: Iterable, size: int = IN_LIMIT) -> Iterator[list]:
    """`values` in lists of at most `size`, one IN (...) query each."""
    items = values if isinstance(values, list) else list(values)
    for start in range(0, len(items), size):
        yield items[start:start + size]


class Inserter:
    """`insert(**values)` → the new row's id; values by field name (a foreign key as an id),
    converted as peewee would (`db_value`). Use inside the caller's transaction."""

    def __init__(self, model: type[BaseModel], names: tuple[str, ...]) -> None:
        self.db = database.obj
        self.pg = is_postgres(self.db)
        self.fields = [model._meta.fields[name] for name in names]
        columns = ", ".join(f'"{f.column_name}"' for f in self.fields)
        marks = ", ".join([self.db.param] * len(self.fields))
        self.sql = (f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'
                    + (' RETURNING "id"' if self.pg else ""))

    def __call__(self, **values) -> int:
        cursor = self.db.execute_sql(self.sql, tuple(f.db_value(values[f.name]) for f in self.fields))
        return cursor.fetchone()[0] if self.pg else cursor.lastrowid
