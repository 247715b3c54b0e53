"""A joint centre of two LAOs: the sample's WPK and a second, NKL; a case and a person in each;
staff of WPK, of NKL and of the whole centre (no LAO), on SQLite and PostgreSQL.

The one way the scoping tests make another member LAO: `add_lao(prefix)` puts it in the database
only (services see it; the config still names one LAO), `joint_settings` / `open_joint` write a
config whose [[lao]] list has a second LAO, PPA (`SECOND_LAO`), so the screens and the public
pages see a joint centre too."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import pytest

from db.models import Case, Organization, Staff
from kiosk.config import Settings, parse_settings
from kiosk.services import staff as staff_service
from kiosk.services.cases import CaseData, create_case
from kiosk.services.people import PersonData
from kiosk.services.setup import open_kiosk
from tests.conftest import STAFF_PASSWORD, add_actor, write_config

# other member LAOs of the sample's district, put in the database by add_lao
MEMBER_LAOS = {"NKL": ("570907", "องค์การบริหารส่วนตำบลหนองแก้ว"),
               "HKR": ("570902", "องค์การบริหารส่วนตำบลห้วยไคร้")}

# the second LAO of a joint centre's config (its own phones and LINE, for the public pages)
SECOND_LAO = '''
[[lao]]
subdistrict_code = "570903"
name_th = "องค์การบริหารส่วนตำบลโป่งผา"
name_en = "Pong Pha SAO"
kind = "sao"
ticket_prefix = "PPA"
phones = ["053-731-222", "081-000-1111"]
line_id = "@pongpha"
'''


def add_lao(prefix: str = "NKL") -> Organization:
    """Another member LAO (MEMBER_LAOS) in the database."""
    code, name = MEMBER_LAOS[prefix]
    return Organization.create(subdistrict_code=code, name_th=name, kind="sao", ticket_prefix=prefix)


def org_id(prefix: str) -> int:
    return Organization.get(Organization.ticket_prefix == prefix).id


@contextmanager
def open_joint(tmp_path, database_url: str | None = None) -> Iterator[Settings]:
    """A joint centre from its config (WPK hosting, PPA), its database opened (SQLite by default)."""
    path = write_config(tmp_path, database_url=database_url, extra=SECOND_LAO)
    settings = parse_settings(path, path.read_text(encoding="utf-8"), environ={})
    connection = open_kiosk(settings)
    try:
        yield settings
    finally:
        connection.close()


@pytest.fixture
def joint_settings(tmp_path) -> Iterator[Settings]:
    with open_joint(tmp_path) as settings:
        yield settings


def person(first: str, doc: str, phone: str) -> PersonData:
    return PersonData(prefix="นาง", first_name=first, last_name="ใจดี", doc_type="national_id", doc_number=doc,
                      birth_date=date(1950, 3, 14), phone=phone, house_no="12/3", moo=3,
                      village="บ้านสันทราย", subdistrict_code="570906")


A_PERSON = person("บุญมี", "1101700230708", "+66812345678")
B_PERSON = person("สมศรี", "3100600101237", "+66898765432")


@dataclass
class Centre:
    a_case: int
    b_case: int
    a_ticket: str
    b_ticket: str
    a_person: int
    b_person: int
    staff: dict  # "officer_a", "supervisor_a", "admin_a", "officer_b", "joint" (supervisor, no LAO)


def staff_of(username: str, role: str, prefix: str | None) -> staff_service.Actor:
    """An account under LAO `prefix` (None: the whole centre), signed in as a person would."""
    actor = add_actor(username, role)
    if prefix:
        org = Organization.get(Organization.ticket_prefix == prefix)
        Staff.update(organization=org).where(Staff.id == actor.id).execute()
    return staff_service.login(username, STAFF_PASSWORD, "test")


def new_case(prefix: str, who: PersonData, status: str | None = None) -> tuple[int, str, int]:
    data = CaseData(category="elderly", description="ผู้สูงอายุอยู่ลำพัง ไม่มีผู้ดูแล", help_requested="ถุงยังชีพ",
                    sensitive_consent=True, vulnerabilities=("elderly",), household_size=2,
                    occurred_on=date(2026, 11, 20))
    made = create_case(prefix, data, who)
    if status:
        Case.update(status=status).where(Case.id == made.id).execute()
    case = Case.get_by_id(made.id)
    return made.id, made.ticket_no, case.subject_id


@pytest.fixture
def centre(any_db) -> Centre:
    add_lao("NKL")
    a_case, a_ticket, a_person = new_case("WPK", A_PERSON, "awaiting_committee")
    b_case, b_ticket, b_person = new_case("NKL", B_PERSON, "awaiting_committee")
    staff = {"officer_a": staff_of("officer.a", "officer", "WPK"),
             "supervisor_a": staff_of("supervisor.a", "supervisor", "WPK"),
             "admin_a": staff_of("admin.a", "admin", "WPK"),
             "officer_b": staff_of("officer.b", "officer", "NKL"),
             "joint": staff_of("joint", "supervisor", None)}
    return Centre(a_case, b_case, a_ticket, b_ticket, a_person, b_person, staff)
