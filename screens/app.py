"""The Textual applications. `make_app` is the one factory the CLI and the tests use.

CounterApp is the locked-down public kiosk: no quit key, no command palette, no text
selection; only a supervisor's PIN leads out. StaffApp is the staff console (SSH or desk)."""

from __future__ import annotations

import gc
from collections.abc import Callable
from time import monotonic

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.message_pump import active_message_pump
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import WorkerFailed

from kiosk.config import Settings
from kiosk.errors import KioskError
from kiosk.faults import log_fault
from kiosk.i18n import translate
from kiosk.text import typed_text

from .home import HomeScreen
from .notice import TooSmallScreen

# Tab moves focus as the key arrives, before the keys after it are sent on: a card reader or a
# scanner types Tab and the next field's text in one burst, and a Tab left to the focused
# widget's own turn (a non-priority binding) let that text land in the field just left.
FOCUS_KEYS = [Binding("tab", "focus_next", show=False, priority=True),
              Binding("shift+tab", "focus_previous", show=False, priority=True)]


class KioskApp(App):
    CSS_PATH = "kiosk.tcss"
    AUTO_FOCUS = ""  # screens/base.py FirstFocus decides (never the language toggle)
    MIN_WIDTH, MIN_HEIGHT = 80, 24
    INPUT_EVENTS = (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp, events.Paste)
    GC_PAUSE = 1.0  # seconds without input before garbage is collected
    GC_BACKLOG = 50_000  # allocations after which it is collected anyway

    def __init__(self, settings: Settings, *, lang: str | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.lang = lang or settings.default_language
        self.last_input = monotonic()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, self.INPUT_EVENTS):
            self.last_input = monotonic()
        if isinstance(event, events.Paste):  # a field would show it, escape sequences and all
            event.text = typed_text(event.text)
        await super().on_event(event)

    # -- language -------------------------------------------------------------------------
    def t(self, key: str, **params: object) -> str:
        return translate(key, self.lang, **params)

    def error_text(self, exc: KioskError) -> str:
        return self.t(exc.key, **exc.params)

    class AfterTyping(Message):
        """Sent on through the focused field by `after_typing`: it reaches the screen after the
        Changed of every key typed before it, as Input's Submitted does."""

        def __init__(self, then: Callable[[], object]) -> None:
            super().__init__()
            self.then = then

    def after_typing(self, then: Callable[[], object]) -> None:
        """Run `then` once the keys typed before now are in their screen's state. A key bound with
        priority (ctrl+l, a dialog's ctrl+s) acts as it arrives, while in one burst (a slow link, a
        busy machine) the keys before it may still wait in the focused field's queue: a switch or a
        save done at once would work from what the screen had before them, and lose them."""
        field = self.focused

        def send_on() -> None:  # after the keys still in the field's queue, up the path their Changed take
            if not field.post_message(self.AfterTyping(then)):
                then()

        if field is None or not field.call_later(send_on):  # nothing focused, or a field going away
            then()

    def on_kiosk_app_after_typing(self, message: AfterTyping) -> None:
        message.then()

    def action_toggle_language(self) -> None:
        self.after_typing(self.switch_language)

    def switch_language(self) -> None:
        """Thai ↔ English; every screen re-draws itself from its own state."""
        self.lang = "en" if self.lang == "th" else "th"
        for screen in self.screen_stack:
            screen.refresh(recompose=True)

    # -- faults: the last net behind screens/faults.py ---------------------------------------
    reraise_faults: bool | None = None  # None: only under Pilot, so a test still sees every fault

    def _handle_exception(self, error: Exception) -> None:
        """Textual calls this for whatever a handler, timer or worker let through; its own answer
        prints the traceback with local variables (a citizen's ID, a typed PIN) and exits. Here
        the traceback goes to the fault log only, and the app carries on where it safely can."""
        self.handle_fault(error, active_message_pump.get(None))

    async def run_action(self, action, default_namespace=None, namespaces=None) -> bool:
        """Key bindings run a screen's action on the app's own message loop, which a fault would
        stop (ending the app): a fault in a screen's or widget's action is that screen's."""
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except Exception as error:
            if self.broken_screen(default_namespace) is None:
                raise
            self.handle_fault(error, default_namespace)
            return True

    def handle_fault(self, error: Exception, where: object) -> None:
        """Log `error` (raised in `where`'s handling) and recover: see `_handle_exception`."""
        # A WorkerFailed is made, not raised, so it has no traceback: the worker's error has it.
        logged = error.error if isinstance(error, WorkerFailed) else error
        log_fault(logged, f"unhandled in {type(where).__qualname__}")
        if self.is_headless if self.reraise_faults is None else self.reraise_faults:
            super()._handle_exception(error)
            return
        if isinstance(error, WorkerFailed):  # the worker's screen still works: just say so
            self.notify_fault()
        else:  # `where` stopped (its message loop, or its action half-way): what it drew must go
            self.recover_from_fault(self.broken_screen(where))

    def broken_screen(self, where: object) -> Screen | None:
        """The screen whose widget (or itself) stopped working; None when it is the app."""
        if isinstance(where, Screen):
            return where
        if isinstance(where, Widget):
            try:
                return where.screen
            except Exception:  # noqa: BLE001 — not mounted on any screen any more
                return None
        return None

    def notify_fault(self) -> None:
        self.notify(self.t("errors.unavailable"), severity="error", timeout=10, markup=False)

    def recover_from_fault(self, broken: Screen | None = None) -> None:
        """Drop the broken screen and say so calmly; an app with nothing left to fall back on
        exits with code 3 (its service manager starts it again)."""
        self.exit(return_code=3, message=f"{translate('errors.unexpected', 'th')}\n"
                                         f"{translate('errors.unexpected', 'en')}")
        if not self.is_headless:  # a real counter: gone within GRACE even if the way out hangs
            from kiosk.terminal import GRACE, exit_within

            exit_within(GRACE, 3)

    # -- memory ------------------------------------------------------------------------------
    # A full garbage collection takes 20–100 ms; left to itself it lands on a keystroke now and
    # then. So: what lives from start-up is exempted once, and collection waits for a pause.
    def freeze_long_lived(self) -> None:
        """Exempt what is alive now (Textual, styles, catalogues, the first screens) from the
        collector. Once per process: what dies later must stay collectable."""
        if gc.get_freeze_count() == 0:
            gc.collect()
            gc.freeze()

    def collect_in_pauses(self) -> None:
        """Turn automatic collection off while the app runs; `collect_if_paused` does it instead."""
        gc.disable()
        self.set_interval(0.5, self.collect_if_paused)

    def collect_if_paused(self) -> None:
        backlog = gc.get_count()[0]
        if backlog > self.GC_BACKLOG or (backlog > 1_000 and monotonic() - self.last_input > self.GC_PAUSE):
            gc.collect()

    def on_unmount(self) -> None:
        gc.enable()

    # -- terminal size ----------------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        self.check_size(event.size)

    def too_small(self, size=None) -> bool:
        width, height = size or self.size
        return width < self.MIN_WIDTH or height < self.MIN_HEIGHT

    def check_size(self, size=None) -> None:
        width, height = size or self.size
        small = self.too_small((width, height))
        top = self.screen_stack[-1] if self.screen_stack else None
        if small and not isinstance(top, TooSmallScreen):
            self.push_screen(TooSmallScreen())
        elif isinstance(top, TooSmallScreen):
            top.update_size((width, height)) if small else self.pop_screen()


