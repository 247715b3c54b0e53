"""Adding an action is one entry in kiosk/workflow_spec.py plus its catalogue strings. A test-only
action, registered for one test, is named by the catalogue check until its strings are there, is
offered in the case's step menu, gets a form built from its field kinds, and shows in the
timeline once taken. And the spec itself holds together (roles, statuses, kinds, effects)."""

from __future__ import annotations

import json

import pytest
from textual.widgets import Input, Static

from db.models import CaseEvent
from kiosk import workflow_spec
from kiosk.i18n import LANGUAGES, area, catalogue
from kiosk.roles import ROLES
from kiosk.services import workflow
from kiosk.workflow_spec import OPEN, Action, Field
from screens.widgets.thai_input import ThaiInput
from tests.test_i18n import missing

from .conftest import new_case
from .pilot import login, settle, staff_app
from .test_screens import SIZE, open_first_case, statics

PHONE_CALL = Action("phone_call", "officer", OPEN, None,
                    (Field("called_on", "date"), Field("spoken_with", "thai_text")), notes="none")
STRINGS = {  # key → (Thai, English)
    "workflow.phone_call": ("บันทึกการโทร", "Phone call"),
    "workflow.called_on": ("วันที่โทร (วว/ดด/ปปปป พ.ศ.)", "Called on (dd/mm/yyyy BE)"),
    "workflow.spoken_with": ("ผู้ที่คุยด้วย", "Spoke with"),
    "workflow.spoken_with_required": ("กรุณาระบุผู้ที่คุยด้วย", "Say who you spoke with"),
}


@pytest.fixture
def phone_call(monkeypatch):
    """The test-only action in the spec (taken out again after the test)."""
    monkeypatch.setitem(workflow_spec.ACTIONS, PHONE_CALL.key, PHONE_CALL)
    return PHONE_CALL


@pytest.fixture
def phone_call_strings(monkeypatch, phone_call):
    for key, texts in STRINGS.items():
        for lang, text in zip(("th", "en"), texts, strict=True):
            monkeypatch.setitem(catalogue(lang), key, text)  # what the catalogue check reads
            monkeypatch.setitem(area(lang, key.partition(".")[0]), key, text)  # what translate reads


def test_the_catalogue_check_names_a_new_actions_missing_strings(phone_call):
    assert missing(workflow_spec.catalogue_keys()) == sorted(f"{lang}: {k}" for lang in LANGUAGES for k in STRINGS)


def test_with_its_strings_the_catalogue_check_passes(phone_call_strings):
    assert missing(workflow_spec.catalogue_keys()) == []


async def test_a_new_action_is_offered_asks_its_fields_and_shows_in_the_timeline(db, settings, actors,
                                                                                 phone_call_strings):
    cid = new_case()
    app = staff_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "officer")
        await open_first_case(pilot)
        assert "phone_call" in app.screen.detail.actions
        await pilot.press("a")
        await settle(pilot)
        menu = app.screen.query_one("#action-list")
        assert "Phone call" in [str(o.prompt) for o in menu.options]
        menu.highlighted = [o.id for o in menu.options].index("phone_call")
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseActionScreen"
        assert type(app.screen.query_one("#f-called_on")) is Input  # a date: typed dd/mm/yyyy BE
        assert isinstance(app.screen.query_one("#f-spoken_with"), ThaiInput)  # Thai text
        assert "Called on (dd/mm/yyyy BE)" in statics(app) and "Spoke with" in statics(app)
        await pilot.press("ctrl+s")  # both fields are required
        await settle(pilot)
        assert "Please give the date" in str(app.screen.query_one("#action-error", Static).render())
        app.screen.query_one("#f-called_on", Input).value = "03/04/2569"
        app.screen.query_one("#f-spoken_with", Input).value = "ลูกสาวผู้ยื่น"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseDetailScreen"
        timeline = "\n".join(str(w.render()) for w in app.screen.query(".case-event"))
        assert "Phone call" in timeline and "Spoke with: ลูกสาวผู้ยื่น" in timeline and "03/04/2569" in timeline  # BE, as its label says
    event = CaseEvent.select().where(CaseEvent.case == cid).order_by(CaseEvent.id.desc()).get()
    assert event.action == "phone_call"
    assert json.loads(event.data) | {"version": 0} == {"version": 0, "called_on": "2026-04-03",
                                                        "spoken_with": "ลูกสาวผู้ยื่น"}


def test_the_spec_holds_together():
    """Every action starts from and leads to known statuses, needs a known role, and every field
    kind and effect has its validator and hook in the service."""
    for a in workflow_spec.ACTIONS.values():
        assert a.role in ROLES and a.notes in ("public", "internal", "any", "none"), a.key
        assert set(a.sources) <= set(workflow_spec.STATUSES) and a.to in (None, *workflow_spec.STATUSES), a.key
        assert {f.kind for f in a.fields} <= set(workflow.VALIDATORS) and set(a.effects) <= set(workflow.EFFECTS)
        assert not a.any_of or not any(f.required for f in a.fields), a.key
    assert set(workflow.VALIDATORS) == set(workflow_spec.KIND_ERRORS)
    fields = [f for a in workflow_spec.ACTIONS.values() for f in a.fields]
    assert len({f.name for f in fields}) == len(set(fields))  # a name means one field wherever it appears
    assert sorted(workflow_spec.STATUSES) == sorted(workflow_spec.OPEN + workflow_spec.ENDED)
    assert {s.open311 for s in workflow_spec.STATUSES.values()} == {"open", "closed"}
    assert all((s.open311 == "closed") == s.ended for s in workflow_spec.STATUSES.values())
