#!/usr/bin/env python3
"""Launcher: `uv run kiosk.py [command]`. See `uv run kiosk.py --help`."""

import gc
import sys

# These machines set PYTHONDONTWRITEBYTECODE=1, so Textual and this project would be compiled from
# source on every start (~0.3 s). Let Python cache bytecode on first import instead; uv's own
# compile-bytecode option costs more on every `uv run` than it saves (see pyproject.toml).
sys.dont_write_bytecode = False
# Start-up makes objects that live as long as the process (modules, classes, styles): the garbage
# collector would look through them a hundred times for nothing, ~10 ms of the counter's start.
# It stays off until the command runs: the Textual apps collect in their own pauses
# (KioskApp.collect_in_pauses), kiosk.cli.main turns it back on for every other command.
gc.disable()

from kiosk.cli import Env, main  # noqa: E402


def run_app(settings, mode: str, lang: str | None = None, database_down: bool = False) -> int:
    """Open the Textual app (imported here, so non-UI commands start fast): only on a terminal,
    and ended by SIGTERM/SIGHUP/SIGINT like any exit, so the terminal is left as it was found."""
    from kiosk.terminal import die_of, require_terminal, stop_on_signals

    require_terminal()
    from kiosk.faults import dump_stacks_on
    from screens.app import make_app

    dump_stacks_on()

    app = make_app(settings, mode, lang, database_down=database_down)
    with stop_on_signals(lambda signum: app.exit(return_code=128 + signum)) as received:
        app.run()
    if received:
        die_of(received[0])
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], Env(run_app=run_app)))
