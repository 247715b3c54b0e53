"""What the staff screens share: stored text made safe to show, and a footer that speaks the
current language (binding descriptions are catalogue keys, translated when the footer asks)."""

from __future__ import annotations

import dataclasses
import re

from rich.text import Text
from textual.widgets import Footer

from kiosk.i18n import has

from ..base import KioskModal, KioskScreen

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_C1 = re.compile(r"[\x80-\x9f]")


def visible(text: object) -> str:
    """Stored text with terminal control characters turned into visible symbols (ESC → ␛), so
    nothing typed by anyone can move the cursor, clear the screen or ring a bell."""
    s = "" if text is None else str(text)
    s = _CONTROL.sub(lambda m: chr(0x2400 + ord(m.group())) if m.group() != "\x7f" else "␡", s)
    return _C1.sub("�", s)


def safe(text: object, style: str = "", *, one_line: bool = False) -> Text:
    """A Rich Text (never parsed as markup) of stored or typed text; `one_line` for table cells."""
    s = visible(text)
    return Text(" ".join(s.split()) if one_line else s, style=style, end="")


# Textual's own words in the footer, said in the console's language instead
TEXTUAL_WORDS = {"Dismiss menu": "staff.key_dismiss_menu", "palette": "staff.key_palette"}


class _TranslatedBindings:
    def lao(self) -> str:
        """The LAO (ticket prefix) this screen works for: an LAO officer's own, known since sign-in
        (no database read); the whole centre's staff, the one they chose (`app.working_lao`, set by
        lao_pick on the survey screens and kept across them), else the host LAO (scope.own_prefix)."""
        from kiosk.services.scope import own_prefix, sees_all

        chosen = getattr(self.app, "working_lao", None)
        if chosen and self.app.actor is not None and sees_all(self.app.actor):
            return chosen
        return own_prefix(self.app.actor, self.app.settings.host_lao.ticket_prefix)

    @property
    def active_bindings(self):
        out = {}
        for key, active in super().active_bindings.items():  # type: ignore[misc]
            desc = TEXTUAL_WORDS.get(active.binding.description, active.binding.description)
            if desc and has(desc):
                active = active._replace(binding=dataclasses.replace(active.binding, description=self.app.t(desc)))
            out[key] = active
        return out


class StaffFooter(Footer):
    """Textual's Footer re-mounts all its keys on every focus change and screen resume (about
    ten widgets, each styled anew: the largest cost of opening a case or going back to the
    queue). This one recomposes only when the keys it would show actually change."""

    _shown: tuple | None = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.set_reactive(Footer._bindings_ready, True)  # compose the keys at mount, not blank first and again on focus

    def _wanted(self) -> tuple:
        return tuple((b.key, b.description, b.action, enabled, tooltip)
                     for _node, b, enabled, tooltip in self.screen.active_bindings.values() if b.show)

    def compose(self):
        self._shown = self._wanted() if self._bindings_ready else None
        yield from super().compose()

    def bindings_changed(self, screen) -> None:
        if self._bindings_ready and screen is self.screen and self.is_attached and self._wanted() == self._shown:
            return
        super().bindings_changed(screen)


class StaffScreen(_TranslatedBindings, KioskScreen):
    """Base for full staff screens."""

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """The `lao` key (choose the member LAO) only for a joint centre's own staff (lao_pick)."""
        if action == "lao":
            from .lao_pick import may_pick

            return may_pick(self.app)
        return True

    def palette_commands(self) -> list[tuple[str, object, str]]:
        """(label, callback, help) offered in the command palette while this screen is on top."""
        return []


class StaffModal(_TranslatedBindings, KioskModal):
    def palette_commands(self) -> list[tuple[str, object, str]]:
        return []
