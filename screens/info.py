"""The counter's information screen: where the centre is and how to reach it — a sign-like
name, address, hours with "open now", phones, directions, emergency numbers, QR codes for the
map and the status page, and the current announcements. Stored text is shown literally."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Container, Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static

from kiosk.errors import KioskError
from kiosk.services import announcements, centre

from .base import KioskScreen
from .faults import safely
from .widgets.qr_code import QRCode
from .widgets.top_bar import TopBar

NARROW = 110  # below this width the QR codes go under the text


class InfoScreen(KioskScreen):
    CSS_PATH = "info.tcss"
    BINDINGS = [("escape", "back", "")]

    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        super().__init__()
        self.now = (clock or (lambda: datetime.now(UTC)))()  # tests pass a fixed time; naive = UTC

    def _section(self, key: str) -> Static:
        return Static(self.t(key), classes="info-heading", markup=False)

    def _pairs(self, rows: list[tuple[str, str]], id: str) -> Static:
        text = Text()
        for n, (label, value) in enumerate(rows):
            text.append(("\n" if n else "") + label + "  ")
            text.append(value, style="bold")
        return Static(text, id=id, classes="info-text")

    def compose(self) -> ComposeResult:
        s, lang = self.app.settings, self.app.lang
        status = centre.status_of(s, self.now)
        yield TopBar()
        yield Static(s.centre_name(lang), id="info-sign", markup=False)
        with Container(id="info-body"):
            with VerticalScroll(id="info-text"):
                yield self._section("info.hours")
                yield Static(centre.status_text(status, lang), id="info-open",
                             classes="open" if status.open_now else "closed", markup=False)
                yield self._pairs(centre.week_lines(s.hours, lang), "info-week")
                yield self._section("info.address")
                yield Static(centre.address_text(s, lang), id="info-address", classes="info-text", markup=False)
                if centre.directions(s, lang):
                    yield self._section("info.directions")
                    yield Static(centre.directions(s, lang), id="info-directions", classes="info-text", markup=False)
                contacts = [(self.t("info.phones"), p) for p in s.phones]
                if s.line_id:
                    contacts.append((self.t("info.line"), s.line_id))
                if s.facebook:
                    contacts.append((self.t("info.facebook"), s.facebook))
                if contacts:
                    yield self._section("info.phones")
                    yield self._pairs(contacts, "info-contacts")
                if s.joint:  # a joint centre: each member LAO's own name and contacts
                    yield self._section("info.members")
                    yield self._pairs([(lao.name(lang), " · ".join(centre.lao_contacts(lao, lang)))
                                       for lao in s.laos], "info-members")
                yield self._section("info.emergency")
                yield self._pairs(centre.emergency_lines(s, lang), "info-emergency")
                yield self._section("info.announcements")
                yield from self._announcements()
            with Vertical(classes="info-qr", id="qr-map-box"):
                yield Static(self.t("info.qr_map"), classes="qr-caption", markup=False)
                yield QRCode(centre.maps_url(s), id="qr-map")
            with Vertical(classes="info-qr", id="qr-status-box"):
                yield Static(self.t("info.qr_status"), classes="qr-caption", markup=False)
                yield QRCode(centre.status_page_url(s), id="qr-status")
        with Horizontal(id="info-buttons"):
            yield Button(self.t("info.back"), id="info-back", variant="primary")

    def _announcements(self) -> ComposeResult:
        try:
            items = safely(announcements.current, centre.to_utc_naive(self.now))
        except KioskError:  # logged; the rest of the centre's information still shows
            items = []
        if not items:
            yield Static(self.t("info.no_announcements"), id="info-no-announcements", markup=False)
        for item in items:
            title = Text()
            if item.pinned:
                title.append(f"[{self.t('info.pinned')}] ", style="bold reverse")
            lao = self.app.settings.lao(item.lao_prefix) if self.app.settings.joint else None
            if lao is not None:  # a joint centre: whose announcement it is (none: the whole centre's)
                title.append(f"{lao.name(self.app.lang)}: ")
            title.append(item.title, style="bold")
            with Vertical(classes="announcement"):
                yield Static(title, classes="announcement-title")
                if item.body:
                    yield Static(item.body, classes="announcement-body", markup=False)

    def on_mount(self) -> None:
        self._fit(self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        self.query_one("#info-body").set_class(width < NARROW, "narrow")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "info-back":
            event.stop()
            self.action_back()

    def action_back(self) -> None:
        self.dismiss()
