"""Inserting many rows fast: one statement per model, written once and executed for each row.
peewee builds the SQL of every `Model.create` again (about 0.3 ms a row, and a savepoint when
called through a service inside a transaction); a survey import inserts tens of thousands."""

from __future__ import annotations

from .connection import is_postgres
from .models import BaseModel, database


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
