"""PDPA retention: `[privacy] retention_years`; `kiosk.py purge` is a dry run that changes
nothing (a full dump of the database is byte-for-byte the same), and `--yes` anonymises exactly
the people whose every case ended long ago, leaving none of their personal strings anywhere in
the database — the SQLite file and its WAL read as bytes, or a pg_dump of every table — while
people with an open or a recent case keep everything."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from db.connection import is_postgres, sqlite_path
from db.models import AuditLog, Case, CaseEvent, Person, SurveyRecord, database
from kiosk.config import parse_settings
from kiosk.errors import ConfigError, PermissionDenied, ValidationError
from kiosk.services import retention, search
from tests.conftest import PG_ADMIN_URL, write_config

from ..conftest import make_actors
from . import scenario

ROOT = Path(__file__).resolve().parents[2]


def town():
    actors = make_actors()
    return scenario.build(actors["officer"], actors["supervisor"]), actors


def cutoff():
    return retention.cutoff_for(scenario.RETENTION_DAYS)


def database_text(db) -> str:
    """Everything the database holds on disk, as text to search: the SQLite file and its WAL as
    bytes (invalid UTF-8 ignored), or a data-only pg_dump of every table."""
    if is_postgres(db):
        pg_url = f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{db.database}"  # the database db is bound to
        return subprocess.run(["pg_dump", "--data-only", pg_url], capture_output=True, check=True).stdout.decode()
    path = Path(db.database)
    data = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
    return data.decode("utf-8", "ignore")


def personal(keys) -> dict[str, list[str]]:
    return {key: scenario.strings_of(key) for key in keys}


def found(text: str, keys) -> dict[str, list[str]]:
    return {k: hits for k, strings in personal(keys).items() if (hits := [s for s in strings if s in text])}


# -- configuration -------------------------------------------------------------------------------

def test_retention_years_is_read_from_the_privacy_section(tmp_path):
    path = write_config(tmp_path)
    text = path.read_text(encoding="utf-8")
    assert parse_settings(path, text, environ={}).retention_years == 10  # the sample's value
    seven = text.replace("retention_years = 10", "retention_years = 7")
    assert parse_settings(path, seven, environ={}).retention_years == 7
    for bad in ("0", '"ten"', "101"):
        with pytest.raises(ConfigError) as err:
            parse_settings(path, text.replace("retention_years = 10", f"retention_years = {bad}"), environ={})
        assert err.value.params["field"] == "privacy.retention_years"
    assert retention.days_for_years(10) == 3652


def test_a_period_shorter_than_a_month_is_refused():
    with pytest.raises(ValidationError) as err:
        retention.cutoff_for(retention.MIN_DAYS - 1)
    assert err.value.key == "privacy.purge_too_short"


def test_only_an_admin_may_plan_or_purge(db):
    actors = make_actors()
    for who in (None, actors["volunteer"], actors["officer"], actors["supervisor"]):
        with pytest.raises(PermissionDenied):
            retention.plan(who, cutoff())
        with pytest.raises(PermissionDenied):
            retention.purge(who, cutoff())
    assert AuditLog.select().where(AuditLog.action.in_(["privacy_purge", "person_purge"])).count() == 0


# -- the purge itself, on both databases -----------------------------------------------------------

def test_purge_anonymises_people_past_retention_and_keeps_the_rest(any_db):
    if not is_postgres(any_db):  # whatever this build of SQLite defaults to, the purge must not rely on it
        any_db.execute_sql("PRAGMA secure_delete=OFF")
    t, actors = town()
    before = database_text(any_db)
    assert found(before, scenario.PURGED) == personal(scenario.PURGED)  # the search below can see them
    kept_rows = {k: Person.get_by_id(t.ids[k]).__data__ for k in scenario.KEPT}

    planned = retention.plan(actors["admin"], cutoff())
    result = retention.purge(actors["admin"], cutoff(), days=scenario.RETENTION_DAYS)
    assert result.compacted
    # anan + his merged record, pim, bua, lek; their cases: anan's, pim's, lek's (shared with mali; referred, replied)
    assert planned == result.counts == retention.PurgeCounts(people=5, cases=3, events=8, surveys=1)

    after = database_text(any_db)
    assert found(after, scenario.PURGED) == {}
    assert found(after, scenario.KEPT) == personal(scenario.KEPT)
    assert {k: Person.get_by_id(t.ids[k]).__data__ for k in scenario.KEPT} == kept_rows

    for key in scenario.PURGED:
        p = Person.get_by_id(t.ids[key])
        assert all(getattr(p, f) == blank for f, blank in retention.BLANK_PERSON.items()), key
        assert p.subdistrict_code == "570906"
    assert Person.get_by_id(t.ids["anan_dup"]).merged_into_id == t.ids["anan"]

    # the case stays for statistics and INFO: category, status, amounts, dates, the committee
    anan = Case.get_by_id(t.cases["anan"])
    assert (anan.category_id, anan.status_id, anan.household_size, anan.vulnerabilities) == \
           ("flood", "helped", 4, "bedbound")
    assert (anan.description, anan.help_requested, anan.latitude) == ("", "", None)
    events = list(CaseEvent.select().where(CaseEvent.case == anan.id).order_by(CaseEvent.id))
    assert [e.action for e in events] == ["create", "note", "send_field", "record_field_check", "approve", "deliver"]
    assert all(e.public_note == e.internal_note == "" for e in events)
    assert events[-1].amount == Decimal("2500.00") and '"amount": "2500"' in events[-1].data
    assert '"meeting_no": "3/2558"' in events[-2].data and "team" not in events[2].data
    assert Case.get_by_id(t.cases["lek"]).subject_id == t.ids["mali"]
    assert Case.get_by_id(t.cases["mali"]).description == scenario.TEXT["mali"][0]
    survey = SurveyRecord.get(SurveyRecord.person == t.ids["anan"])
    assert (survey.notes, survey.latitude, survey.needs) == ("", None, "home_repair")

    # no longer found by search; the kept are
    assert search.people_matching("อนันต์ทดสอบ") == [] and search.find_person_by_id_number(
        scenario.PEOPLE["anan"].doc_number) is None
    assert search.case_ids_matching("น้ำป่าพัดบ้าน") == []
    assert search.people_matching("ชายเก็บไว้") == [t.ids["chai"]]

    # audited: one row for the run with the counts, one per person record
    run = AuditLog.get(AuditLog.action == "privacy_purge")
    assert "people=5 cases=3 events=8 surveys=1" in run.detail and run.actor == "admin"
    assert sorted(int(r.target_id) for r in AuditLog.select().where(AuditLog.action == "person_purge")) == \
           sorted(t.ids[k] for k in scenario.PURGED)

    # a second run finds nobody left to anonymise
    assert retention.plan(actors["admin"], cutoff()) == retention.PurgeCounts()


# -- the command -------------------------------------------------------------------------------------

def kiosk(*args: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    return subprocess.run([sys.executable, str(ROOT / "kiosk.py"), *args], capture_output=True, text=True,
                          timeout=120, env=environ, cwd=ROOT)


def dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return list(conn.iterdump())


@pytest.mark.sqlite_file
def test_cli_dry_run_changes_nothing_and_yes_leaves_no_trace_in_the_file(db, config_file):
    db.execute_sql("PRAGMA secure_delete=OFF")
    t, _actors = town()
    db.close()
    path = sqlite_path(parse_settings(config_file, config_file.read_text(encoding="utf-8"), environ={}).database_url)
    before = dump(path)

    dry = kiosk("--config", str(config_file), "purge", "--older-than", str(scenario.RETENTION_DAYS))
    assert dry.returncode == 0, dry.stderr
    assert dump(path) == before  # not one row changed, not even the audit log
    assert "Dry run, nothing changed" in dry.stdout and "ทดลองเท่านั้น" in dry.stdout
    assert "would anonymise 5 person records" in dry.stdout and "3 cases, 8 case steps and 1 survey" in dry.stdout
    assert not any(s in dry.stdout for strings in personal(scenario.PURGED).values() for s in strings)

    short = kiosk("--config", str(config_file), "purge", "--older-than", "7", "--yes")
    assert short.returncode == 2 and "at least 30 days" in short.stderr and "Traceback" not in short.stderr
    assert dump(path) == before

    done = kiosk("--config", str(config_file), "purge", "--older-than", str(scenario.RETENTION_DAYS), "--yes")
    assert done.returncode == 0, done.stderr
    assert "Anonymised 5 person records" in done.stdout and "compacted" in done.stdout
    data = path.read_bytes() + (Path(f"{path}-wal").read_bytes() if Path(f"{path}-wal").exists() else b"")
    text = data.decode("utf-8", "ignore")
    assert found(text, scenario.PURGED) == {}
    assert found(text, scenario.KEPT) == personal(scenario.KEPT)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM audit_log WHERE action = 'privacy_purge' AND actor = 'cli'"
                            ).fetchone() == (1,)


def test_cli_default_period_comes_from_retention_years(db, config_file):
    town()
    db.close()
    config_file.write_text(config_file.read_text(encoding="utf-8").replace("retention_years = 10",
                                                                           "retention_years = 20"), encoding="utf-8")
    out = kiosk("--config", str(config_file), "purge")
    assert out.returncode == 0 and "over 7305 days" in out.stdout
    assert "would anonymise 0 person records" in out.stdout  # 4,000 days is not 20 years
    config_file.write_text(config_file.read_text(encoding="utf-8").replace("retention_years = 20",
                                                                           "retention_years = 10"), encoding="utf-8")
    out = kiosk("--config", str(config_file), "purge")
    assert "over 3652 days" in out.stdout and "would anonymise 5 person records" in out.stdout


def test_database_text_sees_what_is_stored(db):
    """The search above is only as good as this: a fresh string is found in the file."""
    database.execute_sql("CREATE TABLE probe (t TEXT)")
    database.execute_sql("INSERT INTO probe VALUES ('ข้อความตรวจสอบไฟล์')")
    assert "ข้อความตรวจสอบไฟล์" in database_text(db)
