"""Fault scenarios of the survey register's workers (screens/survey_register.py), added to
test_boundary_workers.SCENARIOS: the screen stays, the calm message shows, the fault is logged,
and the same key works once the database answers again."""

from __future__ import annotations

from textual.widgets import Static

from db.models import AuditLog, Case
from screens import survey_register
from tests.survey import town

from .flows import staff
from .harness import Trial, assert_calm, registry, settle, unavailable, visible_text, wait_for

SCENARIOS, scenario = registry()


async def _open(app, pilot, t: Trial):
    town.build(people=12, actors=t.accounts)
    app.open_register()
    await wait_for(pilot, lambda: type(app.screen).__name__ == "RegisterScreen")
    await settle(pilot)


def _filter_line(app) -> str:
    return str(app.screen.query_one("#reg-filter", Static).render())


@scenario("screens.survey_register.RegisterScreen.fill")
async def register_fill(t: Trial):
    async with staff(t) as (app, pilot):
        await _open(app, pilot, t)
        switch = t.inject(survey_register.survey_register, "people")
        await pilot.press("b")
        await settle(pilot)
        assert_calm(app, t, switch, screen="RegisterScreen")
        assert unavailable(app) in _filter_line(app)
        switch.off()
        await pilot.press("3")  # the bedridden filter was kept; หมู่ 3 added, and it loads
        await settle(pilot)
        assert unavailable(app) not in _filter_line(app) and _filter_line(app).startswith(
            app.t("register.moo_n", moo=3))


@scenario("screens.survey_register.RegisterScreen._load_groups")
async def register_pick_team(t: Trial):
    async with staff(t) as (app, pilot):
        await _open(app, pilot, t)
        switch = t.inject(survey_register.survey_register, "counts")
        await pilot.press("t")
        await settle(pilot)
        assert_calm(app, t, switch, screen="RegisterScreen")
        switch.off()
        await pilot.press("t")
        await settle(pilot)
        assert type(app.screen).__name__ == "PickDialog"


@scenario("screens.survey_register.RegisterScreen._new_case")
async def register_new_case(t: Trial):
    async with staff(t) as (app, pilot):
        await _open(app, pilot, t)
        switch = t.inject(survey_register.survey_case, "open_case")
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert_calm(app, t, switch, screen="RegisterScreen")
        assert Case.select().count() == 0
        switch.off()
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CaseDetailScreen")
        assert Case.get().channel == "survey"


@scenario("screens.survey_register.RegisterScreen._export")
async def register_export(t: Trial):
    async with staff(t) as (app, pilot):
        await _open(app, pilot, t)
        switch = t.inject(survey_register.survey_export, "export")
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert_calm(app, t, switch, screen="RegisterScreen")
        assert not (t.settings.home / "exports").exists()
        switch.off()
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.t("register.exported", path="", people="").split(":")[0] in visible_text(app)
        assert AuditLog.select().where(AuditLog.action == "survey_export").count() == 1
