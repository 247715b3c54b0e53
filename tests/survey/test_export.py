"""`kiosk.py survey-export` (issue 13, item 5) read back: XLSX with openpyxl, CSV as UTF-8 with a
BOM, GeoJSON as valid JSON with [longitude, latitude] points and a personal-data warning and no
names, a PDF with one section per หมู่ in Thai (pdftotext); every file 0600 with the BE date in its
name; each export audited; a volunteer's export holds their own team's people only."""

from __future__ import annotations

import csv
import json
import re
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from db.models import AuditLog
from kiosk.services import survey_export, survey_register
from kiosk.services.survey_register import RegisterFilter
from kiosk.thai.dates import now_bangkok
from tests.conftest import file_mode
from tests.survey import town
from tests.survey.test_template import kiosk

BE_STAMP = re.compile(rf"-{now_bangkok().year + 543}-\d\d-\d\d-\d{{4}}\.")


@pytest.fixture
def place(db) -> town.Town:
    return town.build()


def only_file(folder: Path, suffix: str) -> Path:
    files = list(folder.glob(f"*.{suffix}"))
    assert len(files) == 1, files
    assert file_mode(files[0]) == 0o600 and BE_STAMP.search(files[0].name), files[0].name
    return files[0]


def test_xlsx_from_the_command_line(place, config_file, tmp_path, umask_022):
    out = tmp_path / "exports"
    run = kiosk(config_file, "survey-export", "--format", "xlsx", "--out", str(out), "--moo", "๓",
                "--vulnerability", "bedbound")
    assert run.returncode == 0, run.stderr
    path = only_file(out, "xlsx")
    assert "moo3-bedbound" in path.name and file_mode(out) == 0o700
    sheet = load_workbook(path).active
    rows = list(sheet.values)
    assert rows[0][:4] == ("หมู่", "หมู่บ้าน", "บ้านเลขที่", "ชื่อ-สกุล")
    expected = survey_register.count(place.actors["officer"], RegisterFilter(moo=3, vulnerability="bedbound"))
    assert len(rows) - 1 == expected > 0
    assert all(r[0] == 3 and "ผู้ป่วยติดเตียง" in r[7] for r in rows[1:])
    assert f"({expected} คน)" in run.stdout
    entry = AuditLog.select().where(AuditLog.action == "survey_export").get()
    assert entry.actor == "cli" and entry.detail.startswith(f"format=xlsx moo=3 vulnerability=bedbound people={expected}")


