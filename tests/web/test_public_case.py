"""The one public-case lookup and presentation (kiosk.services.public_case) that the kiosk's track
screen and the status page share: every way a citizen identifies a case finds the same one, every
status reads in words in both languages, and the page draws exactly the presented lines."""

from __future__ import annotations

from datetime import datetime

import pytest

from db.reference import STATUSES
from kiosk.errors import NotFound, ValidationError
from kiosk.i18n import LANGUAGES
from kiosk.services.cases import CaseData, create_case
from kiosk.services.people import PersonData
from kiosk.services.public_case import PublicCase, PublicEvent, lookup, needs_last4, present, tracking_url
from kiosk.web.base import Tr
from kiosk.web.pages import esc
from kiosk.web.status import case_html

PERSON = PersonData(first_name="สมหญิง", last_name="ลับเฉพาะ", phone="+66891112233")


def test_token_link_short_code_and_ticket_with_digits_find_the_same_case(db, settings):
    made = create_case("WPK", CaseData(category="elderly"), PERSON, public_note="รับเรื่องแล้ว")
    found = {
        "token": lookup(token=made.token),
        "scanned link": lookup(typed=tracking_url(settings, made.token)),
        "short code": lookup(typed=made.short_code.lower()),
        "ticket + digits": lookup(typed=made.ticket_no.lower().replace("-", " "), last4="๒๒๓๓"),
    }
    assert {case.ticket_no for case in found.values()} == {made.ticket_no}
    assert len(set(found.values())) == 1  # the same case, timeline and all
    for wrong in (dict(typed=made.ticket_no, last4="0000"), dict(typed="WPK-69-99999", last4="2233"),
                  dict(token="A" * 20), dict(typed="0000-0000")):
        with pytest.raises(NotFound) as caught:
            lookup(**wrong)
        assert caught.value.key == "public_case.not_found"
    with pytest.raises(ValidationError) as caught:
        lookup(typed="garbage")
    assert caught.value.key == "public_case.ticket_format"


def test_a_ticket_without_letters_is_found_among_every_lao_with_that_number(db):
    """In a joint centre of many LAOs the same year and number is at each of them: typed without
    the LAO's letters, the phone digits pick the right one however many share it."""
    from db.models import Organization

    for n in range(30):
        Organization.create(subdistrict_code="570901", name_th=f"อบต.ทดสอบ {n}", kind="sao", ticket_prefix=f"T{n:02d}")
    made = [create_case(org.ticket_prefix, CaseData(category="elderly"),
                        PersonData(first_name="สมศรี", phone=f"08911{n:05d}"))
            for n, org in enumerate(Organization.select().order_by(Organization.id))]
    assert len({m.ticket_no.split("-", 1)[1] for m in made}) == 1  # 31 LAOs, one number
    last = made[-1]
    found = lookup(typed=last.ticket_no.split("-", 1)[1], last4=f"{len(made) - 1:04d}")
    assert found.ticket_no == last.ticket_no


def test_only_a_ticket_number_asks_for_the_phone_digits(settings):
    assert needs_last4("WPK-69-00123") and needs_last4("")
    assert not needs_last4("7KQ2M9XR") and not needs_last4(tracking_url(settings, "Q-ypylK2W8oSVFXzrRde"))


def _case(status: str) -> PublicCase:
    at = datetime(2026, 5, 1, 3, 0)
    return PublicCase("WPK-69-00001", "flood", "disaster", status, "open", "open", "WPK", at, at,
                      (PublicEvent(at, "received", ""), PublicEvent(at, status, "นัดตรวจพื้นที่")))


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("status", list(STATUSES))
def test_every_status_reads_in_words(status, lang):
    """What a status means and what happens next are keys built from the status: each exists."""
    view = present(_case(status), lang)
    texts = [text for line in view.lines for text in (line.label, line.value)]
    texts += [view.updated] + [text for step in view.steps for text in (step.when, step.status, step.note)]
    assert [t for t in texts if t.startswith(("public_case.", "status.", "category."))] == []
    assert [line.name for line in view.lines if not line.value] == ["timeline"]  # its steps follow


def test_the_status_page_draws_exactly_the_presented_lines():
    case = _case("field_check")
    html = case_html(case, Tr("en"))
    view = present(case, "en")
    for line in view.lines:
        assert esc(line.label) in html and esc(line.value) in html
    assert all(esc(step.when) in html for step in view.steps) and esc(view.updated) in html
    assert html.count("<li>") == len(view.steps) == 2
