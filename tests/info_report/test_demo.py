"""`kiosk.py demo` gives the INFO dashboard and report a year to show: cases, help delivered and
survey records spread over the last 12 months, never in the future."""

from __future__ import annotations

from db.models import Case, CaseEvent, SurveyRecord, utcnow
from kiosk.services import demo, info_report
from kiosk.services.info_report import Month
from tests.test_cli import kiosk


def test_sample_data_spreads_over_a_year(db, actors):
    demo.fill("WPK", 60, spread_days=365)
    assert demo.fill_surveys("WPK") >= 15
    now = utcnow()
    created = [c for (c,) in Case.select(Case.created_at).tuples()]
    months = {Month.of(c.date()) for c in created}
    assert len(months) >= 9 and max(created) <= now and (now - min(created)).days <= 366
    for case_id, created_at in Case.select(Case.id, Case.created_at).tuples():
        times = [at for (at,) in CaseEvent.select(CaseEvent.at).where(CaseEvent.case == case_id).tuples()]
        assert min(times) == created_at and max(times) <= now
    assert CaseEvent.select().where(CaseEvent.to_status == "helped").count() > 0
    surveyed = {Month.of(d) for (d,) in SurveyRecord.select(SurveyRecord.surveyed_on).tuples()}
    assert len(surveyed) >= 5
    history = info_report.history(actors["officer"], Month.current())
    assert sum(1 for _m, counts in history if sum(counts.values())) >= 9


def test_demo_then_export(tmp_path):
    assert kiosk("demo", home=tmp_path).returncode == 0
    out = tmp_path / "out"
    out.mkdir()
    last = Month.current().shift(-1)
    done = kiosk("export", "--month", last.label, "--out", str(out), home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (out / f"INFO-{last.label}.xlsx").exists()
