"""Issue 16: in a joint centre the public pages name the right LAO. The status page (/t/<token>)
and the kiosk's track screen say which member LAO has the case now (a referral moves it) with that
LAO's own phones and LINE from its [[lao]] table — still no personal data; the counter's info
screen lists every member LAO's contacts and says whose each announcement is. A centre of one LAO
shows none of it. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from starlette.testclient import TestClient
from textual.widgets import Static

from db.models import Case, Organization
from kiosk.config import parse_settings
from kiosk.services import announcements as ann
from kiosk.services import centre, public_case
from kiosk.services.cases import CaseData, create_case
from kiosk.services.setup import open_kiosk
from kiosk.services.workflow import Step, perform
from kiosk.thai.dates import now_bangkok
from kiosk.web.app import make_web_app
from screens.app import make_app
from screens.info import InfoScreen
from tests.conftest import make_actors, write_config

from .conftest import A_PERSON

SECOND_LAO = '''
[[lao]]
subdistrict_code = "570903"
name_th = "องค์การบริหารส่วนตำบลโป่งผา"
name_en = "Pong Pha SAO"
kind = "sao"
ticket_prefix = "PPA"
phones = ["053-731-222", "081-000-1111"]
line_id = "@pongpha"
'''
NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)  # a Wednesday, 10:00 in Bangkok


@pytest.fixture(params=["sqlite", "postgres"])
def joint(request, tmp_path):
    url = None if request.param == "sqlite" else request.getfixturevalue("pg_url")
    path = write_config(tmp_path, database_url=url, extra=SECOND_LAO)
    settings = parse_settings(path, path.read_text(encoding="utf-8"), environ={})
    connection = open_kiosk(settings)
    yield settings
    connection.close()


def a_case(prefix: str) -> Case:
    made = create_case(prefix, CaseData(category="elderly", description="ผู้สูงอายุอยู่ลำพัง"), A_PERSON)
    return Case.get_by_id(made.id)


def test_the_config_takes_an_laos_own_contacts(joint):
    ppa = joint.lao("PPA")
    assert (ppa.phones, ppa.line_id, ppa.name("en")) == (("053-731-222", "081-000-1111"), "@pongpha", "Pong Pha SAO")
    assert joint.lao("WPK").phones == () and joint.lao("XYZ") is None and joint.joint
    assert centre.lao_contact(joint, "PPA") == "องค์การบริหารส่วนตำบลโป่งผา · โทร 053-731-222, 081-000-1111 · LINE @pongpha"
    assert centre.lao_contact(joint, "PPA", "en") == "Pong Pha SAO · Tel. 053-731-222, 081-000-1111 · LINE @pongpha"
    assert centre.lao_contact(joint, "WPK") == joint.lao("WPK").name_th


def test_status_page_names_the_lao_that_has_the_case_now_and_no_personal_data(joint):
    case = a_case("WPK")
    with TestClient(make_web_app(joint, open_db=False)) as web:
        page = web.get(f"/t/{case.token}").text
        assert "หน่วยงานที่ดูแลเรื่องนี้" in page and "เทศบาลตำบลเวียงพางคำ" in page and "@pongpha" not in page
        perform(make_actors()["officer"], case.id, Step("refer", case.version, refer_to="lao:PPA", reason="นอกเขต",
                                                        reply_due=now_bangkok().date() + timedelta(days=7)))
        page = web.get(f"/t/{case.token}").text
        assert "องค์การบริหารส่วนตำบลโป่งผา · โทร 053-731-222, 081-000-1111 · LINE @pongpha" in page
        english = web.get(f"/t/{case.token}?lang=en").text
        assert "Handled by" in english and "Pong Pha SAO · Tel. 053-731-222" in english
    for private in (A_PERSON.first_name, A_PERSON.doc_number, "0812345678", "812345678", "12/3", "นอกเขต"):
        assert private not in page and private not in english, private


def test_a_centre_of_one_lao_names_no_lao(db, settings):
    case = a_case("WPK")
    with TestClient(make_web_app(settings, open_db=False)) as web:
        page = web.get(f"/t/{case.token}").text
    assert "หน่วยงานที่ดูแลเรื่องนี้" not in page
    assert [line.name for line in public_case.present(public_case.lookup(token=case.token), "th").lines] == \
        ["ticket", "category", "status", "explain", "next", "timeline"]


async def test_info_screen_lists_member_laos_and_says_whose_announcement(joint):
    officers = make_actors()
    ann.create(officers["officer"], "ประกาศทั้งศูนย์", starts_at=NOW.replace(tzinfo=None) - timedelta(days=1))
    ann.create(officers["officer"], "ฉีดวัคซีนที่โป่งผา", starts_at=NOW.replace(tzinfo=None) - timedelta(days=1),
               organization_id=Organization.get(Organization.ticket_prefix == "PPA").id)
    app = make_app(joint, "counter")
    async with app.run_test(size=(120, 60)) as pilot:
        await app.push_screen(InfoScreen(clock=lambda: NOW))
        await pilot.pause()
        members = str(app.screen.query_one("#info-members", Static).render())
        titles = [str(w.render()) for w in app.screen.query(".announcement-title")]
    assert "เทศบาลตำบลเวียงพางคำ" in members
    assert "องค์การบริหารส่วนตำบลโป่งผา  โทร 053-731-222, 081-000-1111 · LINE @pongpha" in members
    assert sorted(titles) == ["ประกาศทั้งศูนย์", "องค์การบริหารส่วนตำบลโป่งผา: ฉีดวัคซีนที่โป่งผา"]
