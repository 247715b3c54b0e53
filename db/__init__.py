"""Persistence: peewee models (no database bound at import), the connection factory and the
schema migrations. Never imports Textual."""
