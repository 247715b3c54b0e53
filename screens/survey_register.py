"""The register of surveyed people (issue 13, item 4): group counts on the left (by หมู่, by
vulnerability or by team; `g` switches), the people of the chosen group on the right.

Keys, so that "bedridden people in หมู่ 3" is two keystrokes, `b` then `3`:
- a vulnerability letter sets (or, pressed again, clears) the vulnerability: b bedridden,
  e elderly, c chronic illness, d any disability, p pregnant, k child without a carer,
  l low income, h homeless; `v` opens every vulnerability in a list;
- a digit sets the หมู่ (1–9; `0` clears it; `m` picks any หมู่ from the counts), `t` picks a team;
- `o` steps through "not surveyed for more than 6 / 12 / 24 months" and back to everyone;
- Enter on a group in the left list filters by it;
- `n` turns the chosen person into a case (officers and above; the category is confirmed with
  Enter), which then opens; `x` exports what is shown (XLSX, CSV, GeoJSON, PDF) into
  <home>/exports; Escape clears the filter, then goes back.

Everything loads off the UI thread; the list shows at most survey_register.LIST_LIMIT people
and says how many match. Stored text is shown as Text (never markup)."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from kiosk.errors import KioskError
from kiosk.services import survey_case, survey_export, survey_register
from kiosk.services.survey_register import FILTER_VULNERABILITIES, GROUPINGS, RegisterFilter, RegisterRow

from .faults import service_work
from .widgets import lao_pick
from .widgets.pick import PickDialog
from .widgets.staff_base import StaffFooter, StaffScreen, safe
from .widgets.top_bar import TopBar

COLUMNS = ("moo", "house_no", "name", "age", "vulnerabilities", "team", "surveyed_on")
# one letter per common vulnerability (the hint line and the module's docstring say which)
LETTERS = {"b": "bedbound", "e": "elderly", "c": "chronic_illness", "d": "disability", "p": "pregnant",
           "k": "child_no_caregiver", "l": "low_income", "h": "homeless"}
MONTHS = (None, 6, 12, 24)
CASE_ROLE = "officer"


class CaseDialog(PickDialog):
    """The category of a new survey case, under the name of the person it is for."""

    CSS_PATH = "./widgets/pick.tcss"  # PickDialog's, from this module's folder

    def __init__(self, options, person: str) -> None:
        super().__init__(options, title="register.case_title", list_id="reg-pick-category")
        self.person = person

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(".dialog").mount(Static(safe(self.person, "bold", one_line=True), id="reg-case-person"),
                                        before=self.query_one(OptionList))


class RegisterScreen(StaffScreen):
    CSS_PATH = "survey_register.tcss"
    BINDINGS = [
        Binding("escape", "back", "case.key_back"),
        Binding("g", "grouping", "register.key_group"),
        Binding("v", "pick_vulnerability", "register.key_vulnerability"),
        Binding("1", "moo(1)", "register.key_moo", key_display="1-9"),
        *(Binding(str(d), f"moo({d})", show=False) for d in range(2, 10)),
        Binding("0", "moo(0)", show=False),
        Binding("m", "pick_moo", show=False),
        Binding("t", "pick_team", "register.key_team", show=False),  # t and o: on the hint line
        Binding("o", "months", "register.key_months", show=False),
        Binding("n", "case", "register.key_case"),
        Binding("x", "export", "register.key_export"),
        Binding("ctrl+g", "lao", "staff.key_lao"),
        *(Binding(letter, f"vulnerability('{key}')", show=False) for letter, key in LETTERS.items()),
    ]

    def __init__(self, where: RegisterFilter | None = None, grouping: str = "moo") -> None:
        super().__init__()
        self.where, self.grouping = where or RegisterFilter(), grouping
        self.groups: list[survey_register.GroupCount] = []
        self.rows: list[RegisterRow] = []
        self.total = 0
        self.message = ""

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "case":
            actor = self.app.actor
            return actor is not None and actor.at_least(CASE_ROLE)
        return super().check_action(action, parameters)

    # ---------------------------------------------------------------------------- drawing

    def compose(self) -> ComposeResult:
        yield TopBar()
        yield Static("", id="reg-filter", markup=False)
        with Horizontal(id="reg-body"):
            yield OptionList(id="reg-groups")
            yield DataTable(id="reg-people", cursor_type="row", zebra_stripes=True)
        yield Static(self.t("register.hint"), id="reg-hint", markup=False)
        yield StaffFooter()

    def on_mount(self) -> None:
        self.query_one("#reg-people", DataTable).focus()
        self.fill()

    async def recompose(self) -> None:
        """A language switch: drawn again from the service (the groups' labels are its)."""
        await super().recompose()
        self.query_one("#reg-people", DataTable).focus()
        self.fill()

    @service_work(done="show", failed="refused", group="register")
    def fill(self):
        actor, lang = self.app.actor, self.app.lang
        groups = survey_register.counts(actor, self.grouping, self.where, lang=lang)
        page = survey_register.people(actor, self.where)
        return groups, page.rows, page.total

    def refused(self, exc: KioskError) -> None:
        self.message = self.app.error_text(exc)
        self.query_one("#reg-filter", Static).update(self.message)

    def show(self, loaded) -> None:
        self.groups, self.rows, self.total = loaded
        self.message = ""
        shown = self.t("register.showing", shown=len(self.rows), total=f"{self.total:,}") \
            if len(self.rows) < self.total else self.t("register.people", total=f"{self.total:,}")
        self.query_one("#reg-filter", Static).update(
            f"{self.where.label(self.app.lang)} — {shown}")
        chosen = self._chosen_group()
        groups = self.query_one("#reg-groups", OptionList)
        groups.border_title = self.t(f"register.by_{self.grouping}")
        groups.clear_options()
        groups.add_options([Option(self._group_text(self._group_label(g), g.count, g.key == chosen))
                            for g in self.groups])
        table = self.query_one("#reg-people", DataTable)
        table.clear(columns=True)
        for key in COLUMNS:
            table.add_column(self.t(f"register.col_{key}"), key=key)
        for r in self.rows:
            table.add_row(safe(r.moo if r.moo is not None else ""), safe(r.house_no), safe(r.full_name, one_line=True),
                          safe(r.age if r.age is not None else ""), safe(self._flags(r)), safe(r.team, one_line=True),
                          safe(survey_register.surveyed_text(r)), key=str(r.record_id))

    def _chosen_group(self):
        return {"moo": self.where.moo, "vulnerability": self.where.vulnerability or None,
                "team": self.where.team}[self.grouping]

    def _group_label(self, group: survey_register.GroupCount) -> str:
        return self.t(f"register.short_{group.key}") if self.grouping == "vulnerability" else group.label

    @staticmethod
    def _group_text(label: str, count: int, chosen: bool) -> Text:
        """"▸   7 หมู่ 3": the count first, so a long label cut by the pane never hides it."""
        text = Text("▸" if chosen else " ", style="bold" if chosen else "")
        text.append(f"{count:>5,} ", style="bold")
        text.append_text(safe(label, one_line=True))  # a team's name is stored text: Text, never markup
        return text

    def _flags(self, row: RegisterRow) -> str:
        return ", ".join(self.t(f"register.short_{v}") for v in row.vulnerabilities)

    # ---------------------------------------------------------------------------- filtering

    def action_lao(self) -> None:
        """A joint centre's own staff narrow the register (and its export) to one member LAO, or
        back to the whole centre; the filter line names it."""
        lao_pick.pick(self, lambda prefix: self.refilter(lao=prefix), current=self.where.lao, whole_centre=True)

    def refilter(self, **changes) -> None:
        self.where = replace(self.where, **changes)
        self.fill()

    def action_vulnerability(self, key: str) -> None:
        self.refilter(vulnerability="" if self.where.vulnerability == key else key)

    def action_moo(self, moo: int) -> None:
        self.refilter(moo=None if moo == 0 or self.where.moo == moo else moo)

    def action_months(self) -> None:
        self.refilter(months=MONTHS[(MONTHS.index(self.where.months) + 1) % len(MONTHS)]
                      if self.where.months in MONTHS else None)

    def action_grouping(self) -> None:
        self.grouping = GROUPINGS[(GROUPINGS.index(self.grouping) + 1) % len(GROUPINGS)]
        self.fill()

    @on(OptionList.OptionSelected, "#reg-groups")
    def group_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        key = self.groups[event.option_index].key
        if self.grouping == "moo":
            self.refilter(moo=None if key == self.where.moo or key is None else key)
        elif self.grouping == "vulnerability":
            self.refilter(vulnerability="" if key == self.where.vulnerability else key)
        else:
            self.refilter(team=None if key == self.where.team else key)

    def action_pick_vulnerability(self) -> None:
        options = [(self.t("register.everyone"), "")]
        letters = {v: k for k, v in LETTERS.items()}
        for key in FILTER_VULNERABILITIES:
            label = survey_register.vulnerability_label(key, self.app.lang)
            options.append((f"{letters[key]}  {label}" if key in letters else f"   {label}", key))
        self.app.push_screen(PickDialog(options, title="register.key_vulnerability", current=self.where.vulnerability,
                                        list_id="reg-pick-vulnerability"),
                             lambda picked: picked is not None and self.refilter(vulnerability=picked[0]))

    def action_pick_moo(self) -> None:
        self._pick_group("moo", "register.by_moo", lambda key: self.refilter(moo=key))

    def action_pick_team(self) -> None:
        self._pick_group("team", "register.by_team", lambda key: self.refilter(team=key))

    def _pick_group(self, grouping: str, title: str, then) -> None:
        self._picking = (grouping, title, then)
        self._load_groups(grouping)

    @service_work(done="_groups_loaded", failed="refused", group="register-pick")
    def _load_groups(self, grouping: str):
        return survey_register.counts(self.app.actor, grouping, self.where, lang=self.app.lang)

    def _groups_loaded(self, groups) -> None:
        grouping, title, then = self._picking
        options = [(self.t("register.everyone"), None),
                   *((f"{g.label}  ({g.count:,})", g.key) for g in groups if g.key is not None)]
        self.app.push_screen(PickDialog(options, title=title, list_id=f"reg-pick-{grouping}"),
                             lambda picked: picked is not None and then(picked[0]))

    def action_back(self) -> None:
        if self.where != RegisterFilter():
            self.refilter(moo=None, vulnerability="", team=None, months=None)
        else:
            self.app.pop_screen()

    # ---------------------------------------------------------------------------- acting

    def chosen_row(self) -> RegisterRow | None:
        table = self.query_one("#reg-people", DataTable)
        if not self.rows or table.cursor_row is None or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def action_case(self) -> None:
        row = self.chosen_row()
        if row is None:
            self.app.notify(self.t("register.choose_person"), markup=False)
            return
        suggested = survey_case.category_for(row)
        options = [(self.t("register.case_with", category=self.t(f"category.{suggested}")), suggested),
                   *((self.t(f"category.{c}"), c) for c in survey_case.CASE_CATEGORIES if c != suggested)]
        self.app.push_screen(CaseDialog(options, row.full_name),
                             lambda picked: picked is not None and self._make_case(row, picked[0]))

    def _make_case(self, row: RegisterRow, category: str) -> None:
        self._new_case(row.record_id, category)

    @service_work(done="_case_made", failed="_case_refused", group="register-case")
    def _new_case(self, record_id: int, category: str):
        return survey_case.open_case(self.app.actor, self.app.settings.host_lao.ticket_prefix, record_id,
                                     category=category)

    def _case_made(self, made: survey_case.SurveyCase) -> None:
        self.app.notify(self.t("register.case_made", ticket=made.created.ticket_no, name=made.person), markup=False)
        self.app.open_case(made.created.id)

    def _case_refused(self, exc: KioskError) -> None:
        self.app.notify(self.app.error_text(exc), severity="warning", markup=False)

    def action_export(self) -> None:
        options = [(self.t(f"register.format_{f}"), f) for f in survey_export.FORMATS]
        self.app.push_screen(PickDialog(options, title="register.key_export", list_id="reg-pick-format"),
                             lambda picked: picked is not None and self._export(picked[0]))

    @service_work(done="_exported", failed="_case_refused", group="register-export")
    def _export(self, fmt: str):
        settings = self.app.settings
        return survey_export.export(self.app.actor, fmt, settings.home / "exports", self.where,
                                    centre=settings.centre_name(self.app.lang), lang=self.app.lang)

    def _exported(self, result: survey_export.ExportResult) -> None:
        self.app.notify(self.t("register.exported", path=str(result.path), people=result.people), markup=False,
                        timeout=10)

    def palette_commands(self):
        commands = [(self.t("register.key_group"), self.action_grouping, ""),
                    (self.t("register.key_vulnerability"), self.action_pick_vulnerability, ""),
                    (self.t("register.key_team"), self.action_pick_team, ""),
                    (self.t("register.key_months"), self.action_months, ""),
                    (self.t("register.key_export"), self.action_export, "")]
        if self.check_action("case", ()):
            commands.append((self.t("register.key_case"), self.action_case, ""))
        return commands
