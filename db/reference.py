"""Reference data kept as rows with stable keys: help categories and case statuses.
Labels are not here: they live in the i18n catalogue (`category.<key>`, `status.<key>`)."""

from __future__ import annotations

from .models import Category, Status

# area → sub-types (see shared/domain.md). Areas outside the help budget are in_budget=False.
CATEGORIES: dict[str, tuple[bool, tuple[str, ...]]] = {
    "disaster": (True, ("flood", "storm", "fire", "landslide", "drought", "cold_spell",
                        "forest_fire_haze", "earthquake", "disaster_other")),
    "disease": (True, ("human_disease", "animal_epidemic", "disease_control_hardship")),
    "quality_of_life": (True, ("elderly", "disability", "bedbound_patient", "low_income",
                               "homeless", "children_youth", "home_repair", "survival_bag")),
    "information": (False, ("info_advice",)),
    "complaint": (False, ("complaint_report",)),
    "referral": (False, ("referral_agency",)),
}

# key → (kind for reports: open/closed/helped, Open311 status: open/closed)
STATUSES: dict[str, tuple[str, str]] = {
    "received": ("open", "open"),
    "more_info": ("open", "open"),
    "field_check": ("open", "open"),
    "awaiting_committee": ("open", "open"),
    "approved": ("open", "open"),
    "not_approved": ("closed", "closed"),
    "helped": ("helped", "closed"),
    "closed": ("closed", "closed"),
    "referred": ("closed", "closed"),
    "withdrawn": ("closed", "closed"),
    "duplicate": ("closed", "closed"),
}


def reference_data_complete() -> bool:
    """Every category and status is there (the usual start-up)."""
    wanted = {key for area, (_b, subs) in CATEGORIES.items() for key in (area, *subs)}
    return (Status.select().where(Status.key << list(STATUSES)).count() == len(STATUSES)
            and Category.select().where(Category.key << list(wanted)).count() == len(wanted))


def ensure_reference_data() -> None:
    """Insert any missing category or status (idempotent; never renames or deletes; a second
    process doing the same at once is ignored by ON CONFLICT)."""
    if reference_data_complete():
        return
    order = 0
    for area, (in_budget, subtypes) in CATEGORIES.items():
        order += 100
        Category.insert(key=area, parent=None, in_budget=in_budget, sort_order=order).on_conflict_ignore().execute()
        for i, sub in enumerate(subtypes, 1):
            Category.insert(key=sub, parent=area, in_budget=in_budget, sort_order=order + i).on_conflict_ignore().execute()
    for i, (key, (kind, open311)) in enumerate(STATUSES.items()):
        Status.insert(key=key, kind=kind, open311=open311, sort_order=i).on_conflict_ignore().execute()
