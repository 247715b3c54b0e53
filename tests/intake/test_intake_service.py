"""The intake service: every step's fields checked with field-level errors, the form stored as
person(s) + case + event with its PDPA basis, the staff look-up, the receipt."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from db.models import AuditLog, Case, CaseEvent, Person
from kiosk.errors import PermissionDenied, ValidationError
from kiosk.i18n import catalogue
from kiosk.services import intake, person_view, receipt
from kiosk.services.privacy_notice import privacy_notice

from .helpers import national_id

ID = national_id("110170020345")


def good_form(**changes) -> intake.IntakeForm:
    form = intake.IntakeForm(consent=True, area="disaster", subtype="flood", prefix="นาย", first_name="สมชาย",
                             last_name="ใจดี", doc_type="national_id", doc_number=ID, phone="081-234-5678",
                             house_no="12/3", moo="๕", subdistrict_code="570906", description="น้ำท่วมบ้าน")
    return replace(form, **changes)


def test_a_good_form_passes_every_step():
    assert intake.first_invalid_step(good_form()) is None


@pytest.mark.parametrize(("changes", "step", "field", "key"), [
    ({"consent": None}, "consent", "consent", "intake.consent_required"),
    ({"consent": False}, "consent", "consent", "intake.consent_required"),
    ({"area": "nonsense"}, "category", "area", "intake.choose_one"),
    ({"subtype": "storm", "area": "disease"}, "subtype", "subtype", "intake.choose_one"),
    ({"first_name": "   "}, "identity", "first_name", "intake.name_required"),
    ({"first_name": "1234"}, "identity", "first_name", "intake.name_letters"),
    ({"last_name": "ก" * 81}, "identity", "last_name", "intake.too_long"),
    ({"prefix": "นาย1"}, "identity", "prefix", "intake.prefix_unknown"),  # any title, letters only
    ({"doc_number": "1101700203451"}, "identity", "doc_number", "thai.id_checksum"),
    ({"doc_type": "none", "doc_number": "123"}, "identity", "doc_number", "thai.document_none_has_number"),
    ({"doc_type": "alien"}, "identity", "doc_type", "intake.choose_one"),
    ({"birth_date": "31/02/2500"}, "identity", "birth_date", "thai.date_day_range"),
    ({"birth_date": "01/01/1990"}, "identity", "birth_date", "thai.date_looks_ce"),
    ({"phone": "12345"}, "contact", "phone", "thai.phone_invalid"),
    ({"phone": "", "house_no": ""}, "contact", "phone", "intake.contact_required"),
    ({"house_no": "abc"}, "contact", "house_no", "thai.house_no_format"),
    ({"moo": "100"}, "contact", "moo", "thai.moo_range"),
    ({"subdistrict_code": "999999"}, "contact", "subdistrict_code", "thai.address_unknown_subdistrict"),
    ({"subject_is_requester": False}, "subject", "subject_first_name", "intake.name_required"),
    ({"subject_is_requester": False, "subject_first_name": "มาลี"}, "subject", "relationship", "intake.choose_one"),
    ({"subject_is_requester": False, "subject_first_name": "มาลี", "relationship": "child", "subject_moo": "x"},
     "subject", "subject_moo", "thai.moo_range"),
    ({"description": " \x1b "}, "situation", "description", "intake.text_required"),
    ({"occurred_on": "01/01/2600"}, "situation", "occurred_on", "intake.date_future"),
    ({"household_size": "0"}, "situation", "household_size", "intake.household_range"),
    ({"vulnerabilities": {"disability_seeing"}}, "situation", "sensitive_consent", "intake.sensitive_consent_needed"),
    ({"vulnerabilities": {"dragon"}}, "situation", "vulnerabilities", "intake.choose_one"),
    ({"urgency": "whenever"}, "situation", "urgency", "intake.choose_one"),
    ({"help_requested": "x" * 201}, "situation", "help_requested", "intake.too_long"),
])
def test_each_field_says_what_is_wrong(changes, step, field, key):
    errors = intake.check_step(step, good_form(**changes))
    assert field in errors and errors[field].key == key and errors[field].field == field
    assert key in catalogue("th") and key in catalogue("en")


def test_thai_digits_and_other_documents_are_accepted(db):
    form = good_form(doc_type="pink_card", doc_number="๐๐๑๒๓๔๕๖๗๘๙๐๑", phone="๐๘๑๒๓๔๕๖๗๘", household_size="๔")
    built = intake.build(form)
    assert built.requester.doc_number == "0012345678901" and built.requester.phone == "+66812345678"
    assert built.case.household_size == 4 and built.requester.moo == 5


def test_someone_else_keeps_only_name_house_and_moo():
    form = good_form(subject_is_requester=False, relationship="parent", subject_first_name="บุญมี",
                     subject_house_no="7", subject_moo="2")
    subject = intake.build(form).subject
    assert (subject.first_name, subject.house_no, subject.moo) == ("บุญมี", "7", 2)
    assert subject.doc_number == "" and subject.phone == "" and subject.birth_date is None


def test_health_details_record_explicit_consent_and_basis(db, settings):
    form = good_form(vulnerabilities={"bedbound", "elderly"}, sensitive_consent=True)
    created = intake.submit(settings, form)
    case = Case.get_by_id(created.id)
    assert case.sensitive_consent and case.legal_basis == intake.BASIS_WITH_CONSENT
    assert case.vulnerabilities == "elderly,bedbound" and case.channel == "kiosk"
    plain = Case.get_by_id(intake.submit(settings, good_form()).id)
    assert not plain.sensitive_consent and plain.legal_basis == intake.BASIS_PUBLIC_TASK


def test_refused_consent_stores_nothing(db, settings):
    before = (Person.select().count(), Case.select().count(), CaseEvent.select().count())
    with pytest.raises(intake.IntakeInvalid) as caught:
        intake.submit(settings, good_form(consent=False))
    assert "consent" in caught.value.errors
    assert (Person.select().count(), Case.select().count(), CaseEvent.select().count()) == before


def test_hostile_text_is_stored_literally_without_control_characters(db, settings):
    form = good_form(first_name="[@click=app.quit]x[/]", last_name="[b", description="\x1b[2Jล้าง\x07หน้าจอ")
    case = Case.get_by_id(intake.submit(settings, form).id)
    assert case.requester.first_name == "[@click=app.quit]x[/]" and case.requester.last_name == "[b"
    assert case.description == "[2Jล้างหน้าจอ"


def test_staff_lookup_finds_by_id_or_phone_and_is_audited(db, settings, clerk):
    intake.submit(settings, good_form())
    by_id = person_view.find_returning_person(clerk, "1-1017-00203-45-" + ID[-1])
    by_phone = person_view.find_returning_person(clerk, "๐๘๑ ๒๓๔ ๕๖๗๘")
    assert by_id and by_phone and by_id.id == by_phone.id
    assert by_id.doc_masked == "x-xxxx-xxxxx-45-" + ID[-1] and "สมชาย" in by_id.display_name
    assert person_view.find_returning_person(clerk, "0899999999") is None
    assert AuditLog.select().where(AuditLog.action == "person_lookup", AuditLog.actor == "clerk").count() == 3
    filled = intake.prefill(intake.IntakeForm(consent=True), by_id)
    assert filled.first_name == "สมชาย" and filled.phone == "081-234-5678" and filled.requester_id == by_id.id
    with pytest.raises(ValidationError):
        person_view.find_returning_person(clerk, "  ")


def test_lookup_and_reuse_need_staff(db, settings, clerk):
    with pytest.raises(PermissionDenied):
        person_view.find_returning_person(None, ID)
    first = intake.submit(settings, good_form())
    person_id = Case.get_by_id(first.id).requester_id
    with pytest.raises(PermissionDenied):
        intake.submit(settings, good_form(requester_id=person_id))
    again = Case.get_by_id(intake.submit(settings, good_form(requester_id=person_id), actor=clerk).id)
    assert again.requester_id == person_id and again.channel == "counter"
    assert Person.select().count() == 1


def test_receipt_in_both_languages(db, settings):
    created = intake.submit(settings, good_form())
    th = receipt.build_receipt(settings, created, "flood", "th")
    en = receipt.build_receipt(settings, created, "info_advice", "en")
    assert th.tracking_url == f"{settings.public_base_url}/t/{created.token}" and th.ticket_no == created.ticket_no
    assert th.category_label == catalogue("th")["category.flood"]
    assert "committee" not in en.next_steps and en.category_label == "Information / advice"
    assert th.created_at.utcoffset().total_seconds() == 7 * 3600


def test_privacy_notice_says_it_is_a_sample_and_names_the_basis():
    th, en = privacy_notice("th"), privacy_notice("en")
    assert "ตัวอย่าง" in th and "มาตรา 24" in th and "มาตรา 26" in th
    assert "sample" in en.lower() and "section 24" in en and "section 26" in en


TEXT = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x0E7F) | st.sampled_from("๐๑๒๓๔๕๖๗๘๙-/ ่้ำ"),
               max_size=30)
FORMS = st.builds(
    intake.IntakeForm, consent=st.sampled_from([None, True, False]), area=st.sampled_from(["", *intake.AREAS, "x"]),
    subtype=st.sampled_from(["", "flood", "elderly", "zzz"]), prefix=TEXT, first_name=TEXT, last_name=TEXT,
    doc_type=st.sampled_from([*intake.DOC_TYPES, "?"]), doc_number=TEXT, birth_date=TEXT, phone=TEXT,
    house_no=TEXT, moo=TEXT, village=TEXT, soi=TEXT, road=TEXT, subdistrict_code=TEXT,
    subject_is_requester=st.booleans(), relationship=st.sampled_from(["", *intake.RELATIONSHIPS, "boss"]),
    subject_first_name=TEXT, subject_house_no=TEXT, subject_moo=TEXT, description=TEXT, occurred_on=TEXT,
    household_size=TEXT, vulnerabilities=st.sets(st.sampled_from([*intake.VULNERABILITIES, "nope"])),
    sensitive_consent=st.booleans(), help_requested=TEXT, help_received=TEXT,
    urgency=st.sampled_from([*intake.URGENCIES, "later"]))


@hsettings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FORMS)
def test_any_input_gives_field_errors_or_data_never_a_crash(form):
    """Garbage in every field → each step returns ValidationErrors keyed by its field (with a
    catalogue key), and build() either succeeds or raises IntakeInvalid listing them."""
    collected = {}
    for step in intake.STEPS:
        errors = intake.check_step(step, form)
        for field, error in errors.items():
            assert isinstance(error, ValidationError) and error.field == field
            assert error.key in catalogue("th"), error.key
        collected.update(errors)
    try:
        built = intake.build(form)
    except intake.IntakeInvalid as exc:
        assert exc.errors.keys() == collected.keys()
    else:
        assert not collected and built.requester.first_name

