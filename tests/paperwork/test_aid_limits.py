"""The regulation's aid limits: read from the config, checked when help is handed over. Within the
limit an officer records it; over it (amount or times this fiscal year, per family) it takes a
supervisor and a reason, kept in the timeline; an officer, or a supervisor without a reason, is
refused and nothing is written."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from db.models import AuditLog, Case, CaseEvent
from kiosk.config import SAMPLE_CONFIG, AidLimit, parse_settings
from kiosk.errors import ConfigError, PermissionDenied, ValidationError
from kiosk.services import aid_limits
from kiosk.services.workflow import Step, perform
from kiosk.thai.dates import fiscal_year, now_bangkok
from tests.conftest import make_actors

from .conftest import new_case, person, version

LIMITS = {"quality_of_life": AidLimit(Decimal("3000.00"), 3)}


@pytest.fixture
def make_actors_here(any_db):
    return make_actors()


def deliver(actor, cid, amount="3,000", reason="", items="ข้าวสาร 5 กก."):
    return perform(actor, cid, Step("deliver", version(cid), amount=amount, items=items, public_note="มอบแล้ว",
                                    over_limit_reason=reason), limits=LIMITS)


def last_event(cid):
    return CaseEvent.select().where(CaseEvent.case == cid).order_by(CaseEvent.id.desc()).get()


def test_the_sample_config_holds_the_quality_of_life_limit(settings):
    assert settings.aid_limits == LIMITS
    assert "2560" in settings.aid_limit_source


@pytest.mark.parametrize(("table", "field", "problem"), [
    ('quality_of_life = { per_time = -5 }', "aid_limits.quality_of_life", "per_time"),
    ('quality_of_life = { times_per_year = 0 }', "aid_limits.quality_of_life", "times_per_year"),
    ('quality_of_life = { per_time = 3000, weekly = 1 }', "aid_limits.quality_of_life", "weekly"),
    ('quality_of_life = {}', "aid_limits.quality_of_life", "needs"),
    ('quality_of_life = 3000', "aid_limits.quality_of_life", "table"),
    ('elderly = { per_time = 3000 }', "aid_limits.elderly", "unknown setting"),
])
def test_a_bad_limit_names_its_line_and_field(tmp_path, table, field, problem):
    text = SAMPLE_CONFIG.read_text(encoding="utf-8").replace(
        "quality_of_life = { per_time = 3000, times_per_year = 3 }", table)
    with pytest.raises(ConfigError) as err:
        parse_settings(tmp_path / "k.toml", text, environ={})
    assert err.value.params["field"] == field and problem in err.value.params["problem"]
    assert err.value.params["line"] != "?"


def test_within_the_limit_an_officer_records_it_and_the_check_is_kept(db, actors):
    cid = new_case(status="approved")
    deliver(actors["officer"], cid, "3,000")
    event = last_event(cid)
    assert event.amount == Decimal("3000.00") and Case.get_by_id(cid).status_id == "helped"
    limit = json.loads(event.data)["limit"]
    assert limit == {"area": "quality_of_life", "per_time": "3000.00", "times_per_year": 3, "used": 0,
                     "fiscal_year": limit["fiscal_year"], "over": []}


def test_over_the_amount_an_officer_is_refused_and_nothing_is_written(db, actors):
    cid = new_case(status="approved")
    before = (version(cid), CaseEvent.select().count(), AuditLog.select().count())
    with pytest.raises(PermissionDenied) as err:
        deliver(actors["officer"], cid, "3,500", reason="น้ำท่วมซ้ำ")
    assert err.value.key == "workflow.over_limit_supervisor"
    assert err.value.params["per_time"] == "3,000.00" and err.value.params["amount"] == "3,500.00"
    assert (version(cid), CaseEvent.select().count(), AuditLog.select().count()) == before


def test_over_the_amount_without_a_reason_is_refused_even_for_a_supervisor(db, actors):
    cid = new_case(status="approved")
    with pytest.raises(ValidationError) as err:
        deliver(actors["supervisor"], cid, "3,500", reason="  ")
    assert err.value.key == "workflow.over_limit_reason_required" and err.value.field == "over_limit_reason"
    assert Case.get_by_id(cid).status_id == "approved"


def test_over_the_amount_with_a_supervisors_reason_is_kept_with_the_figures(db, actors):
    cid = new_case(status="approved")
    deliver(actors["supervisor"], cid, "4,500", reason="บ้านเสียหายทั้งหลัง คณะกรรมการมีมติเป็นกรณีพิเศษ")
    data = json.loads(last_event(cid).data)
    assert data["over_limit_reason"] == "บ้านเสียหายทั้งหลัง คณะกรรมการมีมติเป็นกรณีพิเศษ"
    assert data["limit"]["over"] == ["amount"] and data["amount"] == "4500"
    assert last_event(cid).amount == Decimal("4500.00")


def test_the_fourth_time_in_a_fiscal_year_for_the_same_house_is_over(any_db, make_actors_here):
    actors = make_actors_here
    """Three handings-over to people at 12/3 หมู่ 3 (the same family), then a fourth: over, even
    though it is another person and within the amount. Another house is not counted."""
    for first in ("บุญมี", "สมศรี", "ทองดี"):
        cid = new_case(who=person(first), status="approved")
        deliver(actors["officer"], cid, "1,000")
    other_house = new_case(who=person("มาลี", house_no="99"), status="approved")
    deliver(actors["officer"], other_house, "1,000")
    assert json.loads(last_event(other_house).data)["limit"]["used"] == 0
    fourth = new_case(who=person("คำแสน"), status="approved")
    with pytest.raises(PermissionDenied):
        deliver(actors["officer"], fourth, "1,000")
    deliver(actors["supervisor"], fourth, "1,000", reason="ครอบครัวใหญ่ ผู้ป่วยติดเตียงสองคน")
    limit = json.loads(last_event(fourth).data)["limit"]
    assert (limit["used"], limit["over"]) == (3, ["times"])


def test_help_in_the_previous_fiscal_year_or_another_area_does_not_count(db, actors):
    for _ in range(3):
        cid = new_case(status="approved")
        deliver(actors["officer"], cid, "1,000")
    # the three move to 30 Sep, 23:00 Bangkok: the last hour of the previous fiscal year
    start, _end = aid_limits.fiscal_span(fiscal_year(now_bangkok().date()))
    CaseEvent.update(at=start - timedelta(hours=1)).where(CaseEvent.action == "deliver").execute()
    flood = new_case(category="flood", status="approved")  # disaster: no limit configured
    deliver(actors["officer"], flood, "9,000")
    assert "limit" not in json.loads(last_event(flood).data)
    cid = new_case(status="approved")
    check = aid_limits.check(LIMITS, Case.get_by_id(cid), Decimal("3000"))
    assert check is not None and (check.used, check.over) == (0, False)


def test_fiscal_year_spans_are_bangkok_october_to_october():
    start, end = aid_limits.fiscal_span(2570)
    assert (start, end) == (datetime(2026, 9, 30, 17, 0), datetime(2027, 9, 30, 17, 0))


def test_goods_only_count_as_a_time_and_no_limits_means_no_check(db, actors):
    cid = new_case(status="approved")
    perform(actors["officer"], cid, Step("deliver", version(cid), items="ถุงยังชีพ 1 ชุด", public_note="มอบแล้ว"),
            limits=LIMITS)
    assert json.loads(last_event(cid).data)["limit"]["used"] == 0
    other = new_case(status="approved")
    perform(actors["officer"], other, Step("deliver", version(other), amount="50000", public_note="มอบแล้ว"))
    assert "limit" not in json.loads(last_event(other).data)