def choice_screens() -> dict:
    """Home-screen choice → screen class (imported when first needed, to keep start-up fast)."""
    from .gate import GateScreen
    from .info import InfoScreen
    from .intake.consent import ConsentStep
    from .track import TrackScreen

    return {"staff": GateScreen, "info": InfoScreen, "ask_help": ConsentStep, "track": TrackScreen}


class CounterApp(KioskApp, inherit_bindings=False):
    """The public counter kiosk."""

    ENABLE_COMMAND_PALETTE = False
    ALLOW_SELECT = False
    BINDINGS = [Binding("ctrl+l", "toggle_language", show=False, priority=True), *FOCUS_KEYS]

    IDLE_COUNTDOWN = 20  # seconds the "are you still there?" question waits

    def __init__(self, settings: Settings, *, lang: str | None = None, database_down: bool = False) -> None:
        super().__init__(settings, lang=lang)
        self.database_down = database_down  # started while the database could not be reached
        self.unlocked_by = None
        self.idle_seconds: float = settings.idle_timeout

    # -- idle reset: nobody's data stays on screen ----------------------------------------------
    def check_idle_timeout(self) -> None:
        from .db_wait import DatabaseWaitScreen
        from .idle import IdleScreen

        if not self.screen_stack:  # the app is closing: its screens are gone before its timers
            return
        top = self.screen
        if isinstance(top, (IdleScreen, TooSmallScreen, DatabaseWaitScreen)) or monotonic() - self.last_input < self.idle_seconds:
            return
        if isinstance(top, HomeScreen):  # nobody's data here; only a changed language to undo
            if self.lang != self.settings.default_language:
                self.reset_to_home()
            return
        self.push_screen(IdleScreen(self.IDLE_COUNTDOWN), lambda _: setattr(self, "last_input", monotonic()))

    def reset_to_home(self) -> None:
        """Ready for the next person: discard every screen above home (with the wizard state and
        all typed data), lock the staff gate again and go back to the default language."""
        self.unlocked_by = None
        self.copy_to_clipboard("")  # nothing typed by this citizen may be pasted by the next
        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()
        if self.lang != self.settings.default_language:
            self.lang = self.settings.default_language
            self.screen.refresh(recompose=True)
        self.last_input = monotonic()

    def recover_from_fault(self, broken=None) -> None:
        """A broken screen above home: back home (its typed data goes with it) with a calm
        message. A broken home screen, or a fault in the app itself, exits with code 3."""
        if broken is None or isinstance(broken, HomeScreen):
            super().recover_from_fault(broken)
            return
        if broken in self.screen_stack:
            self.reset_to_home()
        self.notify_fault()

    def get_default_screen(self) -> HomeScreen:
        return HomeScreen()

    def on_mount(self) -> None:
        self.check_size()
        self.set_interval(1, self.check_idle_timeout)
        self.call_after_refresh(self.freeze_long_lived)
        self.collect_in_pauses()
        if self.database_down:
            from .db_wait import DatabaseWaitScreen

            self.push_screen(DatabaseWaitScreen())

    def open_choice(self, choice: str) -> None:
        """A home-screen choice; one not built yet says so plainly."""
        factory = choice_screens().get(choice)
        if factory is None:
            self.screen.not_ready(choice)
        else:
            self.push_screen(factory())

    def may_exit(self) -> bool:
        """Only a gate unlocked by a supervisor or an admin leads out (an officer's PIN opens
        staff-assisted intake only); the gate has the service check the account again first."""
        from kiosk.services.staff import EXIT_ROLE

        return self.unlocked_by is not None and self.unlocked_by.at_least(EXIT_ROLE)

    async def action_quit(self) -> None:
        """No way out of the counter but the staff gate."""
        if self.may_exit():
            await super().action_quit()

    def exit_kiosk(self) -> None:
        if self.may_exit():
            self.exit()


def make_app(settings: Settings, mode: str = "counter", lang: str | None = None, *,
             database_down: bool = False) -> KioskApp:
    """The app for `mode` ("counter" or "staff"); the database must already be open, unless the
    counter starts with `database_down` (it could not be reached): then it waits for it."""
    if mode == "staff":
        from .staff_app import StaffApp

        return StaffApp(settings, lang=lang)
    return CounterApp(settings, lang=lang, database_down=database_down)
