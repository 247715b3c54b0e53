"""Backups carry the field survey: teams, surveyors, households, their members, records and the
re-survey history come back from `kiosk.py backup` / `restore`; a database holding only survey
teams is not overwritten unasked (restore counts the survey tables as data)."""

from __future__ import annotations

from kiosk.services import survey_entry, surveys
from tests.conftest import make_actors, query_config_database
from tests.survey.test_import import ORG, SOMSRI, TODAY
from tests.test_cli import kiosk

SURVEY_TABLES = ("survey_team", "survey_team_member", "household", "household_member", "survey_record",
                 "survey_change", "person")


def counts(settings) -> dict[str, int]:
    """Rows per survey table, read beside the app (either backend)."""
    return {t: query_config_database(settings.path, f'SELECT count(*) FROM "{t}"')[0][0] for t in SURVEY_TABLES}


def survey_a_household(volunteer, note: str):
    household = {**survey_entry.blank_household(TODAY), "house_no": "12/3", "moo": "2", "surveyed_on": "20/11/2569",
                 "consent": "yes"}
    members = [{**survey_entry.blank_member(), "first_name": "สมศรี", "doc_number": SOMSRI,
                "vulnerabilities": "bedbound", "note": note},
               {**survey_entry.blank_member(), "first_name": "มะลิ", "birth_date": "1/1/2558"}]
    report = survey_entry.save(volunteer, ORG, household, members, today=TODAY)
    assert report.imported, report.lines("en")


def test_a_backup_round_trip_carries_the_survey(db, settings, tmp_path):
    actors = make_actors()
    team = surveys.create_team(actors["officer"], ORG, "ทีมเหนือ", "health_volunteer", "2")
    surveys.add_member(actors["officer"], team, "กบ ใจกล้า", phone="0812345678", username="volunteer")
    survey_a_household(actors["volunteer"], "ติดเตียง")
    survey_a_household(actors["volunteer"], "ย้ายไปอยู่กับลูก")  # a re-survey: one change kept
    before = counts(settings)
    assert before == {"survey_team": 1, "survey_team_member": 1, "household": 1, "household_member": 2,
                      "survey_record": 2, "survey_change": 1, "person": 2}

    copy = tmp_path / "survey.sqlite3"
    run = kiosk("--config", str(settings.path), "backup", "--out", str(copy))
    assert run.returncode == 0, run.stderr
    surveys.create_team(actors["officer"], ORG, "ทีมใต้", "otl", "3")
    survey_a_household(actors["volunteer"], "ซ่อมหลังคาแล้ว")
    db.close()

    run = kiosk("--config", str(settings.path), "restore", str(copy))
    assert run.returncode == 2 and "--force" in run.stderr  # it holds data
    run = kiosk("--config", str(settings.path), "restore", str(copy), "--force")
    assert run.returncode == 0, run.stderr
    assert counts(settings) == before
    def rows(sql: str) -> list[tuple]:
        return query_config_database(settings.path, sql)

    assert rows("SELECT name FROM survey_team") == [("ทีมเหนือ",)]
    assert rows("SELECT notes FROM survey_record WHERE notes != ''") == [("ย้ายไปอยู่กับลูก",)]
    assert "ติดเตียง" in rows("SELECT changes FROM survey_change")[0][0]


def test_teams_alone_are_data_a_restore_keeps(db, settings, tmp_path):
    copy = tmp_path / "empty.sqlite3"
    assert kiosk("--config", str(settings.path), "backup", "--out", str(copy)).returncode == 0
    surveys.create_team(make_actors()["officer"], ORG, "ทีมเดียว", "other")
    db.close()
    run = kiosk("--config", str(settings.path), "restore", str(copy))
    assert run.returncode == 2 and "--force" in run.stderr
    assert "0 cases, 0 people, 1 other records" in run.stderr and "ข้อมูลอื่น เช่น ทีมและผลสำรวจ 1 รายการ" in run.stderr
    assert counts(settings)["survey_team"] == 1
