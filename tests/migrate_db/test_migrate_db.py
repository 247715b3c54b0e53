"""`kiosk.py migrate-db`: a centre's SQLite database copied into PostgreSQL, merged with other
LAOs, verified, safe to re-run, all or nothing, and usable by the app afterwards."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import psycopg
import pytest

from db.models import Announcement, AuditLog, Case, Organization, Person, Staff
from kiosk.cli import main
from kiosk.services import public_case, queue, search
from kiosk.services import staff as staff_service
from kiosk.services.audit import verify_chain
from kiosk.services.cases import CaseData, create_case
from kiosk.services.people import PersonData
from tests.conftest import file_mode

from .conftest import add_cases, centre_config, close_bound, fill_centre, snapshot

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"


def migrate(config: Path, url: str, *extra: str) -> int:
    rc = main(["--config", str(config), "migrate-db", "--to", url, *extra])
    return rc


def sqlite_counts(config: Path) -> dict[str, int]:
    with sqlite3.connect(config.parent / "kiosk.sqlite3") as conn:
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                for t in ("person", "case", "case_event", "survey_record", "household", "audit_log")}


@pytest.fixture
def wpk(tmp_path) -> Path:
    config = centre_config(tmp_path / "wpk")
    fill_centre(config, cases=20)
    return config


@pytest.fixture
def nkl(tmp_path) -> Path:
    config = centre_config(tmp_path / "nkl", "NKL")
    fill_centre(config, cases=12, households=2)
    return config


def test_round_trip_of_a_demo_centre(wpk, pg_url, capsys):
    source = sqlite_counts(wpk)
    assert migrate(wpk, pg_url) == 0
    out = capsys.readouterr().out
    table = [line for line in out.splitlines() if line.split()[:1] and line.split()[0] in
             ("person", "case", "audit_log", "survey_record")]
    assert len(table) == 4 and all(line.endswith(" ok") for line in table)
    assert "Copied" in out and "The audit log is intact" in out
    with sqlite3.connect(wpk.parent / "kiosk.sqlite3") as conn:  # no personal data on stdout
        names = {n for (n,) in conn.execute("SELECT first_name || ' ' || last_name FROM person")}
        docs = {d for (d,) in conn.execute("SELECT doc_number FROM person WHERE doc_number <> ''")}
    assert not any(n in out for n in names) and not any(d in out for d in docs)
    target = snapshot(pg_url)
    for table_name, n in source.items():
        expected = n + (1 if table_name == "audit_log" else 0)  # + the migrate_db event
        assert target[table_name] == expected, table_name
    assert target["person_search"] == source["person"] and target["case_search"] == source["case"]
    reports = list(wpk.parent.glob("migrate-db-*.txt"))
    assert len(reports) == 1 and file_mode(reports[0]) == 0o600
    assert "source audit head" in reports[0].read_text(encoding="utf-8")
    assert verify_chain().ok  # the models are bound to the target now
    close_bound()
    assert main(["--config", str(_pg_config(wpk, pg_url)), "audit-verify"]) == 0


def _pg_config(source_config: Path, url: str) -> Path:
    """A joint centre's kiosk.toml on `url` serving WPK and NKL."""
    folder = source_config.parent.parent / "joint"
    folder.mkdir(exist_ok=True)
    folder.chmod(0o700)
    text = source_config.read_text(encoding="utf-8").replace(f"sqlite:///{source_config.parent}/kiosk.sqlite3", url)
    extra = ('\n[[lao]]\nsubdistrict_code = "570907"\nname_th = "องค์การบริหารส่วนตำบลหนองแก้ว"\nkind = "sao"\n'
             'ticket_prefix = "NKL"\n')
    path = folder / "kiosk.toml"
    path.write_text(text.replace("\n[[agency]]", extra + "\n[[agency]]", 1), encoding="utf-8")
    path.chmod(0o600)
    return path


def test_the_copied_data_works(wpk, pg_url):
    assert migrate(wpk, pg_url) == 0
    wpk_id = Organization.get(Organization.ticket_prefix == "WPK").id
    officer = staff_service.login("officer", "demo-officer-2569", "test")
    assert officer.lao_ids == (wpk_id,)  # a one-LAO centre's account is of that LAO in the joint centre
    page = queue.list_cases(officer)
    assert page.total == 20
    last = Case.select().order_by(Case.seq.desc()).first()
    assert public_case.by_ticket_no(last.ticket_no).ticket_no == last.ticket_no
    subject = Person.get_by_id(last.subject_id)
    assert last.subject_id in search.people_matching(f"{subject.first_name} {subject.last_name}")
    made = create_case("WPK", CaseData(category="flood", description="น้ำท่วมบ้าน", occurred_on=date(2026, 11, 1)),
                       PersonData(prefix="นาย", first_name="ทดสอบ", last_name="ย้ายฐาน"))
    assert Case.get_by_id(made.id).seq == last.seq + 1  # gapless after the copied tickets
    assert {a.title for a in Announcement.select().where(Announcement.organization == wpk_id)} == \
        {"ประกาศ WPK", "ประกาศทั้งศูนย์"}
    assert verify_chain().ok


