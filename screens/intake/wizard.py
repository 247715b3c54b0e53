"""The intake wizard's state and the screen every step shares.

All answers live in one `WizardState` (the service's IntakeForm plus where we are), updated as
the person types; a step screen draws itself from it. So back/forward keeps everything, and a
language toggle (recompose) loses nothing. Only one step screen is on the stack at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Static, TextArea

from kiosk.errors import ValidationError
from kiosk.services import intake
from kiosk.services.staff import Actor

from ..base import KioskScreen
from ..widgets.thai_input import ThaiInput
from ..widgets.top_bar import TopBar


@dataclass
class WizardState:
    mode: str = "self"  # "self" (a citizen alone) or "staff" (a clerk beside them)
    actor: Actor | None = None
    form: intake.IntakeForm = field(default_factory=intake.IntakeForm)
    step: int = 0
    errors: dict[str, ValidationError] = field(default_factory=dict)
    lookup_query: str = ""
    lookup_message: str = ""  # a catalogue key
    lookup_params: dict = field(default_factory=dict)
    place_stage: str = ""  # "", "province", "district", "subdistrict" (choosing another ตำบล)
    place_parent: str = ""  # the province or district code chosen so far
    place_query: str = ""

    @property
    def step_name(self) -> str:
        return intake.STEPS[self.step]


class StepCheckbox(Checkbox, inherit_bindings=False):
    """A wizard tick box: Space ticks it; Enter goes on to the next step, as the hint at the
    foot of every step says (Enter ticking or unticking it changed answers without a sign)."""

    BINDINGS = [Binding("space", "toggle_button", show=False)]


class StepTextArea(TextArea):
    """A story told in several lines (what happened): long text wraps in sight instead of
    scrolling sideways. Enter goes on to the next step, as everywhere in the wizard (the hint at
    the foot says so); ctrl+j starts a new line; pasted line breaks are kept. Typing and pasting
    stop at twice the longest story the service takes (it still says "too long" beyond its limit):
    a scanner or a paste of megabytes must not make every key slow for the next person."""

    BINDINGS = [Binding("ctrl+j", "new_line", show=False)]
    MAX_LENGTH = 2 * intake.LONG_MAX

    def __init__(self, text: str = "", **kwargs) -> None:
        super().__init__(text, soft_wrap=True, tab_behavior="focus", show_line_numbers=False, **kwargs)

    class Submitted(Message):
        """Enter: posted, not acted on at once, so it reaches the step after the Changed of every
        key typed before it (a story typed and sent in one burst is kept, as Input's Submitted)."""

    async def _on_key(self, event: events.Key) -> None:  # runs before TextArea's own, which inserts "\n"
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.post_message(self.Submitted())

    async def _on_paste(self, event: events.Paste) -> None:  # TextArea's own inserts it, once: no bubbling
        event.stop()

    def action_new_line(self) -> None:
        self.insert("\n")

    def _replace_via_keyboard(self, insert: str, start, end):  # every typed or pasted edit passes here
        room = self.MAX_LENGTH - len(self.text) + len(self.get_text_range(*sorted((start, end))))
        if len(insert) > room:
            insert = insert[:max(room, 0)]
            if not insert and start == end:
                return None
        return super()._replace_via_keyboard(insert, start, end)


def screen_for(state: WizardState) -> StepScreen:
    from .category import CategoryStep
    from .consent import ConsentStep
    from .contact import ContactStep
    from .identity import IdentityStep
    from .review import ReviewStep
    from .situation import SituationStep
    from .subject import SubjectStep
    from .subtype import SubtypeStep

    screens = {"consent": ConsentStep, "category": CategoryStep, "subtype": SubtypeStep, "identity": IdentityStep,
               "contact": ContactStep, "subject": SubjectStep, "situation": SituationStep, "review": ReviewStep}
    return screens[state.step_name](state)


def start_intake(mode: str = "self", actor: Actor | None = None) -> StepScreen:
    """The first step of a new, empty intake (staff mode needs the unlocking staff member)."""
    return screen_for(WizardState(mode=mode, actor=actor if mode == "staff" else None))


class StepScreen(KioskScreen):
    """One wizard step: title, the step's fields (`body`), field errors, Back/Next/Cancel.

    Textual calls a handler on every class of the MRO; a step that handles a message itself
    calls `event.prevent_default()` so these shared handlers skip it."""

    CSS_PATH = "intake.tcss"
    BINDINGS = [Binding("escape", "back", show=False), Binding("enter", "next", show=False)]
    FIRST_FOCUS: str | None = None  # a widget id to focus when the step opens

    def __init__(self, state: WizardState | None = None) -> None:
        super().__init__()
        self.state = state or WizardState()

    @property
    def form(self) -> intake.IntakeForm:
        return self.state.form

    # -- drawing ------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        if not self.form.subdistrict_code:  # the centre's own ตำบล by default
            self.form.subdistrict_code = self.app.settings.subdistrict_code
        yield TopBar()
        with Vertical(id="wizard"):
            with Horizontal(id="wizard-head"):
                yield Static(self.t(f"intake.step_{self.state.step_name}"), id="step-title", markup=False)
                yield Static(self.t("intake.step_counter", n=self.state.step + 1, total=len(intake.STEPS)),
                             id="step-counter", markup=False)
            if self.state.mode == "staff" and self.state.actor is not None:
                actor = self.state.actor
                yield Static(self.t("intake.staff_mode", name=actor.full_name or actor.username), id="staff-banner",
                             markup=False)
            with VerticalScroll(id="step-body"):
                yield from self.body()
            yield Static(self.status_text(), id="step-status", classes="error" if self.state.errors else "",
                         markup=False)
            with Horizontal(id="wizard-nav"):
                yield from self.nav_buttons()

    def status_text(self) -> str:
        """The line above the buttons: what to fix, or the keys."""
        return self.t("intake.fix_errors") if self.state.errors else self.t("intake.keys_hint")

    def nav_buttons(self) -> ComposeResult:
        """The buttons at the foot, always visible (the body scrolls above them)."""
        yield Button(self.t("intake.back"), id="nav-back")
        yield Button(self.next_label(), id="nav-next", variant="primary")
        yield Button(self.t("intake.cancel"), id="nav-cancel", variant="error")

    def body(self) -> ComposeResult:
        yield from ()

    def next_label(self) -> str:
        return self.t("intake.next")

    def error_text(self, name: str) -> str:
        error = self.state.errors.get(name)
        return f"✖ {self.t(error.key, **error.params)}" if error else ""

    def labelled(self, name: str, widget: Widget, *, optional: bool = False) -> ComposeResult:
        """A field: its label, the widget (id = the form field), and its error line."""
        label = self.t(f"intake.{name.removeprefix('vuln-')}")
        if optional:
            label = f"{label} {self.t('intake.optional')}"
        yield Label(label, classes="field-label", markup=False)
        if widget.id is None:
            widget.id = name
        if name in self.state.errors:
            widget.add_class("invalid")
        yield widget
        yield Static(self.error_text(name), id=f"{name}-error", classes="field-error", markup=False)

    def text_field(self, name: str, *, optional: bool = False, layout_hint: bool = False,
                   max_length: int = 0, placeholder: str = "", suggestions: Iterable[str] = ()) -> ComposeResult:
        value = getattr(self.form, name)
        suggester = SuggestFromList(suggestions, case_sensitive=False) if suggestions else None
        yield from self.labelled(name, ThaiInput(value, id=name, layout_hint=layout_hint, max_length=max_length,
                                                 placeholder=placeholder, suggester=suggester), optional=optional)

    def text_area_field(self, name: str) -> ComposeResult:
        yield from self.labelled(name, StepTextArea(getattr(self.form, name), id=name))

    def radio_field(self, name: str, choices: tuple[str, ...], label_prefix: str) -> ComposeResult:
        current = getattr(self.form, name)
        radios = RadioSet(*(RadioButton(f"{n}  {self.t(f'intake.{label_prefix}{c}')}", value=c == current,
                                        id=f"{name}--{c}") for n, c in enumerate(choices, 1)),
                          id=name, classes="choices")
        yield from self.labelled(name, radios)

    def on_mount(self) -> None:
        self.focus_first()

    def focus_first(self) -> None:
        """Focus the first invalid field, else the step's natural first field."""
        first = next(iter(self.state.errors), None)
        target = first if first and self.query(f"#{first}") else self.FIRST_FOCUS
        if target and self.query(f"#{target}"):
            self.query_one(f"#{target}").focus()

    # -- keeping the state -----------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        name = event.input.id or ""
        if hasattr(self.form, name) and isinstance(getattr(self.form, name), str):
            setattr(self.form, name, event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_next()

    def on_step_text_area_submitted(self, event: StepTextArea.Submitted) -> None:
        event.stop()
        self.action_next()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        name = event.text_area.id or ""
        if hasattr(self.form, name) and isinstance(getattr(self.form, name), str):
            setattr(self.form, name, event.text_area.text)

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        name, _, value = (event.pressed.id or "").partition("--")
        if hasattr(self.form, name):
            current = getattr(self.form, name)
            setattr(self.form, name, (value == "true") if isinstance(current, bool) else value)
            self.choice_changed(name)

    def on_key(self, event: events.Key) -> None:
        """Digits 1–9 choose in the list that has focus (the hint at the foot says so)."""
        focused = self.focused
        radios = focused if isinstance(focused, RadioSet) else None
        if radios is None and isinstance(focused, RadioButton) and isinstance(focused.parent, RadioSet):
            radios = focused.parent
        if radios is None or not (event.character and event.character in "123456789"):
            return
        buttons = list(radios.query(RadioButton))
        n = int(event.character)
        if n <= len(buttons):
            event.stop()
            event.prevent_default()
            buttons[n - 1].value = True

    def choice_changed(self, name: str) -> None:
        """A radio choice changed (a step may re-draw, e.g. to show more fields)."""

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        name = event.checkbox.id or ""
        if name.startswith("vuln-"):
            key = name.removeprefix("vuln-")
            (self.form.vulnerabilities.add if event.value else self.form.vulnerabilities.discard)(key)
        elif name == "sensitive_consent":
            self.form.sensitive_consent = event.value

    # -- moving --------------------------------------------------------------------------------
    def on_button_pressed(self, event: Button.Pressed) -> None:
        handler = {"nav-back": self.action_back, "nav-next": self.action_next, "nav-cancel": self.action_cancel}
        if event.button.id in handler:
            event.stop()
            handler[event.button.id]()

    def action_next(self) -> None:
        self.state.errors = intake.check_step(self.state.step_name, self.form)
        if self.state.errors:
            self.refresh(recompose=True)
            self.call_after_refresh(self.focus_first)
            return
        self.go(self.state.step + 1)

    def action_back(self) -> None:
        self.state.errors = {}
        if self.state.step == 0:
            self.action_cancel()
        else:
            self.go(self.state.step - 1)

    def action_cancel(self) -> None:
        self.app.reset_to_home()

    def go(self, step: int) -> None:
        if self.app.screen is not self:  # a key or press that arrived after this step was left
            return
        self.state.step = step
        self.app.switch_screen(screen_for(self.state))
