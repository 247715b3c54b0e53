"""`kiosk.py form` and `kiosk.py agenda` run for real (a separate process on the test's database):
exit codes, the file named on stdout, a wrong ticket or a case with no help handed over a Thai
sentence on stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

from db.models import Case
from kiosk.services.workflow import Step, perform
from tests.test_cli import kiosk

from .conftest import new_case, person, version
from .pdf import pdf_text


def test_form_request_and_voucher(db, config_file, actors, tmp_path):
    cid = new_case(status="approved")
    perform(actors["officer"], cid, Step("deliver", version(cid), amount="1500", items="ข้าวสาร",
                                         public_note="มอบแล้ว"))
    out = tmp_path / "out"
    done = kiosk("--config", str(config_file), "form", "WPK-69-00001", "--kind", "request", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "บันทึกแบบฟอร์มแล้ว" in done.stdout and str(out / "request-WPK-69-00001.pdf") in done.stdout
    assert "คำร้องขอรับความช่วยเหลือ" in pdf_text(out / "request-WPK-69-00001.pdf")
    done = kiosk("--config", str(config_file), "form", "wpk-69-00001", "--kind", "voucher", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "(หนึ่งพันห้าร้อยบาทถ้วน)" in pdf_text(out / "voucher-WPK-69-00001.pdf")


def test_form_with_a_wrong_ticket_or_no_help_yet_says_so_in_thai(db, config_file, tmp_path):
    new_case()
    done = kiosk("--config", str(config_file), "form", "WPK-69-00077", "--out", str(tmp_path))
    assert done.returncode == 2 and "ไม่พบคำขอเลขที่ WPK-69-00077\nNo request numbered WPK-69-00077" in done.stderr
    assert "Traceback" not in done.stderr
    done = kiosk("--config", str(config_file), "form", "WPK-69-00001", "--kind", "voucher", "--out", str(tmp_path))
    assert done.returncode == 2 and "ยังไม่มีการบันทึกการให้ความช่วยเหลือ" in done.stderr
    done = kiosk("--config", str(config_file), "form", "WPK-69-00001", "--kind", "receipt", "--out", str(tmp_path))
    assert done.returncode == 2 and "invalid choice" in done.stderr
    assert not list(tmp_path.glob("*.pdf"))


def test_agenda_lists_the_cases_awaiting_the_committee(db, config_file, tmp_path):
    waiting = [new_case(who=person(first), status="awaiting_committee") for first in ("บุญมี", "สมศรี")]
    new_case(who=person("ทองดี"), status="received")
    done = kiosk("--config", str(config_file), "agenda", "--out", str(tmp_path / "agenda"))
    assert done.returncode == 0, done.stderr
    assert "(2 ราย)" in done.stdout
    [path] = (tmp_path / "agenda").glob("agenda-WPK-25*.pdf")
    text = pdf_text(path)
    assert "บัญชีคำร้องขอรับความช่วยเหลือเพื่อเสนอคณะกรรมการพิจารณา" in text and "จำนวน2ราย" in text
    for cid in waiting:
        assert Case.get_by_id(cid).ticket_no in text
    assert "นางบุญมีใจดี" in text and "นางสมศรีใจดี" in text and "นางทองดี" not in text
    assert "มติที่ประชุม" in text and "เลขานุการคณะกรรมการ" in text


def test_agenda_for_an_unknown_lao_says_which_there_are(db, config_file, tmp_path):
    done = kiosk("--config", str(config_file), "agenda", "--lao", "XYZ", "--out", str(tmp_path))
    assert done.returncode == 2 and "ไม่พบ อปท. ที่ใช้อักษร XYZ (ที่มี: WPK)" in done.stderr
    done = kiosk("--config", str(config_file), "agenda", "--lao", "wpk", "--out", str(tmp_path))
    assert done.returncode == 0 and "(0 ราย)" in done.stdout
