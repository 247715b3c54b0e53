"""Garbage is collected in pauses, not on keystrokes: automatic collection is off while an app
runs, collection happens once input has paused (or the backlog is large), and it is back on
after the app exits."""

from __future__ import annotations

import gc
from time import monotonic

from screens.app import make_app


async def test_collection_waits_for_a_pause_and_is_restored(db, settings):
    assert gc.isenabled()
    app = make_app(settings, "counter")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert not gc.isenabled()
        cycles = [[] for _ in range(5_000)]
        for c in cycles:
            c.append(c)  # garbage only a collection can free
        del cycles, c
        app.last_input = monotonic()  # someone is typing: nothing is collected
        app.collect_if_paused()
        assert gc.get_count()[0] > 1_000
        app.last_input = monotonic() - 5  # a pause
        app.collect_if_paused()
        assert gc.get_count()[0] < 1_000
    assert gc.isenabled()
