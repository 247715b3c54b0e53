"""Issue 16, a duplicate case when the link drops after the commit: on PostgreSQL the intake's
transaction commits, then the connection dies before the counter hears so (tests/pgproxy.py drops
the server's answer to that COMMIT and cuts every connection). The counter shows its calm
message and keeps the form; sending again carries the same request key (made when the citizen
started), so the request already filed comes back: one case, the ticket committed the first time."""

from __future__ import annotations

import psycopg
import pytest
from textual.widgets import Static

from db.models import Case, database
from kiosk.config import parse_settings
from kiosk.i18n import translate
from kiosk.services import intake
from kiosk.services.setup import open_kiosk
from screens.app import make_app
from tests.conftest import write_config
from tests.intake.helpers import national_id, self_service_to_review
from tests.pgproxy import PgProxy

from .flows import COUNTER_SIZE
from .harness import click_again, settle, visible_text, wait_for

NAME = "บุญมา"
ID = national_id("310150098765")
PHONE = "0891234567"
CALM_TH = translate("errors.unavailable", "th")
CASE_INSERT = b'INSERT INTO "case" ('


@pytest.fixture
def proxy(pg_url):
    proxy = PgProxy(pg_url)
    yield proxy
    proxy.cut()


@pytest.fixture
def settings_via_proxy(tmp_path, proxy):
    config = write_config(tmp_path, database_url=proxy.url)
    settings = parse_settings(config, config.read_text(encoding="utf-8"), environ={})
    open_kiosk(settings)
    yield settings
    database.close()


def committed_tickets(pg_url: str) -> list[str]:
    """What the server holds, read past the proxy (the app's own link is down)."""
    with psycopg.connect(pg_url) as conn:
        return [t for (t,) in conn.execute('SELECT "ticket_no" FROM "case" ORDER BY "id"').fetchall()]


def test_a_retry_after_the_link_dropped_past_the_commit_returns_the_case_filed(pg_url, proxy, settings_via_proxy):
    form = intake.IntakeForm(consent=True, area="disaster", subtype="flood", first_name=NAME, doc_type="none",
                             phone=PHONE, subdistrict_code="570906", description="ไฟไหม้ครัว")
    proxy.cut_after_commit(CASE_INSERT)
    with pytest.raises(Exception):  # the answer to COMMIT never came
        intake.submit(settings_via_proxy, form)
    assert proxy.cut_at_commit.is_set()
    filed = committed_tickets(pg_url)
    assert len(filed) == 1  # committed on the server all the same
    proxy.restore()
    again = intake.submit(settings_via_proxy, form)  # the counter's retry: the same form, the same key
    assert again.ticket_no == filed[0]
    assert committed_tickets(pg_url) == filed  # no second case
    assert Case.get(Case.ticket_no == filed[0]).request_key == form.request_key


async def test_the_counter_sends_again_after_the_link_dropped_past_the_commit_one_case(pg_url, proxy,
                                                                                      settings_via_proxy, fault_log):
    app = make_app(settings_via_proxy, "counter", "th")
    async with app.run_test(size=COUNTER_SIZE) as pilot:
        await pilot.pause()
        await self_service_to_review(pilot, first_name=NAME, doc=ID, phone=PHONE, description="ไฟไหม้ครัว")
        assert type(app.screen).__name__ == "ReviewStep"
        key = app.screen.form.request_key
        proxy.cut_after_commit(CASE_INSERT)
        await pilot.click("#nav-next")
        await wait_for(pilot, lambda: not app.screen.submitting)
        assert proxy.cut_at_commit.is_set() and type(app.screen).__name__ == "ReviewStep"
        assert CALM_TH in str(app.screen.query_one("#submit-message", Static).render())
        filed = committed_tickets(pg_url)
        assert len(filed) == 1
        assert app.screen.form.request_key == key and app.screen.form.first_name == NAME  # kept for the retry
        proxy.restore()
        await click_again(pilot, "#nav-next")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReceiptScreen")
        await settle(pilot)
        assert app.screen.created.ticket_no == filed[0] and filed[0] in visible_text(app)
    assert committed_tickets(pg_url) == filed
