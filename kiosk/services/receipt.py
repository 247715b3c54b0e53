"""The receipt of a stored case: what it says (in the citizen's language, from the settings and
the catalogue) and where its PNG and PDF are kept. How it looks, drawn for a printer, a PNG or a
PDF, is kiosk.receipt_drawing: a base module that needs neither the catalogue nor the settings,
so the printer code (kiosk.printing) uses it without the services."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

from db.reference import CATEGORIES

from ..config import Settings
from ..errors import KioskError
from ..files import private_dir
from ..i18n import translate
from ..receipt_drawing import Receipt, save_receipt_pdf, save_receipt_png
from ..thai.dates import BANGKOK
from .cases import CreatedCase
from .centre import week_text
from .public_case import tracking_url

LABELS = ("ticket_no", "date", "category", "next_steps", "track", "short_code", "phone", "hours")


def next_steps_text(category: str, lang: str) -> str:
    in_budget = any(category in subs for area, (budget, subs) in CATEGORIES.items() if budget)
    return translate("receiptscreen.next_in_budget" if in_budget else "receiptscreen.next_other", lang)


def issuer_name(settings: Settings, ticket_no: str, lang: str = "th") -> str:
    """Who the receipt is from: the centre, and in a joint centre of several LAOs also the LAO the
    request was filed under (its ticket prefix names it)."""
    centre = settings.centre_name(lang)
    if len(settings.laos) < 2:
        return centre
    prefix = ticket_no.split("-", 1)[0]
    lao = next((x for x in settings.laos if x.ticket_prefix == prefix), None)
    if lao is None:
        return centre
    return f"{lao.name(lang)} · {centre}"


def build_receipt(settings: Settings, created: CreatedCase, category: str, lang: str = "th") -> Receipt:
    """The receipt for a stored case, in `lang` (what the screen shows and the printer prints)."""
    when = created.created_at.replace(tzinfo=UTC).astimezone(BANGKOK)
    labels = {key: translate(f"receiptscreen.label_{key}", lang) for key in LABELS}
    return Receipt(
        centre_name=issuer_name(settings, created.ticket_no, lang), ticket_no=created.ticket_no, created_at=when,
        category_label=translate(f"category.{category}", lang), next_steps=next_steps_text(category, lang),
        centre_phone=", ".join(settings.phones), centre_hours=week_text(settings.hours, lang),
        tracking_url=tracking_url(settings, created.token), short_code=created.short_code,
        lang="en" if lang == "en" else "th", labels=labels)


def receipt_folder(settings: Settings) -> Path:
    return private_dir(settings.home / "receipts")


def save_receipt_files(settings: Settings, receipt: Receipt) -> tuple[str, str]:
    """PNG and PDF of the receipt under <home>/receipts; returns both paths. KioskError when the
    folder cannot be written."""
    try:
        folder = receipt_folder(settings)
        png, pdf = folder / f"{receipt.ticket_no}.png", folder / f"{receipt.ticket_no}.pdf"
        save_receipt_png(receipt, png)
        save_receipt_pdf(receipt, pdf)
    except OSError as exc:
        raise KioskError("receiptscreen.save_failed", str(exc), error=exc.strerror or str(exc)) from None
    return str(png), str(pdf)