def test_two_centres_merge_into_one_database(wpk, nkl, pg_url, capsys):
    assert migrate(nkl, pg_url) == 0
    close_bound()
    assert migrate(wpk, pg_url) == 0
    out = capsys.readouterr().out
    assert "4 staff accounts have a username" in out
    orgs = {o.ticket_prefix: o.id for o in Organization.select()}
    assert set(orgs) == {"WPK", "NKL"}
    assert Case.select().where(Case.organization == orgs["WPK"]).count() == 20
    assert Case.select().where(Case.organization == orgs["NKL"]).count() == 12
    # the second centre's demo accounts are other people's: copied under another name, not merged
    assert Staff.get(Staff.username == "officer").organization_id == orgs["NKL"]
    assert Staff.get(Staff.username == "officer.wpk").organization_id == orgs["WPK"]
    officer_b = staff_service.login("officer", "demo-officer-2569", "test")
    assert {r.ticket_no[:3] for r in queue.list_cases(officer_b, page_size=100).rows} == {"NKL"}
    report = sorted(wpk.parent.glob("migrate-db-*.txt"))[-1].read_text(encoding="utf-8")
    assert "officer copied as officer.wpk" in report
    # WPK's audited view of its case 1 names that case's new id, and the account's new name
    view = AuditLog.select().where(AuditLog.action == "case_view").order_by(AuditLog.id.desc()).first()
    first = Case.get(Case.organization == orgs["WPK"], Case.seq == 1)
    assert (view.actor, view.target_id) == ("officer.wpk", str(first.id)) and first.id != 1
    assert verify_chain().ok


def test_rerun_copies_nothing(wpk, pg_url, capsys):
    assert migrate(wpk, pg_url) == 0
    before = snapshot(pg_url)
    close_bound()
    capsys.readouterr()
    assert migrate(wpk, pg_url) == 0
    out = capsys.readouterr().out
    assert "Already copied" in out
    after = snapshot(pg_url)
    assert after["audit_log"] == before["audit_log"] + 1  # the run itself, recorded
    assert {k: v for k, v in after.items() if k not in ("audit_log", "audit_head")} == \
        {k: v for k, v in before.items() if k not in ("audit_log", "audit_head")}
    assert verify_chain().ok


def test_rerun_after_new_cases_copies_only_those(wpk, pg_url, capsys):
    assert migrate(wpk, pg_url) == 0
    close_bound()
    add_cases(wpk, 3)
    capsys.readouterr()
    assert migrate(wpk, pg_url) == 0
    out = capsys.readouterr().out
    case_line = next(line.split() for line in out.splitlines() if line.startswith("case "))
    assert case_line[1:5] == ["23", "3", "20", "0"] and case_line[-1] == "ok"
    assert Case.select().count() == 23
    assert len({c.ticket_no for c in Case.select()}) == 23
    assert "ticket_counter WPK" in out and out.split("ticket_counter WPK ")[1].split()[1] == "23"
    assert verify_chain().ok


def test_a_prefix_clash_is_refused(wpk, tmp_path, pg_url, capsys):
    other = centre_config(tmp_path / "other")
    other.write_text(other.read_text(encoding="utf-8").replace("เทศบาลตำบลเวียงพางคำ", "เทศบาลตำบลอื่น")
                     .replace(f"sqlite:///{other.parent}/kiosk.sqlite3", pg_url), encoding="utf-8")
    fill_centre(other, cases=2, households=0)  # a PostgreSQL centre whose WPK is another LAO
    close_bound()
    before = snapshot(pg_url)
    assert migrate(wpk, pg_url) == 2
    err = capsys.readouterr().err
    assert "WPK" in err and "ไม่ได้คัดลอก" in err and "Not copied" in err
    assert snapshot(pg_url) == before


