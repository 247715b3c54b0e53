"""The request form and the receipt voucher, read back with pdftotext (Thai text, names, the
amount in figures and words, the limit and the supervisor's reason) and drawn with pdftoppm;
printing is for officers, audited, and the files are private."""

from __future__ import annotations

import pytest

from db.models import AuditLog
from kiosk.errors import NotFound, PermissionDenied
from kiosk.services import paperwork
from kiosk.services.workflow import Step, perform
from tests.conftest import HOSTILE, file_mode

from .conftest import BUNMEE, new_case, person, version
from .pdf import pdf_text, rendered_pages, squeeze
from .test_aid_limits import LIMITS


def test_request_form_is_filled_from_the_case(db, settings, actors, tmp_path, umask_022):
    cid = new_case(subject=person("ทองดี", "ใจดี", prefix="นาย"))
    path = paperwork.request_form(actors["officer"], settings, cid, tmp_path / "forms")
    assert path.name == "request-WPK-69-00001.pdf" and file_mode(path) == 0o600
    text = pdf_text(path)
    for expected in ("คำร้องขอรับความช่วยเหลือ", "เทศบาลตำบลเวียงพางคำ", "เรียนนายกเทศมนตรีตำบลเวียงพางคำ",
                     "เลขที่คำร้องWPK-69-00001", "ข้าพเจ้านางบุญมีใจดี", "1-1017-00230-70-8", "081-234-5678",
                     "12/3หมู่ที่3บ้านสันทรายตำบลเวียงพางคำอำเภอแม่สายจังหวัดเชียงราย57130",
                     "ขอยื่นคำร้องแทน(บุตร)นายทองดีใจดี", "ด้านการส่งเสริมและพัฒนาคุณภาพชีวิต",
                     squeeze("ผู้สูงอายุอยู่ลำพัง ไม่มีผู้ดูแล"), "ถุงยังชีพและเงินค่าอาหาร", "20พฤศจิกายน2569",
                     "กลุ่มเปราะบางในครัวเรือน:ผู้สูงอายุ,ไม่มีผู้ดูแล", "มาตรา26)แล้ว", "(นางบุญมีใจดี)",
                     "ผู้ยื่นคำร้อง", "เจ้าหน้าที่ผู้รับคำร้อง", "หน้า1/1"):
        assert expected in text, expected
    assert text.count("ลงชื่อ") == 2
    rendered_pages(path, tmp_path)
    views = AuditLog.select().where(AuditLog.action == "person_view", AuditLog.detail == "WPK-69-00001").count()
    assert views == 2
    assert AuditLog.select().where(AuditLog.action == "form_request", AuditLog.target_id == str(cid)).count() == 1


def test_hostile_text_is_printed_as_text(db, settings, actors, tmp_path):
    cid = new_case(description=" ".join(HOSTILE[:4]), help_requested="[b")
    text = pdf_text(paperwork.request_form(actors["officer"], settings, cid, tmp_path))
    assert "[@click=app.quit]x[/]" in text and "[bold]x" in text


def deliver(actor, cid, **values):
    perform(actor, cid, Step("deliver", version(cid), public_note="มอบแล้ว", **values), limits=LIMITS)


def test_voucher_has_the_amount_in_figures_and_words_items_and_three_signatures(db, settings, actors, tmp_path):
    cid = new_case(status="approved")
    deliver(actors["officer"], cid, amount="2,500.50", items="ข้าวสาร 5 กก. น้ำดื่ม 2 แพ็ค")
    path = paperwork.voucher(actors["officer"], settings, cid, tmp_path)
    assert path.name == "voucher-WPK-69-00001.pdf"
    text = pdf_text(path)
    for expected in ("ใบสำคัญรับเงิน", "ข้าพเจ้านางบุญมีใจดี", "ได้รับความช่วยเหลือจากเทศบาลตำบลเวียงพางคำ",
                     "2,500.50", "(สองพันห้าร้อยบาทห้าสิบสตางค์)", "ข้าวสาร5กก.น้ำดื่ม2แพ็ค",
                     "ผู้รับเงิน/สิ่งของ", "ผู้จ่ายเงิน/สิ่งของ", "พยาน", "(officername)",
                     "ไม่เกิน3,000.00บาท/ครั้ง", "ระเบียบกระทรวงมหาดไทย"):
        assert expected in text, expected
    assert text.count("ลงชื่อ") == 3 and "เกินเกณฑ์" not in text
    rendered_pages(path, tmp_path)
    assert AuditLog.select().where(AuditLog.action == "form_voucher").count() == 1


def test_voucher_over_the_limit_shows_the_supervisors_reason(db, settings, actors, tmp_path):
    cid = new_case(status="approved")
    deliver(actors["supervisor"], cid, amount="5000", over_limit_reason="บ้านถูกไฟไหม้ทั้งหลัง")
    text = pdf_text(paperwork.voucher(actors["officer"], settings, cid, tmp_path))
    assert "(ห้าพันบาทถ้วน)" in text and "5,000.00" in text
    assert "ให้เกินเกณฑ์ตามระเบียบเหตุผล(หัวหน้าศูนย์บันทึก):บ้านถูกไฟไหม้ทั้งหลัง" in text


def test_goods_only_is_a_receipt_for_goods(db, settings, actors, tmp_path):
    cid = new_case(status="approved")
    deliver(actors["officer"], cid, items="ถุงยังชีพ 1 ชุด")
    text = pdf_text(paperwork.voucher(actors["officer"], settings, cid, tmp_path))
    assert "ใบสำคัญรับสิ่งของ" in text and "ถุงยังชีพ1ชุด" in text and "ตัวอักษร" not in text


def test_no_voucher_before_help_is_delivered_and_none_for_volunteers(db, settings, actors, tmp_path):
    cid = new_case()
    with pytest.raises(NotFound) as err:
        paperwork.voucher(actors["officer"], settings, cid, tmp_path)
    assert err.value.key == "forms.no_handover" and err.value.params["ticket"] == "WPK-69-00001"
    with pytest.raises(PermissionDenied):
        paperwork.request_form(actors["volunteer"], settings, cid, tmp_path)
    assert not list(tmp_path.glob("*.pdf"))


def test_a_ticket_as_typed_finds_the_case_and_an_unknown_one_says_so(db, actors):
    cid = new_case(who=BUNMEE)
    assert paperwork.case_for_ticket(actors["officer"], " wpk-69-00001 ") == cid
    with pytest.raises(NotFound) as err:
        paperwork.case_for_ticket(actors["officer"], "WPK-69-09999")
    assert err.value.key == "forms.no_case" and err.value.params["ticket"] == "WPK-69-09999"
