"""At the counter of a joint centre the address decides the LAO a request is filed under (an
LAO's own officer files for their LAO); a single-LAO centre files everything under its host."""

from __future__ import annotations

from dataclasses import replace

import pytest

from db.models import Case, Staff
from kiosk.services import intake
from kiosk.services import staff as staff_service
from tests.conftest import STAFF_PASSWORD, add_actor

from .conftest import org_id


def form(subdistrict_code: str) -> intake.IntakeForm:
    return intake.IntakeForm(consent=True, area="disaster", subtype="flood", prefix="นาย", first_name="สมชาย",
                             last_name="ใจดี", doc_type="national_id", doc_number="1101700230708",
                             phone="081-234-5678", house_no="12/3", moo="5", subdistrict_code=subdistrict_code,
                             description="น้ำท่วมบ้าน")


@pytest.fixture
def joint(joint_settings):
    return joint_settings


def test_the_address_decides_the_lao_and_the_host_takes_the_rest(joint):
    assert [lao.ticket_prefix for lao in joint.laos] == ["WPK", "PPA"]
    assert intake.submit(joint, form("570903")).ticket_no.startswith("PPA-")
    assert intake.submit(joint, form("570906")).ticket_no.startswith("WPK-")
    assert intake.submit(joint, form("100101")).ticket_no.startswith("WPK-")  # no member LAO there: the host


def test_an_laos_officer_files_for_their_lao(joint):
    officer = add_actor("officer.ppa", "officer")
    Staff.update(organization=org_id("PPA")).where(
        Staff.id == officer.id).execute()
    officer = staff_service.login("officer.ppa", STAFF_PASSWORD)
    made = intake.submit(joint, form("570906"), actor=officer)
    assert made.ticket_no.startswith("PPA-")
    assert Case.get_by_id(made.id).organization.ticket_prefix == "PPA"


def test_one_lao_files_everything_under_the_host(db, settings):
    assert intake.submit(settings, replace(form("570903"))).ticket_no.startswith("WPK-")


def test_the_receipt_names_the_lao_the_request_was_filed_under(joint, tmp_path):
    from kiosk.services.receipt import build_receipt, save_receipt_files
    from tests.paperwork.pdf import pdf_text

    made = intake.submit(joint, form("570903"))
    receipt = build_receipt(joint, made, "flood")
    assert receipt.centre_name.startswith("องค์การบริหารส่วนตำบลโป่งผา · ")
    _png, pdf = save_receipt_files(joint, receipt)
    text = pdf_text(pdf)
    assert "องค์การบริหารส่วนตำบลโป่งผา" in text and made.ticket_no in text
    assert build_receipt(joint, made, "flood", "en").centre_name.startswith("Pong Pha SAO · ")


def test_with_one_lao_the_receipt_names_the_centre_as_before(db, settings):
    from kiosk.services.receipt import build_receipt

    made = intake.submit(settings, form("570906"))
    assert build_receipt(settings, made, "flood").centre_name == settings.centre_name("th")
