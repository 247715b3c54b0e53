"""The survey as an XLSForm for ODK Collect and KoboToolbox: phones that work offline in villages
with patchy data, the standard tool of field surveys. `write_form` writes the form's three sheets
(survey, choices, settings) with openpyxl; ODK Central and KoboToolbox turn it into an XForm with
pyxform when it is uploaded.

The form is generated from the same catalogue and code lists as the spreadsheet template
(kiosk.services.survey_rows): Thai and English labels, the codes as choice names, its field
names the spreadsheet's column keys, so an export of its submissions reads back through the one
validation (kiosk.services.survey_odk). Its constraints mirror that validation on the phone: the
national ID's check digit, the phone pattern, dates not in the future, consent when health data
is recorded, a position inside Thailand. One submission is one household: the visit, the house,
and a repeat of its members; the submission's instanceID is the household's import key."""

from __future__ import annotations

import hashlib
import io
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from db.models import Household, SurveyTeam, SurveyTeamMember

from ..files import write_private
from ..i18n import translate
from ..thai.addresses import subdistrict
from ..thai.dates import now_bangkok
from ..thai.names import PREFIXES
from .intake import HEALTH, NAME_MAX
from .survey_rows import THAILAND, code_label, codes
from .surveys import organization, team_names

FORM_ID = "household_survey"
REPEAT = "members"  # the repeat group of household members
GEOPOINT = "location"  # the house's position: latitude and longitude in the exports
GROUPS = ("visit", "household")  # the non-repeating groups, in the form's order
LANGS = {"th": "Thai (th)", "en": "English (en)"}
# Fields whose hint on the phone is its own (`survey.form_hint_<name>`): the spreadsheet's help
# for them speaks of typing codes and dates into cells
HINTED = ("surveyed_on", "team", "surveyor", "doc_number", "birth_date", "vulnerabilities", "needs", "consent")
MOO_COUNT = 20  # หมู่ offered per subdistrict when none higher is known
# Fields of the form that are no column of the survey: ODK's own metadata
META = ("start", "end", "today")
_DIGITS = "translate(., '๐๑๒๓๔๕๖๗๘๙ -', '0123456789')"  # Thai digits made Arabic, spaces and dashes dropped


@dataclass(frozen=True)
class Form:
    """The generated form: where it was written, its id and version."""

    path: Path
    form_id: str
    version: str


def _labels(key: str, column: str = "label", **params) -> dict[str, str]:
    return {f"{column}::{LANGS[lang]}": translate(key, lang, **params) for lang in LANGS}


def _texts(th: str, en: str) -> dict[str, str]:
    return {f"label::{LANGS['th']}": th, f"label::{LANGS['en']}": en}


def national_id_check(digits: str = _DIGITS) -> str:
    """The national ID's check digit as an XPath expression over `digits` (13 ASCII digits):
    (11 − Σ dᵢ·(13−i) mod 11) mod 10 = d₁₃, as kiosk.thai.ids.check_digit; ODK's substr() counts
    from 0."""
    total = " + ".join(f"number(substr({digits}, {i}, {i + 1})) * {13 - i}" for i in range(12))
    return (f"regex({digits}, '^[0-8][0-9]{{12}}$') and "
            f"(11 - ({total}) mod 11) mod 10 = number(substr({digits}, 12, 13))")


def _doc_constraint() -> str:
    return (f"(${{doc_type}} != 'national_id' or ({national_id_check()})) and "
            f"(${{doc_type}} != 'pink_card' or regex({_DIGITS}, '^[0-9]{{13}}$')) and "
            f"(${{doc_type}} != 'passport' or regex({_DIGITS}, '^[A-Za-z0-9]{{6,9}}$')) and "
            f"(${{doc_type}} != 'other' or string-length(.) <= 40)")


