"""The public counter: home, the intake wizard step by step, the receipt, track and info.

Every picture starts at the home screen and gets where it is by touch and keys, as a citizen would."""

from __future__ import annotations

from kiosk.services import announcements
from kiosk.services.cases import CaseData, create_case
from kiosk.services.intake import STEPS
from kiosk.services.people import PersonData
from tests.intake.helpers import fill, national_id, open_wizard, step, type_text, wait_for

from .conftest import reach

PERSON = PersonData(first_name="สมหญิง", last_name="ใจดี", phone="+66891112233", doc_type="national_id",
                    doc_number=national_id("110170023070"), house_no="12/3", moo=4, village="บ้านป่าแดง",
                    subdistrict_code="570906")


async def answer(pilot, name: str) -> None:
    """Fill in step `name` as a citizen would (its picture shows these answers)."""
    if name == "identity":
        await fill(pilot, "first_name", "สมชาย")
        await fill(pilot, "last_name", "ใจดี")
        await fill(pilot, "doc_number", national_id("110170020345"))
    elif name == "contact":
        await fill(pilot, "phone", "0812345678")
        await fill(pilot, "house_no", "45/1")
    elif name == "situation":
        await fill(pilot, "description", "น้ำท่วมบ้าน ระดับน้ำสูงครึ่งเมตร ของใช้เสียหาย")


async def go_on(pilot, name: str) -> None:
    """Leave step `name` for the next one: accept, pick the first choice, or Next."""
    if name == "consent":
        await pilot.click("#consent-accept")
    elif name in ("category", "subtype"):
        await pilot.press("1")  # disaster, then flood
    else:
        await pilot.click("#nav-next")
    after = STEPS.index(name) + 1
    if after < len(STEPS):
        await wait_for(pilot, lambda: step(pilot.app) == STEPS[after])
    else:
        await reach(pilot, "ReceiptScreen")


def walk_to(name: str | None):
    """Steps that open the wizard and answer every step before `name`, then `name` itself
    (None: every step and Confirm, to the receipt)."""
    async def steps(pilot) -> None:
        await open_wizard(pilot)
        for each in STEPS:
            if each == name:
                await answer(pilot, each)
                return
            await answer(pilot, each)
            await go_on(pilot, each)

    return steps


async def nothing(pilot) -> None:
    """The screen as the app opens it."""


def test_home(picture):
    """The home screen: the centre's name in the top bar with the sample-data badge and the language
    toggle; a welcome line; four large choices, each with a hint: ask for help, track a request,
    centre information, staff; focus on "ask for help" (never on the language toggle)."""
    assert picture("counter", nothing)


def test_intake_consent(picture):
    """Wizard step 1 of 8: the step title and "step 1 of 8", the privacy notice (PDPA) as Markdown
    with its sample-to-adapt note and a scroll bar, the key hint line, and the green accept and red
    refuse buttons (no Back or Next on this step)."""
    assert picture("counter", walk_to("consent"))


def test_intake_category(picture):
    """Step 2: the six areas of help as large numbered buttons (1 disaster … 6 refer elsewhere), the
    first focused; the key hint line; Back, Next and Cancel."""
    assert picture("counter", walk_to("category"))


def test_intake_subtype(picture):
    """Step 3, after choosing disaster: its nine kinds as numbered buttons (1 flood / flash flood …
    9 other disaster), the first focused; Back, Next and Cancel."""
    assert picture("counter", walk_to("subtype"))


def test_intake_identity(picture):
    """Step 4, scrolled to the field being typed: first name สมชาย and last name ใจดี (Thai with its
    vowels and tone marks intact; at 120×40), the document types numbered 1–4 with Thai ID chosen, the 13-digit
    ID typed with the cursor after it, and the empty birth date."""
    assert picture("counter", walk_to("identity"))


def test_intake_contact(picture):
    """Step 5: phone 0812345678 and house number 45/1 typed (the cursor after 45/1), then the
    village number, village name, soi and road fields; the default address (the centre's own
    subdistrict) is further down, out of view."""
    assert picture("counter", walk_to("contact"))


def test_intake_subject(picture):
    """Step 6: who needs help, "1 the person asking" chosen and "2 someone else" not; no fields for
    another person."""
    assert picture("counter", walk_to("subject"))


def test_intake_situation(picture):
    """Step 7: the Thai description typed in full in a box of several lines that wraps, the cursor at
    its end (in the SVG the Thai runs past it: drawn too wide); when, household size and the
    vulnerability ticks below (at 120×40)."""
    assert picture("counter", walk_to("situation"))


def test_intake_review(picture):
    """Step 8: every answer as a labelled line (flood, สมชาย ใจดี, the ID, phone, address, the
    description) with Confirm in place of Next."""
    assert picture("counter", walk_to("review"))


def test_receipt(picture):
    """The receipt: "received", ticket WPK-69-00001 in large digits, the date in Buddhist Era
    (02/12/2569 10:00), the category (flood), the next steps with the centre's phones and hours,
    "no printer is set up" in orange (scrolled below at 80×24); at the foot, always in sight, Done and
    Save (no "print again" without a printer) and "Enter or Esc = done"; on the right the QR code of
    the tracking link drawn black on white, and under it the tracking code (below the fold at 80×24)."""
    assert picture("counter", walk_to(None))


def test_track_result(picture):
    """Track by ticket and the last four phone digits: the ticket, the category (quality of life ›
    elderly), the status (received) with what it means and what comes next, and the progress line
    02/12/2569 10:00 received with the public note "รับเรื่องแล้ว รอเจ้าหน้าที่โทรกลับ" (scrolled out
    of view at 80×24); no name, phone, ID or address of the person anywhere."""
    case = create_case("WPK", CaseData(category="elderly"), PERSON, public_note="รับเรื่องแล้ว รอเจ้าหน้าที่โทรกลับ")

    async def steps(pilot) -> None:
        await pilot.click("#choice-track")
        await pilot.pause()
        await type_text(pilot, case.ticket_no)  # the ticket field has the focus
        await pilot.press("enter")  # on to the four digits
        await type_text(pilot, "2233")
        await pilot.press("enter")

    assert picture("counter", steps)


def test_info(picture, actors):
    """The centre's information: its name as a sign; "open now, closes today at 16:30" (Wednesday
    10:00); the week's hours; the address from the DOPA codes; directions, phones and LINE; the four
    emergency numbers; the map and status-page QR codes; the one current announcement."""
    announcements.create(actors["officer"], "ประชาสัมพันธ์ฉีดวัคซีนไข้หวัดใหญ่", "ที่ รพ.สต. ทุกวันพุธ 09:00–12:00 น.")

    async def steps(pilot) -> None:
        await pilot.click("#choice-info")

    assert picture("counter", steps)
