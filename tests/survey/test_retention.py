"""PDPA retention reaches the survey: a person anonymised by `purge` leaves their household (its
address would name them), their survey record keeps its keys for statistics but loses its note,
position and household, and the re-survey history that held earlier notes is gone."""

from __future__ import annotations

from datetime import timedelta

from db.models import Household, HouseholdMember, Person, SurveyChange, SurveyRecord, utcnow
from kiosk.services import retention, surveys
from kiosk.services.survey_rows import COLUMNS
from tests.conftest import make_actors
from tests.survey.test_import import CLI, KAEW, ORG, TODAY

DAYS = 5 * 365


def survey(note: str) -> surveys.ImportReport:
    cells = {"household_no": "1", "house_no": "3", "moo": "2", "first_name": "แก้ว", "last_name": "มณี",
             "doc_number": KAEW, "vulnerabilities": "low_income", "note": note, "surveyed_on": "20/11/2569",
             "latitude": "20.4", "longitude": "99.9"}
    return surveys.import_rows(CLI, ORG, [(2, {c: cells.get(c) for c in COLUMNS})], today=TODAY)


def test_purge_clears_the_survey_history_and_the_household_place(db):
    survey("หลังคารั่ว ลูกชายชื่อเอก")
    assert survey("ย้ายไปอยู่กับลูก").records_changed == 1
    assert "หลังคารั่ว" in SurveyChange.get().changes
    old = utcnow() - timedelta(days=DAYS + 30)
    Person.update(created_at=old, updated_at=old).execute()
    SurveyRecord.update(created_at=old, updated_at=old).execute()

    result = retention.purge(make_actors()["admin"], retention.cutoff_for(DAYS))
    assert (result.counts.people, result.counts.surveys) == (1, 1)
    assert SurveyChange.select().count() == 0 and HouseholdMember.select().count() == 0
    record = SurveyRecord.get()
    assert (record.notes, record.latitude, record.household_id) == ("", None, None)
    assert (record.vulnerabilities, record.surveyed_on) == ("low_income", TODAY.replace(day=20))
    assert Household.select().count() == 1  # an address with no one in it


def test_an_access_request_holds_the_survey(db, tmp_path):
    """PDPA s.30: the person's survey record — vulnerabilities, consent and its basis, where the
    survey found them — is in the file of everything held about them."""
    import json

    from kiosk.services import access

    survey("ขอถุงยังชีพ")
    out = tmp_path / "kaew.json"
    access.export(make_actors()["admin"], KAEW, out)
    [record] = json.loads(out.read_text(encoding="utf-8"))["surveys"]
    assert (record["vulnerabilities"], record["notes"], record["consent"]) == ("low_income", "ขอถุงยังชีพ", False)
    assert record["household"] == {"house_no": "3", "moo": 2, "village": "", "subdistrict_code": "570906",
                                   "latitude": 20.4, "longitude": 99.9}
