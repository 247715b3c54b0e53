"""Issue 16: announcements belong to an LAO or to the whole centre (organization null). An LAO's
officer publishes under their LAO and manages only their LAO's (a centre-wide one or another
LAO's is not found); the whole centre's staff publish centre-wide or for any LAO and manage all.
The public sees the centre-wide ones plus the asked-for LAO's. SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from db.models import Announcement, AuditLog
from kiosk.errors import NotFound
from kiosk.services import announcements as ann

from .conftest import org_id


@pytest.fixture
def news(centre):
    """One announcement each: centre-wide (by the joint staff), WPK's and NKL's (by their officers)."""
    s = centre.staff
    centre.news = {"centre": ann.create(s["joint"], "ประกาศของศูนย์ร่วม").id,
                   "WPK": ann.create(s["officer_a"], "ประกาศเวียงพางคำ").id,
                   "NKL": ann.create(s["officer_b"], "ประกาศหนองแก้ว").id}
    return centre


def test_each_is_published_under_its_lao_or_the_whole_centre(news):
    stored = {k: Announcement.get_by_id(i).organization_id for k, i in news.news.items()}
    assert stored == {"centre": None, "WPK": org_id("WPK"), "NKL": org_id("NKL")}
    # the whole centre's staff may publish for a member LAO; an LAO's officer only for their own
    made = ann.create(news.staff["joint"], "ประกาศแทนหนองแก้ว", organization_id=org_id("NKL"))
    assert (made.organization_id, Announcement.get_by_id(made.id).organization_id) == (org_id("NKL"), org_id("NKL"))
    before = Announcement.select().count()
    with pytest.raises(NotFound):
        ann.create(news.staff["officer_a"], "แอบประกาศแทน", organization_id=org_id("NKL"))
    with pytest.raises(NotFound):
        ann.create(news.staff["joint"], "ไม่มี อปท. นี้", organization_id=99999)
    assert Announcement.select().count() == before


def test_an_laos_officer_manages_only_their_laos(news):
    s, n = news.staff, news.news
    assert {a.id for a in ann.all_for_staff(s["officer_a"])} == {n["WPK"]}
    assert {a.id for a in ann.all_for_staff(s["officer_b"])} == {n["NKL"]}
    assert {a.id for a in ann.all_for_staff(s["joint"])} == set(n.values())
    for other in (n["NKL"], n["centre"]):
        with pytest.raises(NotFound):
            ann.edit(s["officer_a"], other, title="แก้", body="", starts_at=ann.get(other).starts_at, ends_at=None)
        with pytest.raises(NotFound):
            ann.set_pinned(s["officer_a"], other)
        with pytest.raises(NotFound):
            ann.retire(s["officer_a"], other)
        with pytest.raises(NotFound):
            ann.get(other, s["officer_a"])
    assert not Announcement.get_by_id(n["NKL"]).retired
    assert Announcement.get_by_id(n["centre"]).title == "ประกาศของศูนย์ร่วม"
    assert not AuditLog.select().where(AuditLog.actor == "officer.a", AuditLog.action != "login",
                                       AuditLog.action != "announcement_create").exists()
    # their own, and the joint staff on anyone's
    assert ann.retire(s["officer_a"], n["WPK"]).retired
    assert ann.set_pinned(s["joint"], n["NKL"]).pinned


def test_the_public_sees_the_centres_and_the_asked_for_laos(news):
    n = news.news
    assert {a.id for a in ann.current(organization_id=org_id("WPK"))} == {n["centre"], n["WPK"]}
    assert {a.id for a in ann.current(organization_id=org_id("NKL"))} == {n["centre"], n["NKL"]}
    every = ann.current()
    assert {a.id for a in every} == set(n.values())
    assert {a.id: a.lao_prefix for a in every} == {n["centre"]: "", n["WPK"]: "WPK", n["NKL"]: "NKL"}
