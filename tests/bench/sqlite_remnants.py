"""How many overwritten values SQLite still holds in its file (+ WAL) after an update, with and
without the measures `kiosk.services.retention` takes (secure_delete, FTS5 'optimize', VACUUM).
Prints figures; asserts nothing. `uv run python tests/bench/sqlite_remnants.py [--rows N]`

The rows look like the kiosk's: a table with a name column and an index on it, and an FTS5
trigram table beside it. Half the names are blanked; then the file and WAL are searched for them.
The build's secure_delete default is forced OFF first (Debian compiles it ON; most builds don't).
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
from pathlib import Path

VARIANTS = {
    "nothing": (False, False, False),
    "secure_delete during the purge": (True, False, False),
    "optimize + VACUUM": (False, True, True),
    "secure_delete + optimize + VACUUM": (True, True, True),
}


def name(i: int) -> str:
    return f"ชื่อทดสอบ{i:06d}นามสกุล"


def run(folder: Path, rows: int, secure: bool, optimize: bool, vacuum: bool) -> int:
    path = folder / f"t{secure:d}{optimize:d}{vacuum:d}.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=wal")
    conn.execute("PRAGMA secure_delete=OFF")
    conn.execute("CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT, filler TEXT)")
    conn.execute("CREATE INDEX person_name ON person (name)")
    conn.execute("CREATE VIRTUAL TABLE person_search USING fts5(t, tokenize='trigram')")
    conn.execute("BEGIN")
    for i in range(rows):
        conn.execute("INSERT INTO person (id, name, filler) VALUES (?, ?, ?)", (i + 1, name(i), "x" * 100))
        conn.execute("INSERT INTO person_search (rowid, t) VALUES (?, ?)", (i + 1, name(i)))
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute(f"PRAGMA secure_delete={int(secure)}")
    purged = range(0, rows, 2)
    conn.execute("BEGIN")
    for i in purged:
        conn.execute("UPDATE person SET name = '' WHERE id = ?", (i + 1,))
        conn.execute("DELETE FROM person_search WHERE rowid = ?", (i + 1,))
        conn.execute("INSERT INTO person_search (rowid, t) VALUES (?, ' ')", (i + 1,))
    if optimize:
        conn.execute("INSERT INTO person_search (person_search) VALUES ('optimize')")
    conn.execute("COMMIT")
    if vacuum:
        conn.execute("VACUUM")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    wal = Path(f"{path}-wal")
    data = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    return sum(name(i).encode() in data for i in purged)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    args = parser.parse_args()
    print(f"SQLite {sqlite3.sqlite_version}; {args.rows} rows, {len(range(0, args.rows, 2))} names blanked")
    with tempfile.TemporaryDirectory() as folder:
        for label, (secure, optimize, vacuum) in VARIANTS.items():
            left = run(Path(folder), args.rows, secure, optimize, vacuum)
            print(f"{label:<36} {left:>6} old names still readable in the file + WAL")


if __name__ == "__main__":
    main()
