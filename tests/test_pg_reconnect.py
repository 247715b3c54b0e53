"""PostgreSQL restarted under a running kiosk: the server ends every connection (as a restart or
a failover does); the next statement outside a transaction opens a new one, in this thread and in
others, without restarting the program."""

from __future__ import annotations

import threading

import psycopg
import pytest

from db.models import Organization, database
from tests.conftest import PG_ADMIN_URL


def _terminate_all(dbname: str) -> int:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        return admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                             "WHERE datname = %s AND pid <> pg_backend_pid()", (dbname,)).fetchone()[0]


def test_a_connection_the_server_closed_is_replaced_at_the_next_statement(pg_db):
    assert Organization.select().count() == 1
    assert _terminate_all(pg_db.database) >= 1
    assert Organization.select().count() == 1  # no error: a new connection


def test_a_write_that_met_the_closed_connection_fails_once_then_works(pg_db):
    Organization.select().count()
    _terminate_all(pg_db.database)
    org = Organization.select().first()  # a read: tried again on a new connection
    with pytest.raises(Exception):  # ended again: a write is not repeated, its error stands
        _terminate_all(pg_db.database)
        Organization.update(name_en="Wiang Phang Kham").where(Organization.id == org.id).execute()
    Organization.update(name_en="Wiang Phang Kham").where(Organization.id == org.id).execute()
    assert Organization.get_by_id(org.id).name_en == "Wiang Phang Kham"


def test_a_worker_thread_after_the_restart_gets_a_working_connection(pg_db):
    Organization.select().count()
    _terminate_all(pg_db.database)
    counts = []
    worker = threading.Thread(target=lambda: counts.append(Organization.select().count()))
    worker.start()
    worker.join()
    assert counts == [1]


def test_inside_a_transaction_the_error_stands(pg_db):
    with pytest.raises(Exception), database.atomic():
        Organization.select().count()
        _terminate_all(pg_db.database)
        Organization.select().count()
    assert Organization.select().count() == 1  # and the next statement after it works


def test_a_server_that_never_answers_fails_the_connection_instead_of_hanging():
    """A host that accepts the TCP connection and then says nothing (a hung server, a firewall
    that drops packets): connect_timeout ends the wait (5 s unless the URL says otherwise), so
    the counter shows its calm message instead of freezing."""
    import socket

    from db.connection import DatabaseUnavailable, make_database, open_database

    assert make_database("postgresql://postgres@127.0.0.1:5432/x").connect_params["connect_timeout"] == 5
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    try:
        port = silent.getsockname()[1]
        with pytest.raises(DatabaseUnavailable) as refused:
            open_database(f"postgresql://postgres@127.0.0.1:{port}/x?connect_timeout=1")
        assert "timeout" in str(refused.value)
    finally:
        silent.close()


def test_server_side_prepared_statements_are_off_unless_the_url_turns_them_on():
    """Off by default, so the app works through pgbouncer in transaction pooling
    (tests/test_pgbouncer.py); a direct connection may turn them on again."""
    from db.connection import make_database

    assert make_database("postgresql://postgres@127.0.0.1:5432/x").connect_params["prepare_threshold"] is None
    on = make_database("postgresql://postgres@127.0.0.1:5432/x?prepare_threshold=5&connect_timeout=10")
    assert (on.connect_params["prepare_threshold"], on.connect_params["connect_timeout"]) == (5, 10)
