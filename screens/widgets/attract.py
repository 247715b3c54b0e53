"""The attract loop: while nobody touches the counter, the home screen shows the current
announcements one after another; the first key or touch brings the choices back.

Self-contained: it listens to the app's and its screen's messages for activity (touch, keys,
paste), so the home screen only has to yield it. Announcements are fetched afresh at every
step, so an expired or retired one never shows."""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from kiosk.errors import KioskError

from ..faults import safely

if TYPE_CHECKING:
    from kiosk.services.announcements import AnnouncementView

ACTIVITY = (events.Key, events.Paste, events.MouseDown, events.MouseUp, events.Click,
            events.MouseScrollDown, events.MouseScrollUp)


def current_announcements() -> list[AnnouncementView]:
    """The announcements to show now. The service is imported at the first idle spell, not
    before the home screen's first paint."""
    from kiosk.services import announcements

    return announcements.current()


class AttractLoop(Vertical, can_focus=True):
    """Covers its screen while idle. `idle_after` and `interval` are seconds (tests pass
    fractions); `source` gives the announcements to show (default: the current ones)."""

    DEFAULT_CSS = """
    AttractLoop {
        display: none;
        overlay: screen;
        position: absolute;
        offset: 0 0;
        width: 100%;
        height: 100%;
        background: $primary-darken-3;
        padding: 2 4;
        align: center middle;
    }
    AttractLoop #attract-count { color: $text-muted; width: 100%; text-align: center; }
    AttractLoop #attract-title { text-style: bold; width: 100%; text-align: center; margin: 1 0;
                                 padding: 1 2; background: $primary; }
    AttractLoop #attract-body { width: 100%; height: auto; max-height: 1fr; padding: 0 2; }
    AttractLoop #attract-hint { dock: bottom; width: 100%; text-align: center; text-style: bold;
                                background: $warning; color: $background; }
    """

    def __init__(self, idle_after: float = 45.0, interval: float = 8.0,
                 source: Callable[[], list[AnnouncementView]] | None = None, *, id: str = "attract") -> None:
        super().__init__(id=id)
        self.idle_after, self.interval = idle_after, interval
        self.source = source or current_announcements
        self.last_activity = monotonic()
        self.position = -1  # index into the list shown last
        self.shown_id: int | None = None
        self._returning_focus = None
        self._tick_timer = self._rotate_timer = None

    def compose(self) -> ComposeResult:
        return ()  # hidden until the first idle spell, when `make_lines` makes what it shows

    def make_lines(self) -> None:
        """The count, title, body and hint, made the first time there is something to show (so
        not before the home screen's first paint)."""
        if not self.children:
            self.mount_all([*(Static("", id=f"attract-{line}", markup=False) for line in ("count", "title", "body")),
                            Static(self.app.t("announce.attract_hint"), id="attract-hint", markup=False)])

    def on_mount(self) -> None:
        self.app.message_signal.subscribe(self, self._seen, immediate=True)
        self.screen.message_signal.subscribe(self, self._seen, immediate=True)
        self.configure(self.idle_after, self.interval)

    def configure(self, idle_after: float, interval: float) -> None:
        """Change the timings (tests use fractions of a second)."""
        self.idle_after, self.interval = idle_after, interval
        for timer in (self._tick_timer, self._rotate_timer):
            if timer is not None:
                timer.stop()
        self._rotate_timer = None
        self._tick_timer = self.set_interval(min(1.0, idle_after / 4), self._check_idle)
        self.last_activity = monotonic()

    @property
    def active(self) -> bool:
        return bool(self.display)

    # -- activity ---------------------------------------------------------------------------
    def _seen(self, message: Message) -> None:
        if isinstance(message, ACTIVITY):
            self.last_activity = monotonic()
            if self.active:
                self.stop()

    def _check_idle(self) -> None:
        on_top = self.app.screen is self.screen
        if not self.active and on_top and monotonic() - self.last_activity >= self.idle_after:
            self.start()

    # -- the loop ---------------------------------------------------------------------------
    def start(self) -> None:
        """Show the first announcement and rotate; nothing to show, nothing happens."""
        self.position = -1
        if not self.advance():
            return
        self._returning_focus = self.screen.focused
        self.display = True
        self.focus()
        self._rotate_timer = self.set_interval(self.interval, self.advance)

    def advance(self) -> bool:
        """The next current announcement (pinned ones come first); False when there is none."""
        try:
            items = safely(self.source)
        except KioskError:  # logged; the home screen simply shows no announcements meanwhile
            items = []
        if not items:
            self.stop()
            return False
        self.position = (self.position + 1) % len(items)
        self.make_lines()
        item = items[self.position]
        self.shown_id = item.id
        self.query_one("#attract-count", Static).update(
            self.app.t("announce.attract_count", n=self.position + 1, total=len(items)))
        self.query_one("#attract-title", Static).update(Text(item.title))
        self.query_one("#attract-body", Static).update(Text(item.body))
        return True

    def stop(self) -> None:
        if self._rotate_timer is not None:
            self._rotate_timer.stop()
            self._rotate_timer = None
        was_active = self.active
        self.display = False
        self.shown_id = None
        self.last_activity = monotonic()
        if was_active and self._returning_focus is not None and self._returning_focus.is_attached:
            self._returning_focus.focus()

    # Input that lands on the overlay itself wakes the screen and goes no further.
    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self.stop()

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.stop()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        event.stop()
        self.stop()
