"""Issue 16: the INFO report per LAO and for the whole centre. Each LAO's figures (a case counted
under the LAO that holds it now, after a referral too) add up to the whole centre's; an LAO's
staff get their own LAO's only; `kiosk.py export --lao all` writes the centre's files and each
LAO's, named apart, in one folder. SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from db.models import Case, CaseEvent, utcnow
from kiosk.errors import NotFound
from kiosk.services import info_files, info_report, surveys, workflow
from kiosk.services.info_report import Month
from kiosk.services.workflow import Step
from kiosk.thai.dates import now_bangkok
from tests.conftest import write_config
from tests.survey.test_import import CLI, KAEW, SOMSRI
from tests.test_cli import kiosk

from .conftest import B_PERSON, SECOND_LAO, new_case, person
from .test_surveys_lao import rows


def helped(case_id: int, baht: str) -> None:
    """Help handed over (the step the report counts): the case's status and its timeline step."""
    Case.update(status="helped").where(Case.id == case_id).execute()
    CaseEvent.create(case=case_id, action="deliver", from_status="approved", to_status="helped",
                     amount=Decimal(baht), at=utcnow())


@pytest.fixture
def month_of_work(centre):
    """This month: WPK 3 requests (one helped, 3,000 baht; one referred to NKL), NKL 2 requests
    (one helped, 1,500 baht), a survey record in each LAO."""
    extra = [new_case("WPK", person(n, d, p))[0] for n, d, p in (("มาลี", "1570900012344", "+66861112222"),
                                                                  ("ชื่นใจ", "1101700230716", "+66861113333"))]
    referred = extra[1]
    helped(centre.a_case, "3000")
    helped(new_case("NKL", B_PERSON)[0], "1500")
    workflow.perform(centre.staff["officer_a"], referred, Step(
        "refer", Case.get_by_id(referred).version, refer_to="lao:NKL", reason="นอกเขต",
        reply_due=now_bangkok().date() + timedelta(days=7)))
    wpk_team = surveys.create_team(CLI, "WPK", "อสม. หมู่ 2", "health_volunteer", "2")
    nkl_team = surveys.create_team(CLI, "NKL", "อปพร. หนองแก้ว", "civil_defence", "2")
    assert wpk_team and nkl_team
    assert surveys.import_rows(CLI, "WPK", rows("อสม. หมู่ 2", KAEW, "แก้ว")).imported
    assert surveys.import_rows(CLI, "NKL", rows("อปพร. หนองแก้ว", SOMSRI, "สมศรี")).imported
    return centre


def test_each_laos_figures_add_up_to_the_whole_centres(month_of_work):
    joint = month_of_work.staff["joint"]
    month = Month.current()
    whole = info_report.figures(joint, month)
    split = dict(info_report.figures_by_lao(joint, month))
    assert list(split) == ["WPK", "NKL"]
    wpk, nkl = split["WPK"], split["NKL"]
    # the referred case counts under NKL, which holds it now
    assert (wpk.requests, nkl.requests, whole.requests) == (2, 3, 5)
    assert (wpk.helped.baht, nkl.helped.baht, whole.helped.baht) == (Decimal("3000.00"), Decimal("1500.00"),
                                                                     Decimal("4500.00"))
    assert (wpk.surveys, nkl.surveys, whole.surveys) == (1, 1, 2)
    for name in ("by_area", "by_subtype", "by_status", "by_channel", "by_moo", "surveys_by_moo"):
        assert Counter(getattr(wpk, name)) + Counter(getattr(nkl, name)) == Counter(getattr(whole, name)), name
    for name in ("people", "times"):
        assert getattr(wpk.helped, name) + getattr(nkl.helped, name) == getattr(whole.helped, name), name
    assert wpk.survey_households + nkl.survey_households == whole.survey_households
    assert wpk.backlog.cases + nkl.backlog.cases == whole.backlog.cases == 5
    # an LAO's own staff: their LAO only, the same figures; another LAO asked for: not found
    officer_b = month_of_work.staff["officer_b"]
    assert [p for p, _f in info_report.figures_by_lao(officer_b, month)] == ["NKL"]
    assert info_report.figures(officer_b, month) == nkl
    with pytest.raises(NotFound):
        info_report.figures(officer_b, month, "WPK")


def test_an_laos_export_is_named_apart_from_the_centres(month_of_work, tmp_path):
    out = tmp_path / "info"
    out.mkdir()
    month = Month.current()
    joint = month_of_work.staff["joint"]
    centre = info_files.export(joint, month, "xlsx", out)
    nkl = info_files.export(joint, month, "xlsx", out, org="NKL")
    mine = info_files.export(month_of_work.staff["officer_a"], month, "xlsx", out)
    assert [p.name for p in (*centre.paths, *nkl.paths, *mine.paths)] == \
        [f"INFO-{month.label}.xlsx", f"INFO-NKL-{month.label}.xlsx", f"INFO-WPK-{month.label}.xlsx"]
    assert (centre.cases, nkl.cases, mine.cases) == (5, 3, 2)
    records = load_workbook(out / f"INFO-NKL-{month.label}.xlsx").worksheets[1]
    assert records.max_row - 1 == 3  # a header, then NKL's three requests


def test_export_all_writes_the_centre_and_each_lao(tmp_path):
    config_file = write_config(tmp_path, extra=SECOND_LAO)
    out = tmp_path / "info"
    out.mkdir()
    month = Month.current()
    done = kiosk("--config", str(config_file), "export", "--month", month.label, "--format", "csv", "--out", str(out),
                 "--lao", "all")
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in out.iterdir())
    assert {f"INFO-{month.label}-summary.csv", f"INFO-WPK-{month.label}-summary.csv",
            f"INFO-PPA-{month.label}-summary.csv"} <= set(names)
    assert len(names) == 9  # three files for the centre, three for each of its two LAOs


async def test_the_dashboard_of_a_joint_centre_switches_between_the_centre_and_each_lao(joint_settings):
    from screens.info_report import InfoReportScreen
    from tests.conftest import make_actors
    from tests.staff.pilot import login, settle, staff_app

    make_actors()
    for prefix, n in (("WPK", 2), ("PPA", 1)):
        for i in range(n):
            new_case(prefix, person("ทดสอบ", "", f"+6686111{prefix == 'PPA':d}{i:03d}"))
    app = staff_app(joint_settings, "th")
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "officer")
        await app.push_screen(InfoReportScreen(Month.current()))
        await settle(pilot)
        seen = []
        for _press in range(4):
            head = str(app.screen.query_one("#info-deadline").render()).splitlines()[0]
            backlog = str(app.screen.query_one("#info-backlog").render())
            seen.append((head.split(" · ")[-1], backlog))
            await pilot.press("l")
            await settle(pilot)
    names = [name for name, _b in seen]
    assert names == ["ทั้งศูนย์", "เทศบาลตำบลเวียงพางคำ", "องค์การบริหารส่วนตำบลโป่งผา", "ทั้งศูนย์"]
    # each LAO's requests not yet entered in INFO, adding up to the centre's
    assert [backlog.split(" · ")[0] for _n, backlog in seen] == \
        ["ยังไม่บันทึก: คำขอ 3", "ยังไม่บันทึก: คำขอ 2", "ยังไม่บันทึก: คำขอ 1", "ยังไม่บันทึก: คำขอ 3"]
