#!/usr/bin/env python3
"""Launcher: `uv run kiosk.py [command]`. See `uv run kiosk.py --help`."""

import sys

# These machines set PYTHONDONTWRITEBYTECODE=1; uv precompiles the libraries it installs but not
# this project's own modules, which would then be compiled from source on every start (~40 ms).
sys.dont_write_bytecode = False

from kiosk.cli import Env, main  # noqa: E402


def run_app(settings, mode: str, lang: str | None = None) -> int:
    """Open the Textual app (imported here, so non-UI commands start fast)."""
    from screens.app import make_app

    app = make_app(settings, mode, lang)
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], Env(run_app=run_app)))
