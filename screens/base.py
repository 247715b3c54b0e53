"""What every screen shares: translated text via `self.t`, the top bar, and re-drawing itself
from its own state when the language changes."""

from __future__ import annotations

from textual.screen import ModalScreen, Screen


class KioskScreen(Screen):
    def t(self, key: str, **params: object) -> str:
        return self.app.t(key, **params)


class KioskModal(ModalScreen):
    def t(self, key: str, **params: object) -> str:
        return self.app.t(key, **params)