def test_csv_has_a_bom_and_thai_intact(place, tmp_path):
    officer = place.actors["officer"]
    result = survey_export.export(officer, "csv", tmp_path, RegisterFilter(team=town.SOUTH))
    raw = only_file(tmp_path, "csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][3] == "ชื่อ-สกุล" and len(rows) - 1 == result.people
    assert {r[11] for r in rows[1:]} == {town.SOUTH}


def test_a_volunteers_export_holds_their_own_team_only(place, tmp_path):
    result = survey_export.export(place.actors["volunteer"], "csv", tmp_path)
    rows = list(csv.reader(result.path.read_text(encoding="utf-8-sig").splitlines()))[1:]
    assert rows and {r[11] for r in rows} == {town.NORTH}
    assert len(rows) == survey_register.count(place.actors["volunteer"])
    empty = survey_export.export(place.actors["volunteer"], "csv", tmp_path / "b", RegisterFilter(team=town.SOUTH))
    assert empty.people == 0
    assert AuditLog.select().where(AuditLog.action == "survey_export", AuditLog.actor == "volunteer").count() == 2


def test_geojson_is_valid_with_longitude_first_and_no_names(place, tmp_path):
    officer = place.actors["officer"]
    result = survey_export.export(officer, "geojson", tmp_path, RegisterFilter(vulnerability="elderly"))
    data = json.loads(only_file(tmp_path, "geojson").read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and "ข้อมูลส่วนบุคคล" in data["properties"]["warning"]
    assert data["features"] and len(data["features"]) == result.households
    people = survey_register.people(officer, RegisterFilter(vulnerability="elderly")).rows
    placed = {(r.house_no, r.moo): (r.longitude, r.latitude) for r in people if r.latitude is not None}
    for feature in data["features"]:
        assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert 97 <= lon <= 106 and 5 <= lat <= 21  # Thailand: longitude first, as GeoJSON orders it
        p = feature["properties"]
        assert set(p) == {"house_no", "moo", "village", "people", "vulnerability"} and p["vulnerability"] == "elderly"
        assert (lon, lat) == placed[(p["house_no"], p["moo"])]
    assert sum(f["properties"]["people"] for f in data["features"]) == sum(r.latitude is not None for r in people)
    text = json.dumps(data, ensure_ascii=False)
    assert not any(r.first_name in text or r.phone and r.phone in text for r in people)


def test_pdf_has_a_thai_section_per_village(place, tmp_path):
    officer = place.actors["officer"]
    result = survey_export.export(officer, "pdf", tmp_path, RegisterFilter(vulnerability="bedbound"),
                                  centre="ศูนย์ช่วยเหลือประชาชน เทศบาลตำบลทดสอบ")
    text = subprocess.run(["pdftotext", "-layout", str(only_file(tmp_path, "pdf")), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = text.split("\f")
    moos = sorted({c.key for c in survey_register.counts(officer, "moo", RegisterFilter(vulnerability="bedbound"))
                   if c.count})
    for moo in moos:
        assert any(f"หมู่ {moo} (บ้านหมู่{moo})" in page for page in pages), moo
    starts = [i for i, page in enumerate(pages) if "รายชื่อผู้ต้องการความช่วยเหลือ หมู่" in page]
    assert len(starts) == len(moos) and len(set(starts)) == len(moos)  # each หมู่ begins its own page
    assert "ผู้ป่วยติดเตียง" in text and "ผู้ลงพื้นที่" in text and "วันที่ลงพื้นที่" in text
    assert result.people == survey_register.count(officer, RegisterFilter(vulnerability="bedbound"))


def test_an_unknown_team_or_a_bad_moo_is_a_sentence(place, config_file, tmp_path):
    run = kiosk(config_file, "survey-export", "--format", "csv", "--out", str(tmp_path / "a"), "--moo", "x")
    assert run.returncode == 2 and "Traceback" not in run.stderr and "หมู่" in run.stderr
    run = kiosk(config_file, "survey-export", "--format", "csv", "--out", str(tmp_path / "b"), "--team", "ทีมไม่มี")
    assert run.returncode == 2 and town.NORTH in run.stderr and not (tmp_path / "b").exists()
    run = kiosk(config_file, "survey-export", "--format", "csv", "--out", str(tmp_path / "c"), "--team", f" {town.SOUTH} ")
    assert run.returncode == 0, run.stderr


def test_the_command_knows_the_services_formats_and_refuses_an_unknown_vulnerability(place, config_file, tmp_path):
    from kiosk.cli import survey_export as command

    assert command.FORMATS == survey_export.FORMATS
    out = tmp_path / "out"
    run = kiosk(config_file, "survey-export", "--format", "csv", "--out", str(out), "--vulnerability", "flying")
    assert run.returncode == 2 and "bedbound" in run.stderr and "Traceback" not in run.stderr
    assert not out.exists()


async def test_the_register_screen_exports_what_it_shows_into_the_private_exports_folder(place, settings):
    from textual.widgets import OptionList

    from tests.snapshots.conftest import reach
    from tests.staff.pilot import settle, staff_app
    from tests.survey.test_register import open_register

    app = staff_app(settings, lang="th")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_register(pilot, "volunteer")
        await pilot.press("e")  # the elderly of the volunteer's own team
        await settle(pilot)
        await pilot.press("x")
        await reach(pilot, "PickDialog")
        formats = app.screen.query_one("#reg-pick-format", OptionList)
        formats.highlighted = survey_export.FORMATS.index("csv")
        await pilot.press("enter")
        await reach(pilot, "RegisterScreen")
        await settle(pilot)
    folder = settings.home / "exports"
    path = only_file(folder, "csv")
    assert file_mode(folder) == 0o700 and "-elderly-" in path.name
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))[1:]
    assert len(rows) == survey_register.count(place.actors["volunteer"], RegisterFilter(vulnerability="elderly")) > 0
    assert {r[11] for r in rows} == {town.NORTH} and all("ผู้สูงอายุ" in r[7] for r in rows)
    entry = AuditLog.select().where(AuditLog.action == "survey_export").get()
    assert entry.actor == "volunteer" and "vulnerability=elderly" in entry.detail
