"""Two records of one person, for supervisors: the possible duplicates of a case's people with
the reason for each, then "merge X into Y" showing both records as stored (never as markup) and
what would move. The services audit every person shown and refuse anyone below supervisor."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from kiosk.errors import KioskError
from kiosk.services import merge, merge_view
from kiosk.services.person_view import PersonView
from kiosk.thai.dates import format_be_date

from .case_detail import house_text
from .faults import safely, service_work
from .widgets.staff_base import StaffFooter, StaffModal, StaffScreen, safe
from .widgets.top_bar import TopBar


def person_text(t, p: PersonView, *, heading: str = "") -> Text:
    """One stored person: labels from the catalogue, the data appended as plain text."""
    text = Text()
    if heading:
        text.append(f"{heading}: ", style="bold")
    text.append_text(safe(p.full_name or "—", "bold"))
    text.append(f"  #{p.id}")
    rows = (("case.document", f"{t(f'case.doc_{p.doc_type}')} {p.doc_number_text}".strip() if p.doc_number else ""),
            ("case.birth_date", format_be_date(p.birth_date) if p.birth_date else ""),
            ("case.phone", p.phone_text),
            ("case.address", " ".join(x for x in (house_text(p), p.subdistrict_code) if x)))
    for label, value in rows:
        if value:
            text.append(f"\n  {t(label)}: ")
            text.append_text(safe(value, one_line=True))
    return text


class MergeScreen(StaffScreen):
    """The suggestions for one case's people. Dismisses with a message once a merge is done."""

    CSS_PATH = "merge.tcss"
    BINDINGS = [Binding("escape", "back", "case.key_back")]

    def __init__(self, person_ids: list[int], ticket_no: str) -> None:
        super().__init__()
        self.person_ids, self.ticket_no = person_ids, ticket_no
        self.suggestions: list[merge_view.DuplicateSuggestion] | None = None
        self.error = ""

    def compose(self) -> ComposeResult:
        yield TopBar()
        title = Text(f"{self.t('merge.title')} · ")
        title.append_text(safe(self.ticket_no))
        yield Static(title, id="merge-title")
        if self.suggestions:
            yield OptionList(*(Option(self.suggestion_text(s), id=str(n)) for n, s in enumerate(self.suggestions)),
                             id="merge-list")
        else:
            message = self.error or (self.t("merge.loading") if self.suggestions is None else self.t("merge.none"))
            yield Static(message, id="merge-message", markup=False)
        yield StaffFooter()

    def suggestion_text(self, s: merge_view.DuplicateSuggestion) -> Text:
        text = person_text(self.t, s.other)
        text.append(f"\n  {self.t('merge.same_as')}: ", style="italic")
        text.append_text(safe(s.of.full_name or "—", one_line=True))
        text.append(f"  #{s.of.id}")
        for reason in s.reasons:
            text.append(f"\n  • {self.t(reason)}", style="yellow")
        return text

    def on_mount(self) -> None:
        if self.suggestions is None:
            self.load()
        else:
            self.focus_list()

    def focus_list(self) -> None:
        for options in self.query("#merge-list").results(OptionList):
            options.highlighted = 0
            options.focus()

    @service_work(done="show", failed="failed", group="merge")
    def load(self):
        return merge_view.duplicates_for(self.app.actor, self.person_ids, self.ticket_no)

    async def failed(self, exc: KioskError) -> None:
        await self.show([], self.app.error_text(exc))

    async def show(self, found, error: str = "") -> None:
        self.suggestions, self.error = found, error
        await self.recompose()
        self.focus_list()

    @on(OptionList.OptionSelected, "#merge-list")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        s = self.suggestions[int(event.option.id)]
        # The case's own record is kept by default; the dialog can swap.
        self.app.push_screen(MergeConfirm(keep_id=s.of.id, drop_id=s.other.id), self.merged)

    def merged(self, message: str | None) -> None:
        if message:
            self.dismiss(message)

    def action_back(self) -> None:
        self.dismiss(None)