def _survey(moo_filter: bool, with_teams: bool, host: str = "", with_surveyors: bool = False) -> list[dict]:
    """The survey sheet's rows: labels `survey.col_<name>`, hints `survey.form_hint_<name>` where
    the spreadsheet's help (`survey.help_<name>`) speaks of typing into cells."""
    def field(kind: str, name: str, *, required: bool = False, **extra) -> dict:
        hint = f"survey.form_hint_{name}" if name in HINTED else f"survey.help_{name}"
        row = {"type": kind, "name": name, **_labels(f"survey.col_{name}"), **_labels(hint, "hint")}
        if required:
            row["required"] = "yes"
            row.update(_labels("thai.required", "required_message"))
        return {**row, **extra}

    def constraint(expression: str, key: str, **params) -> dict:
        return {"constraint": expression, **_labels(key, "constraint_message", **params)}

    name_rule = constraint(f"string-length(.) <= {NAME_MAX} and regex(., '[^0-9๐-๙ .-]')",
                           "survey.form_name_invalid", max=NAME_MAX)
    health = " or ".join(f"selected(${{vulnerabilities}}, '{code}')" for code in HEALTH)
    (lat_lo, lat_hi), (lon_lo, lon_hi) = THAILAND
    not_future = constraint(". <= today()", "survey.date_future")
    return [
        {"type": "start", "name": "start"},
        {"type": "end", "name": "end"},
        {"type": "today", "name": "today"},
        {"type": "begin_group", "name": "visit", **_labels("survey.form_visit")},
        field("date", "surveyed_on", required=True, default="today()", **not_future),
        field("select_one team" if with_teams else "text", "team"),
        field("select_one surveyor", "surveyor", choice_filter="team = ${team}") if with_surveyors else
        field("text", "surveyor", **constraint(f"string-length(.) <= {NAME_MAX}", "intake.too_long", max=NAME_MAX)),
        {"type": "end_group"},
        {"type": "begin_group", "name": "household", **_labels("survey.form_household")},
        field("select_one subdistrict", "subdistrict_code", required=True, **({"default": host} if host else {})),
        field("select_one moo", "moo", required=True,
              **({"choice_filter": "subdistrict = ${subdistrict_code}"} if moo_filter else {})),
        field("text", "village", **constraint(f"string-length(.) <= {NAME_MAX}", "intake.too_long", max=NAME_MAX)),
        field("text", "house_no", **constraint("regex(., '^[0-9๐-๙]{1,5} *(/ *[0-9๐-๙]{1,5})?$')",
                                               "thai.house_no_format")),
        {"type": "geopoint", "name": GEOPOINT, **_labels("survey.form_location"),
         **_labels("survey.form_location_hint", "hint"),
         **constraint(f"selected-at(., 0) >= {lat_lo} and selected-at(., 0) <= {lat_hi} and "
                      f"selected-at(., 1) >= {lon_lo} and selected-at(., 1) <= {lon_hi}", "survey.gps_outside")},
        {"type": "end_group"},
        {"type": "begin_repeat", "name": REPEAT, **_labels("survey.form_members")},
        field("select_one prefix", "prefix"),
        field("text", "first_name", required=True, **name_rule),
        field("text", "last_name", **name_rule),
        field("select_one doc_type", "doc_type", required=True, default="national_id"),
        field("text", "doc_number", required=True, relevant="${doc_type} != 'none'",
              **constraint(_doc_constraint(), "survey.form_doc_invalid")),
        field("date", "birth_date", **constraint(". <= today() and decimal-date-time(.) >= "
                                                 "decimal-date-time(today()) - 130 * 365.25",
                                                 "survey.form_birth_date_invalid")),
        field("text", "phone", appearance="numbers",
              **constraint(f"regex({_DIGITS}, '^(0[0-9]{{8,9}}|[+][0-9]{{8,15}})$')", "thai.phone_invalid")),
        field("select_multiple vulnerability", "vulnerabilities"),
        field("select_multiple need", "needs"),
        field("select_one living", "living_situation"),
        field("text", "note", appearance="multiline"),
        field("select_one yes_no", "consent", required=True,
              **constraint(f". = 'yes' or not({health})", "intake.sensitive_consent_needed")),
        {"type": "end_repeat"},
    ]


def _choices(subdistricts: list[str], villages: dict[tuple[str, int], str], moo_count: int,
             teams: list[str], surveyors: list[tuple[str, str]] = ()) -> list[dict]:
    """The choices sheet's rows: list_name, name, labels (and `subdistrict` for the หมู่ filter)."""
    rows: list[dict] = []

    def add(list_name: str, name: str, labels: dict, **extra) -> None:
        rows.append({"list_name": list_name, "name": name, **labels, **extra})

    for code in subdistricts:
        s = subdistrict(code)
        add("subdistrict", code, _texts(f"ต.{s.name_th} อ.{s.district_th} จ.{s.province_th}",
                                        f"{s.name_en}, {s.district_en}, {s.province_en}") if s else _texts(code, code))
    for code in subdistricts:
        highest = max([moo_count, *(m for (c, m) in villages if c == code)])
        for moo in range(1, highest + 1):
            name = villages.get((code, moo), "")
            labels = (_labels("survey.form_moo_named", moo=moo, village=name) if name else
                      _labels("survey.form_moo_label", moo=moo))
            add("moo", str(moo), labels, subdistrict=code)
    for prefix, english in PREFIXES.items():
        add("prefix", prefix, _texts(prefix, english))
    for list_name, column in (("doc_type", "doc_type"), ("vulnerability", "vulnerabilities"), ("need", "needs"),
                              ("living", "living_situation")):
        for code in codes(column):
            add(list_name, code, {f"label::{LANGS[lang]}": code_label(column, code, lang) for lang in LANGS})
    add("yes_no", "yes", _labels("survey.consent_yes"))
    add("yes_no", "no", _labels("survey.consent_no"))
    for team in teams:
        add("team", team, _texts(team, team))
    for team, name in surveyors:
        add("surveyor", name, _texts(name, name), team=team)
    return rows


