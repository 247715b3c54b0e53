"""Reference data kept as rows with stable keys: help categories and case statuses (the statuses
are declared in kiosk/workflow_spec.py, a pure-data base module, and only seeded here).
Labels are not here: they live in the i18n catalogue (`category.<key>`, `status.<key>`)."""

from __future__ import annotations

from kiosk import workflow_spec

# area → sub-types. The first three are the areas of help of the Ministry of Interior regulation on
# LAO expenses to help the public (B.E. 2560, amended 2561); the others are outside the help budget
# (in_budget=False).
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

# Categories whose cases are not public (FixMyStreet's `non_public`): a case in one of them
# reveals a person's health or vulnerability (a bed-bound patient, a disabled or elderly person, a
# poor family, a child) — in a village, the ticket's date and sub-type are enough to name them.
# Such cases never appear in the public Open311 list or detail; the citizen's own page (the
# receipt's link) still shows them. Disaster, animal-epidemic, information, complaint and
# referral cases describe events, not people, and stay public. `[privacy]` in the config can
# change the set (kiosk/config.py).
NON_PUBLIC: frozenset[str] = frozenset({
    "human_disease", "disease_control_hardship",  # a household's illness or quarantine
    "quality_of_life", *CATEGORIES["quality_of_life"][1],  # welfare help is means- or needs-tested
})


def category_keys() -> dict[str, tuple[str, ...]]:
    """Every category key → the keys it stands for (an area: itself and its sub-types)."""
    out: dict[str, tuple[str, ...]] = {}
    for area, (_in_budget, subtypes) in CATEGORIES.items():
        out[area] = (area, *subtypes)
        out.update({sub: (sub,) for sub in subtypes})
    return out


# key → (kind for reports: open/closed/helped, Open311 status: open/closed), from the workflow spec
STATUSES: dict[str, tuple[str, str]] = {key: (s.kind, s.open311) for key, s in workflow_spec.STATUSES.items()}


def reference_data_complete() -> bool:
    """Every category and status is there (the usual start-up)."""
    from .models import Category, Status  # here, so the config can read the keys without peewee

    wanted = {key for area, (_b, subs) in CATEGORIES.items() for key in (area, *subs)}
    return (Status.select().where(Status.key << list(STATUSES)).count() == len(STATUSES)
            and Category.select().where(Category.key << list(wanted)).count() == len(wanted))


def ensure_reference_data() -> None:
    """Insert any missing category or status (idempotent; never renames or deletes; a second
    process doing the same at once is ignored by ON CONFLICT)."""
    from .models import Category, Status

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
