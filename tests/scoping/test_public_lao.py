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

from db.models import Case
from kiosk.services import announcements as ann
from kiosk.services import centre, public_case
from kiosk.services.cases import CaseData, create_case
from kiosk.services.workflow import Step, perform
from kiosk.thai.dates import now_bangkok
from kiosk.web.app import make_web_app
from screens.app import make_app
from screens.info import InfoScreen
from tests.conftest import make_actors

from .conftest import A_PERSON, open_joint, org_id

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)  # a Wednesday, 10:00 in Bangkok


@pytest.fixture(params=["sqlite", "postgres"])
def joint(request, tmp_path):
    url = None if request.param == "sqlite" else request.getfixturevalue("pg_url")
    with open_joint(tmp_path, url) as settings:
        yield settings


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
               organization_id=org_id("PPA"))
    app = make_app(joint, "counter")
    async with app.run_test(size=(120, 60)) as pilot:
        await app.push_screen(InfoScreen(clock=lambda: NOW))
        await pilot.pause()
        members = str(app.screen.query_one("#info-members", Static).render())
        titles = [str(w.render()) for w in app.screen.query(".announcement-title")]
    assert "เทศบาลตำบลเวียงพางคำ" in members
    assert "องค์การบริหารส่วนตำบลโป่งผา  โทร 053-731-222, 081-000-1111 · LINE @pongpha" in members
    assert sorted(titles) == ["ประกาศทั้งศูนย์", "องค์การบริหารส่วนตำบลโป่งผา: ฉีดวัคซีนที่โป่งผา"]


def test_the_web_announcements_of_a_joint_centre_come_under_each_laos_name(joint):
    """/announcements lists the centre-wide ones first, then each member LAO's under its name (in
    the config's order), each announcement once; the author stays off the page."""
    officers = make_actors()
    ppa = ann.create(officers["officer"], "ฉีดวัคซีนที่โป่งผา", organization_id=org_id("PPA"))
    wpk = ann.create(officers["officer"], "ประชุมประชาคมเวียงพางคำ", organization_id=org_id("WPK"))
    whole = ann.create(officers["officer"], "ประกาศทั้งศูนย์ร่วม")
    with TestClient(make_web_app(joint, open_db=False)) as web:
        page = web.get("/announcements").text
        english = web.get("/announcements?lang=en").text
    centre_at, wpk_at, ppa_at = (page.index(f'id="lao-{p}"') for p in ("centre", "WPK", "PPA"))
    assert centre_at < page.index(f'id="a{whole.id}"') < wpk_at < page.index(f'id="a{wpk.id}"') < ppa_at \
        < page.index(f'id="a{ppa.id}"')
    assert "<h2>ประกาศของศูนย์ปฏิบัติการร่วม (ทุก อปท.)</h2>" in page
    assert "<h2>เทศบาลตำบลเวียงพางคำ</h2>" in page and "<h2>องค์การบริหารส่วนตำบลโป่งผา</h2>" in page
    assert "<h2>Pong Pha SAO</h2>" in english and "From the joint centre" in english
    assert all(page.count(f'id="a{a.id}"') == 1 for a in (ppa, wpk, whole))
    assert "officer" not in page


def test_the_web_announcements_of_one_lao_are_one_list(db, settings, actors):
    made = ann.create(actors["officer"], "ปิดถนนชั่วคราว")
    with TestClient(make_web_app(settings, open_db=False)) as web:
        page = web.get("/announcements").text
    assert f'id="a{made.id}"' in page and 'class="lao"' not in page
