"""Which member LAO a joint centre's own staff work for on a screen (issue 16): the same
PickDialog the users screen uses for an account's LAO, listing the config's member LAOs (and,
where a record may belong to no LAO, the whole centre). Only staff of the whole centre of a
joint centre choose; an LAO's officer works for their own LAO and sees no key. The services check
the choice again (kiosk.services.scope), so this is about the screen, not about permission."""

from __future__ import annotations

from collections.abc import Callable

WHOLE_CENTRE = "*"  # the option meaning "no LAO: the whole centre" (announcements)


def may_pick(app) -> bool:
    """A joint centre, and an actor of the whole centre (scope.sees_all)."""
    actor = getattr(app, "actor", None)
    return bool(app.settings.joint) and actor is not None and actor.lao_ids is None


def lao_name(app, prefix: str | None) -> str:
    """`prefix`'s name in the screen's language; None (or WHOLE_CENTRE) is the whole centre."""
    if not prefix or prefix == WHOLE_CENTRE:
        return app.t("staff.whole_centre")
    lao = app.settings.lao(prefix)
    return f"{prefix} {lao.name(app.lang)}" if lao else prefix


def options(app, whole_centre: bool = False) -> list[tuple[str, str]]:
    pairs = [(lao_name(app, lao.ticket_prefix), lao.ticket_prefix) for lao in app.settings.laos]
    return [(lao_name(app, None), WHOLE_CENTRE), *pairs] if whole_centre else pairs


def pick(screen, then: Callable[[str | None], None], *, current: str | None, whole_centre: bool = False,
         title: str = "staff.choose_lao") -> None:
    """Open the choice; `then` gets a ticket prefix (None: the whole centre); Escape changes nothing."""
    from .pick import PickDialog

    app = screen.app
    if not may_pick(app):
        return

    def chosen(picked: tuple[str] | None) -> None:
        if picked is not None:
            then(None if picked[0] == WHOLE_CENTRE else picked[0])

    app.push_screen(PickDialog(lambda: options(app, whole_centre), title=title,
                               current=current or (WHOLE_CENTRE if whole_centre else None), list_id="lao-list"),
                    chosen)
