"""Field surveys: tests of the survey model, its one validation, the spreadsheet and the import."""

from kiosk.services.survey_rows import COLUMNS


def sheet_rows(cells: list[dict], **defaults: str) -> list[tuple[int, dict]]:
    """Rows as the import reads them from a sheet: numbered from line 2 (under the headers), every
    column present, `defaults` where a row leaves a column out."""
    return [(n, {c: {**defaults, **r}.get(c) for c in COLUMNS}) for n, r in enumerate(cells, start=2)]
