"""PDPA access requests: `kiosk.py person-export --doc NUMBER --out FILE.json` holds everything
about the holder of that document — every record of theirs (a duplicate not yet merged, a record
merged into theirs), their cases as requester or subject with public and internal notes and the
timeline, their survey records, the audit rows about them — and nothing of anyone else: the
other person of a shared case is a role marked "withheld", staff names are left out. The file is
0600 under umask 022, Thai stays readable, and the document is found however it is typed."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from db.models import AuditLog, Case, Organization
from kiosk.errors import KioskError, NotFound, PermissionDenied, ValidationError
from kiosk.services import access, case_view
from kiosk.services.people import PersonData, create
from kiosk.thai.digits import to_thai_digits
from kiosk.thai.ids import format_national_id

from ..conftest import make_actors
from . import scenario

ROOT = Path(__file__).resolve().parents[2]
ANAN = scenario.PEOPLE["anan"]
# a second record with anan's document, asked for again at the counter and not merged yet
ANAN_AGAIN = PersonData("อนันต์ทดสอบ", "ศรีลบได้", "นาย", "national_id", ANAN.doc_number, phone="+66810000103",
                        house_no="901/12", moo=3, subdistrict_code="570906")
STAFF_NAMES = ("volunteer", "officer", "supervisor", "admin")


def seed():
    actors = make_actors()
    town = scenario.build(actors["officer"], actors["supervisor"])
    again = create(Organization.get(), ANAN_AGAIN).id
    case_view.case_detail(actors["officer"], town.cases["anan"])  # a view, audited
    case_view.case_detail(actors["officer"], town.cases["chai"])  # someone else's view
    return town, actors, again


def test_export_holds_everything_of_the_person_and_nothing_of_anyone_else(any_db, tmp_path):
    town, actors, again = seed()
    out = tmp_path / "anan.json"
    summary = access.export(actors["admin"], format_national_id(ANAN.doc_number), out, centre="ศูนย์ทดสอบ")
    raw = out.read_text(encoding="utf-8")
    data = json.loads(raw)

    mine = {town.ids["anan"], town.ids["anan_dup"], again}
    assert {p["record"] for p in data["people"]} == mine
    assert (summary.people, summary.cases, summary.surveys) == (3, 1, 1)
    expected = [*scenario.strings_of("anan", index_forms=False), *scenario.strings_of("anan_dup"), "+66810000103",
                "901/12", "ศูนย์ทดสอบ"]
    assert [s for s in expected if s not in raw] == []
    case = data["cases"][0]
    assert case["your_roles"] == ["requester", "subject"] and case["other_people"] == []
    assert [e["action"] for e in case["timeline"]] == ["create", "note", "send_field", "record_field_check",
                                                     "approve", "deliver"]
    assert case["timeline"][1]["internal_note"] == scenario.TEXT["anan"][4]  # internal notes too
    assert case["timeline"][-1]["amount"] == "2500.00" and case["timeline"][-1]["details"]["items"]
    assert data["surveys"][0]["notes"] == scenario.TEXT["anan"][7]
    audited = {(a["action"], a["target"]) for a in data["audit"]}
    assert ("person_view", f"person:{town.ids['anan']}") in audited
    assert ("case_deliver", f"case:{town.cases['anan']}") in audited

    others = [k for k in scenario.PEOPLE if k not in ("anan", "anan_dup")]
    leaked = {k: [s for s in scenario.strings_of(k) if s in raw] for k in others}
    assert {k: v for k, v in leaked.items() if v} == {}
    other_tickets = [Case.get_by_id(c).ticket_no for k, c in town.cases.items() if k != "anan"]
    assert [t for t in other_tickets if t in raw] == []
    assert [n for n in STAFF_NAMES if f'"{n}' in raw or n + " name" in raw] == []

    rows = AuditLog.select().where(AuditLog.action == "person_export")
    assert sorted(int(r.target_id) for r in rows) == sorted(mine) and {r.actor for r in rows} == {"admin"}


def test_a_shared_case_shows_the_other_person_as_withheld(any_db, tmp_path):
    """mali, the subject of lek's case, gets lek's case with the requester "withheld": none of
    lek's details, though the description lek typed is given as stored (it names lek: the officer
    reads the file before handing it over). pim asked for bua: bua is "subject, withheld"."""
    town, actors, _ = seed()
    out = tmp_path / "mali.json"
    access.export(actors["admin"], scenario.PEOPLE["mali"].doc_number, out)
    data = json.loads(out.read_text(encoding="utf-8"))
    by_ticket = {c["ticket_no"]: c for c in data["cases"]}
    lek_case = by_ticket[Case.get_by_id(town.cases["lek"]).ticket_no]
    assert lek_case["your_roles"] == ["subject"]
    assert lek_case["other_people"] == [{"role": "requester", "details": "withheld"}]
    raw = out.read_text(encoding="utf-8")
    assert lek_case["description"] == scenario.TEXT["lek"][0]
    details = [s for s in scenario.strings_of("lek", index_forms=False)
               if not any(s in text for text in scenario.TEXT["lek"])]
    assert details and [s for s in details if s in raw] == []

    out = tmp_path / "pim.json"
    access.export(actors["admin"], scenario.PEOPLE["pim"].doc_number.lower(), out)  # a passport, typed in lower case
    case = json.loads(out.read_text(encoding="utf-8"))["cases"][0]
    assert case["your_roles"] == ["requester"] and case["other_people"] == [{"role": "subject", "details": "withheld"}]
    pims = scenario.strings_of("pim", index_forms=False)  # her own story names bua; her family name is bua's
    buas = [s for s in scenario.strings_of("bua", index_forms=False) if not any(s in text for text in pims)]
    assert buas == ["902/23"] and buas[0] not in out.read_text(encoding="utf-8")


def test_the_document_is_found_however_it_is_typed(db, tmp_path):
    town, actors, again = seed()
    plain = ANAN.doc_number
    for n, typed in enumerate((plain, format_national_id(plain), to_thai_digits(format_national_id(plain)),
                               " ".join([plain[:1], plain[1:5], plain[5:10], plain[10:12], plain[12]]))):
        out = tmp_path / f"{n}.json"
        access.export(actors["admin"], typed, out)
        assert {p["record"] for p in json.loads(out.read_text(encoding="utf-8"))["people"]} == \
               {town.ids["anan"], town.ids["anan_dup"], again}, typed
    with pytest.raises(NotFound):
        access.export(actors["admin"], "1-1111-11111-11-1", tmp_path / "none.json")
    with pytest.raises(ValidationError):
        access.export(actors["admin"], " - ", tmp_path / "none.json")
    assert not (tmp_path / "none.json").exists()


def test_only_an_admin_may_export(db, tmp_path):
    _town, actors, _ = seed()
    for who in (None, actors["volunteer"], actors["officer"], actors["supervisor"]):
        with pytest.raises(PermissionDenied):
            access.export(who, ANAN.doc_number, tmp_path / "x.json")
    assert not (tmp_path / "x.json").exists()
    assert AuditLog.select().where(AuditLog.action == "person_export").count() == 0


def test_an_existing_file_is_never_overwritten(db, tmp_path):
    _town, actors, _ = seed()
    out = tmp_path / "there.json"
    out.write_text("keep me", encoding="utf-8")
    with pytest.raises(KioskError) as err:
        access.export(actors["admin"], ANAN.doc_number, out)
    assert err.value.key == "privacy.export_exists" and out.read_text(encoding="utf-8") == "keep me"
    assert AuditLog.select().where(AuditLog.action == "person_export").count() == 0  # no file, no audit row


def test_a_missing_folder_is_named(db, tmp_path):
    _town, actors, _ = seed()
    out = tmp_path / "not-made" / "x.json"
    with pytest.raises(KioskError) as err:
        access.export(actors["admin"], ANAN.doc_number, out)
    assert err.value.key == "privacy.export_no_folder" and err.value.params["folder"] == str(out.parent)
    assert not out.parent.exists()
    assert AuditLog.select().where(AuditLog.action == "person_export").count() == 0


def kiosk(*args: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    return subprocess.run([sys.executable, str(ROOT / "kiosk.py"), *args], capture_output=True, text=True,
                          timeout=120, env=environ, cwd=ROOT, preexec_fn=lambda: os.umask(0o022))


def test_cli_writes_a_private_file_with_readable_thai(db, config_file, tmp_path):
    seed()
    db.close()
    out = tmp_path / "export.json"
    done = kiosk("--config", str(config_file), "person-export", "--doc", format_national_id(ANAN.doc_number),
                 "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "Wrote the person's data" in done.stdout and "เขียนข้อมูลของผู้ขอแล้ว" in done.stdout
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    raw = out.read_text(encoding="utf-8")
    assert ANAN.first_name in raw and "\\u0e" not in raw  # Thai as Thai, not \u escapes
    assert json.loads(raw)["format"] == access.FORMAT

    again = kiosk("--config", str(config_file), "person-export", "--doc", ANAN.doc_number, "--out", str(out))
    assert again.returncode == 2 and "already exists" in again.stderr and "มีไฟล์" in again.stderr

    missing = tmp_path / "nobody.json"
    nobody = kiosk("--config", str(config_file), "person-export", "--doc", "๑-๑๑๑๑-๑๑๑๑๑-๑๑-๑", "--out", str(missing))
    assert nobody.returncode == 2 and "No one on file" in nobody.stderr and "Traceback" not in nobody.stderr
    assert not missing.exists()
