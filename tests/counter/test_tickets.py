"""Ticket numbers as people type them (kiosk.tickets): every form a person might type finds the
case, in the staff search, the staff's "open by ticket", the kiosk's and the web's /track."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.services import case_view, public_case
from kiosk.services.cases import CaseData, create_case
from kiosk.services.people import PersonData
from kiosk.services.queue import QueueFilter, list_cases
from kiosk.thai.digits import to_thai_digits
from kiosk.tickets import TicketRef, parse_ticket

SEPARATORS = ("-", " ", "–", "/", ".", " - ")


@st.composite
def typed_forms(draw, prefix: str, year: int, seq: int) -> str:
    """One way of writing WPK-<year>-<seq>: letters or none, in any case, separators or none,
    the year in two or four digits, the number padded or not, Thai or Arabic digits."""
    letters = draw(st.sampled_from([prefix, prefix.lower(), prefix.title(), ""]))
    year_text = draw(st.sampled_from([f"{year:02d}", f"25{year:02d}"]))
    seq_text = draw(st.sampled_from([str(seq), f"{seq:05d}", f"{seq:03d}"]))
    sep1 = draw(st.sampled_from(("",) + SEPARATORS)) if letters else ""
    sep2 = draw(st.sampled_from(("",) + SEPARATORS))
    if not sep2 and (len(year_text) == 4 or (not letters and len(seq_text) != 5)):
        sep2 = "-"  # run together, only WPK6900001 / 6900001 say where the year ends
    text = f"{letters}{sep1}{year_text}{sep2}{seq_text}"
    if draw(st.booleans()):
        text = to_thai_digits(text)
    return draw(st.sampled_from(["", " ", "  "])) + text + draw(st.sampled_from(["", " ", "\t"]))


@given(prefix=st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=5), year=st.integers(0, 99),
       seq=st.integers(1, 99_999), data=st.data())
def test_every_typed_form_parses_to_the_ticket(prefix, year, seq, data):
    typed = data.draw(typed_forms(prefix, year, seq))
    ref = parse_ticket(typed)
    assert ref is not None, typed
    assert (ref.year, ref.seq) == (year, seq)
    assert ref.prefix in ("", prefix)
    assert ref.ticket_no(prefix) == f"{prefix}-{year:02d}-{seq:05d}"


@given(st.text(max_size=30))
def test_anything_else_is_none_or_a_ticket(text):
    ref = parse_ticket(text)
    assert ref is None or isinstance(ref, TicketRef)


def test_not_tickets():
    for text in ("", "WPK", "0812345678", "7KQ2M9XR", "สมชาย", "69", "WPK-69-00000", "1234-5678-9"):
        assert parse_ticket(text) is None, text


def test_every_typed_form_finds_the_case(db, actors):
    person = PersonData(first_name="บุญมี", last_name="มีสุข", prefix="นาง", phone="+66812345678")
    created = create_case("WPK", CaseData(category="flood", description="น้ำท่วม"), person)
    assert created.ticket_no == "WPK-69-00001"
    officer = actors["officer"]

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(typed=typed_forms("WPK", 69, 1))
    def found_everywhere(typed):
        page = list_cases(officer, QueueFilter(query=typed))
        assert [r.ticket_no for r in page.rows] == ["WPK-69-00001"], typed
        assert case_view.case_id_for_ticket(officer, typed) == created.id
        assert public_case.lookup(typed=typed, last4="5678").ticket_no == "WPK-69-00001"

    found_everywhere()
    for typed in ("WPK6900001", "69-00001", "WPK-69-00001", "wpk-69-00001", "๖๙-๐๐๐๐๑", "WPK 69 00001"):
        assert [r.ticket_no for r in list_cases(officer, QueueFilter(query=typed)).rows] == ["WPK-69-00001"]
