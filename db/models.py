"""The data model. Models are declared against a `DatabaseProxy`; `db.connection.open_database`
binds it at start-up, and every test binds a fresh database."""

from __future__ import annotations

from datetime import UTC, datetime

from peewee import (
    BooleanField,
    CharField,
    DatabaseProxy,
    DateField,
    DateTimeField,
    DecimalField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

database = DatabaseProxy()


def utcnow() -> datetime:
    """Timestamps are stored as naive UTC; screens convert to Asia/Bangkok for display."""
    return datetime.now(UTC).replace(tzinfo=None)


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class SchemaVersion(BaseModel):
    """One row: the schema version this database has been migrated to."""

    version = IntegerField()
    migrated_at = DateTimeField(default=utcnow)


class Organization(BaseModel):
    """An LAO (อปท.) served by this centre; a joint centre serves several."""

    subdistrict_code = CharField(max_length=6, index=True)  # DOPA code of its seat
    name_th = CharField()
    name_en = CharField(default="")
    kind = CharField(max_length=40)  # subdistrict_municipality, town_municipality, sao, ...
    ticket_prefix = CharField(max_length=6, unique=True)  # e.g. WPK → WPK-69-00123
    is_sample = BooleanField(default=False)
    created_at = DateTimeField(default=utcnow)

    def name(self, lang: str = "th") -> str:
        """As kiosk.config's Lao.name: the English name where asked for and set, else the Thai."""
        return self.name_en if lang == "en" and self.name_en else self.name_th


class Category(BaseModel):
    """An area of help (parent is null) or a sub-type. Keys are stable; labels live in the i18n
    catalogue under `category.<key>`."""

    key = CharField(max_length=40, primary_key=True)
    parent = ForeignKeyField("self", null=True, backref="children")
    in_budget = BooleanField(default=True)  # under the MoI B.E. 2560 regulation
    sort_order = IntegerField(default=0)
    active = BooleanField(default=True)


class Status(BaseModel):
    """A case status as data. `kind` is open/closed/helped (reports); `open311` is open/closed."""

    key = CharField(max_length=40, primary_key=True)
    kind = CharField(max_length=10)
    open311 = CharField(max_length=10)
    sort_order = IntegerField(default=0)


class Staff(BaseModel):
    username = CharField(max_length=40, unique=True)
    full_name = CharField(default="")
    role = CharField(max_length=20)  # volunteer, officer, supervisor, admin
    password_hash = CharField()
    pin_hash = CharField(null=True)  # counter PIN (supervisor/admin) to leave kiosk mode
    organization = ForeignKeyField(Organization, null=True, backref="staff")
    active = BooleanField(default=True)
    failed_logins = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    last_login_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)


class Person(BaseModel):
    """Someone who asks for help or is helped. Personal data: staff views are audited."""

    organization = ForeignKeyField(Organization, backref="people")
    prefix = CharField(default="")
    first_name = CharField()
    last_name = CharField(default="")
    doc_type = CharField(max_length=20, default="none")  # national_id, passport, pink_card, other, none
    doc_number = CharField(default="", index=True)
    birth_date = DateField(null=True)
    phone = CharField(default="", index=True)  # E.164
    house_no = CharField(default="")
    moo = IntegerField(null=True)
    village = CharField(default="")
    soi = CharField(default="")
    road = CharField(default="")
    subdistrict_code = CharField(max_length=6, default="")
    latitude = FloatField(null=True)
    longitude = FloatField(null=True)
    name_plain = CharField(default="", index=True)  # normalised, tone marks stripped (search)
    name_key = CharField(default="", index=True)  # phonetic key (search, duplicates)
    merged_into = ForeignKeyField("self", null=True, backref="merged")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("moo",), False),)  # the staff queue's หมู่ที่ filter


class TicketCounter(BaseModel):
    """Last ticket sequence per LAO per Buddhist year; incremented inside the case's own
    transaction, so numbers are unique and gap-free."""

    organization = ForeignKeyField(Organization)
    year_be = IntegerField()
    last_seq = IntegerField(default=0)

    class Meta:
        indexes = ((("organization", "year_be"), True),)