class MergeConfirm(StaffModal):
    """Merge X into Y: both records, the cases and surveys that move, the blanks filled.
    Dismisses with the message to show, or None."""

    CSS_PATH = "merge.tcss"
    BINDINGS = [Binding("escape", "cancel", "app.cancel"), Binding("s", "swap", "merge.key_swap"),
                Binding("ctrl+s", "merge", "merge.key_merge")]

    def __init__(self, keep_id: int, drop_id: int) -> None:
        super().__init__()
        self.keep_id, self.drop_id = keep_id, drop_id
        self.preview: merge_view.MergePreview | None = None
        self.error = ""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="merge-confirm", classes="dialog"):
            p = self.preview
            if p is None:
                yield Static(self.error or self.t("merge.loading"), id="merge-error", markup=False)
            else:
                yield Static(self.heading(p), classes="dialog-title")
                yield Static(person_text(self.t, p.drop, heading=self.t("merge.drop")), id="merge-drop",
                             classes="merge-person")
                yield Static(person_text(self.t, p.keep, heading=self.t("merge.keep")), id="merge-keep",
                             classes="merge-person")
                yield Static(self.moves(p), id="merge-moves")
                yield Static(self.error, id="merge-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                if p is not None:
                    yield Button(self.t("merge.key_merge"), id="merge-do", variant="warning", compact=True)
                    yield Button(self.t("merge.key_swap"), id="merge-swap", compact=True)
                yield Button(self.t("app.cancel"), id="merge-cancel", compact=True)
        yield StaffFooter()

    def heading(self, p: merge_view.MergePreview) -> Text:
        """The title: merge <drop> into <keep>, both names as plain text."""
        text = Text(f"{self.t('merge.merge')} ")
        text.append_text(safe(p.drop.full_name or f"#{p.drop.id}", "bold", one_line=True))
        text.append(f" {self.t('merge.into')} ")
        text.append_text(safe(p.keep.full_name or f"#{p.keep.id}", "bold", one_line=True))
        return text

    def moves(self, p: merge_view.MergePreview) -> Text:
        text = Text(f"{self.t('merge.cases_move', count=len(p.tickets))}", style="bold")
        if p.tickets:
            text.append(": ")
            text.append_text(safe(", ".join(p.tickets), one_line=True))
        text.append(f"\n{self.t('merge.surveys_move', count=p.surveys)}")
        filled = ", ".join(self.t(f"merge.field_{f}") for f in p.filled) or "—"
        text.append(f"\n{self.t('merge.filled')}: {filled}")
        text.append(f"\n{self.t('merge.kept_marked')}", style="italic")
        return text

    def on_mount(self) -> None:
        self.load()

    @service_work(done="show", failed="failed", group="merge-preview")
    def load(self):
        return merge_view.merge_preview(self.app.actor, self.keep_id, self.drop_id)

    async def failed(self, exc: KioskError) -> None:
        await self.show(None, self.app.error_text(exc))

    async def show(self, preview, error: str = "") -> None:
        self.preview, self.error = preview, error
        await self.recompose()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        event.stop()
        {"merge-do": self.action_merge, "merge-swap": self.action_swap}.get(event.button.id, self.action_cancel)()

    def action_swap(self) -> None:
        if self.preview is not None:
            self.keep_id, self.drop_id = self.drop_id, self.keep_id
            self.preview = None
            self.load()

    def action_merge(self) -> None:
        if self.preview is None:
            return
        try:
            safely(merge.merge_people, self.app.actor, self.keep_id, self.drop_id)
        except KioskError as exc:
            self.error = self.app.error_text(exc)
            self.query_one("#merge-error", Static).update(self.error)
            return
        # merge_people counts a case once per column it changed (requester and subject): say
        # how many cases, as the preview listed them.
        self.dismiss(self.t("merge.done", count=len(self.preview.tickets)))

    def action_cancel(self) -> None:
        self.dismiss(None)
