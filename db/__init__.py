"""Persistence: peewee models (no database bound at import), the connection factory, the schema
migrations, the reference data, the search index's tables and the audit log's hash chain. Never
imports Textual."""
