"""Every string comes from a catalogue; Thai and English have exactly the same keys, every key the
code names literally exists, and so does every key it builds (`t(f"status.{key}")`): each such
lookup is tied below to the values it can take, and a new one fails the test until it is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from db.reference import CATEGORIES, STATUSES, category_keys
from kiosk import faults, workflow_spec
from kiosk.i18n import LANGUAGES, STRICT, MissingText, catalogue, translate

ROOT = Path(__file__).resolve().parent.parent


def test_languages_have_the_same_keys():
    th, en = set(catalogue("th")), set(catalogue("en"))
    assert th - en == set(), "missing in English"
    assert en - th == set(), "missing in Thai"


def test_same_placeholders_in_both_languages():
    fields = re.compile(r"{(\w+)}")
    diff = {k: v for k, v in catalogue("th").items() if set(fields.findall(v)) != set(fields.findall(catalogue("en")[k]))}
    assert diff == {}


def test_every_category_and_status_has_a_label():
    keys = [f"category.{c}" for area, (_b, subs) in CATEGORIES.items() for c in (area, *subs)]
    keys += [f"status.{s}" for s in STATUSES]
    for lang in LANGUAGES:
        assert [k for k in keys if k not in catalogue(lang)] == []


def missing(keys) -> list[str]:
    """The keys with no text in some language (as `lang: key`)."""
    return sorted(f"{lang}: {k}" for lang in LANGUAGES for k in set(keys) if k not in catalogue(lang))


def test_the_workflow_spec_is_labelled():
    """Every status, action, event and field label and every field message of the spec."""
    assert missing(workflow_spec.catalogue_keys()) == []


def families() -> dict[str, tuple[str, ...]]:
    """Each prefix the code builds keys from (`t(f"<prefix>{value}")`) → the values it can take,
    read from where the code reads them."""
    from kiosk.config import DAYS
    from kiosk.roles import ROLES
    from kiosk.services import (
        case_view,
        cases,
        committee,
        info_files,
        info_report,
        intake,
        merge,
        paperwork,
        queue,
        receipt,
        survey_export,
        survey_form,
        survey_register,
        survey_rows,
    )
    from kiosk.services.centre import EMERGENCY_ORDER
    from screens import audit_view, centre_edit, home, survey_teams, users
    from screens import committee as committee_screen

    statuses = tuple(workflow_spec.STATUSES)
    return {
        "status.": statuses, "public_case.explain_": statuses, "public_case.next_": statuses,
        "workflow.": tuple(k.removeprefix("workflow.") for k in workflow_spec.catalogue_keys()
                           if k.startswith("workflow.")),
        "category.": tuple(category_keys()),
        "role.": ROLES,
        "users.col_": users.COLUMNS,
        "survey_entry.teams_col_": survey_teams.TEAM_COLUMNS, "survey_entry.members_col_": survey_teams.MEMBER_COLUMNS,
        "signin.pin_": ("none", "ok", "change"),  # kiosk.services.staff.StaffRow.pin
        "home.": (*home.CHOICES, *(f"{c}_hint" for c in home.CHOICES)),
        "centre_edit.field_": tuple(centre_edit.FIELDS),
        "audit.filter_": audit_view.FILTERS, "audit.col_": audit_view.COLUMNS,
        "queue.sort_": queue.SORTS, "queue.urgency_": queue.URGENCIES, "queue.col_": tuple(_queue_columns()),
        "announce.state_": ("retired", "scheduled", "expired", "current"),  # Announcement.state()
        "intake.step_": intake.STEPS,
        "intake.place_search_": ("province", "district", "subdistrict"),  # wizard.State.place_stage
        "intake.doc_": intake.DOC_TYPES, "intake.vuln_": intake.VULNERABILITIES,
        "intake.urgency_": intake.URGENCIES, "intake.rel_": intake.RELATIONSHIPS,
        "case.person_": ("requester", "subject"),  # case_view.PersonView.role
        "case.doc_": intake.DOC_TYPES,
        "channel.": cases.CHANNELS,
        "register.col_": (*survey_export.COLUMNS, *survey_export.PDF_COLUMNS),
        "register.short_": survey_register.FILTER_VULNERABILITIES, "register.by_": survey_register.GROUPINGS,
        "register.format_": survey_export.FORMATS,
        "case.basis_": tuple(case_view.basis_name(b) for b in case_view.LEGAL_BASES),
        "merge.field_": merge.FILLABLE,
        "hours.day_": DAYS,
        "survey.form_hint_": survey_form.HINTED,
        "info.emergency_": EMERGENCY_ORDER,
        "receiptscreen.label_": receipt.LABELS,
        "open311.": ("page", "page_size"),  # public.parse_page's refusals
        "survey.col_": survey_rows.COLUMNS, "survey.help_": survey_rows.COLUMNS,
        "survey.help_head_": ("column", "key", "meaning", "codes"),  # survey_sheet.write_template
        "survey.vuln_": survey_rows.VULNERABILITIES, "survey.living_": survey_rows.LIVING_SITUATIONS,
        "survey.team_kind_": survey_rows.TEAM_KINDS,  # survey_rows.code_label and the next session's screens
        "inforeport.section_": info_files.SECTIONS, "inforeport.area_short_": info_report.AREAS,
        "inforeport.channel_": info_report.CHANNELS, "inforeport.decision_": ("approve", "not_approve"),
        "inforeport.state_": ("todo", "entered", "changed"),  # info_report.states
        "inforeport.col_": ("kind", "ref", "what", "on", "state", "by"), "inforeport.kind_": info_report.KINDS,
        "forms.doc_": paperwork.DOC_KINDS, "committee.col_": (*committee.AGENDA_COLUMNS, *committee_screen.COLUMNS),
        "committee.choice_": committee_screen.CHOICES,
        "audit_verify.": ("row_changed", "anchor_mismatch", "anchor_missing", "head_missing", "tail_removed",
                          "head_behind"),  # audit.ChainReport.problem
    }


def _queue_columns():
    from screens.queue import COLUMNS

    return COLUMNS


# Built from names the code passes around (a form field's label, a radio group's prefix): no
# list to walk, so the strict catalogue (a missing key raises under the tests) checks them where
# tests/intake renders every step. And a file name that looks like a key.
AT_RUN_TIME = {"intake."}
NOT_KEYS = {"privacy."}  # kiosk/content/privacy.<lang>.md


def built_prefixes() -> dict[str, set[str]]:
    """Every prefix a catalogue key is built from in kiosk/ and screens/ (`f"status.{x}"`,
    `"intake.rel_" + x`) → where."""
    areas = "|".join(sorted(p.stem for p in (ROOT / "kiosk" / "i18n" / "th").glob("*.toml")))
    built = re.compile(rf"""\bf(["'])((?:{areas})\.[a-z0-9_]*)\{{|(["'])((?:{areas})\.[a-z0-9_]*)\3\s*\+""")
    found: dict[str, set[str]] = {}
    for folder in ("kiosk", "screens"):
        for path in (ROOT / folder).rglob("*.py"):
            for m in built.finditer(path.read_text(encoding="utf-8")):
                found.setdefault(m.group(2) or m.group(4), set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_built_key_is_tied_to_its_values():
    """A new `t(f"area.{x}")` needs its line in `families()`: else its keys go unchecked."""
    built = built_prefixes()
    assert len(built) > 20  # the scan sees them
    assert {p: sorted(w) for p, w in built.items() if p not in {*families(), *AT_RUN_TIME, *NOT_KEYS}} == {}


def test_every_built_key_exists():
    assert missing(prefix + value for prefix, values in families().items() for value in values) == []


def test_keys_named_in_the_code_exist():
    """Literal keys passed to t()/translate()/errors, e.g. t("home.welcome"), must be in the catalogue."""
    areas = {p.stem for p in (ROOT / "kiosk" / "i18n" / "th").glob("*.toml")}
    pattern = re.compile(r"""["']((""" + "|".join(sorted(areas)) + r""")\.[a-z0-9_]+(?:\.[a-z0-9_]+)*)["']""")
    not_keys = (".tcss", ".py", ".md", ".toml", "_", ".")  # file names ("info.tcss") and key prefixes
    missing = set()
    for folder in ("kiosk", "screens"):
        for path in (ROOT / folder).rglob("*.py"):
            for key, _area in pattern.findall(path.read_text(encoding="utf-8")):
                if key not in catalogue("th") and not key.endswith(not_keys):
                    missing.add(f"{path.relative_to(ROOT)}: {key}")
    assert sorted(missing) == []


def test_translate_formats():
    assert translate("status.received", "th") == "รับเรื่องแล้ว"
    assert translate("status.received", "en") == "Received"
    assert "5" in translate("errors.login_locked", "en", minutes=5)


def test_a_missing_key_fails_the_tests():
    with pytest.raises(MissingText, match="no.such.key"):
        translate("no.such.key", "th")


def test_a_missing_key_in_production_is_logged_once_and_shown_readably(monkeypatch, tmp_path):
    from kiosk import i18n

    monkeypatch.delenv(STRICT)
    monkeypatch.setattr(i18n, "_logged", set())
    faults.log_beside(tmp_path)
    monkeypatch.delitem(i18n.area("th", "status"), "status.received")
    assert translate("status.received", "th") == "Received"  # the English text
    assert translate("status.received", "th") == "Received"
    assert translate("no.such.key", "th", n=1) == "no.such.key"  # nothing better to show
    log = faults.log_path().read_text(encoding="utf-8")
    assert log.count("status.received") == 1 and log.count("no.such.key") == 1


def test_screens_hold_no_thai_text():
    """Thai the user reads comes from the catalogue, not from string literals in screens
    (docstrings and Thai digits in input patterns aside)."""
    import ast

    letters = re.compile(r"[\u0e01-\u0e4f]")  # Thai letters and marks, not digits
    found = []
    for path in (ROOT / "screens").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                      and node.body and isinstance(node.body[0], ast.Expr)}
        found += [f"{path.relative_to(ROOT)}:{node.lineno}: {node.value[:40]!r}" for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str)
                  and id(node) not in docstrings and letters.search(node.value)]
    assert found == []