def test_a_source_on_an_old_schema(tmp_path, pg_url, capsys):
    folder = tmp_path / "old"
    config = centre_config(folder)
    with sqlite3.connect(folder / "kiosk.sqlite3") as conn:
        conn.executescript((FIXTURES / "schema_v1_sample.sqlite.sql").read_text(encoding="utf-8"))
    rc = main(["migrate-db", "--from", f"sqlite:///{folder}/kiosk.sqlite3", "--to", pg_url])
    assert rc == 2 and "schema 1" in capsys.readouterr().err
    assert snapshot(pg_url)["migrate_map"] is None  # the target untouched
    assert migrate(config, pg_url) == 0  # through kiosk.toml: backed up, upgraded, copied
    assert list((folder / "backups").glob("before-schema-*"))


def test_kill_9_mid_copy_leaves_the_target_as_it_was(tmp_path, nkl, pg_url):
    assert migrate(nkl, pg_url) == 0
    close_bound()
    big = centre_config(tmp_path / "big")
    fill_centre(big, cases=300, households=10)
    before = snapshot(pg_url)
    env = dict(os.environ, KIOSK_CONFIG=str(big))
    proc = subprocess.Popen([sys.executable, str(ROOT / "kiosk.py"), "migrate-db", "--to", pg_url], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for line in proc.stderr:
        if line.strip() == "… case":  # the people are in, the cases are going in
            os.kill(proc.pid, signal.SIGKILL)
            break
    assert proc.wait(timeout=60) == -signal.SIGKILL
    assert snapshot(pg_url) == before
    assert migrate(big, pg_url) == 0  # and the run can simply be made again
    assert Case.select().count() == 312
    assert verify_chain().ok


def test_the_target_must_be_postgresql(wpk, tmp_path, capsys):
    assert migrate(wpk, f"sqlite:///{tmp_path}/x.sqlite3") == 2
    assert "postgresql://" in capsys.readouterr().err


def test_a_tampered_source_audit_log_is_refused(wpk, pg_url, capsys):
    with sqlite3.connect(wpk.parent / "kiosk.sqlite3") as conn:
        conn.execute("UPDATE audit_log SET detail = 'x' WHERE id = 2")
    assert migrate(wpk, pg_url) == 2
    assert "audit-verify" in capsys.readouterr().err
    assert psycopg.connect(pg_url).execute("SELECT to_regclass('migrate_map')").fetchone()[0] is None


def test_into_a_joint_centre_that_lists_the_lao_already(wpk, nkl, pg_url, capsys):
    from kiosk.services.setup import open_kiosk

    from .conftest import settings_of

    open_kiosk(settings_of(_pg_config(wpk, pg_url)))  # the joint centre started first: WPK and NKL rows
    create_case("NKL", CaseData(category="flood", description="น้ำท่วม", occurred_on=date(2026, 11, 1)),
                       PersonData(prefix="นาย", first_name="ทดสอบ", last_name="ศูนย์ร่วม"))
    close_bound()
    capsys.readouterr()
    assert migrate(wpk, pg_url) == 0
    org_line = next(line.split() for line in capsys.readouterr().out.splitlines() if line.startswith("organization"))
    assert org_line[1:5] == ["1", "0", "0", "1"]  # matched by prefix and name, not copied
    assert Organization.select().count() == 2
    close_bound()
    before = snapshot(pg_url)
    # the joint centre issued NKL's first ticket before NKL's own database was moved: refused
    assert migrate(nkl, pg_url) == 2
    err = capsys.readouterr().err
    assert "case.ticket_no" in err and "Nothing was written" in err
    assert snapshot(pg_url) == before


def test_rows_changed_since_the_copy_are_reported_not_overwritten(wpk, pg_url, capsys):
    assert migrate(wpk, pg_url) == 0
    close_bound()
    with sqlite3.connect(wpk.parent / "kiosk.sqlite3") as conn:
        ticket, status = conn.execute("SELECT ticket_no, status_id FROM \"case\" WHERE id = 3").fetchone()
        conn.execute("UPDATE \"case\" SET status_id = 'not_approved', version = version + 1 WHERE id = 3")
    capsys.readouterr()
    assert migrate(wpk, pg_url) == 1
    out = capsys.readouterr().out
    assert next(line for line in out.splitlines() if line.startswith("case ")).endswith("DIFFERS 1")
    assert next(line for line in out.splitlines() if line.startswith("person ")).endswith(" ok")
    assert "not overwritten" in out
    assert status != "not_approved" and Case.get(Case.ticket_no == ticket).status_id == status


def test_a_restore_from_before_the_copy_forgets_it(wpk, pg_url, tmp_path):
    """A joint centre restored to a backup taken before its first copy: the map goes with the
    copied rows (kiosk.services.backup counts migrate_map as its own), so the next run copies again."""
    from kiosk.services.backup import backup, restore
    from kiosk.services.setup import open_kiosk

    from .conftest import settings_of

    joint = settings_of(_pg_config(wpk, pg_url))
    open_kiosk(joint)
    close_bound()
    saved = backup(joint, tmp_path / "before.pgdump")
    assert migrate(wpk, pg_url) == 0
    close_bound()
    restore(joint, saved.path, force=True)
    assert snapshot(pg_url)["case"] == 0
    assert migrate(wpk, pg_url) == 0
    assert Case.select().count() == 20 and verify_chain().ok


def test_the_joint_centre_keeps_working_during_a_copy(tmp_path, wpk, pg_url):
    """Intakes for another LAO while a copy runs: both land, tickets stay gapless, the chain holds."""
    from kiosk.services.setup import open_kiosk

    from .conftest import settings_of

    big = centre_config(tmp_path / "big")
    fill_centre(big, cases=300, households=5)
    open_kiosk(settings_of(_pg_config(wpk, pg_url)))  # the joint centre, serving WPK and NKL
    proc = subprocess.Popen([sys.executable, str(ROOT / "kiosk.py"), "migrate-db", "--to", pg_url], cwd=ROOT,
                            env=dict(os.environ, KIOSK_CONFIG=str(big)), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    tickets = []
    for line in proc.stderr:
        if line.strip() == "… person" and not tickets:
            for i in range(5):
                made = create_case("NKL", CaseData(category="flood", description="น้ำท่วม", occurred_on=date(2026, 11, 1)),
                                   PersonData(prefix="นาย", first_name=f"ทดสอบ{i}", last_name="ระหว่างย้าย"))
                tickets.append(made.ticket_no)
    assert proc.wait(timeout=120) == 0
    assert [t[-5:] for t in tickets] == ["00001", "00002", "00003", "00004", "00005"]
    assert Case.select().count() == 305
    assert verify_chain().ok


def test_a_referral_and_a_request_key_come_across_under_the_targets_ids(wpk, nkl, pg_url):
    """Schema 9's columns: a referral's sending LAO (case_event.referred_from_id) names the LAO's
    id in the joint database (NKL copied first took id 1 there), so the sender still reads it
    there; the counter's request key comes with its case, and a retry there finds it."""
    from datetime import timedelta

    from kiosk.services import intake, scope, workflow
    from kiosk.services.setup import open_kiosk
    from kiosk.services.workflow import Step
    from kiosk.thai.dates import now_bangkok

    from .conftest import settings_of

    settings = settings_of(wpk)
    open_kiosk(settings)
    Organization.create(subdistrict_code="570902", name_th="องค์การบริหารส่วนตำบลห้วยไคร้", kind="sao",
                        ticket_prefix="HKR")
    form = intake.IntakeForm(consent=True, area="disaster", subtype="flood", first_name="บุญมา", doc_type="none",
                             phone="0891234567", subdistrict_code="570906", description="น้ำท่วมบ้าน")
    filed = intake.submit(settings, form)
    officer = staff_service.Actor(Staff.get(Staff.username == "officer").id, "officer", "", "officer", "test")
    workflow.perform(officer, filed.id, Step("refer", Case.get_by_id(filed.id).version, refer_to="lao:HKR",
                                             reason="เกินอำนาจหน้าที่",
                                             reply_due=now_bangkok().date() + timedelta(days=7)))
    close_bound()
    assert migrate(nkl, pg_url) == 0
    close_bound()
    assert migrate(wpk, pg_url) == 0
    orgs = {o.ticket_prefix: o.id for o in Organization.select()}
    assert orgs["NKL"] == 1 and orgs["WPK"] != 1
    case = Case.get(Case.ticket_no == filed.ticket_no)
    assert case.organization_id == orgs["HKR"] and case.request_key == form.request_key
    from db.models import CaseEvent

    step = CaseEvent.get(CaseEvent.case == case.id, CaseEvent.action == "refer")
    assert step.referred_from_id == orgs["WPK"]
    wpk_officer = staff_service.Actor(0, "x", "", "officer", "test", (orgs["WPK"],), ("WPK",))
    assert scope.referred_out_ids(wpk_officer) == [case.id]
    assert intake.submit(settings_of(wpk), form).ticket_no == filed.ticket_no  # bound to the target now
    assert Case.select().where(Case.request_key == form.request_key).count() == 1