class Case(BaseModel):
    organization = ForeignKeyField(Organization, backref="cases")
    ticket_no = CharField(max_length=20, unique=True)
    year_be = IntegerField()
    seq = IntegerField()
    token = CharField(max_length=40, unique=True)  # unguessable, for the QR link
    short_code = CharField(max_length=12, unique=True)  # typed at the kiosk's track screen
    category = ForeignKeyField(Category)
    status = ForeignKeyField(Status, index=True)
    channel = CharField(max_length=20)  # counter, kiosk, phone, line, web, open311, survey
    requester = ForeignKeyField(Person, null=True, backref="requests")
    subject = ForeignKeyField(Person, null=True, backref="cases")  # the person to help
    relationship = CharField(default="")  # subject's relation to the requester
    description = TextField(default="")
    occurred_on = DateField(null=True)
    household_size = IntegerField(null=True)
    vulnerabilities = TextField(default="")  # comma-separated keys
    help_requested = TextField(default="")
    help_received = TextField(default="")  # from other agencies
    urgency = CharField(max_length=12, default="normal")  # normal, urgent, emergency
    sensitive_consent = BooleanField(default=False)  # PDPA s.26 explicit consent given
    legal_basis = CharField(max_length=40, default="public_task")
    assigned_to = ForeignKeyField(Staff, null=True, backref="cases")
    duplicate_of = ForeignKeyField("self", null=True, backref="duplicates")
    latitude = FloatField(null=True)
    longitude = FloatField(null=True)
    # the counter's key for one citizen's request (intake.submit): a retry after a dropped link
    # finds the case already filed instead of filing it twice; null for cases filed otherwise
    request_key = CharField(max_length=40, null=True, unique=True)  # migration 9
    version = IntegerField(default=1)  # optimistic locking
    created_at = DateTimeField(default=utcnow, index=True)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = (
            # not unique: a case referred to another LAO keeps its number (ticket_no is unique)
            (("organization", "year_be", "seq"), False),
            # the staff queue at 100,000 cases (kiosk/services/queue.py); db/migrations.py step 3
            (("urgency", "status", "created_at"), False),  # urgency filter, urgent-first sort
            (("status", "created_at"), False),  # counts of open cases, waiting longer than N days
            (("subject", "category", "status", "created_at"), False),  # หมู่ที่ (via the person) + area
            # a joint centre of 150 LAOs (tests/bench/scale.py); db/migrations.py step 8
            (("organization", "status", "created_at", "id"), False),  # one LAO's queue: its open cases, newest first (index-only)
            (("organization", "created_at"), False),  # one LAO's month (INFO report), its queue unfiltered
            (("seq", "year_be"), False),  # a ticket typed without the LAO's letters (69-00123)
        )


class CaseEvent(BaseModel):
    """One step in a case's history. Only `public_note` ever leaves the staff console."""

    case = ForeignKeyField(Case, backref="events", on_delete="CASCADE")
    at = DateTimeField(default=utcnow)
    actor = ForeignKeyField(Staff, null=True)
    action = CharField(max_length=30)
    from_status = CharField(max_length=40, null=True)
    to_status = CharField(max_length=40, null=True)
    public_note = TextField(default="")
    internal_note = TextField(default="")
    amount = DecimalField(max_digits=12, decimal_places=2, null=True)
    data = TextField(default="")  # JSON for action-specific details
    # a `refer` step: the LAO that held the case then (the sender keeps reading it); migration 9
    referred_from = ForeignKeyField(Organization, null=True, index=False)  # indexed with case, below

    class Meta:
        indexes = (
            (("action", "case"), False),  # every referred case (services/scope.referred_out)
            (("to_status", "at"), False),  # the month's deliveries (INFO report)
            (("referred_from", "case"), False),  # the cases an LAO referred out (migration 9)
        )  # db/migrations.py steps 8 and 9


class Announcement(BaseModel):
    organization = ForeignKeyField(Organization, null=True, backref="announcements")
    title = CharField()
    body_md = TextField(default="")
    starts_at = DateTimeField(default=utcnow)
    ends_at = DateTimeField(null=True)
    pinned = BooleanField(default=False)
    retired = BooleanField(default=False)
    created_by = ForeignKeyField(Staff, null=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)


class SurveyTeam(BaseModel):
    """A field survey team (หน่วยเคลื่อนที่เร็ว). `kind` is a key of kiosk.services.survey_rows.TEAM_KINDS;
    `villages` the หมู่ numbers it covers, comma-separated ("1,3,5")."""

    organization = ForeignKeyField(Organization, backref="survey_teams")
    name = CharField()
    kind = CharField(max_length=30, default="other")
    villages = CharField(default="")
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("organization", "name"), True),)


class SurveyTeamMember(BaseModel):
    """A surveyor in a team; `staff` is their volunteer login, when they have one (they then
    enter and read the surveys of their own team only)."""

    team = ForeignKeyField(SurveyTeam, backref="members")
    name = CharField()
    phone = CharField(default="")  # E.164
    moo = IntegerField(null=True)
    staff = ForeignKeyField(Staff, null=True, backref="survey_memberships")
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)


class Household(BaseModel):
    """A surveyed household: the unit a field team visits. `import_key` is the idempotency key
    of an imported form (ODK's instanceID, say); null when entered by hand."""

    organization = ForeignKeyField(Organization, backref="households")
    house_no = CharField(default="")
    moo = IntegerField(null=True)
    village = CharField(default="")
    subdistrict_code = CharField(max_length=6, default="")
    latitude = FloatField(null=True)
    longitude = FloatField(null=True)
    import_key = CharField(null=True, unique=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("subdistrict_code", "moo", "house_no"), False),)


