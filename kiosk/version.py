"""The program's version (kept equal to pyproject.toml's by tests/ops/test_upgrade.py): shown by
`kiosk.py --version`, `kiosk.py doctor` and the staff console's about box."""

VERSION = "0.1.0"