def surveyors(org_prefix: str) -> list[tuple[str, str]]:
    """(team, member) of the active teams' active members: the phone offers a team's own."""
    org = organization(org_prefix)
    query = (SurveyTeamMember.select(SurveyTeam.name, SurveyTeamMember.name).join(SurveyTeam)
             .where(SurveyTeam.organization == org, SurveyTeam.active, SurveyTeamMember.active)
             .order_by(SurveyTeam.name, SurveyTeamMember.name).tuples())
    return list(dict.fromkeys(query))


def known_villages(org_prefix: str) -> dict[tuple[str, int], str]:
    """(subdistrict, หมู่) → the village name most often recorded there, from households on file;
    the หมู่ the registered teams cover, unnamed."""
    org = organization(org_prefix)
    names: dict[tuple[str, int], Counter] = {}
    for h in (Household.select(Household.subdistrict_code, Household.moo, Household.village)
              .where(Household.organization == org, Household.moo.is_null(False)).tuples()):
        counter = names.setdefault((h[0], h[1]), Counter())
        if h[2]:
            counter[h[2]] += 1
    out = {key: (c.most_common(1)[0][0] if c else "") for key, c in names.items()}
    for team in SurveyTeam.select(SurveyTeam.villages).where(SurveyTeam.organization == org, SurveyTeam.active):
        for moo in filter(None, team.villages.split(",")):
            out.setdefault((org.subdistrict_code, int(moo)), "")
    return out


def _sheet(book, title: str, rows: list[dict], first: Iterable[str]) -> None:
    columns = list(dict.fromkeys([*first, *(k for r in rows for k in r)]))
    sheet = book.create_sheet(title)
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(c) for c in columns])


def write_form(path: Path, org_prefix: str, subdistricts: Iterable[str], *, moo_count: int = MOO_COUNT) -> Form:
    """Write the XLSForm to `path` for the centre's subdistricts (DOPA codes, the host's first),
    with its registered teams and their members and the villages known; its version changes with
    its content.
    Written 0600 like the template (it names the teams)."""
    from openpyxl import Workbook

    codes_ = list(dict.fromkeys(subdistricts))
    teams, members = team_names(org_prefix), surveyors(org_prefix)
    survey = _survey(moo_filter=len(codes_) > 1, with_teams=bool(teams), host=codes_[0], with_surveyors=bool(members))
    choices = _choices(codes_, known_villages(org_prefix), moo_count, teams, members)
    digest = hashlib.sha256(json.dumps([survey, choices], ensure_ascii=False, sort_keys=True).encode()).hexdigest()
    version = f"{now_bangkok():%Y%m%d}-{digest[:6]}"
    settings = {"form_title": translate("survey.form_title", "th"), "form_id": FORM_ID, "version": version,
                "default_language": LANGS["th"],
                "instance_name": f"concat('{translate('survey.form_instance', 'th')} ', ${{house_no}}, ' "
                                 f"{translate('survey.form_moo_label', 'th', moo='')}', ${{moo}})"}
    if len(codes_) > 1 or len({name for _team, name in members}) < len(members):
        settings["allow_choice_duplicates"] = "yes"  # หมู่ 1 of each subdistrict (a name in two teams), told apart by the filter

    book = Workbook()
    book.remove(book.active)
    label_columns = [f"label::{LANGS[lang]}" for lang in LANGS]
    _sheet(book, "survey", survey, ["type", "name", *label_columns])
    _sheet(book, "choices", choices, ["list_name", "name", *label_columns])
    _sheet(book, "settings", [settings], settings)
    buffer = io.BytesIO()
    book.save(buffer)
    return Form(write_private(path, buffer.getvalue()), FORM_ID, version)


def form_fields() -> dict[str, tuple[str, str]]:
    """Each data field of the form → (the group it is in: "" for the top, a group's name or
    REPEAT; its XLSForm type)."""
    out, group = {}, ""
    for row in _survey(moo_filter=False, with_teams=True):
        kind = row["type"]
        if kind in ("begin_group", "begin_repeat"):
            group = row["name"]
        elif kind in ("end_group", "end_repeat"):
            group = ""
        else:
            out[row["name"]] = (group, kind)
    return out

