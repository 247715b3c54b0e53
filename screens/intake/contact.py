"""Step 5: phone and address. The subdistrict defaults to the centre's own; another one is picked
province → district → subdistrict with type-ahead (Thai or English)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from kiosk.thai import addresses

from ..widgets.thai_input import ThaiInput
from .wizard import StepScreen

MAX_OPTIONS = 30


def place_text(code: str) -> str:
    """The chosen subdistrict, district, province and postcode, in Thai as addresses are shown."""
    if addresses.subdistrict(code) is None:
        return code
    return addresses.format_address_thai(addresses.Address(subdistrict_code=code))


class ContactStep(StepScreen):
    FIRST_FOCUS = "phone"

    def body(self) -> ComposeResult:
        yield from self.text_field("phone", max_length=30)
        yield from self.text_field("house_no", max_length=20)
        yield from self.text_field("moo", max_length=10)
        yield from self.text_field("village", optional=True, max_length=200)
        yield from self.text_field("soi", optional=True, max_length=200)
        yield from self.text_field("road", optional=True, max_length=200)
        yield from self.labelled("subdistrict_code", Static(place_text(self.form.subdistrict_code), markup=False))
        if not self.state.place_stage:
            yield Button(self.t("intake.place_change"), id="place-change")
            return
        yield Static(self.t(f"intake.place_search_{self.state.place_stage}"), classes="field-label", markup=False)
        yield ThaiInput(self.state.place_query, id="place-query")
        yield OptionList(*self.place_options(), id="place-options")

    def place_options(self) -> list[Option]:
        stage, parent, query = self.state.place_stage, self.state.place_parent, self.state.place_query
        if stage == "province":
            found = [(p.code, f"{p.name_th} ({p.name_en})") for p in addresses.search_provinces(query)]
        elif stage == "district":
            found = [(d.code, f"{d.name_th} ({d.name_en})") for d in addresses.search_districts(parent, query)]
        else:
            found = [(s.code, f"{s.name_th} ({s.name_en}) {s.postcode}")
                     for s in addresses.search_subdistricts(parent, query)]
        return [Option(Text(label), id=code) for code, label in found[:MAX_OPTIONS]]

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "place-change":
            event.prevent_default()
            self.state.place_stage, self.state.place_parent, self.state.place_query = "province", "", ""
            self.redraw_place()

    def action_back(self) -> None:
        """Esc while choosing another ตำบล goes back one level (subdistrict → district →
        province → the address as it was), not a whole step."""
        stage, parent = self.state.place_stage, self.state.place_parent
        if not stage:
            super().action_back()
            return
        if stage == "subdistrict":
            self.state.place_stage, self.state.place_parent = "district", parent[:2]
        elif stage == "district":
            self.state.place_stage, self.state.place_parent = "province", ""
        else:
            self.state.place_stage = self.state.place_parent = ""
        self.state.place_query = ""
        if self.state.place_stage:
            self.redraw_place()
        else:
            self.refresh(recompose=True)
            self.call_after_refresh(lambda: self.query("#place-change") and self.query_one("#place-change").focus())

    def redraw_place(self) -> None:
        self.refresh(recompose=True)
        self.call_after_refresh(lambda: self.query("#place-query") and self.query_one("#place-query").focus())

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "place-query":
            event.prevent_default()
            self.state.place_query = event.value
            options = self.query_one("#place-options", OptionList)
            options.clear_options()
            options.add_options(self.place_options())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "place-query":
            event.prevent_default()
            options = self.query_one("#place-options", OptionList)
            if options.option_count:
                self.choose_place(options.get_option_at_index(options.highlighted or 0).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.choose_place(event.option.id)

    def choose_place(self, code: str | None) -> None:
        if not code:
            return
        following = {"province": "district", "district": "subdistrict"}.get(self.state.place_stage, "")
        if following:
            self.state.place_stage, self.state.place_parent, self.state.place_query = following, code, ""
        else:
            self.form.subdistrict_code = code
            self.state.place_stage = self.state.place_parent = self.state.place_query = ""
        self.redraw_place()