class HouseholdMember(BaseModel):
    """A person living in a household (the person found through the duplicate check)."""

    household = ForeignKeyField(Household, backref="members", on_delete="CASCADE")
    person = ForeignKeyField(Person, backref="households")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("household", "person"), True),)


class SurveyRecord(BaseModel):
    """What a field survey found about one person: one row per household member, updated by
    each re-survey (SurveyChange keeps what changed). Rows from before schema 6 have no household
    until one is made for them by the migration. `team` is the team's name as recorded at the
    visit (kept when a team is renamed or removed); `survey_team` the registered team."""

    organization = ForeignKeyField(Organization, backref="surveys")
    person = ForeignKeyField(Person, backref="surveys")
    household = ForeignKeyField(Household, null=True, backref="records")
    surveyor = ForeignKeyField(Staff, null=True)  # who entered or imported it
    surveyor_member = ForeignKeyField(SurveyTeamMember, null=True, backref="records")  # who walked there
    survey_team = ForeignKeyField(SurveyTeam, null=True, backref="records")
    team = CharField(default="")
    surveyed_on = DateField()
    vulnerabilities = TextField(default="")  # comma-separated keys (survey_rows.VULNERABILITIES)
    needs = TextField(default="")  # comma-separated category keys
    living_situation = CharField(max_length=30, default="")  # survey_rows.LIVING_SITUATIONS
    notes = TextField(default="")
    consent = BooleanField(default=False)  # PDPA s.26 explicit consent for health data
    legal_basis = CharField(max_length=40, default="public_task")
    latitude = FloatField(null=True)  # where this member was surveyed (the household's position then)
    longitude = FloatField(null=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)


class SurveyChange(BaseModel):
    """One re-survey's change to a household or a member's record: who, when, and each changed
    field's old and new value (JSON {field: [old, new]})."""

    household = ForeignKeyField(Household, backref="changes", on_delete="CASCADE")
    record = ForeignKeyField(SurveyRecord, null=True, backref="changes", on_delete="CASCADE")
    at = DateTimeField(default=utcnow)
    actor = CharField(default="")  # username, "cli" for the shell
    changes = TextField(default="")


class InfoMark(BaseModel):
    """A case or survey record marked as entered in DLA's INFO system (info.dla.go.th), with who
    and when. Undo keeps the row (`undone_at`); a record has at most one live mark. `seen_version`
    and `seen_updated_at` are the record as it was when marked, `seen_person_at` its person: a case
    whose version moved on, a survey record updated later, or a person corrected since, shows as
    "changed since entered". `month` is the report's BE month
    ("2569-10") it was entered with. `target_type` is "case" or "survey"."""

    target_type = CharField(max_length=10)
    target_id = IntegerField()
    month = CharField(max_length=7)
    seen_version = IntegerField(null=True)
    seen_updated_at = DateTimeField(null=True)
    seen_person_at = DateTimeField(null=True)  # the person's updated_at then (a corrected address counts)
    marked_by = CharField(default="")
    marked_at = DateTimeField(default=utcnow)
    undone_by = CharField(default="")
    undone_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("target_type", "target_id"), False), (("month",), False))  # migration 7


class AuditLog(BaseModel):
    """Append-only: the services insert, nothing updates or deletes. Tamper-evident: each row's
    `chain_hash` covers its fields and the previous row's hash (db/audit_chain.py)."""

    at = DateTimeField(default=utcnow, index=True)
    actor = CharField(default="")  # username, or "" for the public counter
    action = CharField(max_length=40, index=True)
    target_type = CharField(max_length=20, default="")
    target_id = CharField(max_length=40, default="")
    detail = TextField(default="")
    client = CharField(default="")  # counter, ssh:<addr>, web:<addr>
    chain_hash = CharField(max_length=64, default="")  # migration 5

    class Meta:
        indexes = ((("target_type", "target_id"), False), (("actor",), False))  # migration 4


class AuditHead(BaseModel):
    """One row (id 1): the audit log's last id and hash, moved with every append, so a removed
    last row shows too. Appenders lock this row: two can never chain to the same row."""

    id = IntegerField(primary_key=True)
    last_id = IntegerField(default=0)
    chain_hash = CharField(max_length=64)


MODELS: list[type[BaseModel]] = [
    SchemaVersion,
    Organization,
    Category,
    Status,
    Staff,
    Person,
    TicketCounter,
    Case,
    CaseEvent,
    Announcement,
    SurveyTeam,
    SurveyTeamMember,
    Household,
    HouseholdMember,
    SurveyRecord,
    SurveyChange,
    InfoMark,
    AuditLog,
    AuditHead,
]
