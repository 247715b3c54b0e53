"""The base classes of the counter's and the console's screens: `self.t`, text in the app's
current language. (The top bar is a widget, widgets/top_bar.py; a language switch recomposes
every screen from its own state, KioskApp.action_toggle_language.)"""

from __future__ import annotations

from textual.screen import ModalScreen, Screen


class KioskScreen(Screen):
    def t(self, key: str, **params: object) -> str:
        return self.app.t(key, **params)


class KioskModal(ModalScreen):
    def t(self, key: str, **params: object) -> str:
        return self.app.t(key, **params)
